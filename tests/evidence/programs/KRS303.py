"""KRS303 ragged-into-model: a tf.RaggedTensor batch fed to an Embedding -> GRU model."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, record, step

X = tf.ragged.constant([[1, 2, 3], [4, 5]])
y = np.zeros((2, 1), "float32")
model = tf.keras.Sequential([
    tf.keras.layers.Embedding(10, 4),
    tf.keras.layers.GRU(3),
    tf.keras.layers.Dense(1),
])
model.compile(optimizer="sgd", loss="mse")
with step("predict") as out:
    out["shape"] = model.predict(X, verbose=0).shape
with step("fit") as out:
    out["loss"] = model.fit(X, y, epochs=1, verbose=0).history["loss"]
with step("padded") as out:  # the guidance: pad, and mask the padding
    padded_model = tf.keras.Sequential([
        tf.keras.layers.Embedding(10, 4, mask_zero=True),
        tf.keras.layers.GRU(3),
        tf.keras.layers.Dense(1),
    ])
    out["shape"] = padded_model.predict(X.to_tensor(), verbose=0).shape
