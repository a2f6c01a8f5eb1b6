"""KRS701: ``model.save("dir")`` without a ``.keras``/``.h5`` extension (SAVE-1)."""

from __future__ import annotations

from ..rule import FIX_UNSAFE, Rule, RuleDoc, keyword_arg
from ._saving import LOAD_MODEL, MODEL_EXTENSIONS, SAVE, PathCollector, dedupe_edits, replace_tail


class SaveWithoutExtension(PathCollector, Rule):
    code = "KRS701"
    name = "save-without-extension"
    summary = "`model.save(path)` without `.keras`/`.h5`: Keras 2 wrote a SavedModel folder, Keras 3 raises; save to `path.keras` or `model.export(path)`."
    fix_safety = FIX_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `model.save(path)` and `keras.models.save_model(model, path)` on a Keras
            model when the path (a string literal, a name assigned one in the same scope or at
            module level, or an f-string / `os.path.join(...)` whose literal end is known) does
            not end in `.keras`, `.h5` or `.hdf5`. Calls with `save_format=` are KRS702's,
            calls with `zipped=` and `hf://` paths are left alone.
        """,
        why="""
            Keras 2 (`tf.keras` before TF 2.16) saved a path without extension as a TensorFlow
            SavedModel folder. Keras 3 only writes `.keras` zip files and legacy `.h5` files:

                ValueError: Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` if you want to export a SavedModel for use with TFLite/TFServing/etc. Received: filepath=my_model.
        """,
        bad="""
            model.save("my_model")
            restored = keras.models.load_model("my_model")
        """,
        good="""
            model.save("my_model.keras")
            restored = keras.models.load_model("my_model.keras")
            # or, for TF Serving / TFLite: model.export("my_model")
        """,
        fix="""
            **Unsafe.** Appends `.keras` to the path literal, and to every `load_model(...)` of
            the same literal path in the file. The intent is ambiguous: if the folder was meant
            for TF Serving or TFLite, use `model.export(path)` instead; and the saved format
            changes from a SavedModel folder to a `.keras` file, so other programs that read the
            folder must change too. No fix when only part of the path is known (f-strings,
            `os.path.join`) and its end cannot be edited.
        """,
        sources=(
            "Keras migration guide, \"Saving a model in the TF SavedModel format\"",
            "Checked: keras 3.15.1 `model.save('/tmp/kv/mdir')` raises the ValueError quoted above; `.keras`, `.h5` and `.hdf5` are accepted (keras/src/saving/saving_api.py)",
        ),
        facts=("SAVE-1",),
    )

    def finish(self) -> None:
        for found in self.calls_of(SAVE):
            info = found.info
            call = found.call
            if info is None or found.arg is None:
                continue
            if keyword_arg(call, "save_format") is not None or keyword_arg(call, "zipped") is not None:
                continue
            if info.complete and info.tail.startswith("hf://"):
                continue
            if info.ends_with(MODEL_EXTENSIONS) is not False:
                continue
            fix = None
            edits = []
            for target in [found, *self.same_path(info, LOAD_MODEL)]:
                edit = replace_tail(self.ctx, target.info, "", ".keras") if target.info else None
                if edit is None:
                    edits = []
                    break
                edits.append(edit)
            if edits:
                fix = self.unsafe_fix("Save to a `.keras` file (and load it from there)")
                for node, text in dedupe_edits(edits):
                    fix.replace(node, text)
            shown = f"`{info.tail}`" if info.complete else "the path"
            self.report(
                found.arg,
                f"Keras 3 cannot save a model to {shown} (no `.keras`/`.h5` extension; Keras 2 wrote a "
                "SavedModel folder): `ValueError: Invalid filepath extension for saving`; save to "
                "`….keras`, or use `model.export(path)` for TF Serving/TFLite",
                fix=fix,
            )
