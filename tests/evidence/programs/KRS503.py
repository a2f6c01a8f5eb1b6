"""KRS503 tf-seed-only: "set the seed" with TensorFlow and NumPy only (handson-ml3 style)."""
import numpy as np
import tensorflow as tf

from _evidence import record

tf.random.set_seed(42)
np.random.seed(42)

record("tf_draw", tf.random.uniform([3]))
record("np_draw", np.random.rand(3))
model = tf.keras.Sequential([tf.keras.Input(shape=(2,)), tf.keras.layers.Dense(3)])
record("kernel", model.layers[-1].kernel)
