"""KRS606 compiled-loss-metrics-shim: the Keras 2 compiled_loss / compiled_metrics train_step."""
import warnings

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())


class M(tf.keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


x = np.linspace(-1, 2, 24, dtype="float32").reshape(8, 3)
y = np.linspace(-2, 3, 8, dtype="float32").reshape(8, 1)

with step("fit") as out:
    inputs = tf.keras.Input(shape=(3,))
    model = M(inputs, tf.keras.layers.Dense(1)(inputs))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    fill_weights(model, scale=1.0)
    first = np.asarray(model(x))  # the predictions of the single first-epoch step
    out["mean_y_pred"] = float(first.mean())
    out["true_mse"] = float(np.mean((y - first) ** 2))
    out["true_mae"] = float(np.mean(np.abs(y - first)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history
    out["loss"] = history["loss"]
    out["mae"] = history["mae"]
    out["kernel"] = model.get_weights()[0]
    out["warnings"] = sorted({str(w.message).splitlines()[0] for w in caught if "deprecated" in str(w.message)})
