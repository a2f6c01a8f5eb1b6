"""SEQ-1 masked-metrics: the ch16 NMT "60% -> 10%" accuracy, as a small synthetic replica.

Embedding(mask_zero=True) -> LSTM -> Dense(softmax) over heavily padded sequences, compiled with
metrics=["accuracy"]. Keras 2 and keras >= 3.12 report the masked accuracy; keras 3.0-3.11 count
the padding positions (keras PR #21569). Same loss everywhere: only the metric differs.
"""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, record

rng = np.random.RandomState(0)
n, length, vocab = 64, 12, 20
X = np.zeros((n, length), "int32")
Y = np.zeros((n, length), "int32")
for i, size in enumerate(rng.randint(2, 5, n)):
    X[i, :size] = rng.randint(1, vocab, size)
    Y[i, :size] = (X[i, :size] % (vocab - 1)) + 1

model = tf.keras.Sequential([
    tf.keras.Input(shape=(length,), dtype="int32"),
    tf.keras.layers.Embedding(vocab, 8, mask_zero=True),
    tf.keras.layers.LSTM(16, return_sequences=True),
    tf.keras.layers.Dense(vocab, activation="softmax"),
])
fill_weights(model)
model.compile(loss="sparse_categorical_crossentropy", optimizer=tf.keras.optimizers.SGD(0.5), metrics=["accuracy"])
model.fit(X, Y, epochs=3, batch_size=16, shuffle=False, verbose=0)
loss, reported = model.evaluate(X, Y, verbose=0)
hits = model.predict(X, verbose=0).argmax(-1) == Y
mask = X != 0
record("keras", getattr(tf.keras, "__version__", "2"))
record("loss", float(loss))
record("reported_accuracy", float(reported))
record("masked_accuracy", float(hits[mask].mean()))
record("unmasked_accuracy", float(hits.mean()))
