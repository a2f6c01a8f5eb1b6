"""KRS801: ``TF_USE_LEGACY_KERAS`` turned on after ``tf.keras`` was already resolved (TRN-6)."""

from __future__ import annotations

from ..rule import FIX_UNSAFE, Rule, RuleDoc
from ._environment import FlagTiming, flag_timings, legacy_flag_assignments, move_statement_fix, short


class LegacyKerasFlagTooLate(Rule):
    code = "KRS801"
    name = "legacy-keras-flag-too-late"
    summary = "`TF_USE_LEGACY_KERAS` is turned on after `tf.keras` was already resolved to Keras 3, so it is silently ignored."
    fix_safety = FIX_UNSAFE
    keras3_hazard = False
    doc = RuleDoc(
        what="""
            Flags a module-level `os.environ["TF_USE_LEGACY_KERAS"] = "1"` (also `"True"`,
            `"true"`, and `os.environ.setdefault(...)`) that comes too late to take effect:

            - after the first use of `tf.keras` (an attribute such as `tf.keras.layers.Dense`,
              or `keras.layers` after `from tensorflow import keras`), or after
              `from tensorflow.keras... import` / `import tensorflow.keras`; or
            - after TensorFlow was imported (by `import tensorflow`, `import keras`, `tf_keras`,
              `tensorflow_hub`, ...) when the file imports `from tensorflow.keras... import`
              below the flag.

            A plain `import tensorflow as tf` (or `from tensorflow import keras`) before the flag
            is fine as long as `tf.keras` is first touched after it and nothing is imported from
            `tensorflow.keras`. Assignments inside functions are not checked. In a notebook,
            `%env TF_USE_LEGACY_KERAS=1` (and `%set_env`) lines are checked the same way
            (reported without a fix).
        """,
        why="""
            `tf.keras` is a lazy module that reads `TF_USE_LEGACY_KERAS` at its first attribute
            access and then stays on the Keras it picked; `from tensorflow.keras.x import y`
            follows a package path that `import tensorflow` computed from the flag when it loaded.
            A flag set later is silently ignored: `tf.keras` stays Keras 3
            (`keras.src.layers.core.dense.Dense`), and the Keras 2 code the flag was meant to
            rescue fails with Keras 3 errors anyway, e.g.
            `ValueError: Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': ...}`.
            The flag also needs the `tf_keras` package installed; without it TensorFlow logs a
            warning and the first `tf.keras` access raises
            `ImportError: Keras cannot be imported. Check that it is installed.`
            (`tensorflow/python/util/lazy_loader.py`).
        """,
        bad="""
            import os
            import tensorflow as tf

            Dense = tf.keras.layers.Dense
            os.environ["TF_USE_LEGACY_KERAS"] = "1"  # ignored: tf.keras is already Keras 3
        """,
        good="""
            import os

            os.environ["TF_USE_LEGACY_KERAS"] = "1"  # before TensorFlow is imported
            import tensorflow as tf

            Dense = tf.keras.layers.Dense
        """,
        fix="""
            **Unsafe.** When the assignment is alone on a top-level line, the fix moves it to
            just before the first top-level statement that imports TensorFlow (or a package that
            imports it: `keras`, `tf_keras`, `tensorflow_hub`, `keras_hub`, ...) — the safe
            superset of "before the first `tf.keras` use". `import os` comes along when `os` is
            only imported later; comment lines above the assignment stay where they were. It is
            unsafe because the flag then really takes effect: `tf.keras` becomes tf_keras
            (Keras 2), which must be installed, and any `import keras` in the file stays Keras 3
            (see KRS802).
        """,
        sources=(
            "keras-team/keras#18472 (migration linter specification)",
            "https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/util/lazy_loader.py (KerasLazyLoader)",
            "Checked (TF 2.21, tf_keras 2.21): flag after `import tensorflow`, before `tf.keras`: tf_keras; "
            "after `tf.keras.layers` was accessed: Keras 3; after `import tensorflow`, before "
            "`from tensorflow.keras.layers import Dense`: Keras 3; after `from tensorflow import keras` "
            "but before `keras.layers`: tf_keras",
        ),
        facts=("TRN-6",),
    )

    def finish(self) -> None:
        resolver = self.ctx.resolver
        module = self.ctx.module
        assignments = legacy_flag_assignments(module, resolver)
        if not assignments:
            return
        for timing in flag_timings(module, resolver, assignments):
            if not timing.too_late or timing.event.env is None:
                continue
            fix = None
            if timing.first_tf_import is not None:
                fix = move_statement_fix(
                    self.unsafe_fix("Move the `TF_USE_LEGACY_KERAS` assignment above the first TensorFlow import"),
                    module, timing.event.env, timing.first_tf_import.index,
                )
            self.report(timing.event.node, self._message(timing), fix=fix)

    def _message(self, timing: FlagTiming) -> str:
        if timing.lazy_lock is not None:
            what = short(self.ctx.code_for(timing.lazy_lock.node))
            return (
                f"`TF_USE_LEGACY_KERAS` is set after `{what}` already resolved `tf.keras` to Keras 3: "
                f"the flag is silently ignored; set it before TensorFlow is imported"
            )
        assert timing.tf_loaded is not None and timing.late_import is not None
        loaded = short(self.ctx.code_for(timing.tf_loaded.node))
        imported = short(self.ctx.code_for(timing.late_import.node))
        return (
            f"`TF_USE_LEGACY_KERAS` is set after `{loaded}` imported TensorFlow, so "
            f"`{imported}` below still loads Keras 3; set it before TensorFlow is imported"
        )
