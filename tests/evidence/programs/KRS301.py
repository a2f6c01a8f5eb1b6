"""KRS301 input-ragged: `keras.Input(ragged=True)` feeding Embedding -> GRU (handson-ml3 ch16)."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, record, step

record("keras_version", tf.keras.__version__ if hasattr(tf.keras, "__version__") else None)
with step("input") as out:
    inputs = tf.keras.Input(shape=[None], dtype="int32", ragged=True)
    out["ragged"] = bool(getattr(inputs, "ragged", False) or isinstance(inputs, tf.RaggedTensor)
                         or "Ragged" in type(getattr(inputs, "type_spec", None)).__name__)
with step("model") as out:
    embedded = tf.keras.layers.Embedding(input_dim=10, output_dim=4)(inputs)
    outputs = tf.keras.layers.GRU(3)(embedded)
    model = tf.keras.Model(inputs, outputs)
    fill_weights(model)
    out["output"] = model.predict(tf.ragged.constant([[1, 2, 3], [4, 5]]), verbose=0)
