"""KRS701 save-without-extension: `model.save("my_model")` wrote a SavedModel folder in Keras 2."""
import os
import zipfile

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
record("impl", keras_impl())
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(4,)),
    tf.keras.layers.Dense(3, activation="tanh"),
    tf.keras.layers.Dense(2),
])
fill_weights(model)
record("expected", model.predict(X, verbose=0))

with step("save") as out:
    model.save("my_model")
    out["saved"] = {
        p: "folder" if os.path.isdir(p) else "zip" if zipfile.is_zipfile(p) else "file"
        for p in sorted(os.listdir(".")) if p.startswith("my_model")
    }
    restored = tf.keras.models.load_model("my_model")
    out["output"] = restored.predict(X, verbose=0)

with step("in_folder") as out:  # Keras 2 created the missing folder
    model.save("saved_models/my_model")
    out["output"] = tf.keras.models.load_model("saved_models/my_model").predict(X, verbose=0)
