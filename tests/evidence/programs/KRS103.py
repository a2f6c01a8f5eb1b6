"""KRS103 removed-model-method: `fit_generator` / `evaluate_generator` / `predict_generator` (FIT-1), `optimizer.lr` (OPT-3)."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
X = np.linspace(-1.0, 1.0, 64, dtype="float32").reshape(16, 4)
Y = (np.sin(X.sum(axis=1, keepdims=True)) * 0.5).astype("float32")


def batches(kind="xy"):
    while True:  # the same four batches, in order, forever
        for start in range(0, 16, 4):
            x, y = X[start:start + 4], Y[start:start + 4]
            yield {"xy": (x, y), "x": x, "x_tuple": (x,)}[kind]


def new_model():
    net = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(3, activation="tanh"), tf.keras.layers.Dense(1)])
    fill_weights(net)
    net.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    return net


with step("fit_generator") as out:
    model = new_model()
    history = model.fit_generator(batches(), steps_per_epoch=4, epochs=3, verbose=0)
    out["loss"] = history.history["loss"]
    out["kernel"] = model.get_weights()[0]
with step("evaluate_generator") as out:
    model = new_model()
    out["loss"] = model.evaluate_generator(batches(), steps=4, verbose=0)
with step("predict_generator") as out:
    model = new_model()
    out["output"] = model.predict_generator(batches("x"), steps=2, verbose=0)
with step("predict_generator_tuples") as out:
    model = new_model()
    out["output"] = model.predict_generator(batches("x_tuple"), steps=2, verbose=0)
with step("lr_read") as out:
    model = new_model()
    out["lr"] = float(model.optimizer.lr)
with step("lr_set") as out:  # lower the learning rate, then train
    model = new_model()
    model.optimizer.lr = 0.01
    out["learning_rate_in_effect"] = float(np.asarray(model.optimizer.learning_rate))
    out["loss"] = [float(model.train_on_batch(X, Y)) for _ in range(3)]
    out["kernel"] = model.get_weights()[0]
