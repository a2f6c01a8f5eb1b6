"""Route 8, still on Keras 2 (KRS804): TF_USE_LEGACY_KERAS set before TensorFlow is imported makes
`tf.keras` tf_keras (Keras 2), so Keras-3-breaking code runs today and breaks when the flag goes."""

import os
import tempfile

from harness import assert_quoted, cached, findings, program_path, run

from keras3_lint.rule import LEGACY_KERAS_NOTE

FLAG_LINE = 'os.environ["TF_USE_LEGACY_KERAS"] = "1"'


def _without_flag() -> str:
    """KRS804.py with the flag line removed: the project after it drops the flag."""
    with open(program_path("KRS804.py"), encoding="utf-8") as handle:
        lines = handle.read().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(FLAG_LINE)]
    assert len(kept) == len(lines) - 1
    folder = tempfile.mkdtemp(prefix="k3l-legacy-")
    path = os.path.join(folder, "KRS804_no_flag.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("".join(kept))
    return path


def test_krs804_flag_before_tensorflow_runs_keras2_code_that_breaks_without_it():
    legacy = cached("KRS804.py").ok()  # keras="3": nothing set outside; the in-file flag decides
    assert legacy["dense_module"].startswith("tf_keras.")
    assert legacy["compat_v1_dense_module"].startswith("tf_keras.")
    assert legacy.value("keras2_code", "output")
    assert legacy.value("fit_generator", "epochs") == 1

    no_flag = run(_without_flag()).ok()
    assert no_flag["dense_module"].startswith("keras.src.")
    # tf.compat.v1.keras is Keras 3 too without the flag: KRS804 does not report it.
    assert no_flag["compat_v1_dense_module"].startswith("keras.src.")
    assert_quoted(
        "KRS804", no_flag.error("keras2_code"), "ValueError: Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': "
    )
    assert no_flag.error("fit_generator").startswith("AttributeError: ")


def test_krs804_reports_the_flag_and_the_hazards_say_the_file_is_on_keras2():
    (flag,) = findings("KRS804.py", "KRS804")
    assert flag["location"]["row"] == 4
    legacy_hazards = findings("KRS804.py", "KRS201") + findings("KRS804.py", "KRS103")
    assert len(legacy_hazards) == 2
    assert all(f["message"].startswith(LEGACY_KERAS_NOTE) for f in legacy_hazards)
    plain = findings(_without_flag(), "KRS201") + findings(_without_flag(), "KRS103")
    assert len(plain) == 2 and not any(f["message"].startswith(LEGACY_KERAS_NOTE) for f in plain)
