"""KRS702: ``save_format=`` on ``model.save`` / ``model.save_weights`` (SAVE-2)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_SAFE_AND_UNSAFE, Rule, RuleDoc, keyword_arg, string_value, without_args
from ._saving import MODEL_EXTENSIONS, SAVE, SAVE_WEIGHTS, PathCollector, replace_tail


class SaveFormatArgument(PathCollector, Rule):
    code = "KRS702"
    name = "save-format-argument"
    summary = "`save_format=` is gone in Keras 3: `save()` raises unless the path ends in `.keras`/`.h5`, `save_weights()` raises TypeError; drop it and use the extension."
    fix_safety = FIX_SAFE_AND_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `save_format=` passed to `model.save(...)`, `keras.models.save_model(...)` or
            `model.save_weights(...)` on a Keras model. In Keras 3 the format follows from the
            file extension only.
        """,
        why="""
            `model.save` raises unless the path already ends in `.keras`, `.h5` or `.hdf5`
            (then the argument is only a deprecation warning):

                ValueError: The `save_format` argument is deprecated in Keras 3. Please remove this argument and pass a file path with either `.keras` or `.h5` extension.Received: save_format=tf

            `model.save_weights` no longer has the parameter at all:

                TypeError: Model.save_weights() got an unexpected keyword argument 'save_format'
        """,
        bad="""
            model.save("my_model", save_format="tf")
            model.save("my_model.h5", save_format="h5")
            model.save_weights("weights.weights.h5", save_format="h5")
        """,
        good="""
            model.save("my_model.keras")   # or model.export("my_model") for TF Serving
            model.save("my_model.h5")
            model.save_weights("weights.weights.h5")
        """,
        fix="""
            **Safe** when the path already ends in `.keras`/`.h5`/`.hdf5` (Keras 3 ignores the
            argument with a warning), and for `save_format="h5"` on `save_weights` or on a
            non-literal path: Keras 3 either writes the same file without the argument or
            raised anyway, so dropping it changes nothing that worked. **Unsafe** for `save_format="h5"` on a
            literal path without extension (the fix also appends `.h5`, which renames the file),
            and for `save_format="tf"` or a non-literal value: the argument is dropped (and
            `.keras` appended to an extensionless literal path on `save`), so a SavedModel /
            TF checkpoint becomes a Keras file. For TF Serving use `model.export(path)`.
            Paths of `save_weights` are KRS703's.
        """,
        sources=(
            "Keras migration guide, \"Saving a model in the TF SavedModel format\"",
            "Checked: keras 3.15.1 `model.save('/tmp/kv/mdir', save_format='tf')` and `model.save_weights('w.weights.h5', save_format='h5')` raise the errors quoted above; with a `.keras`/`.h5`/`.hdf5` path `save()` only logs a deprecation warning (keras/src/saving/saving_api.py)",
        ),
        facts=("SAVE-2",),
    )

    def finish(self) -> None:
        for found in self.calls_of(SAVE, SAVE_WEIGHTS):
            arg = keyword_arg(found.call, "save_format")
            if arg is None:
                continue
            fmt = string_value(arg.value)
            fmt = fmt.lower() if fmt is not None else None
            info = found.info
            ends = info.ends_with(MODEL_EXTENSIONS) if info is not None else None
            dropped = without_args(found.call, [arg])
            fix = None
            if found.kind == SAVE_WEIGHTS:
                message = (
                    "`save_weights()` has no `save_format=` in Keras 3 (`TypeError: Model.save_weights() got "
                    "an unexpected keyword argument 'save_format'`); remove it, the path must end in `.weights.h5`"
                )
                if fmt in ("h5", "hdf5"):
                    fix = self.safe_fix("Remove `save_format=`").replace(found.call, dropped)
                else:
                    fix = self.unsafe_fix("Remove `save_format=` (the weights are written as `.weights.h5`)").replace(found.call, dropped)
            else:
                if ends is True:
                    message = "`save_format=` is deprecated and ignored by Keras 3 (the extension decides the format); remove it"
                else:
                    message = (
                        "`save_format=` is rejected by Keras 3 unless the path ends in `.keras`/`.h5` (`ValueError: "
                        "The save_format argument is deprecated in Keras 3`); remove it and give the path an extension"
                        + (", or use `model.export(path)` for a SavedModel" if fmt in ("tf", None) else "")
                    )
                fix = self._save_fix(found, fmt, ends, dropped)
            self.report(arg, message, fix=fix)

    def _save_fix(self, found, fmt, ends, dropped):
        if ends is True:  # Keras 3 only warns and writes what the extension says
            return self.safe_fix("Remove `save_format=`").replace(found.call, dropped)
        if fmt in ("h5", "hdf5"):
            if ends is False:
                return self._with_extension(
                    found, dropped, ".h5", "Remove `save_format=` and add `.h5` to the path (the file name changes)"
                )
            return self.safe_fix("Remove `save_format=`").replace(found.call, dropped)
        if ends is False:
            return self._with_extension(
                found, dropped, ".keras",
                "Remove `save_format=` and save to a `.keras` file (or use `model.export(path)` for a SavedModel)",
            )
        return self.unsafe_fix("Remove `save_format=`").replace(found.call, dropped)

    def _with_extension(self, found, dropped, extension, message):
        edit = replace_tail(self.ctx, found.info, "", extension) if found.info is not None else None
        if edit is None:
            return None
        node, text = edit
        fix = self.unsafe_fix(message)
        if any(a.value is node for a in dropped.args):
            args = [a.with_changes(value=cst.parse_expression(text)) if a.value is node else a for a in dropped.args]
            return fix.replace(found.call, dropped.with_changes(args=args))
        if _inside(node, found.call):
            return None
        return fix.replace(found.call, dropped).replace(node, text)


def _inside(node, call) -> bool:
    found = []

    class Finder(cst.CSTVisitor):
        def on_visit(self, candidate):
            if candidate is node:
                found.append(candidate)
            return not found

    call.visit(Finder())
    return bool(found)
