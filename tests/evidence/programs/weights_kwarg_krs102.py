"""KRS102 `weights=` fix: Dense/Conv2D built with given arrays, on Keras 2 and after the fix."""
import os

import numpy as np
import tensorflow as tf

from _evidence import record, step

keras = tf.keras  # Keras 3 here, Keras 2 (tf_keras) under TF_USE_LEGACY_KERAS=1
record("impl", "tf_keras" if os.environ.get("TF_USE_LEGACY_KERAS") == "1" else "keras")
rng = np.random.default_rng(0)
dense_weights = [rng.normal(size=(3, 2)).astype("float32"), rng.normal(size=(2,)).astype("float32")]
kernel, bias = rng.normal(size=(3, 3, 1, 4)).astype("float32"), rng.normal(size=(4,)).astype("float32")
only_kernel = rng.normal(size=(3, 2)).astype("float32")
x = rng.normal(size=(5, 3)).astype("float32")
images = rng.normal(size=(2, 6, 6, 1)).astype("float32")

with step("dense") as out:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, weights=dense_weights)])
    out["weights"] = [w.tolist() for w in model.layers[-1].get_weights()]
    out["y"] = model.predict(x, verbose=0).tolist()
with step("conv") as out:
    model = keras.Sequential()
    model.add(keras.layers.Conv2D(4, 3, padding="same", input_shape=(6, 6, 1),
                                  weights=(kernel, bias)))
    out["weights"] = [w.tolist() for w in model.layers[-1].get_weights()]
    out["y"] = model.predict(images, verbose=0).tolist()
with step("no_bias") as out:
    layer = keras.layers.Dense(2, use_bias=False, weights=[only_kernel])
    out["y"] = layer(x).numpy().tolist()
    out["weights"] = [w.tolist() for w in layer.get_weights()]
