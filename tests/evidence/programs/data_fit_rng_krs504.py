"""KRS504: which `fit` data consumes NumPy's global RNG on JAX (arrays do; tf.data, generators
and PyDatasets do not, so a second `fit` on them keeps the shuffle order reproducible)."""
import numpy as np
import tensorflow as tf
import keras

from _evidence import record

x = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
y = np.zeros((8, 1), dtype="float32")
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")


def draws_after(fit_data):
    np.random.seed(0)
    fit_data()
    return float(np.random.random())


def batches():
    while True:
        yield x, y


class Batches(keras.utils.PyDataset):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        return x[index * 4:(index + 1) * 4], y[index * 4:(index + 1) * 4]


np.random.seed(0)
record("fresh", float(np.random.random()))
record("backend", keras.backend.backend())
record("arrays", draws_after(lambda: model.fit(x, y, batch_size=4, verbose=0)))
ds = tf.data.Dataset.from_tensor_slices((x, y))
ds = ds.shuffle(8, seed=1).batch(4)
record("dataset", draws_after(lambda: model.fit(ds, verbose=0)))
record("generator", draws_after(lambda: model.fit(batches(), steps_per_epoch=2, verbose=0)))
record("pydataset", draws_after(lambda: model.fit(Batches(), verbose=0)))
