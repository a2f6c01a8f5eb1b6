"""KRS734 model-input-rank-mismatch: a Sequential model called on a tensor of another rank."""
import tensorflow as tf

from _evidence import step

keras = tf.keras  # Keras 3 here, Keras 2 (tf_keras) under TF_USE_LEGACY_KERAS=1
layers = keras.layers

generator = keras.Sequential()
generator.add(layers.Dense(3 * 3 * 4, input_dim=8, activation="relu"))
generator.add(layers.Reshape((3, 3, 4)))
noise = keras.Input(shape=(8,))
label = keras.Input(shape=(1,), dtype="int32")
h = layers.multiply([noise, layers.Embedding(10, 8)(label)])
with step("embedding_product") as out:
    out["shape"] = list(generator(h).shape[1:])

classifier = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])
flat = keras.Input(shape=(784,))
with step("flat_input") as out:
    out["shape"] = list(classifier(flat).shape[1:])

flattened = layers.Flatten()(layers.Embedding(10, 8)(label))
h2 = layers.multiply([noise, flattened])
with step("flattened") as out:  # the advice: flatten the embedding first
    out["shape"] = list(generator(h2).shape[1:])
