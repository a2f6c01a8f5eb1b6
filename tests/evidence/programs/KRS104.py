"""KRS104 removed-keras-module-path: `keras.engine.topology`, `keras.utils.np_utils`, `keras.layers.core` (MOD-1)."""
import importlib
import os
import sys

import numpy as np

if os.environ.get("EVIDENCE_KERAS") == "2":
    # Keras 2's own `import keras`: tf_keras 2.21 is that code base under another name.
    _k2 = importlib.import_module("tf_keras")
    sys.modules.update({"keras": _k2, "keras.layers": _k2.layers, "keras.utils": _k2.utils})

import keras  # noqa: E402

from _evidence import record, step  # noqa: E402

record("impl", keras.layers.Dense.__module__.split(".")[0])
x = np.array([[1.0, -2.0, 0.5]], dtype="float32")

with step("topology") as out:
    from keras.engine.topology import Layer

    class Doubler(Layer):
        def call(self, inputs):
            return inputs * 2.0

    out["output"] = Doubler()(x)
with step("np_utils") as out:
    from keras.utils.np_utils import to_categorical

    out["output"] = to_categorical([0, 2, 1], num_classes=3)
with step("layers_core") as out:
    from keras.layers.core import Dense

    dense = Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    out["output"] = dense(x)
