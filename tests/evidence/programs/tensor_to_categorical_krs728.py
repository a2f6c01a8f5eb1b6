"""KRS728 on tensors: Keras 3 returns a float32 tensor (no `.astype`), and needs `num_classes`."""
import tensorflow as tf

from _evidence import keras_impl, record, step

record("impl", keras_impl())
t = tf.constant([0, 2, 1])
with step("with_classes") as out:
    y = tf.keras.utils.to_categorical(t, 3)
    out["dtype"] = str(getattr(y.dtype, "name", y.dtype))
    out["type"] = type(y).__name__
with step("astype") as out:
    tf.keras.utils.to_categorical(t, 3).astype("float32")  # what the old KRS728 fix wrote
with step("without_classes") as out:
    out["shape"] = list(tf.keras.utils.to_categorical(t).shape)
