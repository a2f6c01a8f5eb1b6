"""KRS201 batch-input-shape: `batch_input_shape=` / `batch_size=` on the first layer (handson-ml3 ch16)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())


def char_model():
    return tf.keras.Sequential([
        tf.keras.layers.Embedding(input_dim=39, output_dim=16, batch_input_shape=[1, None]),
        tf.keras.layers.GRU(8, return_sequences=True, stateful=True),
        tf.keras.layers.Dense(39, activation="softmax"),
    ])


def small_model():
    return keras.Sequential([keras.layers.Dense(2, batch_size=8, input_shape=(4,)), keras.layers.Dense(1)])


def rnn_model():
    model = keras.Sequential()
    model.add(keras.layers.SimpleRNN(3, batch_input_shape=(2, 5, 1), stateful=True))
    model.add(keras.layers.Dense(1))
    return model


inputs = {
    "char": np.array([[3, 1, 4, 1, 5, 9, 2]]),
    "small": np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4),
    "rnn": np.linspace(-1, 1, 10, dtype="float32").reshape(2, 5, 1),
}
for name, build in (("char", char_model), ("small", small_model), ("rnn", rnn_model)):
    with step(name) as out:
        model = build()
        out["batch_shape"] = list(model.inputs[0].shape)
        fill_weights(model)
        out["output"] = model.predict(inputs[name], verbose=0)
