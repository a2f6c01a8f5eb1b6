"""KRS110 input-shape-integer: Keras 2 read an int shape as a 1-tuple; Keras 3 raises.

Each step builds the same one-layer model from an int shape, spelled the ways real code spells it,
and records its output; `Dense(2, input_shape=7)` is the control that Keras 2 rejected too.
"""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
X = np.linspace(-1, 1, 14, dtype="float32").reshape(2, 7)
n_features = 7


def finish(out, inputs):
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(inputs))
    fill_weights(model)
    out["input_shape"] = list(model.input_shape)
    out["output"] = model.predict(X, verbose=0)


with step("literal") as out:
    finish(out, tf.keras.Input(shape=7))

with step("parenthesized") as out:
    finish(out, tf.keras.Input(shape=(7)))

with step("name") as out:
    finish(out, tf.keras.Input(shape=n_features))

with step("positional") as out:
    finish(out, tf.keras.Input(7))

with step("shape_entry") as out:
    finish(out, tf.keras.Input(shape=X.shape[1]))

with step("inputlayer") as out:
    model = tf.keras.Sequential([tf.keras.layers.InputLayer(input_shape=7), tf.keras.layers.Dense(2)])
    fill_weights(model)
    out["input_shape"] = list(model.input_shape)
    out["output"] = model.predict(X, verbose=0)

with step("inputlayer_positional") as out:
    model = tf.keras.Sequential([tf.keras.layers.InputLayer(7), tf.keras.layers.Dense(2)])
    fill_weights(model)
    out["output"] = model.predict(X, verbose=0)

with step("dense_input_shape") as out:  # control: an int input_shape on a layer failed on Keras 2 too
    tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=7)])
