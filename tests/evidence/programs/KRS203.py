"""KRS203 stateful-rnn-on-jax: a stateful RNN generating step by step with predict()."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, record, step

model = tf.keras.Sequential([
    tf.keras.Input(batch_shape=(1, 3, 2)),
    tf.keras.layers.GRU(4, stateful=True, return_sequences=False),
    tf.keras.layers.Dense(2),
])
fill_weights(model)
gru = model.layers[0]
x = np.linspace(-1, 1, 6, dtype="float32").reshape(1, 3, 2)

record("backend", tf.keras.backend.backend())
record("predict_1", model.predict(x, verbose=0))
record("predict_2", model.predict(x, verbose=0))
record("state_after_predict", np.asarray(gru.states[0]))
gru.reset_states()
model.compile(optimizer="sgd", loss="mse")
with step("fit") as out:
    # (Keras 3 on TensorFlow rejects NumPy input to a stateful model: its batch dimension is
    # dynamic, the KRS204 error; Keras 2 and JAX train.)
    model.fit(x, np.zeros((1, 2), "float32"), epochs=1, verbose=0, shuffle=False)
    out["state_after_fit"] = np.asarray(gru.states[0])
