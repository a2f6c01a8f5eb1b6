"""KRS803 keras-backend-set-after-import: a script that wants JAX but imports Keras first."""
import numpy as np
import keras
import os

# Too late: the backend stays tensorflow.
os.environ["KERAS_BACKEND"] = "jax"

from _evidence import record  # noqa: E402

record("backend", keras.backend.backend())
record("output_type", type(keras.layers.Dense(1)(np.ones((1, 2), "float32"))).__module__)
