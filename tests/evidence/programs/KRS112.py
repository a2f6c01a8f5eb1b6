"""KRS112 numpy-integer-layer-size: Keras 2 took a NumPy integer (and, for `Dense`, a float) as a
layer size; Keras 3 raises.

Each step builds a small model whose size argument is spelled the way real code computes it
(`num_classes = np.max(y_train) + 1` in keras-team/keras examples/reuters_mlp.py) and records its
output. `Conv2D(np.int64(4), 2)` is the control: Keras 3 takes a NumPy int for `filters`.
"""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
layers = tf.keras.layers
y_train = np.array([0, 3, 45, 7])
tokens = np.array([[1, 5, 9], [2, 0, 4]])
hidden = 8
X = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)
SEQ = np.linspace(-1, 1, 12, dtype="float32").reshape(2, 2, 3)
IMAGES = np.linspace(-1, 1, 50, dtype="float32").reshape(2, 5, 5, 1)
PAIRS = np.linspace(-1, 1, 24, dtype="float32").reshape(2, 3, 4)


def finish(out, inputs, outputs, data):
    model = tf.keras.Model(inputs, outputs)
    fill_weights(model)
    out["output_shape"] = list(model.output_shape)
    out["output"] = model.predict(data, verbose=0)


with step("dense_np_max") as out:
    num_classes = np.max(y_train) + 1
    inputs = tf.keras.Input((3,))
    finish(out, inputs, layers.Dense(num_classes)(inputs), X)

with step("dense_method") as out:
    inputs = tf.keras.Input((3,))
    finish(out, inputs, layers.Dense(units=y_train.max() + 1)(inputs), X)

with step("dense_prod") as out:
    inputs = tf.keras.Input((3,))
    finish(out, inputs, layers.Dense(np.prod((2, 2)), activation="tanh")(inputs), X)

with step("dense_int32") as out:
    inputs = tf.keras.Input((3,))
    finish(out, inputs, layers.Dense(np.int32(3))(inputs), X)

with step("dense_float") as out:
    inputs = tf.keras.Input((3,))
    finish(out, inputs, layers.Dense(hidden / 2)(inputs), X)

with step("lstm") as out:
    inputs = tf.keras.Input((2, 3))
    finish(out, inputs, layers.LSTM(np.int64(4))(inputs), SEQ)

with step("gru") as out:
    inputs = tf.keras.Input((2, 3))
    finish(out, inputs, layers.GRU(units=np.int64(4))(inputs), SEQ)

with step("simple_rnn") as out:
    inputs = tf.keras.Input((2, 3))
    finish(out, inputs, layers.SimpleRNN(np.int64(4))(inputs), SEQ)

with step("embedding") as out:
    inputs = tf.keras.Input((3,), dtype="int32")
    finish(out, inputs, layers.Embedding(np.max(tokens) + 1, np.int64(4))(inputs), tokens)

with step("multi_head_attention") as out:
    inputs = tf.keras.Input((3, 4))
    attention = layers.MultiHeadAttention(np.int64(2), key_dim=np.int64(4))
    finish(out, inputs, attention(inputs, inputs), PAIRS)

with step("group_normalization") as out:
    inputs = tf.keras.Input((3, 4))
    finish(out, inputs, layers.GroupNormalization(groups=np.int64(2))(inputs), PAIRS)

with step("upsampling1d") as out:
    inputs = tf.keras.Input((2, 3))
    finish(out, inputs, layers.UpSampling1D(np.int64(2))(inputs), SEQ)

with step("conv_float") as out:
    inputs = tf.keras.Input((5, 5, 1))
    finish(out, inputs, layers.Conv2D(hidden / 2, 2)(inputs), IMAGES)

with step("conv_numpy") as out:  # control: Keras 3 takes a NumPy int for `filters`
    inputs = tf.keras.Input((5, 5, 1))
    finish(out, inputs, layers.Conv2D(np.int64(4), 2)(inputs), IMAGES)
