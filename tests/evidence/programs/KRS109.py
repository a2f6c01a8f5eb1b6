"""KRS109 tf-keras-compat-only: `tf.keras.backend.mean`, `ImageDataGenerator`, `losses.Reduction` work through tf.keras only (MOD-2, BK-2)."""
import importlib
import os

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K

from _evidence import keras_impl, record, step

record("impl", keras_impl())
t = tf.constant(np.linspace(-1.0, 2.0, 12, dtype="float32").reshape(3, 4))
IMAGES = np.arange(4 * 2 * 2 * 1, dtype="float32").reshape(4, 2, 2, 1)

with step("mean") as out:
    out["value"] = K.mean(t, axis=1)
with step("square") as out:
    out["value"] = tf.keras.backend.square(t)
with step("image_data_generator") as out:
    generator = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)
    out["batch"] = next(generator.flow(IMAGES, batch_size=4, shuffle=False))
with step("reduction") as out:
    loss = tf.keras.losses.MeanSquaredError(reduction=tf.keras.losses.Reduction.NONE)
    out["value"] = loss(t, t * 0.5)

if os.environ.get("EVIDENCE_KERAS") == "3":
    # The same names under plain `import keras` (the file switching to Keras 3's own spelling).
    plain = importlib.import_module("keras")
    for name, owner, attribute in (
        ("plain_mean", "backend", "mean"),
        ("plain_image_data_generator", "preprocessing.image", "ImageDataGenerator"),
        ("plain_reduction", "losses", "Reduction"),
    ):
        with step(name) as out:
            module = importlib.import_module("keras." + owner)
            out["found"] = str(getattr(module, attribute))
    with step("plain_ops_mean") as out:
        out["value"] = plain.ops.mean(t, axis=1)
