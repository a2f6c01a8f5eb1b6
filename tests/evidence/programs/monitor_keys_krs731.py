"""KRS731 history-metric-key, `monitor=`: what EarlyStopping / ModelCheckpoint / ReduceLROnPlateau
do with a Keras 2.0-2.2 key (`val_acc` for `metrics=['accuracy']`) and with a metric function's key
in mode 'auto'; keras3-lint's fix must give the direction Keras 2 chose (probe: 1.0 beats 0.5?)."""
import os
import tempfile
import warnings

import numpy as np
import tensorflow as tf

from _evidence import keras_impl, record, step

record("impl", keras_impl())
X = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
Y = (np.arange(8) % 2).astype("float32").reshape(8, 1)
FOLDER = tempfile.mkdtemp()


def build_model():
    model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1, activation="sigmoid")])
    return model


def outcome(out, callback, history):
    """Whether the callback maximizes (its comparison says 1.0 beats 0.5), what it warned, and
    whether it stopped training early."""
    out["maximizes"] = bool(callback.monitor_op(1.0, 0.5))
    out["epochs"] = len(history.history["loss"])
    out["keys"] = sorted(history.history)


def missing_key_warnings(caught):
    return sorted({str(w.message).split(".")[0] for w in caught if "available" in str(w.message)})


with step("checkpoint_val_acc_auto") as out:
    model = build_model()
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    checkpoint = tf.keras.callbacks.ModelCheckpoint(os.path.join(FOLDER, "a.h5"), monitor="val_acc", save_best_only=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(X, Y, epochs=3, verbose=0, validation_data=(X, Y), callbacks=[checkpoint])
    out["warnings"] = missing_key_warnings(caught)
    outcome(out, checkpoint, history)

with step("early_stopping_val_acc_max") as out:
    model = build_model()
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    stopper = tf.keras.callbacks.EarlyStopping(monitor="val_acc", mode="max", patience=0, baseline=2.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(X, Y, epochs=3, verbose=0, validation_data=(X, Y), callbacks=[stopper])
    out["warnings"] = missing_key_warnings(caught)
    outcome(out, stopper, history)

with step("reduce_lr_val_mae_min") as out:
    model = build_model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    reducer = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_mean_absolute_error", mode="min", patience=0, min_delta=10.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(X, Y, epochs=3, verbose=0, validation_data=(X, Y), callbacks=[reducer])
    out["warnings"] = missing_key_warnings(caught)
    outcome(out, reducer, history)
    out["learning_rate"] = float(np.asarray(model.optimizer.learning_rate))

with step("checkpoint_function_auto") as out:
    model = build_model()
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[tf.keras.metrics.binary_accuracy])
    checkpoint = tf.keras.callbacks.ModelCheckpoint(os.path.join(FOLDER, "b.h5"), monitor="val_binary_accuracy", save_best_only=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(X, Y, epochs=3, verbose=0, validation_data=(X, Y), callbacks=[checkpoint])
    out["warnings"] = missing_key_warnings(caught)
    outcome(out, checkpoint, history)

# The direction Keras 3 gives each compiled metric string and `keras.metrics` function (what
# mode 'auto' goes by): the rule's tables.
if keras_impl() == "keras":
    import keras
    from keras.src.trainers import compile_utils

    true = np.zeros((4, 1), "float32")
    directions = {}
    for name in sorted(keras.src.metrics.ALL_OBJECTS_DICT):
        try:
            directions[name] = getattr(compile_utils.get_metric(name, true, true), "_direction", None)
        except Exception:  # classes that need arguments
            pass
    for name in dir(keras.metrics):
        function = getattr(keras.metrics, name)
        if name[:1].islower() and callable(function) and name not in ("get", "serialize", "deserialize"):
            directions["fn:" + name] = getattr(compile_utils.get_metric(function, true, true), "_direction", None)
    directions["acc"] = compile_utils.get_metric("acc", true, true)._direction
    record("directions", directions)
