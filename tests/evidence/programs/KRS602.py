"""KRS602 tf-variable-attribute-untracked: `self.w = tf.Variable(...)` in a custom layer."""
import warnings

import numpy as np
import tensorflow as tf

from _evidence import keras_impl, record, step

record("impl", keras_impl())


class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(tf.ones((input_shape[-1],)))

    def call(self, x):
        return x * self.w


class Offset(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.b = tf.Variable(0.5)

    def call(self, x):
        return x + self.b


x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
y = 3.0 * x + 1.0
for name, layer in (("build", Scale()), ("init", Offset())):
    with step(name) as out:
        model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), layer])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
        out["trainable_weights"] = len(layer.trainable_weights)
        out["model_trainable_weights"] = len(model.trainable_weights)
        before = np.array(tf.convert_to_tensor(layer.w if name == "build" else layer.b))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out["loss"] = model.fit(x, y, epochs=3, batch_size=4, verbose=0).history["loss"]
        after = np.array(tf.convert_to_tensor(layer.w if name == "build" else layer.b))
        out["variable_changed"] = bool(not np.allclose(before, after))
        out["warnings"] = [str(w.message) for w in caught]
