"""Values of paths and shapes (issue 9, route 5, and SURF-3): KRS701/KRS704/KRS706 on paths built
with `os.path.join`, `pathlib`, `%`, `.format`, f-strings and a parameter's default, KRS706 on
`tf.train.latest_checkpoint`, and KRS110 on `keras.Input(shape=7)`.

tf_keras 2.21 (Keras 2) against keras 3.15.1 (TensorFlow backend). For the paths program the Keras 2
run writes its artifacts (SavedModel folders, the tutorial's TF checkpoints) into a folder that the
Keras 3 runs of the program and of its fixed copy then use.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile

import pytest

from harness import assert_quoted, close, findings, fixed, fixed_copy, run

_ROOT = tempfile.mkdtemp(prefix="k3l-evidence-paths-")
atexit.register(shutil.rmtree, _ROOT, True)

PATHS = "built_paths_krs70x.py"
SAVES = ("join", "join_name", "pathlib", "percent", "format", "fstring", "default")


def _in(folder: str, program: str, keras: str = "3"):
    return run(program, keras=keras, env={"EVIDENCE_WORKDIR": folder}).ok()


@pytest.fixture(scope="module")
def paths():
    folder = tempfile.mkdtemp(dir=_ROOT)
    return {
        "k2": _in(folder, PATHS, "2"),
        "k3": _in(folder, PATHS),
        # --fix --unsafe-fixes for the two rules with fixes (KRS701 unsafe, KRS704 safe).
        "fixed": _in(folder, fixed(PATHS, "KRS701,KRS704")),
    }


@pytest.fixture(scope="module")
def shapes():
    return {
        "k2": run("KRS110.py", keras="2").ok(),
        "k3": run("KRS110.py").ok(),
        "fixed": run(fixed("KRS110.py", "KRS110")).ok(),
        "safe": run(fixed_copy("KRS110.py", "KRS110", tempfile.mkdtemp(dir=_ROOT), unsafe=False)).ok(),
    }


def test_built_paths_saved_as_savedmodel_folders_by_keras2_are_rejected_by_keras3(paths):
    k2, k3 = paths["k2"], paths["k3"]
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    for name in SAVES:
        if name != "join":
            assert k2.value(name, "written") == "folder", name
    for name in ("join", "join_name", "pathlib"):
        assert close(k2.value(name, "output"), k2["expected"]), name
    received = {
        "join": "exports/joined", "join_name": "exports/named", "pathlib": "exports/by_pathlib",
        "percent": "exports/by_percent", "format": "exports/by_format", "fstring": "exports/by_fstring",
        "default": "exports/by_default",
    }
    for name, path in received.items():
        error = k3.error(name)
        assert_quoted("KRS701", error, "ValueError: Invalid filepath extension for saving.")
        assert error.endswith(f"Received: filepath={path}."), error


def test_keras3_lint_finds_every_built_path_and_is_sure_except_for_a_default():
    found = findings(PATHS, "KRS701")
    assert len(found) == len(SAVES)
    medium = [f for f in found if f["confidence"] == "medium"]
    assert len(medium) == 1 and "by_default" in medium[0]["message"]
    assert all(f["fix"] is not None and f["fix"]["applicability"] == "unsafe" for f in found)


def test_renamed_built_paths_write_keras_files_that_restore_the_model(paths):
    k2, after = paths["k2"], paths["fixed"]
    for name in SAVES:
        if name != "join":
            assert after.value(name, "written") == "zip", name
    for name in ("join", "join_name", "pathlib"):
        assert close(after.value(name, "output"), k2.value(name, "output")), name


def test_tutorial_checkpoint_callback_path_rejected_and_safe_rename_trains(paths):
    k2, k3, after = paths["k2"], paths["k3"], paths["fixed"]
    assert "cp-0002.ckpt.index" in k2.value("checkpoint_callback", "files")
    assert_quoted(
        "KRS704",
        k3.error("checkpoint_callback"),
        "ValueError: When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
        "`.weights.h5` (Keras weights format).",
    )
    (finding,) = findings(PATHS, "KRS704")
    assert finding["fix"]["applicability"] == "safe"
    assert "cp-0002.ckpt.weights.h5" in after.value("checkpoint_callback", "files")


def test_load_weights_of_latest_checkpoint_is_a_tf_checkpoint_keras3_cannot_read(paths):
    k2, k3, after = paths["k2"], paths["k3"], paths["fixed"]
    assert k2.value("latest_checkpoint", "latest") == "training_2/cp-0002.ckpt"
    assert k2.value("latest_checkpoint", "same_weights") is True
    fragment = (
        "Keras 3 only supports V3 `.keras` files, `.weights.h5` files, legacy H5 format files (`.h5` extension), "
        "or Orbax checkpoints."
    )
    assert_quoted("KRS706", k3.error("latest_checkpoint"), fragment)
    assert "File format not supported: filepath=training_2/cp-0002.ckpt." in k3.error("latest_checkpoint")
    # No fix: renaming the callback's files does not make the old checkpoint readable.
    assert fragment in after.error("latest_checkpoint")
    (finding,) = findings(PATHS, "KRS706")
    assert finding["confidence"] == "high" and finding["fix"] is None
    assert "tf.train.latest_checkpoint" in finding["message"]


INT_SHAPES = ("literal", "parenthesized", "name", "positional", "shape_entry", "inputlayer", "inputlayer_positional")


def test_int_shapes_built_by_keras2_are_rejected_by_keras3(shapes):
    k2, k3 = shapes["k2"], shapes["k3"]
    for name in INT_SHAPES:
        k2.value(name)
        assert_quoted("KRS110", k3.error(name), "ValueError: Cannot convert '7' to a shape.")
    for name in INT_SHAPES:
        if "input_shape" in k2[name]:
            assert k2.value(name, "input_shape") == [None, 7], name
    # The control: an int `input_shape=` on a layer already failed on Keras 2; KRS110 leaves it alone.
    assert "'int' object is not iterable" in k2.error("dense_input_shape")
    rows = [f["location"]["row"] for f in findings("KRS110.py", "KRS110")]
    assert len(rows) == len(INT_SHAPES)


def test_one_tuple_fix_builds_the_same_model(shapes):
    k2, after, safe = shapes["k2"], shapes["fixed"], shapes["safe"]
    for name in INT_SHAPES:
        assert close(after.value(name, "output"), k2.value(name, "output")), name
        if "input_shape" in k2[name]:
            assert after.value(name, "input_shape") == [None, 7], name
    # `X.shape[1]` is an inferred int: its fix is unsafe, so --fix alone leaves it failing.
    assert "Cannot convert '7' to a shape." in safe.error("shape_entry")
    for name in INT_SHAPES:
        if name != "shape_entry":
            assert close(safe.value(name, "output"), k2.value(name, "output")), name
