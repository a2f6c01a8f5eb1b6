"""The import fixes of KRS101 (short loss names, legacy preprocessing through tensorflow.keras) and
KRS104 (removed modules imported as a name) on tf_keras 2.21 and keras 3.15.1: what crashed runs,
with Keras 2's values; the safe fixes run on Keras 2 too."""

import tempfile
from concurrent.futures import ThreadPoolExecutor

from harness import assert_quoted, cached, close, findings, fixed, fixed_copy

K2, K3 = "2", "3"
PROGRAM = "legacy_imports_krs101_krs104.py"
CODES = "KRS101,KRS104"
ALL_STEPS = ("loss_import", "loss_call", "image_data_generator", "image_module", "tokenizer", "text_module",
             "recurrent", "np_utils", "np_utils_alias")


def runs(*specs):
    with ThreadPoolExecutor(2) as pool:
        return [r.ok() for r in pool.map(lambda spec: cached(*spec), specs)]


def same(a, b) -> bool:
    """Equal, or numerically close for arrays (token lists and words compare exactly)."""
    if a == b:
        return True
    try:
        return close(a, b, tol=1e-6)
    except (TypeError, ValueError):
        return False


def safe_fixed() -> str:
    return fixed_copy(PROGRAM, CODES, tempfile.mkdtemp(), unsafe=False)


def test_keras3_crashes_on_each_import_and_keras2_runs_them():
    k2, k3 = runs((PROGRAM, K2), (PROGRAM, K3))
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    assert_quoted("KRS101", k3.error("loss_import"), "ImportError: cannot import name 'mse' from 'keras.losses'")
    assert_quoted("KRS101", k3.error("image_data_generator"), "ImportError: cannot import name 'ImageDataGenerator' from 'keras.preprocessing.image'")
    assert_quoted("KRS104", k3.error("recurrent"), "ImportError: cannot import name 'recurrent' from 'keras.layers'")
    assert "has no attribute 'mse'" in k3.error("loss_call")
    assert "No module named 'keras.preprocessing.text'" in k3.error("tokenizer")
    assert "cannot import name 'text'" in k3.error("text_module")
    assert "has no attribute 'ImageDataGenerator'" in k3.error("image_module")
    assert "No module named 'keras.utils.np_utils'" in k3.error("np_utils_alias")
    assert "cannot import name 'model_from_config'" in k3.error("model_from_config")
    for name in ALL_STEPS:
        if name not in ("recurrent", "np_utils", "np_utils_alias"):  # standalone Keras <= 2.12 modules
            k2.value(name)


def test_unsafe_fixes_run_every_step_on_keras3_with_keras2_values():
    after = fixed(PROGRAM, CODES)
    with open(after, encoding="utf-8") as handle:
        text = handle.read()
    assert "from tensorflow.keras.preprocessing.image import ImageDataGenerator" in text
    assert "from keras.losses import mean_squared_error as mse, binary_crossentropy" in text
    assert "from keras import layers as recurrent" in text and "from keras import utils as kutils" in text
    k2, fixed3, fixed2 = runs((PROGRAM, K2), (after, K3), (after, K2))
    for run in (fixed3, fixed2):
        for name in ("loss_import", "loss_call", "image_data_generator", "image_module", "tokenizer", "text_module"):
            for key, value in k2.value(name).items():
                if key != "ok":
                    assert same(run.value(name, key), value), (run.label, name, key)
        assert close(run.value("np_utils", "output"), [[1, 0, 0], [0, 0, 1], [0, 1, 0]], tol=0), run.label
        assert close(run.value("np_utils_alias", "output"), [[0.6, 0.8]], tol=1e-6), run.label
    assert close(fixed3.value("recurrent", "output"), fixed2.value("recurrent", "output"), tol=1e-6)
    # Reported with what to do, not fixed: no Keras 3 function reads a Keras 2 config dict.
    assert "cannot import name 'model_from_config'" in fixed3.error("model_from_config")
    message = next(f["message"] for f in findings(PROGRAM, "KRS101") if "model_from_config" in f["message"])
    assert "no automatic fix" in message and "clone_model" in message


def test_safe_fixes_alone_run_on_keras2_and_keras3():
    after = safe_fixed()
    with open(after, encoding="utf-8") as handle:
        text = handle.read()
    assert "tensorflow.keras" not in text  # the preprocessing route is unsafe
    k2, fixed3, fixed2 = runs((PROGRAM, K2), (after, K3), (after, K2))
    for run in (fixed3, fixed2):
        for name in ("loss_import", "loss_call"):
            for key, value in k2.value(name).items():
                if key != "ok":
                    assert same(run.value(name, key), value), (run.label, name, key)
        assert close(run.value("np_utils_alias", "output"), [[0.6, 0.8]], tol=1e-6), run.label
        run.value("recurrent")
    assert close(fixed3.value("recurrent", "output"), fixed2.value("recurrent", "output"), tol=1e-6)
    fixed3.error("image_data_generator")  # left for --unsafe-fixes
