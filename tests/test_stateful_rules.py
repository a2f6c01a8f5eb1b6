"""KRS202-KRS204 (stateful RNNs): cases the fixture files cannot express on their own."""

from __future__ import annotations

import textwrap

from keras3_lint.config import Settings
from keras3_lint.fixer import fix_text
from keras3_lint.runner import check_text


def lint(code: str, source: str, backends=("tensorflow",)):
    return check_text(textwrap.dedent(source), Settings(backends=tuple(backends)), frozenset({code}))


def fixed(code: str, source: str) -> str:
    text = textwrap.dedent(source)
    return fix_text(text, lambda t: check_text(t, Settings(), frozenset({code})), unsafe_fixes=True).text


# -- KRS202 -------------------------------------------------------------------------------------


def test_reset_states_loop_variable_avoids_names_in_use():
    source = """\
        import keras
        layer = keras.layers.Dense(1)
        model = keras.Sequential([layer])
        model.reset_states()
        print(layer)
    """
    assert fixed("KRS202", source).splitlines()[3:6] == [
        "for stateful_layer in model.layers:",
        '    if getattr(stateful_layer, "stateful", False):',
        "        stateful_layer.reset_states()",
    ]


def test_reset_states_uses_module_indent_unit():
    source = "import keras\n\ndef f():\n\tm = keras.Sequential()\n\tm.reset_states()\n"
    text = fix_text(source, lambda t: check_text(t, Settings(), frozenset({"KRS202"})), unsafe_fixes=True).text
    assert text.endswith(
        '\tfor layer in m.layers:\n\t\tif getattr(layer, "stateful", False):\n\t\t\tlayer.reset_states()\n'
    )


def test_reset_states_fix_is_unsafe_and_not_offered_inside_expressions():
    found = lint("KRS202", """\
        import keras
        model = keras.Sequential()
        model.reset_states()
        done = model.reset_states()
    """)
    assert [(d.row, d.fix.applicability if d.fix else None) for d in found] == [(3, "unsafe"), (4, None)]


def test_reset_states_on_layer_of_model_not_flagged():
    assert lint("KRS202", """\
        import keras
        model = keras.Sequential([keras.layers.LSTM(4, stateful=True)])
        model.layers[0].reset_states()
        model.get_layer("lstm").reset_states()
    """) == []


# -- KRS203 -------------------------------------------------------------------------------------

STATEFUL = """\
    from tensorflow import keras
    keras.layers.LSTM(4, stateful=True)
"""


def test_stateful_on_tensorflow_only_not_flagged():
    assert lint("KRS203", STATEFUL) == []
    assert lint("KRS203", 'import os\nos.environ["KERAS_BACKEND"] = "tensorflow"\n' + textwrap.dedent(STATEFUL)) == []


def test_stateful_flagged_when_configured_for_jax():
    assert [(d.row, d.column) for d in lint("KRS203", STATEFUL, backends=("jax",))] == [(2, 22)]
    assert [(d.row, d.column) for d in lint("KRS203", STATEFUL, backends=("tensorflow", "jax"))] == [(2, 22)]


def test_stateful_flagged_when_file_imports_jax():
    assert [(d.row, d.column) for d in lint("KRS203", "import jax\n" + textwrap.dedent(STATEFUL))] == [(3, 22)]


def test_stateful_look_alikes_on_jax_not_flagged():
    assert lint("KRS203", """\
        import tf_keras
        from tensorflow import keras

        keras.layers.LSTM(4, stateful=False)
        keras.layers.LSTM(4)
        flag = True
        keras.layers.GRU(4, stateful=flag)  # not a literal
        keras.layers.Dense(4, stateful=True)  # not a recurrent layer
        tf_keras.layers.LSTM(4, stateful=True)  # Keras 2 on purpose


        def make(units, stateful=False):
            return units, stateful


        make(4, stateful=True)  # a user's own function
        doc = "keras.layers.LSTM(4, stateful=True)"  # keras.layers.LSTM(4, stateful=True)
    """, backends=("jax",)) == []


# -- KRS204 -------------------------------------------------------------------------------------

BATCH = """\
    import tensorflow as tf
    import tf_keras
    from tensorflow import keras
    ds = tf.data.Dataset.range(10).batch(1)
"""


def test_batch_without_stateful_rnn_not_flagged():
    assert lint("KRS204", BATCH + "    keras.layers.LSTM(4)\n    keras.layers.LSTM(4, stateful=False)\n") == []
    assert lint("KRS204", BATCH + "    tf_keras.layers.LSTM(4, stateful=True)\n") == []


def test_batch_with_stateful_rnn_flagged_only_for_tensorflow_targets():
    source = BATCH + "    keras.layers.GRU(4, stateful=True)\n"
    assert [(d.row, d.column) for d in lint("KRS204", source)] == [(4, 32)]
    assert lint("KRS204", source, backends=("jax",)) == []


def test_batch_on_reassigned_non_dataset_not_flagged():
    assert lint("KRS204", """\
        import tensorflow as tf
        from tensorflow import keras
        keras.layers.GRU(4, stateful=True)
        ds = tf.data.Dataset.range(10)
        ds = ds.map(lambda x: x)
        ds = list(ds)
        for ds in range(3):
            pass
        ds.batch(1)
    """) == []
