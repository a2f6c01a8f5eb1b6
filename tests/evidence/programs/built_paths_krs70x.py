"""KRS701/KRS704/KRS706 on built paths: `os.path.join`, `pathlib`, `%`, `.format`, f-strings, a
parameter's default, and `tf.train.latest_checkpoint`.

The Keras 2 run writes its artifacts (SavedModel folders, TF checkpoints) into EVIDENCE_WORKDIR;
the Keras 3 runs of this file (and of its fixed copy) use the same folder.
"""
import os
import pathlib
import zipfile

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
record("impl", keras_impl())
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)
Y = np.linspace(0, 1, 12, dtype="float32").reshape(6, 2)
OUT = "exports"
os.makedirs(OUT, exist_ok=True)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(4,)),
    tf.keras.layers.Dense(3, activation="tanh"),
    tf.keras.layers.Dense(2),
])
fill_weights(model)
model.compile(optimizer="sgd", loss="mse")
record("expected", model.predict(X, verbose=0))


def written(path):
    path = str(path)
    if os.path.isdir(path):
        return "folder"
    if zipfile.is_zipfile(path):
        return "zip"
    return "file" if os.path.exists(path) else "missing"


with step("join") as out:  # the save and the load of the same expression are renamed together
    model.save(os.path.join(OUT, "joined"))
    out["output"] = tf.keras.models.load_model(os.path.join(OUT, "joined")).predict(X, verbose=0)

with step("join_name") as out:
    export_path = os.path.join(OUT, "named")
    model.save(export_path)
    out["written"] = written(export_path)
    out["output"] = tf.keras.models.load_model(export_path).predict(X, verbose=0)

with step("pathlib") as out:
    target = pathlib.Path(OUT) / "by_pathlib"
    model.save(target)
    out["written"] = written(target)
    out["output"] = tf.keras.models.load_model(target).predict(X, verbose=0)

with step("percent") as out:
    path = "%s/by_percent" % OUT
    model.save(path)
    out["written"] = written(path)

with step("format") as out:
    path = "{}/by_format".format(OUT)
    model.save(path)
    out["written"] = written(path)

with step("fstring") as out:
    path = f"{OUT}/by_fstring"
    model.save(path)
    out["written"] = written(path)


def export(net, path=os.path.join(OUT, "by_default")):
    tf.keras.models.save_model(net, path)
    return path


with step("default") as out:
    out["written"] = written(export(model))

# The TensorFlow tutorial "Save and load models": weights-only checkpoints, then the latest one.
checkpoint_path = "training_2/cp-{epoch:04d}.ckpt"
checkpoint_dir = os.path.dirname(checkpoint_path)

with step("checkpoint_callback") as out:
    cp_callback = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)
    model.fit(X, Y, epochs=2, verbose=0, callbacks=[cp_callback])
    out["files"] = sorted(os.listdir(checkpoint_dir))

with step("latest_checkpoint") as out:
    restored = tf.keras.models.clone_model(model)
    latest = tf.train.latest_checkpoint(checkpoint_dir)
    out["latest"] = latest
    restored.load_weights(latest)
    out["same_weights"] = all(
        np.array_equal(a, b) for a, b in zip(restored.get_weights(), model.get_weights())
    )
