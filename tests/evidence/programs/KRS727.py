"""KRS727 convlstm-recurrent-activation: ConvLSTM2D with the default `recurrent_activation`.

Same weights and inputs everywhere; records the default's outputs next to explicit `sigmoid`,
`hard_sigmoid` and a Keras 2 `hard_sigmoid` written out (`clip(0.2 * x + 0.5, 0, 1)`).
"""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record

record("impl", keras_impl())
X = np.sin(np.arange(2 * 3 * 5 * 5 * 2, dtype="float32") * 0.9).reshape(2, 3, 5, 5, 2) * 2.0


def keras2_hard_sigmoid(x):
    return tf.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)


def outputs(layer):
    model = tf.keras.Sequential([tf.keras.Input(shape=(3, 5, 5, 2)), layer])
    fill_weights(model, scale=0.8)
    return model.predict(X, verbose=0)


default = tf.keras.layers.ConvLSTM2D(3, (3, 3), padding="same")
record("default_activation", default.get_config()["recurrent_activation"])
record("default", outputs(default))
for name, activation in (("sigmoid", "sigmoid"), ("hard_sigmoid", "hard_sigmoid"), ("keras2_hard_sigmoid", keras2_hard_sigmoid)):
    record(name, outputs(tf.keras.layers.ConvLSTM2D(3, (3, 3), padding="same", recurrent_activation=activation)))
record("hard_sigmoid_values", tf.keras.activations.hard_sigmoid(tf.constant([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])))
record("defaults_1d_3d", [
    tf.keras.layers.ConvLSTM1D(2, 3).get_config()["recurrent_activation"],
    tf.keras.layers.ConvLSTM3D(2, (3, 3, 3)).get_config()["recurrent_activation"],
])
