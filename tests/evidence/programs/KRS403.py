"""KRS403 hub-layer-in-subclass-frozen: fine-tuning a hub.KerasLayer held by a Model subclass."""
import numpy as np
import tensorflow as tf
import tensorflow_hub as hub

from _evidence import record
from _hub_module import INITIAL, make_hub_module

HANDLE = make_hub_module()


class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = hub.KerasLayer(HANDLE, trainable=True)
        self.head = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.head(self.encoder(x))


x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
y = np.array([[1.0], [0.0], [1.0], [0.0]], dtype="float32")
model = Classifier()
model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
model.fit(x, y, epochs=3, verbose=0)
record("trainable_weights", len(model.trainable_weights))
record("weights", len(model.weights))
record("hub_weight_changed", bool(np.abs(model.encoder.weights[0].numpy() - INITIAL).max() > 1e-6))
