"""KRS803: ``os.environ["KERAS_BACKEND"] = ...`` after Keras was already imported (TRN-7)."""

from __future__ import annotations

from typing import List, Optional

from ..rule import FIX_SAFE, Rule, RuleDoc
from ._environment import (
    BACKEND_VAR,
    KERAS_LOADERS,
    LEGACY_FLAG,
    TENSORFLOW_LOADERS,
    TRUE_VALUES,
    Event,
    environ_assignments,
    import_time_events,
    move_statement_fix,
    short,
    top,
)


class KerasBackendSetAfterImport(Rule):
    code = "KRS803"
    name = "keras-backend-set-after-import"
    summary = "`KERAS_BACKEND` is set after Keras (or TensorFlow, which imports Keras 3) was imported, so it is silently ignored."
    fix_safety = FIX_SAFE
    keras3_hazard = False
    doc = RuleDoc(
        what="""
            Flags a module-level `os.environ["KERAS_BACKEND"] = ...` (or
            `os.environ.setdefault("KERAS_BACKEND", ...)`) that runs after an import that has
            already loaded Keras 3: `import keras` / `from keras... import`, `import tensorflow`
            / `from tensorflow... import` (TensorFlow imports Keras 3 while it loads), `tf_keras`,
            `tensorflow_hub`, `keras_hub`, `keras_nlp`, `keras_cv` and `keras_tuner`. Any value is
            flagged, since none of them takes effect. An earlier true `TF_USE_LEGACY_KERAS` keeps
            TensorFlow from importing Keras 3, so TensorFlow imports after it do not count.
            Assignments inside functions are not checked (when they run is unknown).
        """,
        why="""
            Keras reads `KERAS_BACKEND` once, when `keras` is first imported. Setting it later
            changes nothing and raises nothing: the program keeps running on the TensorFlow
            backend (`keras.backend.backend()` returns `"tensorflow"`), so code written and tested
            for JAX or PyTorch runs on TensorFlow without a word. `import tensorflow` counts as
            importing Keras: TensorFlow 2.16+ imports `keras.src.optimizers` while it loads.
        """,
        bad="""
            import os
            import keras

            os.environ["KERAS_BACKEND"] = "jax"  # too late: the backend stays tensorflow
        """,
        good="""
            import os

            os.environ["KERAS_BACKEND"] = "jax"
            import keras
        """,
        fix="""
            **Safe.** The assignment line (it must be alone on a top-level line, with a string
            value) is moved to just before the first statement that imports Keras; comment lines
            above it stay where they were, a trailing comment moves with it. When `os` is itself
            imported only at or after that statement, `import os` is moved in too (the original
            import stays). Assignments nested in `if`/`try` blocks are reported without a fix.
            The move makes the backend the file asks for actually take effect, so code that
            silently ran on TensorFlow now runs on that backend.
        """,
        sources=(
            "keras-team/keras#18472 (migration linter specification)",
            "https://keras.io/getting_started/#configuring-your-backend",
            "Checked (keras 3.15.1, TF 2.21): `import keras` then KERAS_BACKEND=jax gives backend `tensorflow`; "
            "`import tensorflow` then KERAS_BACKEND=jax then `import keras` gives `tensorflow`; "
            "KERAS_BACKEND=jax before `import keras` gives `jax`; `import tensorflow`, `import tf_keras` and "
            "`import tensorflow_hub` all put `keras` in sys.modules",
        ),
        facts=("TRN-7",),
    )

    def finish(self) -> None:
        resolver = self.ctx.resolver
        assignments = environ_assignments(resolver, BACKEND_VAR)
        if not assignments:
            return
        legacy = [a for a in environ_assignments(resolver, LEGACY_FLAG) if a.value in TRUE_VALUES]
        module = self.ctx.module
        events = import_time_events(module, resolver, assignments + legacy)
        trigger: Optional[Event] = None
        legacy_set = False
        for event in events:
            if event.kind == "env" and event.env is not None and event.env.name == LEGACY_FLAG:
                legacy_set = True
            elif event.kind == "import" and trigger is None and self._loads_keras(event.modules, legacy_set):
                trigger = event
            elif event.kind == "env" and event.env is not None and event.env.name == BACKEND_VAR and trigger is not None:
                what = short(self.ctx.code_for(trigger.node))
                value = event.env.value
                setting = f"`KERAS_BACKEND={value}`" if value is not None else "`KERAS_BACKEND`"
                fix = move_statement_fix(
                    self.safe_fix("Move the `KERAS_BACKEND` assignment above the first Keras import"),
                    module, event.env, trigger.index,
                )
                self.report(
                    event.node,
                    f"{setting} is set after `{what}` already imported Keras: it is silently ignored "
                    f"and the backend stays `tensorflow`; set it before the first Keras/TensorFlow import",
                    fix=fix,
                )

    @staticmethod
    def _loads_keras(modules: List[str], legacy_set: bool) -> bool:
        for name in modules:
            package = top(name)
            if package in KERAS_LOADERS:
                return True
            if package in TENSORFLOW_LOADERS and not legacy_set:
                return True
        return False
