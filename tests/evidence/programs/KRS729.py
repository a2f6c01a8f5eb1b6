"""KRS729 removed-fit-arguments: loader arguments to fit/evaluate, reset_metrics=, sample_weight_mode=."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
X = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
Y = (np.cos(np.arange(8, dtype="float32")) * 0.5).reshape(8, 1)


def dense_model():
    model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(3, activation="tanh"), tf.keras.layers.Dense(1)])
    fill_weights(model)
    return model


with step("fit") as out:
    model = dense_model()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(X, Y, epochs=3, batch_size=4, shuffle=False, verbose=0, workers=2, use_multiprocessing=False, max_queue_size=10)
    out["loss"] = history.history["loss"]
    out["kernel"] = model.layers[-1].get_weights()[0]

with step("evaluate") as out:
    model = dense_model()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    out["loss"] = model.evaluate(X, Y, batch_size=4, verbose=0, workers=2)

with step("train_on_batch") as out:
    model = dense_model()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    out["first"] = model.train_on_batch(X[:4], Y[:4], reset_metrics=True)
    out["second"] = model.train_on_batch(X[4:], Y[4:], reset_metrics=True)

# A per-timestep model trained with 2-D (batch, timesteps) sample weights.
XT = np.sin(np.arange(8 * 5 * 3, dtype="float32") * 0.21).reshape(8, 5, 3)
YT = np.cos(np.arange(8 * 5, dtype="float32") * 0.13).reshape(8, 5, 1)
SW = (1.0 + (np.arange(8 * 5) % 3)).astype("float32").reshape(8, 5)

with step("compile") as out:
    model = tf.keras.Sequential([tf.keras.Input(shape=(5, 3)), tf.keras.layers.Dense(1)])
    fill_weights(model)
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse", sample_weight_mode="temporal")
    history = model.fit(XT, YT, sample_weight=SW, epochs=3, batch_size=4, shuffle=False, verbose=0)
    out["loss"] = history.history["loss"]
    out["evaluate"] = model.evaluate(XT, YT, sample_weight=SW, batch_size=4, verbose=0)
