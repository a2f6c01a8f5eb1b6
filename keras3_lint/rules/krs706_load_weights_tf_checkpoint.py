"""KRS706: ``load_weights`` of a TF checkpoint prefix (LOAD-2)."""

from __future__ import annotations

from ..rule import FIX_NONE, Rule, RuleDoc
from ._saving import CHECKPOINT, LOAD_WEIGHTS, SAVE_WEIGHTS, PathCollector

_READABLE = (".keras", ".weights.h5", ".weights.json", ".h5", ".hdf5")


class LoadWeightsTfCheckpoint(PathCollector, Rule):
    code = "KRS706"
    name = "load-weights-tf-checkpoint"
    summary = "`load_weights(path)` without a Keras extension: Keras 3 cannot read Keras 2 TF checkpoints; convert them once under Keras 2."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `model.load_weights(path)` on a Keras model when the path's known end is none
            of `.keras`, `.weights.h5`, `.weights.json`, `.h5`, `.hdf5` — in Keras 2 code, a TF
            checkpoint prefix such as `"ckpt/cp"` or `"model.ckpt"`. Paths this file writes
            with `save_weights`/`ModelCheckpoint` are reported there (KRS703, KRS704).
        """,
        why="""
            Keras 3 reads only its own formats and legacy `.h5`:

                ValueError: File format not supported: filepath=k2_ckpt. Keras 3 only supports V3 `.keras` files, `.weights.h5` files, legacy H5 format files (`.h5` extension), or Orbax checkpoints.
        """,
        bad="""
            model.load_weights("training_1/cp.ckpt")
        """,
        good="""
            # once, under Keras 2 (tf_keras): model.load_weights("training_1/cp.ckpt"); model.save_weights("cp.h5")
            model.load_weights("cp.h5")
        """,
        fix="""
            **None.** The checkpoint has to be converted once with Keras 2 (`tf_keras`): load it
            into the same architecture and `save_weights("….h5")`, which Keras 3 can load. A
            folder path may also be an Orbax checkpoint (JAX), which Keras 3 reads: then ignore
            this finding.
        """,
        sources=(
            "Keras migration guide, \"Saving and loading\"",
            "Checked: keras 3.15.1 `load_weights` of a TF checkpoint written by tf_keras 2.21 raises the ValueError quoted above; a Keras 2 `.h5` weights file loads (KERAS3_FACTS LOAD-2)",
        ),
        facts=("LOAD-2",),
    )

    def finish(self) -> None:
        for found in self.calls_of(LOAD_WEIGHTS):
            info = found.info
            if info is None or found.arg is None or info.ends_with(_READABLE) is not False:
                continue
            if self.same_path(info, SAVE_WEIGHTS, CHECKPOINT):
                continue
            shown = f"`{info.tail}`" if info.complete else "this path"
            self.report(
                found.arg,
                f"Keras 3 `load_weights()` cannot read a Keras 2 TF checkpoint ({shown} has no `.weights.h5`/`.h5`/"
                "`.keras` extension): `ValueError: File format not supported`; convert it once under Keras 2 "
                "with `save_weights(\"….h5\")`",
            )
