"""KRS105 legacy-or-experimental-namespace: `optimizers.legacy`, `optimizers.experimental`, `layers.experimental(.preprocessing)` (OPT-4, OPT-5, LAY-1)."""
import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

record("impl", keras_impl())
X = np.linspace(-1.0, 1.0, 48, dtype="float32").reshape(16, 3)
Y = (X @ np.array([[0.5], [-1.0], [2.0]], dtype="float32") + 0.3).astype("float32")
IMAGES = np.arange(2 * 3 * 3 * 1, dtype="float32").reshape(2, 3, 3, 1) * 10.0


def train(optimizer, steps=6):
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)])
    fill_weights(model)
    model.compile(optimizer=optimizer, loss="mse")
    losses = [float(model.train_on_batch(X, Y)) for _ in range(steps)]
    return {"loss": losses, "weights": [w.ravel() for w in model.get_weights()]}


with step("legacy_adam") as out:
    out.update(train(tf.keras.optimizers.legacy.Adam(learning_rate=0.01)))
with step("experimental_adamw") as out:
    out.update(train(tf.keras.optimizers.experimental.AdamW(learning_rate=0.01, weight_decay=0.05)))
with step("rescaling") as out:
    out["output"] = tf.keras.layers.experimental.preprocessing.Rescaling(1 / 255, offset=-0.5)(IMAGES)
with step("from_import") as out:
    from tensorflow.keras.layers.experimental.preprocessing import CenterCrop

    out["output"] = CenterCrop(1, 1)(IMAGES)
with step("einsum") as out:
    layer = tf.keras.layers.experimental.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c")
    layer.build((None, 3))
    layer.set_weights([np.linspace(-1, 1, 12, dtype="float32").reshape(3, 4), np.full(4, 0.25, "float32")])
    out["output"] = layer(X[:2])
