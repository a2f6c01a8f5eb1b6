"""KRS501 unseeded-initializer: the same Dense layer, with and without a Dropout constructed first."""
import tensorflow as tf

from _evidence import record


def dense_kernel(dropout_first):
    tf.keras.utils.set_random_seed(1)
    if dropout_first:
        tf.keras.layers.Dropout(0.5)  # another RNG user constructed first (as in a subclass __init__)
    dense = tf.keras.layers.Dense(3, kernel_initializer=tf.keras.initializers.GlorotUniform())
    dense.build((None, 2))
    return dense.kernel.numpy()


record("backend", tf.keras.backend.backend())
record("plain", dense_kernel(False))
record("after_dropout", dense_kernel(True))
