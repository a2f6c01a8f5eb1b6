"""KRS730 sequence-without-super-init: a Sequence whose __init__ skips super().__init__, used in fit."""
import math
import warnings

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())


class Batches(tf.keras.utils.Sequence):
    def __init__(self, x, y, batch_size):
        self.x, self.y = x, y
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        low = index * self.batch_size
        return self.x[low:low + self.batch_size], self.y[low:low + self.batch_size]


X = np.linspace(-1, 1, 40, dtype="float32").reshape(10, 4)
Y = (np.cos(np.arange(10, dtype="float32")) * 0.5).reshape(10, 1)

with step("fit") as out:
    model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(3, activation="tanh"), tf.keras.layers.Dense(1)])
    fill_weights(model)
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    batches = Batches(X, Y, batch_size=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(batches, epochs=3, shuffle=False, verbose=0)
    out["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught if issubclass(w.category, UserWarning)]
    out["loss"] = history.history["loss"]
    out["attributes"] = {name: getattr(batches, name, None) for name in ("workers", "use_multiprocessing", "max_queue_size")}
