"""KRS505 unseeded-random-op-in-call: noise layers drawing random numbers in call() (JAX target)."""
import numpy as np
import tensorflow as tf

from _evidence import record, step


class TfNoise(tf.keras.layers.Layer):
    def call(self, inputs):
        return inputs + tf.random.normal(tf.shape(inputs), stddev=0.1)


x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
y = np.ones((4, 1), "float32")


def train(noise):
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), noise, tf.keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model.fit(x, y, epochs=1, verbose=0).history["loss"]


record("backend", tf.keras.backend.backend())
with step("tf_random") as out:
    out["loss"] = train(TfNoise())
if hasattr(tf.keras, "random"):  # Keras 3 only

    class KerasNoise(tf.keras.layers.Layer):
        def call(self, inputs):
            return inputs + tf.keras.random.normal(tf.keras.ops.shape(inputs), stddev=0.1)

    class SeededNoise(tf.keras.layers.Layer):  # the guidance: a SeedGenerator attribute
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = tf.keras.random.SeedGenerator(1)

        def call(self, inputs):
            noise = tf.keras.random.normal(tf.keras.ops.shape(inputs), stddev=0.1, seed=self.seed_generator)
            return inputs + noise

    with step("keras_random") as out:
        out["loss"] = train(KerasNoise())
    with step("seeded") as out:
        out["loss"] = train(SeededNoise())
