"""Targeted checks for the saving/loading and training-loop rules (KRS7xx) and the
version-gated messages of KRS301 beyond the fixtures."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from keras3_lint.config import Settings
from keras3_lint.registry import rule_by_code
from keras3_lint.runner import check_text


def lint(code, source, version=None):
    settings = Settings(root=".")
    if version is not None:
        settings = replace(settings, keras_version=version)
    return check_text(textwrap.dedent(source), settings, frozenset({code}))


MASKED = """
    import tensorflow as tf
    inputs = tf.keras.Input(shape=[None], dtype="int32")
    x = tf.keras.layers.Embedding(100, 8, mask_zero=True)(inputs)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(5, activation="softmax")(x))
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""


@pytest.mark.parametrize("version, expected", [((3, 11), 1), ((3, 11, 0), 1), ((3, 4, 1), 1), ((3, 12), 0), ((3, 12, 0), 0), ((3, 15, 1), 0)])
def test_masked_metrics_only_before_3_12(version, expected):
    assert len(lint("KRS726", MASKED, version)) == expected


def test_masked_metrics_needs_a_mask():
    source = MASKED.replace(", mask_zero=True", "")
    assert lint("KRS726", source, (3, 11)) == []
    masking = MASKED.replace("tf.keras.layers.Embedding(100, 8, mask_zero=True)(inputs)", "tf.keras.layers.Masking()(inputs)")
    assert len(lint("KRS726", masking, (3, 11))) == 1


RAGGED = """
    import keras
    a = keras.Input(shape=[None], ragged=True)
    b = keras.layers.InputLayer(shape=[None], ragged=True)
    c = keras.Input(shape=[None], ragged=False)
"""


def test_input_ragged_is_a_hard_error_before_3_9():
    found = lint("KRS301", RAGGED, (3, 8))
    assert [(d.row, d.code) for d in found] == [(3, "KRS301"), (4, "KRS301"), (5, "KRS301")]
    assert "TypeError: Input() got an unexpected keyword argument 'ragged'" in found[0].message
    assert "fails on Keras 3.8" in found[0].message
    assert "silently ignored" in found[1].message
    assert "ragged=False" in found[2].message


@pytest.mark.parametrize("version", [(3, 9), (3, 9, 0), (3, 15, 1)])
def test_input_ragged_is_the_partial_support_warning_from_3_9(version):
    found = lint("KRS301", RAGGED, version)
    assert [d.row for d in found] == [3, 4]  # ragged=False is fine from 3.9 on
    assert all("partial and TensorFlow-only" in d.message for d in found)


def fix_of(code, source):
    found = lint(code, source)
    assert len(found) >= 1
    return found[0].fix


def test_save_weights_rename_is_safe_with_the_matching_load():
    fix = fix_of("KRS703", """
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.save_weights("w.h5")
        model.load_weights("w.h5")
    """)
    assert fix.applicability == "safe" and len(fix.edits) == 2


def test_save_weights_rename_is_unsafe_without_a_load():
    fix = fix_of("KRS703", """
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.save_weights("w.h5")
    """)
    assert fix.applicability == "unsafe"


def test_save_weights_tf_checkpoint_rename_is_safe_for_a_bare_file_name():
    fix = fix_of("KRS703", """
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.save_weights("cp")
    """)
    assert fix.applicability == "safe"


def test_save_weights_rename_into_a_folder_is_unsafe():
    # Keras 2's TF-checkpoint writer created "ckpt/"; Keras 3's .weights.h5 writer does not
    # (evidence tier: FileNotFoundError), so the renamed program can fail where the old one ran.
    fix = fix_of("KRS703", """
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.save_weights("ckpt/cp")
    """)
    assert fix.applicability == "unsafe"


@pytest.mark.parametrize(
    "call, applicability",
    [
        ('model.save("m.h5", save_format="h5")', "safe"),
        ('model.save(path, save_format="h5")', "safe"),
        ('model.save("m", save_format="h5")', "unsafe"),
        ('model.save("m", save_format="tf")', "unsafe"),
        ('model.save_weights("m.weights.h5", save_format="h5")', "safe"),
        ('model.save_weights("ckpt", save_format="tf")', "unsafe"),
    ],
)
def test_save_format_fix_safety(call, applicability):
    source = f"""
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        def go(path):
            {call}
    """
    assert fix_of("KRS702", source).applicability == applicability


def test_save_format_h5_without_extension_adds_h5():
    from keras3_lint.fixer import fix_text

    source = 'import keras\nmodel = keras.Sequential([])\nmodel.save("m", save_format="h5")\n'
    out = fix_text(source, lambda t: check_text(t, Settings(root="."), frozenset({"KRS702"})), unsafe_fixes=True)
    assert out.text.endswith('model.save("m.h5")\n')


def test_non_keras_receivers_are_not_models():
    source = """
        import pandas as pd
        import keras
        frame = pd.DataFrame()
        frame.save("x")
        frame.save_weights("x.h5")
    """
    for code in ("KRS701", "KRS703"):
        assert lint(code, source) == []


def test_multi_output_same_length_list_is_a_silent_pairing():
    found = lint("KRS721", """
        import keras
        i = keras.Input((3,))
        m = keras.Model(i, [keras.layers.Dense(1)(i), keras.layers.Dense(1)(i)])
        m.compile(loss="mse", metrics=["mae", "mse"])
    """)
    assert len(found) == 1 and "one by one" in found[0].message


@pytest.mark.parametrize(
    "code, quote",
    [
        ("KRS701", "ValueError: Invalid filepath extension for saving."),
        ("KRS702", "TypeError: Model.save_weights() got an unexpected keyword argument 'save_format'"),
        ("KRS703", "ValueError: The filename must end in `.weights.h5`."),
        ("KRS704", "ValueError: The filepath provided must end in `.keras` (Keras model format)."),
        ("KRS705", "ValueError: File format not supported: filepath=my_model."),
        ("KRS706", "Keras 3 only supports V3 `.keras` files, `.weights.h5` files"),
        ("KRS707", "Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass"),
        ("KRS708", "ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': False}"),
        ("KRS709", "TypeError: Could not locate class 'Sequential'."),
        ("KRS710", "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda."),
        ("KRS721", "ValueError: tuple arity mismatch; expected: 2, got: 1"),
    ],
)
def test_docs_quote_the_keras3_error(code, quote):
    assert quote in rule_by_code(code).doc.why


def test_lambda_reload_from_keras_file_is_not_a_migration_change():
    # tf_keras 2.21 already refused it (evidence tier); only the .h5 reload is new in Keras 3.
    text = """\
from tensorflow import keras
model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda t: t * 2)])
model.save("m.keras")
a = keras.models.load_model("m.keras")
b = keras.models.load_model("m.h5")
"""
    found = check_text(text, Settings(), frozenset({"KRS710"}))
    assert [(d.row, d.code) for d in found] == [(5, "KRS710")]
