"""KRS202 model-reset-states: `model.reset_states()` between sequences of a stateful model."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, record, step

model = tf.keras.Sequential([
    tf.keras.Input(batch_shape=(1, 4, 2)),
    tf.keras.layers.LSTM(3, stateful=True),
    tf.keras.layers.Dense(1),
])
fill_weights(model)
x = np.linspace(-1, 1, 8, dtype="float32").reshape(1, 4, 2)

first = model.predict(x, verbose=0)
second = model.predict(x, verbose=0)
record("first", first)
record("second", second)  # differs from the first: the state was carried
with step("reset") as out:
    model.reset_states()
    out["after_reset"] = model.predict(x, verbose=0)  # equals the first again
