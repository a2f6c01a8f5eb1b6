"""KRS703: ``model.save_weights(path)`` whose path does not end in ``.weights.h5`` (SAVE-3)."""

from __future__ import annotations

from ..rule import FIX_SAFE_AND_UNSAFE, Rule, RuleDoc, keyword_arg
from ._saving import LOAD_WEIGHTS, SAVE_WEIGHTS, PathCollector, confidence_of, dedupe_edits, renamed_weights, shown


class SaveWeightsExtension(PathCollector, Rule):
    code = "KRS703"
    name = "save-weights-extension"
    summary = "`save_weights(path)` must end in `.weights.h5` in Keras 3 (Keras 2 wrote TF checkpoints or `.h5`); rename the path and its `load_weights`."
    fix_safety = FIX_SAFE_AND_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `model.save_weights(path)` on a Keras model when the path's known end is not
            `.weights.h5` (calls with `max_shard_size=`, which need `.weights.json`, are left
            alone). Keras 2 wrote a TF checkpoint for paths without extension and HDF5 for
            `.h5`. The end is read through the usual path builders (f-strings, `%`,
            `.format`, `+`, `os.path.join`, `pathlib`, names, constants, parameter defaults;
            see KRS701); a path that lacks the extension only on some branches is reported
            with medium confidence.
        """,
        why="""
            Keras 3 writes only its own weights format and checks the name first:

                ValueError: The filename must end in `.weights.h5`. Received: filepath=w.h5
        """,
        bad="""
            model.save_weights("ckpt/my_weights")
            model.load_weights("ckpt/my_weights")
        """,
        good="""
            model.save_weights("ckpt/my_weights.weights.h5")
            model.load_weights("ckpt/my_weights.weights.h5")
        """,
        fix="""
            Renames the literal that ends the path: `.h5`/`.hdf5` becomes `.weights.h5`,
            anything else gets `.weights.h5` appended; every `save_weights`/`load_weights` of
            the same path in the file is renamed in the same fix. **Safe** when the path is a bare file name
            and either the file itself loads that path (the reader changes with the writer) or
            the old path had no `.h5` extension (a TF checkpoint, which Keras 3 cannot load
            anyway). **Unsafe** for a `.h5` path nobody in the file loads (another program may
            still read the old `.h5` name), for a parameter's default, and for any path with a
            folder part (every built path): Keras 2's
            TF-checkpoint writer created missing folders, Keras 3's `.weights.h5` writer does
            not (`FileNotFoundError`, shown by the evidence tier).
        """,
        sources=(
            "Keras migration guide, \"Saving and loading\"",
            "Checked: keras 3.15.1 `model.save_weights('/tmp/kv/w.h5')` raises the ValueError quoted above (keras/src/saving/saving_api.py)",
        ),
        facts=("SAVE-3", "LOAD-2"),
    )

    def finish(self) -> None:
        done = set()
        for found in self.calls_of(SAVE_WEIGHTS):
            info = found.info
            if info is None or found.arg is None or keyword_arg(found.call, "max_shard_size") is not None:
                continue
            if not info.lacks((".weights.h5",)):
                continue
            fix = None
            if id(found.call) not in done:
                group = [found, *[c for c in self.same_path(info, SAVE_WEIGHTS, LOAD_WEIGHTS) if c is not found]]
                edits = [renamed_weights(self.ctx, c.info) for c in group]
                done.update(id(c.call) for c in group)
                if all(e is not None for e in edits):
                    loads = any(c.kind == LOAD_WEIGHTS for c in group)
                    was_h5 = info.ends_with((".h5", ".hdf5")) is True
                    safe = (loads or not was_h5) and all(c.info.bare_file_name and c.info.certain for c in group)
                    builder = self.safe_fix if safe else self.unsafe_fix
                    fix = builder("Save the weights to `….weights.h5`" + (" and load them from there" if loads else ""))
                    for node, text in dedupe_edits(edits):
                        fix.replace(node, text)
            self.report(
                found.arg,
                f"Keras 3 `save_weights()` needs a path ending in `.weights.h5`, not {shown(info)} (`ValueError: "
                "The filename must end in .weights.h5`); rename it and the matching `load_weights()`",
                fix=fix,
                confidence=confidence_of(info, (".weights.h5",)),
            )
