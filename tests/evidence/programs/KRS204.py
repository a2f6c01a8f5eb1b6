"""KRS204 stateful-batch-without-drop-remainder: the handson-ml3 ch16 stateful char-RNN dataset."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, record, step

encoded = tf.constant(np.arange(40) % 7, dtype=tf.int32)
ds = tf.data.Dataset.from_tensor_slices(encoded)
ds = ds.window(9, shift=8, drop_remainder=True)
ds = ds.flat_map(lambda window: window.batch(9))
ds = ds.batch(1)
ds = ds.map(lambda w: (w[:, :-1], w[:, 1:]))

model = tf.keras.Sequential([
    tf.keras.Input(batch_shape=(1, None), dtype="int32"),
    tf.keras.layers.Embedding(input_dim=7, output_dim=4),
    tf.keras.layers.GRU(16, return_sequences=True, stateful=True),
    tf.keras.layers.Dense(7, activation="softmax"),
])
fill_weights(model)
model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
with step("fit") as out:
    out["loss"] = model.fit(ds, epochs=2, verbose=0).history["loss"]
