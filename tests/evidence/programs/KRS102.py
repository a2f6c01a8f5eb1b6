"""KRS102 removed-keyword-argument: `lr=`, `decay=` (OPT-1, OPT-2), `time_major=`, `fused=`, `weights=`, `write_grads=`."""
import tempfile

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
X = np.linspace(-1.0, 1.0, 48, dtype="float32").reshape(16, 3)
Y = (X @ np.array([[0.5], [-1.0], [2.0]], dtype="float32") + 0.3).astype("float32")


def train(optimizer, steps=6):
    """Plain SGD-style training on fixed data and weights: the kernel after every step."""
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1)])
    fill_weights(model)
    model.compile(optimizer=optimizer, loss="mse")
    rate = getattr(optimizer, "learning_rate", None)
    start = float(np.asarray(rate)) if rate is not None and not callable(rate) else None
    losses, kernels = [], []
    for _ in range(steps):
        losses.append(float(model.train_on_batch(X, Y)))
        kernels.append(model.get_weights()[0][:, 0])
    return {"loss": losses, "kernel": kernels, "learning_rate": start}


with step("lr") as out:
    out.update(train(tf.keras.optimizers.Adam(lr=0.01)))
with step("legacy_lr") as out:  # Keras 2's optimizer that honours lr= (as Keras <= 2.10 did)
    out.update(train(tf.keras.optimizers.legacy.Adam(lr=0.01)))
with step("decay") as out:  # the current optimizer class with decay=
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optimizer = tf.keras.optimizers.SGD(0.1, decay=0.5)
    out["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    out.update(train(optimizer))
with step("legacy_decay") as out:  # where Keras 2 (2.11+) still applies decay=
    out.update(train(tf.keras.optimizers.legacy.SGD(0.1, decay=0.5)))
with step("layers") as out:
    seq = np.sin(np.arange(2 * 5 * 3, dtype="float32")).reshape(2, 5, 3)
    rnn = tf.keras.Sequential([tf.keras.Input(shape=(5, 3)), tf.keras.layers.LSTM(4, time_major=False)])
    fill_weights(rnn)
    out["lstm"] = rnn.predict(seq, verbose=0)
    images = np.cos(np.arange(2 * 4 * 4 * 2, dtype="float32")).reshape(2, 4, 4, 2)
    norm = tf.keras.layers.BatchNormalization(fused=True)
    out["batchnorm"] = norm(images, training=True)
with step("tensorboard") as out:
    out["callback"] = type(tf.keras.callbacks.TensorBoard(log_dir=tempfile.mkdtemp(), write_grads=True)).__name__
with step("dense_weights") as out:
    dense = tf.keras.layers.Dense(2, weights=[np.ones((3, 2), "float32"), np.zeros(2, "float32")])
    out["output"] = dense(X[:2])

# SURF-3: keywords the Keras 3 signature does not have at all (Keras 2 swallowed some).
with step("earlystopping_typo") as out:
    callback = tf.keras.callbacks.EarlyStopping(montior="val_loss", patience=1)
    out["monitor"] = callback.monitor
with step("tensorboard_batch_size") as out:
    out["callback"] = type(tf.keras.callbacks.TensorBoard(log_dir=tempfile.mkdtemp(), batch_size=32)).__name__
with step("dense_typo") as out:
    out["layer"] = type(tf.keras.layers.Dense(2, kernel_initalizer="ones")).__name__
with step("reset_states_states") as out:
    rnn = tf.keras.layers.LSTM(2, stateful=True)
    rnn(np.zeros((1, 3, 2), "float32"))
    rnn.reset_states(states=None)
    out["done"] = True
with step("fit_nb_epoch") as out:
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    out["epochs"] = len(model.fit(X, Y, nb_epoch=2, verbose=0).history["loss"])
with step("evaluate_typo") as out:
    out["loss"] = model.evaluate(X, Y, verbos=0)
with step("to_categorical_dtype") as out:
    out["value"] = tf.keras.utils.to_categorical([0, 2], num_classes=3, dtype="float32")
