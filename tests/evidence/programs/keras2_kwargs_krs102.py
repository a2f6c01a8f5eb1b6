"""Keyword arguments tf_keras 2.21 accepted and ignored (`TensorBoard(batch_size=, ...)`) or
renamed (`image_dataset_from_directory(smart_resize=)`), and KRS102's fixes."""
import os
import tempfile

import numpy as np
import tensorflow as tf

from _evidence import keras_impl, record, step

record("impl", keras_impl())
x_test = np.zeros((4, 3), dtype="float32")
logs = tempfile.mkdtemp()


def plain_state(callback):
    """The callback's attributes that are plain values (what its constructor stored)."""
    plain = (bool, int, float, str, type(None))
    return {k: v for k, v in sorted(vars(callback).items()) if isinstance(v, plain) and k != "log_dir"}  # a temp dir


with step("tensorboard") as out:
    board = tf.keras.callbacks.TensorBoard(log_dir=logs, batch_size=32, write_grads=True, embeddings_freq=1, embeddings_layer_names=["features"], embeddings_data=x_test.tolist())
    out["state"] = plain_state(board)

with step("tensorboard_array") as out:  # tf_keras 2.21 tests `if kwargs.get("embeddings_data")`
    out["state"] = plain_state(tf.keras.callbacks.TensorBoard(log_dir=logs, embeddings_data=x_test))

with step("tensorboard_plain") as out:  # the same call without the Keras 2-only keywords
    out["state"] = plain_state(tf.keras.callbacks.TensorBoard(log_dir=logs, embeddings_freq=1))

# Non-square images of two classes: the cropping resize differs from a plain resize.
images = tempfile.mkdtemp()
for label in ("a", "b"):
    os.makedirs(os.path.join(images, label))
    for index in range(3):
        height, width = 6 + 2 * index, 10 + 3 * index
        pixels = (np.arange(height * width * 3).reshape(height, width, 3) * (7 + index) % 256).astype("uint8")
        tf.io.write_file(os.path.join(images, label, f"{index}.png"), tf.io.encode_png(pixels))

with step("smart_resize") as out:
    dataset = tf.keras.utils.image_dataset_from_directory(images, image_size=(4, 4), batch_size=6, shuffle=False, smart_resize=True)
    batch, labels = next(iter(dataset))
    out["images"] = np.asarray(batch).tolist()
    out["labels"] = np.asarray(labels).tolist()

with step("plain_resize") as out:  # what the images look like without the cropping resize
    dataset = tf.keras.utils.image_dataset_from_directory(images, image_size=(4, 4), batch_size=6, shuffle=False)
    out["images"] = np.asarray(next(iter(dataset))[0]).tolist()
