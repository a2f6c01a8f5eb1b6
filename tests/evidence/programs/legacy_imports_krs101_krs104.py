"""KRS101/KRS104 fixes of Keras 2 imports that real programs crash on under Keras 3: short loss
names (`from keras.losses import mse`), legacy preprocessing (`ImageDataGenerator`, `Tokenizer`),
removed modules imported as a name (`from keras.layers import recurrent`, `np_utils`)."""
import importlib
import os
import sys

import numpy as np

if os.environ.get("EVIDENCE_KERAS") == "2":
    # Keras 2's own `import keras`: tf_keras 2.21 is that code base under another name.
    _k2 = importlib.import_module("tf_keras")
    sys.modules["keras"] = _k2
    for _name in ("layers", "utils", "losses", "metrics", "models", "preprocessing", "preprocessing.image",
                  "preprocessing.text", "preprocessing.sequence"):
        sys.modules["keras." + _name] = importlib.import_module("tf_keras." + _name)

import keras  # noqa: E402

from _evidence import record, step  # noqa: E402

record("impl", keras.layers.Dense.__module__.split(".")[0])
y_true = np.array([[0.0, 1.0, 0.5]], dtype="float32")
y_pred = np.array([[0.2, 0.7, 0.9]], dtype="float32")
images = (np.arange(2 * 4 * 4 * 3, dtype="float32").reshape(2, 4, 4, 3) % 7) * 30.0
texts = ["the cat sat on the mat", "the dog ate the cat food"]

with step("loss_import") as out:
    from keras.losses import mse, binary_crossentropy

    out["mse"] = mse(y_true, y_pred)
    out["bce"] = binary_crossentropy(y_true, y_pred)
with step("loss_call") as out:
    out["mse"] = keras.losses.mse(y_true, y_pred)
    out["mae"] = keras.metrics.mae(y_true, y_pred)
with step("image_data_generator") as out:
    from keras.preprocessing.image import ImageDataGenerator

    batches = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=False).flow(images, batch_size=2, shuffle=False)
    out["batch"] = next(iter(batches))
with step("image_module") as out:
    from keras.preprocessing import image

    out["batch"] = next(iter(image.ImageDataGenerator(featurewise_center=False).flow(images, batch_size=1, shuffle=False)))
with step("tokenizer") as out:
    from keras.preprocessing.text import Tokenizer

    tokenizer = Tokenizer(num_words=6)
    tokenizer.fit_on_texts(texts)
    out["sequences"] = tokenizer.texts_to_sequences(texts)
    out["matrix"] = tokenizer.texts_to_matrix(texts, mode="binary")
with step("text_module") as out:
    from keras.preprocessing import text

    out["words"] = text.text_to_word_sequence("Hello, Keras world!")
with step("recurrent") as out:
    from keras.layers import recurrent

    lstm = recurrent.LSTM(2, kernel_initializer="ones", recurrent_initializer="ones", bias_initializer="zeros")
    out["output"] = lstm(np.full((1, 3, 2), 0.1, dtype="float32"))
with step("np_utils") as out:
    from keras.utils import np_utils

    out["output"] = np_utils.to_categorical([0, 2, 1], num_classes=3)
with step("np_utils_alias") as out:
    import keras.utils.np_utils as kutils

    out["output"] = kutils.normalize(np.array([[3.0, 4.0]]))
with step("model_from_config") as out:
    from keras.models import model_from_config

    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    out["class"] = type(model_from_config({"class_name": "Sequential", "config": model.get_config()})).__name__
