"""KRS704: ``ModelCheckpoint`` file paths Keras 3 rejects (SAVE-4)."""

from __future__ import annotations

from ..rule import FIX_SAFE_AND_UNSAFE, Rule, RuleDoc, keyword_arg
from ._saving import (
    CHECKPOINT, LOAD_MODEL, LOAD_WEIGHTS, PathCollector, confidence_of, dedupe_edits, literal_bool, renamed_weights,
    replace_tail, shown,
)


class ModelCheckpointFilepath(PathCollector, Rule):
    code = "KRS704"
    name = "modelcheckpoint-filepath"
    summary = "`ModelCheckpoint` paths must end in `.keras`/`.h5` (full model) or `.weights.h5` (`save_weights_only=True`) in Keras 3."
    fix_safety = FIX_SAFE_AND_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `keras.callbacks.ModelCheckpoint(filepath, ...)` when the path's known end
            does not suit Keras 3: with `save_weights_only=True` it must end in `.weights.h5`;
            otherwise (literal `False` or absent) in `.keras` or `.h5` — not `.hdf5` and not
            a folder name. A non-literal `save_weights_only=` is not checked. The end is read
            through the usual path builders (f-strings, `%`, `.format`, `+`, `os.path.join`,
            `pathlib`, names, constants, parameter defaults; see KRS701); a path that lacks
            the extension only on some branches is reported with medium confidence.
        """,
        why="""
            Keras 3 checks the path when the callback is created (3.15.1; older 3.x at the first
            save):

                ValueError: The filepath provided must end in `.keras` (Keras model format). Received: filepath=my_ckpt_model
                ValueError: When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` (Keras weights format). Received: filepath=weights.{epoch:02d}.hdf5
        """,
        bad="""
            keras.callbacks.ModelCheckpoint("my_checkpoint", save_best_only=True)
            keras.callbacks.ModelCheckpoint("weights.{epoch:02d}.hdf5", save_weights_only=True)
        """,
        good="""
            keras.callbacks.ModelCheckpoint("my_checkpoint.keras", save_best_only=True)
            keras.callbacks.ModelCheckpoint("weights.{epoch:02d}.weights.h5", save_weights_only=True)
        """,
        fix="""
            Full models: `.keras` is appended to a folder name, `.hdf5` becomes `.h5`.
            Weights: `.h5`/`.hdf5` becomes `.weights.h5`, anything else gets `.weights.h5`
            appended, on the literal that ends the path. `load_model`/`load_weights` calls of
            the same path in the file are renamed by the same fix. **Safe** when the old
            artifact was one Keras 3 cannot read anyway (a SavedModel folder or a TF checkpoint)
            or when the file's own loads are renamed with it (`ModelCheckpoint` creates a
            missing parent folder, so built paths with a folder part stay safe); **unsafe**
            when an `.h5`/`.hdf5` file that other programs may still read under the old name is
            renamed, and for a parameter's default.
        """,
        sources=(
            "handson-ml3 ch16 cell 32 (`ModelCheckpoint(\"my_stateful_shakespeare_model\", ...)`)",
            "Checked: keras 3.15.1 `ModelCheckpoint` creates the missing parent folder of its path (keras/src/callbacks/model_checkpoint.py `file_utils.makedirs(dirname)`); the TensorFlow tutorial's `ModelCheckpoint(filepath='training_2/cp-{epoch:04d}.ckpt', save_weights_only=True)` trains once renamed to `...ckpt.weights.h5` (tests/evidence/test_paths.py)",
            "Checked: keras 3.15.1 `ModelCheckpoint('/tmp/kv/ck')`, `ModelCheckpoint('w.hdf5')` and `ModelCheckpoint('w.{epoch:02d}.hdf5', save_weights_only=True)` raise the errors quoted above in the constructor (keras/src/callbacks/model_checkpoint.py accepts `.keras`/`.h5`, resp. `.weights.h5`)",
        ),
        facts=("SAVE-4",),
    )

    def finish(self) -> None:
        for found in self.calls_of(CHECKPOINT):
            info = found.info
            if info is None or found.arg is None:
                continue
            weights_arg = keyword_arg(found.call, "save_weights_only")
            weights_only = literal_bool(weights_arg) if weights_arg is not None else False
            if weights_only is None:
                continue
            was_h5 = info.ends_with((".h5", ".hdf5")) is True
            needed = (".weights.h5",) if weights_only else (".keras", ".h5")
            if weights_only:
                if not info.lacks(needed):
                    continue
                edit_for = lambda i: renamed_weights(self.ctx, i)  # noqa: E731
                loads = LOAD_WEIGHTS
                need = "`.weights.h5` (with `save_weights_only=True`)"
            else:
                if not info.lacks(needed):
                    continue
                if info.tail.endswith(".hdf5"):
                    edit_for = lambda i: replace_tail(self.ctx, i, ".hdf5", ".h5") if i else None  # noqa: E731
                else:
                    edit_for = lambda i: replace_tail(self.ctx, i, "", ".keras") if i else None  # noqa: E731
                loads = LOAD_MODEL
                need = "`.keras` or `.h5`"
            group = [found, *self.same_path(info, loads)]
            edits = [edit_for(c.info) for c in group]
            fix = None
            if all(e is not None for e in edits):
                sure = all(c.info.certain for c in group)
                builder = self.safe_fix if sure and (not was_h5 or len(group) > 1) else self.unsafe_fix
                fix = builder("Give the checkpoint path the extension Keras 3 requires")
                for node, text in dedupe_edits(edits):
                    fix.replace(node, text)
            self.report(
                found.arg,
                f"Keras 3 `ModelCheckpoint` needs a path ending in {need}, not {shown(info)} (`ValueError: The "
                "filepath provided must end in ...`)",
                fix=fix,
                confidence=confidence_of(info, needed),
            )
