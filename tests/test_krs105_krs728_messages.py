"""Messages that must not send people to names Keras 3 lacks (KRS105), and KRS728's confidence
and fix by the kind of its input (NumPy array, tensor, unknown)."""

from __future__ import annotations

from keras3_lint.config import Settings
from keras3_lint.runner import check_text


def lint(source: str, code: str):
    return check_text(source, Settings(), frozenset({code}), "x.py")


def test_krs105_random_height_and_width_have_no_keras3_target():
    source = (
        "import tensorflow as tf\n"
        "h = tf.keras.layers.experimental.preprocessing.RandomHeight(0.2)\n"
        "w = tf.keras.layers.experimental.preprocessing.RandomWidth(0.2)\n"
        "r = tf.keras.layers.experimental.preprocessing.Rescaling(1 / 255)\n"
    )
    found = lint(source, "KRS105")
    assert [d.row for d in found] == [2, 3, 4]
    for diagnostic in found[:2]:
        assert diagnostic.fix is None
        assert "moved to `keras.layers`" not in diagnostic.message
        assert "does not exist" in diagnostic.message and "no Keras 3 equivalent" in diagnostic.message
    assert found[2].fix is not None and "layers.Rescaling" in found[2].fix.edits[0].content


def test_krs728_by_input_kind():
    source = (
        "import numpy as np\n"
        "import tensorflow as tf\n"
        "from tensorflow import keras\n"
        "a = keras.utils.to_categorical(np.array([0, 1]), 2)\n"
        "b = keras.utils.to_categorical(tf.constant([0, 1]), 2)\n"
        "c = keras.utils.to_categorical(tf.constant([0, 1]))\n"
        "def f(y):\n"
        "    return keras.utils.to_categorical(y, 2)\n"
    )
    found = {d.row: d for d in lint(source, "KRS728")}
    assert sorted(found) == [4, 6, 8]  # a tensor with num_classes is float32 already: silent
    assert found[4].confidence == "high" and found[4].fix.applicability == "unsafe"
    assert found[6].fix is None and "num_classes" in found[6].message  # the real break on tensors
    assert found[8].confidence == "medium" and found[8].fix is None  # unknown input: no fix
