"""KRS607 numpy-on-keras-output: `.numpy()` on a model or layer output (target: JAX)."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
record("backend", tf.keras.backend.backend())

x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(2, activation="tanh")])
fill_weights(model)
dense = tf.keras.layers.Dense(4, kernel_initializer="ones", bias_initializer="zeros")

with step("model") as out:
    out["value"] = model(x).numpy()
with step("layer") as out:
    hidden = dense(x)
    out["value"] = hidden.numpy()
