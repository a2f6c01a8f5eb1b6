"""KRS106 removed-backend-function: `keras.backend` math under `import keras` (BK-2); session/graph functions through `tf.keras.backend` (BK-1)."""
import importlib
import os
import sys

import numpy as np

if os.environ.get("EVIDENCE_KERAS") == "2":
    # Keras 2's own `import keras`: tf_keras 2.21 is that code base under another name.
    _k2 = importlib.import_module("tf_keras")
    sys.modules.update({"keras": _k2, "keras.backend": _k2.backend})

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import backend as K  # noqa: E402

from _evidence import record, step  # noqa: E402

record("impl", keras.layers.Dense.__module__.split(".")[0])
t = tf.constant(np.linspace(-1.0, 2.0, 12, dtype="float32").reshape(3, 4))
u = tf.constant(np.linspace(0.5, 1.5, 8, dtype="float32").reshape(4, 2))

with step("mean") as out:
    out["value"] = K.mean(t, axis=1)
with step("square") as out:
    out["value"] = keras.backend.square(t)
with step("sum") as out:
    out["value"] = K.sum(t)
with step("dot") as out:
    out["value"] = K.dot(t, u)
with step("concatenate") as out:
    out["value"] = K.concatenate([t, t], axis=0)
# Keras 2 defaults and dtypes the rewrite must keep (issue 10: int32 argmax, no default axis).
with step("argmax") as out:
    out["value"] = K.argmax(t)
    out["dtype"] = K.argmax(t).dtype.name
with step("expand_dims") as out:
    out["value"] = K.expand_dims(t)
with step("concatenate_default") as out:
    out["value"] = K.concatenate([t, t])
with step("learning_phase") as out:  # through tf.keras: gone from Keras 3's compat surface too
    out["value"] = tf.keras.backend.learning_phase()
with step("get_session") as out:
    out["value"] = str(tf.keras.backend.get_session())
