"""Keras 2's `Sequential.predict_classes` / `predict_proba` (gone since TF 2.6) and KRS103's fix.

Records what `predict` returns (type, dtype, values) so the test can apply Keras 2.3.1's own
definition by hand, and what the rewritten calls return after `--fix`."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

layers = tf.keras.layers
record("impl", keras_impl())
x = (np.sin(np.arange(5 * 6, dtype="float32") * 1.7) * 2).reshape(5, 6)
seq = np.linspace(-1.0, 1.0, 5 * 3 * 6, dtype="float32").reshape(5, 3, 6)
NUM_CLASSES = 4
CHARS = "0123456789+ "

softmax = tf.keras.Sequential([tf.keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(NUM_CLASSES, activation="softmax")])
fill_weights(softmax, scale=1.0)
sigmoid = tf.keras.Sequential()
sigmoid.add(tf.keras.Input((6,)))
sigmoid.add(layers.Dense(1, activation="sigmoid"))
fill_weights(sigmoid, scale=2.0)
timed = tf.keras.Sequential()
timed.add(tf.keras.Input((3, 6)))
timed.add(layers.LSTM(5, return_sequences=True))
timed.add(layers.TimeDistributed(layers.Dense(len(CHARS), activation="softmax")))
fill_weights(timed)


def described(array):
    return {"type": type(array).__module__ + "." + type(array).__name__, "dtype": str(array.dtype), "values": array.tolist()}


with step("predict") as out:  # the raw probabilities: Keras 2.3's methods are defined on them
    out["softmax"] = described(softmax.predict(x, verbose=0))
    out["sigmoid"] = described(sigmoid.predict(x, verbose=0))
    out["timed"] = described(timed.predict(seq, verbose=0))

with step("predict_classes") as out:
    out["softmax"] = described(softmax.predict_classes(x, batch_size=2))
    out["sigmoid"] = described(sigmoid.predict_classes(x))
    out["timed"] = described(timed.predict_classes(seq, verbose=0))

with step("predict_proba") as out:
    out["softmax"] = described(softmax.predict_proba(x))
