"""KRS701: ``model.save("dir")`` without a ``.keras``/``.h5`` extension (SAVE-1)."""

from __future__ import annotations

from ..rule import FIX_UNSAFE, Rule, RuleDoc, keyword_arg
from ._saving import LOAD_MODEL, MODEL_EXTENSIONS, SAVE, PathCollector, confidence_of, dedupe_edits, replace_tail, shown


class SaveWithoutExtension(PathCollector, Rule):
    code = "KRS701"
    name = "save-without-extension"
    summary = "`model.save(path)` without `.keras`/`.h5`: Keras 2 wrote a SavedModel folder, Keras 3 raises; save to `path.keras` or `model.export(path)`."
    fix_safety = FIX_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `model.save(path)` and `keras.models.save_model(model, path)` on a Keras
            model when the path's known end is not `.keras`, `.h5` or `.hdf5`. The end is read
            the way real code builds paths: literals, f-strings, `%` and `.format(...)`, `+`,
            `os.path.join(...)`, `pathlib.Path(...) / "name"`, `.joinpath(...)`, `str(...)`,
            names assigned earlier (in a notebook: by an earlier cell), module constants (also
            of other files of the project) and parameter defaults. A path whose end is not
            literal (`f"{name}"`, `input()`, a parameter without default) is left alone; one
            that lacks the extension only on some branches (`if`/`else`, `path or "model"`, a
            parameter's default) is reported with medium confidence. Calls with
            `save_format=` are KRS702's, calls with `zipped=` and `hf://` paths are left alone.
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
            **Unsafe.** Appends `.keras` to the literal that ends the path (the string, an
            f-string's last text, the last `os.path.join`/`joinpath` part, the right operand of
            `/` or `+`, the template of `%`/`.format`), and to every `load_model(...)` of the
            same path in the file. The intent is ambiguous: if the folder was meant for TF
            Serving or TFLite, use `model.export(path)` instead; and the saved format changes
            from a SavedModel folder to a `.keras` file, so other programs that read the folder
            must change too (and Keras 3 does not create a missing parent folder for it). No fix
            when the end of the path is not a literal of this file, or when the path has
            several possible values.
        """,
        sources=(
            "Keras migration guide, \"Saving a model in the TF SavedModel format\"",
            "Checked: keras 3.15.1 `model.save('/tmp/kv/mdir')` raises the ValueError quoted above; `.keras`, `.h5` and `.hdf5` are accepted (keras/src/saving/saving_api.py)",
            "Checked: keras 3.15.1 raises the same ValueError for paths built with `os.path.join`, `pathlib.Path(...) / 'name'`, `%`, `.format`, f-strings and a parameter's default, which tf_keras 2.21 saved as SavedModel folders; the renamed `.keras` files restore the model (tests/evidence/test_paths.py)",
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
            if "hf://" in self.ctx.code_for(found.arg.value) or (info.value or "").startswith("hf://"):
                continue  # Hugging Face Hub paths have no extension
            if not info.lacks(MODEL_EXTENSIONS):
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
            self.report(
                found.arg,
                f"Keras 3 cannot save a model to {shown(info)} (no `.keras`/`.h5` extension; Keras 2 wrote a "
                "SavedModel folder): `ValueError: Invalid filepath extension for saving`; save to "
                "`….keras`, or use `model.export(path)` for TF Serving/TFLite",
                fix=fix,
                confidence=confidence_of(info, MODEL_EXTENSIONS),
            )
