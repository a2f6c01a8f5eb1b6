"""KRS402 hub-layer-in-functional: hub.KerasLayer called on a functional Input."""
import numpy as np
import tensorflow as tf
import tensorflow_hub as hub

from _evidence import record, step
from _hub_module import make_hub_module

HANDLE = make_hub_module()
x = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)

with step("functional") as out:
    inputs = tf.keras.Input(shape=(3,))
    embedded = hub.KerasLayer(HANDLE)(inputs)
    model = tf.keras.Model(inputs, embedded)
    out["output"] = model.predict(x, verbose=0)
if hasattr(tf.keras.layers, "TFSMLayer"):  # the guidance for inference (Keras 3 only)
    with step("tfsmlayer") as out:
        inputs = tf.keras.Input(shape=(3,))
        result = tf.keras.layers.TFSMLayer(HANDLE, call_endpoint="serving_default")(inputs)
        model = tf.keras.Model(inputs, result)
        result = model.predict(x, verbose=0)
        out["output"] = result if not isinstance(result, dict) else next(iter(result.values()))
