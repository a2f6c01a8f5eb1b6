"""KRS705: ``load_model`` of a Keras 2 SavedModel folder (LOAD-1)."""

from __future__ import annotations

from ..rule import FIX_NONE, Rule, RuleDoc
from ._saving import CHECKPOINT, LOAD_MODEL, MODEL_EXTENSIONS, SAVE, PathCollector, confidence_of, shown


class LoadSavedModelDirectory(PathCollector, Rule):
    code = "KRS705"
    name = "load-savedmodel-directory"
    summary = "`load_model(path)` without `.keras`/`.h5`: Keras 3 cannot load a Keras 2 SavedModel folder; use `keras.layers.TFSMLayer` for inference or re-save under Keras 2 as `.keras`/`.h5`."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `keras.models.load_model(path)` / `keras.saving.load_model(path)` when the
            path's known end is not `.keras`, `.h5` or `.hdf5` — in Keras 2 code that is a
            SavedModel folder. The end is read through the usual path builders (f-strings,
            `%`, `.format`, `+`, `os.path.join`, `pathlib`, names, constants, parameter
            defaults; see KRS701); a path that lacks the extension only on some branches is
            reported with medium confidence. Paths this file itself saves (`model.save`, `ModelCheckpoint`)
            are reported there (KRS701, KRS704) and renamed with them; `hf://` paths are left
            alone.
        """,
        why="""
            Keras 3 loads only `.keras` files (and unzipped `.keras` folders), legacy `.h5`
            files and Orbax checkpoints:

                ValueError: File format not supported: filepath=my_model. Keras 3 only supports V3 `.keras` files, legacy H5 format files (`.h5` extension). Note that the legacy SavedModel format is not supported by `load_model()` in Keras 3. In order to reload a TensorFlow SavedModel as an inference-only layer in Keras 3, use `keras.layers.TFSMLayer(my_model, call_endpoint='serving_default')` ...
        """,
        bad="""
            model = keras.models.load_model("exported_savedmodel")
        """,
        good="""
            # inference only:
            layer = keras.layers.TFSMLayer("exported_savedmodel", call_endpoint="serving_default")
            # or, once, under Keras 2 (tf_keras): load it and save it as "model.keras" / "model.h5"
            model = keras.models.load_model("model.keras")
        """,
        fix="""
            **None.** `TFSMLayer` is an inference-only layer, not a model (no `fit`, no
            `summary` of the original layers), so the call cannot be swapped mechanically. To
            keep training, load the folder once with `tf_keras` and save it as `.keras` or
            `.h5`, or rebuild the model in code and load its weights.
        """,
        sources=(
            "Keras migration guide, \"Loading a TF SavedModel\"",
            "Checked: keras 3.15.1 `load_model` on a SavedModel folder written by tf_keras 2.21 raises the ValueError quoted above; `TFSMLayer(path, call_endpoint='serving_default')` reproduces the outputs (KERAS3_FACTS LOAD-1)",
        ),
        facts=("LOAD-1",),
    )

    def finish(self) -> None:
        for found in self.calls_of(LOAD_MODEL):
            info = found.info
            if info is None or found.arg is None:
                continue
            if "hf://" in self.ctx.code_for(found.arg.value) or (info.value or "").startswith("hf://"):
                continue  # Hugging Face Hub paths have no extension
            if not info.lacks(MODEL_EXTENSIONS):
                continue
            if self.same_path(info, SAVE, CHECKPOINT):
                continue
            self.report(
                found.arg,
                f"Keras 3 `load_model()` cannot load a SavedModel folder ({shown(info, 'this path')} has no `.keras`/`.h5` "
                "extension): `ValueError: File format not supported`; use "
                "`keras.layers.TFSMLayer(path, call_endpoint=\"serving_default\")` for inference, or re-save "
                "the model as `.keras`/`.h5` under Keras 2",
                confidence=confidence_of(info, MODEL_EXTENSIONS),
            )
