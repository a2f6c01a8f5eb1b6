"""KRS108 private-tensorflow-python-keras: a `tensorflow.python.keras` layer in a `tf.keras` model (MOD-6)."""
import numpy as np
import tensorflow as tf
from tensorflow.python.keras.layers import Dense

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
record("dense_module", Dense.__module__)
x = np.linspace(-1.0, 1.0, 6, dtype="float32").reshape(2, 3)

with step("sequential") as out:
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), Dense(4, activation="relu"), tf.keras.layers.Dense(1)])
    fill_weights(model)
    out["output"] = model.predict(x, verbose=0)
