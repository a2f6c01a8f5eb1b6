"""KRS504 jax-fit-shuffle-numpy-rng: one script trains two identical models with fit(shuffle=True)."""
import numpy as np
import tensorflow as tf

from _evidence import record

tf.keras.utils.set_random_seed(42)
x = np.linspace(-1, 1, 64 * 4, dtype="float32").reshape(64, 4)
y = np.sin(np.arange(64, dtype="float32")).reshape(64, 1)


def make_model():
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(1, kernel_initializer=tf.keras.initializers.GlorotUniform(seed=7)),
    ])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    return model


first = make_model()
first_history = first.fit(x, y, epochs=3, batch_size=8, verbose=0)
second = make_model()
second_history = second.fit(x, y, epochs=3, batch_size=8, verbose=0)
record("backend", tf.keras.backend.backend())
record("first", first_history.history["loss"])
record("second", second_history.history["loss"])
