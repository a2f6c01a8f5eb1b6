"""KRS732 version-string-comparison: `tf.__version__ >= "2.4"` on TensorFlow 2.16+ / Keras 3.10+."""
import keras
import tensorflow as tf

from _evidence import record, step

record("tf_version", tf.__version__)
record("keras_version", keras.__version__)
with step("tf_assert") as out:
    assert tf.__version__ >= "2.4"
with step("keras_compare") as out:
    out["new_keras"] = keras.__version__ >= "3.9"
with step("parsed") as out:
    out["tf"] = tuple(map(int, tf.__version__.split(".")[:2])) >= (2, 4)
    out["keras"] = tuple(map(int, keras.__version__.split(".")[:2])) >= (3, 9)
