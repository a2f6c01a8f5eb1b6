"""KRS731 history-metric-key: the keys `History.history` holds, per compile spelling, and the
Keras 2.0-2.2 keys (`acc`, `val_mean_absolute_error`, `lr`) that book-era code reads."""
import numpy as np
import tensorflow as tf

from _evidence import keras_impl, record, step

record("impl", keras_impl())
X = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
Y = (np.arange(8) % 2).astype("float32").reshape(8, 1)


def build_model():
    model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1, activation="sigmoid")])
    return model


with step("accuracy") as out:
    model = build_model()
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y))
    out["keys"] = sorted(history.history)
    out["acc"] = history.history["acc"]
    out["val_acc"] = history.history["val_acc"]

with step("mae") as out:
    model = build_model()
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    history = model.fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y))
    out["keys"] = sorted(history.history)
    out["val_mae"] = history.history["val_mean_absolute_error"]

with step("binary_accuracy_function") as out:
    model = build_model()
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=[tf.keras.metrics.binary_accuracy])
    history = model.fit(X, Y, epochs=1, verbose=0)
    out["keys"] = sorted(history.history)
    out["acc"] = history.history["acc"]

with step("learning_rate") as out:
    model = build_model()
    model.compile(optimizer="rmsprop", loss="mse")
    history = model.fit(X, Y, epochs=1, verbose=0, callbacks=[tf.keras.callbacks.ReduceLROnPlateau()])
    out["keys"] = sorted(history.history)
    out["lr"] = history.history["lr"]

# The rule's tables: the key each compile spelling is logged under (strings and functions).
# `tf.keras.metrics` of Keras 3 lacks some functions `keras.metrics` has: ask the Keras that runs.
if keras_impl() == "keras":
    import keras

    METRICS = keras.metrics
else:
    METRICS = tf.keras.metrics
SPELLINGS = ["acc", "accuracy", "mae", "MAE", "mse", "MSE", "mape", "MAPE", "msle", "MSLE",
             "mean_absolute_error", "binary_accuracy", "categorical_accuracy"]
FUNCTIONS = ["binary_accuracy", "binary_crossentropy", "categorical_accuracy", "categorical_crossentropy",
             "hinge", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error",
             "mean_squared_logarithmic_error", "poisson", "sparse_top_k_categorical_accuracy",
             "squared_hinge", "top_k_categorical_accuracy"]
table = {}
for label, metric in [(s, s) for s in SPELLINGS] + [("fn:" + f, getattr(METRICS, f, None)) for f in FUNCTIONS]:
    model = build_model()
    model.compile(optimizer="sgd", loss="mse", metrics=[metric])
    table[label] = sorted(model.fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y)).history)
record("table", table)
record("function_names", {n: getattr(METRICS, n).__name__ for n in dir(METRICS) if n[:1].islower() and callable(getattr(METRICS, n))})
