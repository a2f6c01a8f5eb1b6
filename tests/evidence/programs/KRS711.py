"""KRS711 h5-compiled-round-trip: a compiled model saved to .h5, loaded back and trained."""
import numpy as np
import tensorflow as tf

from _evidence import record, step

keras = tf.keras  # Keras 3 here, Keras 2 (tf_keras) under TF_USE_LEGACY_KERAS=1
rng = np.random.default_rng(0)
x, y = rng.normal(size=(64, 8)).astype("float32"), rng.normal(size=(64, 1)).astype("float32")


def huber(y_true, y_pred):
    return tf.reduce_mean(tf.abs(y_true - y_pred))


model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3), keras.layers.Dense(1)])
model.compile(loss=huber, optimizer="adam")
model.fit(x, y, epochs=1, verbose=0)
model.save("custom_loss.h5")
with step("custom_loss") as out:
    reloaded = keras.models.load_model("custom_loss.h5", custom_objects={"huber": huber})
    out["loss"] = float(reloaded.fit(x, y, epochs=1, verbose=0).history["loss"][0])

model.compile(loss="mse", optimizer="sgd")
model.fit(x, y, epochs=1, verbose=0)
model.save("string_loss.h5")
with step("string_loss") as out:
    reloaded = keras.models.load_model("string_loss.h5")
    out["loss"] = float(reloaded.fit(x, y, epochs=1, verbose=0).history["loss"][0])
