"""KRS728 to-categorical-float64: the dtype of `to_categorical` labels, and what it does downstream."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record

record("impl", keras_impl())
labels = np.array([0, 2, 1, 2, 0, 1, 1, 0])
y = tf.keras.utils.to_categorical(labels, 3)
record("dtype", str(y.dtype))
record("values", y)
record("nbytes", int(y.nbytes))
record("mixed_dtype", str((y * np.ones(3, dtype="float32")).dtype))  # NumPy promotion downstream

X = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(3, activation="softmax")])
fill_weights(model)
model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="categorical_crossentropy")
history = model.fit(X, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
record("loss", history.history["loss"])
