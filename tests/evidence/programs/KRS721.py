"""KRS721 multi-output-flat-metrics: a flat `metrics=[...]` on a two-output functional model."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
rng = np.random.RandomState(0)
X = rng.normal(size=(32, 6)).astype("float32")
Y = {"a": (X[:, 0] > 0).astype("int32"), "b": (X[:, 1] + X[:, 2] > 0).astype("int32")}


def fit_history(model):
    fill_weights(model)
    history = model.fit(X, [Y["a"], Y["b"]], epochs=2, batch_size=8, shuffle=False, verbose=0)
    return {k: [float(v) for v in values] for k, values in history.history.items()}


with step("one_metric") as out:
    inputs = tf.keras.Input(shape=(6,))
    hidden = tf.keras.layers.Dense(8, activation="relu")(inputs)
    a = tf.keras.layers.Dense(2, activation="softmax", name="a")(hidden)
    b = tf.keras.layers.Dense(2, activation="softmax", name="b")(hidden)
    model = tf.keras.Model(inputs, [a, b])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    out["history"] = fit_history(model)

with step("two_metrics") as out:  # as long as the outputs: Keras 3 pairs them one by one
    inputs2 = tf.keras.Input(shape=(6,))
    hidden2 = tf.keras.layers.Dense(8, activation="relu")(inputs2)
    a2 = tf.keras.layers.Dense(2, activation="softmax", name="a")(hidden2)
    b2 = tf.keras.layers.Dense(2, activation="softmax", name="b")(hidden2)
    model2 = tf.keras.Model(inputs2, [a2, b2])
    model2.compile(
        optimizer=tf.keras.optimizers.SGD(0.1),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy", "sparse_categorical_crossentropy"],
    )
    out["history"] = fit_history(model2)
