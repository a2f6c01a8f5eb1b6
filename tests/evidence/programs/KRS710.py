"""KRS710 lambda-layer-safe-mode: reloading a `.keras` model that holds `Lambda(lambda ...)`.

Also records the same model through `.h5` and through a named custom layer (the docs' replacement).
"""
import os

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
record("impl", keras_impl())
X = np.linspace(-1, 1, 8, dtype="float32").reshape(4, 2)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(2,)),
    tf.keras.layers.Lambda(lambda t: t * 2),
    tf.keras.layers.Dense(2),
])
fill_weights(model)
record("expected", model.predict(X, verbose=0))

with step("keras_file") as out:
    model.save("lam.keras")
    restored = tf.keras.models.load_model("lam.keras")
    out["output"] = restored.predict(X, verbose=0)

with step("h5_file") as out:
    model.save("lam.h5")
    restored = tf.keras.models.load_model("lam.h5")
    out["output"] = restored.predict(X, verbose=0)


@tf.keras.utils.register_keras_serializable()
class Double(tf.keras.layers.Layer):
    def call(self, t):
        return t * 2


with step("custom_layer") as out:
    named = tf.keras.Sequential([tf.keras.Input(shape=(2,)), Double(), tf.keras.layers.Dense(2)])
    named.set_weights(model.get_weights())
    named.save("named.keras")
    out["output"] = tf.keras.models.load_model("named.keras").predict(X, verbose=0)
