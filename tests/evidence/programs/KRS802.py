"""KRS802 legacy-keras-flag-with-keras3-import: the legacy flag, plus `import keras` in the same file."""
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

from _evidence import fill_weights, record, step  # noqa: E402

record("keras_module", keras.layers.Dense.__module__)
record("isinstance", isinstance(tf.keras.layers.Dense(1), keras.layers.Layer))
with step("mixed") as out:
    model = keras.Sequential([tf.keras.layers.Dense(1)])
    model.build((None, 2))
    fill_weights(model)
    out["output"] = model.predict(np.array([[1.0, 2.0]], dtype="float32"), verbose=0)
