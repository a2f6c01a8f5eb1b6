"""Harness smoke program: a tf.keras 2.x LSTM trained from a generator with fit_generator.

Crashes on Keras 3 (`fit_generator` is gone); `--fix` rewrites it to `fit`, and the program runs.
"""
import numpy as np
from tensorflow.keras import layers, models

rng = np.random.default_rng(0)
x = rng.normal(size=(512, 12, 4)).astype("float32")
y = (x.sum(axis=(1, 2)) > 0).astype("int32")


def batches(batch_size=32):
    while True:
        index = rng.integers(0, len(x), size=batch_size)
        yield x[index], y[index]


model = models.Sequential([layers.LSTM(8, input_shape=(12, 4)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit_generator(batches(), steps_per_epoch=16, epochs=3, verbose=0)
probabilities = model.predict(x[:8], verbose=0)
print("classes:", probabilities.argmax(axis=-1))
