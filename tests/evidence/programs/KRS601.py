"""KRS601 tf-op-on-keras-tensor: TF ops on symbolic tensors while building functional models."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())


def encoder_decoder_state():
    # An encoder whose bidirectional states are merged with tf.concat (handson-ml3 ch16 style).
    tokens = tf.keras.layers.Input(shape=[None], dtype=tf.int32)
    embedded = tf.keras.layers.Embedding(20, 4)(tokens)
    encoder = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(3, return_state=True))
    encoder_outputs, *encoder_state = encoder(embedded)
    encoder_state = [tf.concat(encoder_state[::2], axis=-1), tf.concat(encoder_state[1::2], axis=-1)]
    return tf.keras.Model(tokens, [encoder_outputs] + encoder_state)


def squeeze_and_sum():
    inputs = tf.keras.Input(shape=(5, 1))
    squeezed = tf.squeeze(inputs, axis=-1)
    hidden = tf.keras.layers.Dense(3)(squeezed)
    merged = tf.concat([hidden, squeezed], axis=-1)
    total = tf.reduce_sum(merged, axis=-1, keepdims=True)
    return tf.keras.Model(inputs, [merged, total])


inputs = {
    "state": np.array([[3, 1, 4, 1, 5], [9, 2, 6, 5, 3]], dtype="int32"),
    "squeeze": np.linspace(-1, 1, 10, dtype="float32").reshape(2, 5, 1),
}
for name, build in (("state", encoder_decoder_state), ("squeeze", squeeze_and_sum)):
    with step(name) as out:
        model = build()
        out["weight_shapes"] = [list(w.shape) for w in model.get_weights()]
        out["output_shapes"] = [list(t.shape) for t in model.outputs]
        fill_weights(model)
        out["outputs"] = [np.asarray(o) for o in model.predict(inputs[name], verbose=0)]
