"""KRS604 tf-op-under-non-tf-backend: TF ops in call() and in a Lambda (target: JAX)."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
record("backend", tf.keras.backend.backend())


class D(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], 4))

    def call(self, x):
        h = tf.nn.relu(tf.matmul(x, self.kernel))
        return tf.concat([h, tf.reduce_sum(h, axis=-1, keepdims=True)], axis=-1)


x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
y = np.linspace(0, 1, 4, dtype="float32").reshape(4, 1)

with step("layer") as out:
    inputs = tf.keras.Input(shape=(3,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(D()(inputs)))
    fill_weights(model)
    out["prediction"] = model.predict(x, verbose=0)
with step("lambda_predict") as out:
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(3,)),
        tf.keras.layers.Lambda(lambda t: tf.reduce_sum(tf.square(t), axis=-1, keepdims=True)),
    ])
    out["prediction"] = model.predict(x, verbose=0)
with step("lambda_fit") as out:
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(2, kernel_initializer="ones"),
        tf.keras.layers.Lambda(lambda t: tf.reduce_sum(tf.square(t), axis=-1, keepdims=True)),
    ])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
    out["loss"] = model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0).history["loss"]
    out["kernel"] = model.get_weights()[0]
