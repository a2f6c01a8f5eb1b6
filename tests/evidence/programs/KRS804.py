"""KRS804 still-on-keras-2: Keras 2 code that runs today only because the flag is set before TensorFlow."""
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # the line a finished migration removes

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from _evidence import fill_weights, record, step  # noqa: E402

record("dense_module", tf.keras.layers.Dense.__module__)
record("compat_v1_dense_module", tf.compat.v1.keras.layers.Dense.__module__)
x = np.linspace(-1, 1, 6, dtype="float32").reshape(1, 3, 2)
with step("keras2_code") as out:
    model = tf.keras.Sequential([
        tf.keras.layers.LSTM(2, batch_input_shape=(1, 3, 2), stateful=True),
        tf.keras.layers.Dense(1),
    ])
    fill_weights(model)
    out["output"] = model.predict(x, verbose=0)
with step("fit_generator") as out:
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")

    def batches():
        while True:
            yield np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")

    history = model.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)
    out["epochs"] = len(history.history["loss"])
