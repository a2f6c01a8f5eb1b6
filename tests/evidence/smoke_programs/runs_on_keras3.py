"""Harness smoke program: Keras 2-style code that already runs on Keras 3.

Its findings (a TF-only seed, a backend function in a Lambda, an unseeded initializer) have
fixes; applying them must not break it (a fix that does is a regression).
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K

tf.random.set_seed(1)
x = np.random.rand(128, 6).astype("float32")
y = (x[:, 0] > 0.5).astype("float32")

inputs = keras.Input(shape=(6,))
hidden = keras.layers.Dense(8, activation="relu", kernel_initializer="he_normal")(inputs)
squared = keras.layers.Lambda(lambda t: K.square(t))(hidden)
outputs = keras.layers.Dense(1, activation="sigmoid")(squared)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy")
model.fit(x, y, epochs=2, batch_size=32, verbose=0)
model.save("model.h5")
print("prediction:", float(model.predict(x[:1], verbose=0)[0, 0]))
