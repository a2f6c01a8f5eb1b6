"""KRS111 tf-keras-surface-gap: `keras` names Keras 3's own `tf.keras` surface lacks (SURF-1)."""
import numpy as np
import tensorflow as tf

from _evidence import keras_impl, record, step

record("impl", keras_impl())
y_true = np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 4.0]], dtype="float32")
y_pred = np.array([[0.5, 1.5, 1.0], [2.0, 0.5, 3.0]], dtype="float32")

with step("loss_function") as out:
    out["value"] = tf.keras.losses.mean_squared_error(y_true, y_pred)
with step("metric_function") as out:
    out["value"] = tf.keras.metrics.mean_squared_error(y_true, y_pred)
with step("register") as out:

    @tf.keras.saving.register_keras_serializable(package="evidence")
    class Double(tf.keras.layers.Layer):
        def call(self, x):
            return x * 2.0

    out["output"] = Double()(y_true)
with step("in_compile") as out:
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(3, kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss=tf.keras.losses.log_cosh, metrics=[tf.keras.metrics.kl_divergence])
    out["loss"] = model.evaluate(y_true, np.abs(y_pred), verbose=0)
# Last: importing through `tensorflow.keras` renames the module in later error messages.
with step("from_import") as out:
    from tensorflow.keras.losses import mean_absolute_percentage_error

    out["value"] = mean_absolute_percentage_error(y_true, y_pred)
