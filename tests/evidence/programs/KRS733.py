"""KRS733 functional-model-add-loss: `vae.add_loss(...)` on a functional model (LAY-14)."""
import os

import numpy as np
import tensorflow as tf

from _evidence import record, step

keras = tf.keras  # Keras 3 here, Keras 2 (tf_keras) under TF_USE_LEGACY_KERAS=1

inputs = keras.Input(shape=(4,))
hidden = keras.layers.Dense(3, activation="relu")(inputs)
outputs = keras.layers.Dense(4)(hidden)
vae = keras.Model(inputs, outputs)
LEGACY = os.environ.get("TF_USE_LEGACY_KERAS") == "1"
record("keras_version", __import__("tf_keras" if LEGACY else "keras").__version__)
with step("symbolic") as out:
    vae.add_loss(tf.reduce_mean(tf.square(hidden)) if LEGACY else keras.ops.mean(keras.ops.square(hidden)))
    out["losses"] = len(vae.losses)
with step("eager") as out:
    vae.add_loss(tf.constant(0.5))
with step("callable") as out:
    vae.add_loss(lambda: tf.constant(0.25))
with step("models_Model") as out:
    other = keras.models.Model(inputs=inputs, outputs=outputs)
    other.add_loss(tf.reduce_mean(hidden) if LEGACY else keras.ops.mean(hidden))
with step("train") as out:
    vae.compile(optimizer="adam", loss="mse")
    history = vae.fit(np.ones((8, 4), "float32"), np.ones((8, 4), "float32"), epochs=1, verbose=0)
    out["loss"] = float(history.history["loss"][0])
