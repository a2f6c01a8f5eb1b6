"""KRS401 hub-layer-in-sequential: hub.KerasLayer as the first layer of a Sequential."""
import numpy as np
import tensorflow as tf
import tensorflow_hub as hub

from _evidence import record, step
from _hub_module import make_hub_module

HANDLE = make_hub_module()
x = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)

with step("sequential") as out:
    model = tf.keras.Sequential([
        hub.KerasLayer(HANDLE, input_shape=[3], trainable=False),
    ])
    out["output"] = model.predict(x, verbose=0)
if hasattr(tf.keras.layers, "TFSMLayer"):  # the guidance for inference (Keras 3 only)
    with step("tfsmlayer") as out:
        replacement = tf.keras.Sequential([
            tf.keras.Input(shape=(3,)),
            tf.keras.layers.TFSMLayer(HANDLE, call_endpoint="serving_default"),
        ])
        result = replacement.predict(x, verbose=0)
        out["output"] = result if not isinstance(result, dict) else next(iter(result.values()))
