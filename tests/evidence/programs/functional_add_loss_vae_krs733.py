"""KRS733 fix: a VAE-style loss added to a functional model trains the same after the fix."""
import os

import numpy as np
import tensorflow as tf

from _evidence import record, step

LEGACY = os.environ.get("TF_USE_LEGACY_KERAS") == "1"
keras = tf.keras  # Keras 3 here, Keras 2 (tf_keras) under TF_USE_LEGACY_KERAS=1
mean, square = (tf.reduce_mean, tf.square) if LEGACY else (keras.ops.mean, keras.ops.square)

inputs = keras.Input(shape=(4,))
hidden = keras.layers.Dense(3, activation="relu", kernel_initializer="ones")(inputs)
outputs = keras.layers.Dense(4, kernel_initializer="ones")(hidden)
vae = keras.Model(inputs, outputs, name="vae")
reconstruction = mean(square(inputs - outputs))
with step("add_loss") as out:
    vae.add_loss(reconstruction * 0.5)
record("name", vae.name)
vae.compile(optimizer=keras.optimizers.SGD(0.001))
x = np.linspace(0.0, 1.0, 32, dtype="float32").reshape(8, 4)
with step("evaluate") as out:
    out["loss"] = float(vae.evaluate(x, verbose=0))
with step("predict") as out:
    out["shape"] = list(vae.predict(x, verbose=0).shape)
with step("fit") as out:
    out["losses"] = [float(v) for v in vae.fit(x, epochs=3, batch_size=4, shuffle=False, verbose=0).history["loss"]]
