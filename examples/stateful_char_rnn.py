"""A Keras 2 era character model: the kind of script keras3-lint is for.

Run `keras3-lint examples/` to see what breaks or silently changes on Keras 3,
and `keras3-lint --diff examples/` to preview the safe fixes.
"""
import os

import numpy as np
import tensorflow as tf

tf.random.set_seed(42)  # seeds TF only: layer initial weights still vary run to run

n_tokens = 39

model = tf.keras.Sequential([
    tf.keras.layers.Embedding(input_dim=n_tokens, output_dim=16, batch_input_shape=[1, None]),
    tf.keras.layers.GRU(128, return_sequences=True, stateful=True),
    tf.keras.layers.Dense(n_tokens, activation="softmax",
                          kernel_initializer=tf.keras.initializers.GlorotUniform()),
])


class ResetStatesCallback(tf.keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs):
        self.model.reset_states()


dataset = tf.data.Dataset.from_tensor_slices(np.arange(1000) % n_tokens)
dataset = dataset.window(101, shift=100, drop_remainder=True)
dataset = dataset.flat_map(lambda w: w.batch(101)).batch(1)
dataset = dataset.map(lambda w: (w[:, :-1], w[:, 1:]))

model.compile(loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"])
model.fit(dataset, epochs=2, callbacks=[ResetStatesCallback()])

os.environ["KERAS_BACKEND"] = "jax"  # too late: keras was already imported through tf.keras
