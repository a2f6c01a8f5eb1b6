"""A tiny TF2 SavedModel in the TF Hub "reusable SavedModel" layout, made locally (offline)."""
import os

import numpy as np
import tensorflow as tf

INITIAL = (np.arange(6, dtype="float32").reshape(3, 2) / 10.0)


def make_hub_module(path="hub_module"):
    path = os.path.abspath(path)
    if os.path.exists(path):
        return path
    obj = tf.train.Checkpoint()
    obj.w = tf.Variable(INITIAL)
    obj.variables = [obj.w]
    obj.trainable_variables = [obj.w]
    obj.regularization_losses = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def call(x):
        return tf.matmul(x, obj.w)

    obj.__call__ = call
    tf.saved_model.save(obj, path, signatures={"serving_default": call})
    return path
