"""KRS706: ``load_weights`` of a TF checkpoint prefix (LOAD-2)."""

from __future__ import annotations

from ..rule import FIX_NONE, Rule, RuleDoc
from ._saving import CHECKPOINT, LOAD_WEIGHTS, SAVE_WEIGHTS, PathCollector, confidence_of, shown

_READABLE = (".keras", ".weights.h5", ".weights.json", ".h5", ".hdf5")
# What returns the prefix of a TF checkpoint (e.g. "ckpt/cp-0005.ckpt", "ckpt/ckpt-3").
_TF_CHECKPOINT_PREFIXES = frozenset(
    {
        "tensorflow.train.latest_checkpoint",
        "tensorflow.compat.v1.train.latest_checkpoint",
        "tensorflow.train.CheckpointManager().latest_checkpoint",
        "tensorflow.compat.v1.train.CheckpointManager().latest_checkpoint",
    }
)
_MANAGERS = frozenset(p for p in _TF_CHECKPOINT_PREFIXES if "CheckpointManager" in p)


class LoadWeightsTfCheckpoint(PathCollector, Rule):
    code = "KRS706"
    name = "load-weights-tf-checkpoint"
    summary = "`load_weights(path)` without a Keras extension: Keras 3 cannot read Keras 2 TF checkpoints; convert them once under Keras 2."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `model.load_weights(path)` on a Keras model when the path's known end is none
            of `.keras`, `.weights.h5`, `.weights.json`, `.h5`, `.hdf5` — in Keras 2 code, a TF
            checkpoint prefix such as `"ckpt/cp"` or `"model.ckpt"` — and whenever the path is
            `tf.train.latest_checkpoint(...)` or `CheckpointManager(...).latest_checkpoint`
            (also through a name assigned one), which always give a TF checkpoint prefix. The
            end of other paths is read through the usual path builders (f-strings, `%`,
            `.format`, `+`, `os.path.join`, `pathlib`, names, constants, parameter defaults;
            see KRS701). Paths this file writes with `save_weights`/`ModelCheckpoint` are
            reported there (KRS703, KRS704).
        """,
        why="""
            Keras 3 reads only its own formats and legacy `.h5`:

                ValueError: File format not supported: filepath=k2_ckpt. Keras 3 only supports V3 `.keras` files, `.weights.h5` files, legacy H5 format files (`.h5` extension), or Orbax checkpoints.
        """,
        bad="""
            model.load_weights("training_1/cp.ckpt")
            model.load_weights(tf.train.latest_checkpoint("training_2"))
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
            "Checked: keras 3.15.1 `model.load_weights(tf.train.latest_checkpoint('training_2'))` after the TensorFlow tutorial's weights-only `ModelCheckpoint` run under tf_keras 2.21 raises `ValueError: File format not supported: filepath=training_2/cp-0002.ckpt` (tests/evidence/test_paths.py)",
        ),
        facts=("LOAD-2",),
    )

    def finish(self) -> None:
        for found in self.calls_of(LOAD_WEIGHTS):
            info = found.info
            if info is None or found.arg is None:
                continue
            if info.produced_by(_TF_CHECKPOINT_PREFIXES):
                source = "CheckpointManager.latest_checkpoint" if info.produced_by(_MANAGERS) else "tf.train.latest_checkpoint()"
                self.report(
                    found.arg,
                    f"`{source}` gives a TF checkpoint prefix, which Keras 3 `load_weights()` cannot read "
                    "(`ValueError: File format not supported`); convert the checkpoint once under Keras 2 with "
                    "`save_weights(\"….h5\")`, or save `.weights.h5` files",
                    confidence=confidence_of(info),
                )
                continue
            if not info.lacks(_READABLE) or self.same_path(info, SAVE_WEIGHTS, CHECKPOINT):
                continue
            self.report(
                found.arg,
                f"Keras 3 `load_weights()` cannot read a Keras 2 TF checkpoint ({shown(info, 'this path')} has no "
                "`.weights.h5`/`.h5`/`.keras` extension): `ValueError: File format not supported`; convert it once "
                "under Keras 2 with `save_weights(\"….h5\")`",
                confidence=confidence_of(info, _READABLE),
            )
