"""KRS801 legacy-keras-flag-too-late: Keras 2 code that asks for tf_keras after touching tf.keras."""
import os
import tensorflow as tf

Dense = tf.keras.layers.Dense

# Ask for Keras 2 (too late: tf.keras is already Keras 3).
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np  # noqa: E402

from _evidence import fill_weights, record, step  # noqa: E402

record("dense_module", tf.keras.layers.Dense.__module__)
with step("keras2_code") as out:
    model = tf.keras.Sequential([
        tf.keras.layers.LSTM(2, batch_input_shape=(1, 3, 2), stateful=True),
        Dense(1),
    ])
    fill_weights(model)
    out["output"] = model.predict(np.linspace(-1, 1, 6, dtype="float32").reshape(1, 3, 2), verbose=0)
