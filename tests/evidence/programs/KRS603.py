"""KRS603 python-control-flow-on-tensor: Python `if` on a tensor in a custom layer's call()."""
import numpy as np
import tensorflow as tf

from _evidence import keras_impl, record, step

record("impl", keras_impl())
record("backend", tf.keras.backend.backend())


class MyLayer(tf.keras.layers.Layer):
    def call(self, x):
        if tf.reduce_sum(x) > 0:
            return x
        return -x


x = np.linspace(-1, 0.5, 12, dtype="float32").reshape(4, 3)
y = np.ones((4, 1), "float32")

with step("functional") as out:
    inputs = tf.keras.Input(shape=(3,))
    outputs = tf.keras.layers.Dense(1, kernel_initializer="ones")(MyLayer()(inputs))
    model = tf.keras.Model(inputs, outputs)
    out["prediction"] = model.predict(x, verbose=0)
with step("eager") as out:  # a quick eager check on concrete values hides the problem
    out["value"] = np.asarray(MyLayer()(x))
with step("fit") as out:
    model = tf.keras.Sequential([MyLayer(), tf.keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="mse")
    out["loss"] = model.fit(x, y, epochs=1, batch_size=4, verbose=0).history["loss"]
