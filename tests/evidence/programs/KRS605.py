"""KRS605 tf-train-step-on-non-tf-backend: a Keras 2 style train_step (target: JAX)."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
record("backend", tf.keras.backend.backend())


class M(tf.keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = tf.reduce_mean(tf.square(y - y_pred))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
y = np.linspace(0, 1, 4, dtype="float32").reshape(4, 1)

with step("fit") as out:
    inputs = tf.keras.Input(shape=(3,))
    model = M(inputs, tf.keras.layers.Dense(1)(inputs))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1))
    fill_weights(model)
    out["loss"] = model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0).history["loss"]
    out["kernel"] = model.get_weights()[0]
