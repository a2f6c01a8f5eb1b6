"""Family 6 (backend portability): backend gating and edge cases the fixture files cannot show."""

from __future__ import annotations

import textwrap

from keras3_lint.config import Settings
from keras3_lint.fixer import fix_text
from keras3_lint.runner import check_text


def lint(text, codes, backends=("tensorflow",)):
    return check_text(textwrap.dedent(text), Settings(backends=tuple(backends)), frozenset(codes))


def fixed(text, codes, backends=("tensorflow",)):
    source = textwrap.dedent(text)
    return fix_text(source, lambda t: check_text(t, Settings(backends=tuple(backends)), frozenset(codes)), True).text


LAYER = """\
    import tensorflow as tf
    import keras

    class D(keras.layers.Layer):
        def call(self, x):
            return tf.reduce_sum(x, axis=-1)
"""
NUMPY = """\
    import keras
    model = keras.Sequential([keras.layers.Dense(2)])
    y = model(x).numpy()
"""
TRAIN_STEP = """\
    import tensorflow as tf
    import keras

    class M(keras.Model):
        def train_step(self, data):
            with tf.GradientTape() as tape:
                loss = self(data)
            return {"loss": loss}
"""


def test_non_tf_backend_rules_are_gated_on_the_targets():
    for text, code in ((LAYER, "KRS604"), (NUMPY, "KRS607"), (TRAIN_STEP, "KRS605")):
        assert lint(text, {code}) == [], code
        assert len(lint(text, {code}, backends=("jax",))) == 1, code
        assert len(lint(text, {code}, backends=("torch",))) == 1, code


def test_backend_selected_in_the_file_or_by_import():
    env = 'import os\nos.environ["KERAS_BACKEND"] = "jax"\n'
    assert len(lint(env + textwrap.dedent(LAYER), {"KRS604"})) == 1
    assert len(lint("import jax\n" + textwrap.dedent(NUMPY), {"KRS607"})) == 1
    tf_env = 'import os\nos.environ["KERAS_BACKEND"] = "tensorflow"\n'
    assert lint(tf_env + textwrap.dedent(LAYER), {"KRS604"}) == []


def test_tf_keras_layers_run_on_jax_too():
    text = """\
        import tensorflow as tf

        class D(tf.keras.layers.Layer):
            def call(self, x):
                return tf.nn.relu(x)
    """
    assert fixed(text, {"KRS604"}, backends=("jax",)).count("tf.keras.ops.relu(x)") == 1


def test_backend_independent_rules_fire_on_tensorflow_only_targets():
    text = """\
        import tensorflow as tf
        import keras
        inputs = keras.Input(shape=(3,))
        out = tf.concat([inputs, inputs], axis=-1)
    """
    for backends in (("tensorflow",), ("jax",)):
        assert [d.code for d in lint(text, {"KRS601"}, backends)] == ["KRS601"]


def test_tf_op_fix_uses_the_files_keras_ops_spelling():
    text = """\
        import tensorflow as tf
        from keras import Input, ops
        inputs = Input(shape=(3,))
        out = tf.concat([inputs, inputs], -1)
    """
    assert "out = ops.concatenate([inputs, inputs], -1)" in fixed(text, {"KRS601"})


def test_tf_op_without_reachable_keras_ops_has_no_fix():
    text = """\
        from tensorflow import squeeze
        from keras.layers import Input
        inputs = Input(shape=(3,))
        out = squeeze(inputs)
    """
    found = lint(text, {"KRS601"})
    assert len(found) == 1 and found[0].fix is None


def test_softmax_axis_must_be_an_int_literal():
    text = """\
        import tensorflow as tf
        import keras
        inputs = keras.Input(shape=(3,))
        a = tf.nn.softmax(inputs, axis=-1)
        b = tf.nn.softmax(inputs, axis=None)
        c = tf.nn.softmax(inputs)
    """
    out = fixed(text, {"KRS601"})
    assert "a = keras.ops.softmax(inputs, axis=-1)" in out
    assert "b = tf.nn.softmax(inputs, axis=None)" in out
    assert "c = keras.ops.softmax(inputs)" in out


def test_symbolic_tracking_stops_at_unknown_values():
    text = """\
        import tensorflow as tf
        import keras

        def build(x):
            return tf.concat([x, x], -1)  # parameter: unknown

        inputs = keras.Input(shape=(3,))
        inputs = load()
        out = tf.concat([inputs, inputs], -1)  # rebound to something unknown
    """
    assert lint(text, {"KRS601"}) == []


def test_compiled_loss_with_regularization_losses_is_not_rewritten():
    text = """\
        import keras

        class M(keras.Model):
            def test_step(self, data):
                x, y = data
                return self.compiled_loss(y, self(x), regularization_losses=self.losses)
    """
    found = lint(text, {"KRS606"})
    assert len(found) == 1 and found[0].fix is None
