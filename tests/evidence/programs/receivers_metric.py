"""Metrics in a custom training loop: `metric.reset_states()` (Keras 2) vs `reset_state()`."""
import numpy as np
import tensorflow as tf

from _evidence import keras_impl, record, step

record("impl", keras_impl())
train_loss = tf.keras.metrics.Mean(name="train_loss")
accuracy = tf.keras.metrics.SparseCategoricalAccuracy()


def epoch(values, labels, logits):
    train_loss.update_state(values)
    accuracy.update_state(labels, logits)
    return float(train_loss.result()), float(accuracy.result())


with step("reset_states") as out:
    out["before"] = epoch([1.0, 3.0], [0, 1], [[0.9, 0.1], [0.2, 0.8]])
    train_loss.reset_states()
    accuracy.reset_states()
    out["after"] = epoch([5.0], [1], [[0.9, 0.1]])


class Total(tf.keras.metrics.Metric):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")

    def update_state(self, values):
        self.total.assign_add(tf.reduce_sum(tf.cast(values, "float32")))

    def result(self):
        return self.total

    def restart(self):
        self.reset_states()


with step("subclass_self") as out:
    total = Total()
    total.update_state(np.array([2.0, 3.0]))
    total.restart()
    total.update_state(np.array([4.0]))
    out["total"] = float(total.result())
