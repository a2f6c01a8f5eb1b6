"""KRS302 textvectorization-ragged: TextVectorization(ragged=True) -> Embedding -> GRU."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, record, step

corpus = ["the cat sat", "the dog sat down", "a cat"]
with step("vectorize") as out:
    text_vec = tf.keras.layers.TextVectorization(ragged=True)
    text_vec.adapt(corpus)
    ids = text_vec(corpus)
    out["type"] = type(ids).__name__
with step("model") as out:
    model = tf.keras.Sequential([
        tf.keras.layers.Embedding(input_dim=text_vec.vocabulary_size(), output_dim=4),
        tf.keras.layers.GRU(3),
    ])
    out["output"] = model.predict(ids, verbose=0).shape
