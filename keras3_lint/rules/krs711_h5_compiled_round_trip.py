"""KRS711: a compiled model saved to ``.h5`` and loaded back by the same program (LOAD-3)."""

from __future__ import annotations

from typing import Dict, Optional, Set

import libcst as cst

from ..rule import FIX_UNSAFE, Rule, RuleDoc, argument, keyword_arg, string_value
from ._saving import (
    CHECKPOINT, H5_EXTENSIONS, LOAD_MODEL, SAVE, PathCollector, classify, confidence_of, dedupe_edits,
    literal_bool, replace_tail, shown,
)


# Loss names that Keras 3 cannot deserialize from an `.h5` training config (checked, 3.15.1).
_ALIAS_LOSSES = frozenset({"mse", "mae", "mape", "msle", "kld", "MSE", "MAE", "MAPE", "MSLE", "KLD"})
_TRAINING = frozenset({"fit", "fit_generator", "train_on_batch"})


class H5CompiledRoundTrip(PathCollector, Rule):
    code = "KRS711"
    name = "h5-compiled-round-trip"
    summary = "A compiled model saved to `.h5` and loaded back cannot be trained in Keras 3 (its optimizer rejects the new variables), and string losses such as `\"mse\"` may not load; use `.keras`."
    fix_safety = FIX_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `keras.models.load_model(path)` (without `compile=False`) where the path ends in
            `.h5`/`.hdf5`, the same file writes that path with `model.save(...)`,
            `keras.models.save_model(...)` or a full-model `ModelCheckpoint` (not
            `save_weights_only=True`), and either the loaded model is trained
            (`fit`/`fit_generator`/`train_on_batch` on the name it is assigned to) or the file
            compiles with a short loss name (`"mse"`, `"mae"`, `"mape"`, `"msle"`, `"kld"`). A
            model loaded only to predict or evaluate is not flagged: that works. The path is read
            the way the other saving rules read it (literals, constants, f-strings,
            `os.path.join`, ...). A `.h5` the file only reads is KRS707's (a Keras 2 file).
        """,
        why="""
            Keras 3 still writes and reads the legacy `.h5` format, but a compiled model does not
            survive the round trip. The reloaded model's optimizer is rebuilt for other
            variables, and training it fails:

                ValueError: Unknown variable: <Variable path=sequential/dense/kernel, shape=(8, 30), dtype=float32>. This optimizer can only be called for the variables it was originally built with.

            (`predict` and `evaluate` work.) A model compiled with a short loss name such as
            `"mse"` fails earlier, in `load_model` itself (short metric names load):

                ValueError: Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass

            Keras 2 (tf_keras) reloads and trains the same model. The native `.keras` format
            round-trips it on Keras 3.
        """,
        bad="""
            model.compile(loss="mse", optimizer="adam")
            model.fit(x, y)
            model.save("my_model.h5")
            model = keras.models.load_model("my_model.h5")
            model.fit(x, y)
        """,
        good="""
            model.save("my_model.keras")
            model = keras.models.load_model("my_model.keras")
            model.fit(x, y)
        """,
        fix="""
            **Unsafe.** Renames the path's `.h5`/`.hdf5` ending to `.keras` in the load and in every
            save of the same path in the file (the literal that holds the ending; a shared
            constant is edited once). The program then writes and reads a `.keras` file: other
            tools that expect the `.h5` file (the TF.js converter, another program) need it
            exported again. No fix when any of the paths cannot be edited mechanically.
        """,
        sources=(
            "Checked: keras 3.15.1 (TensorFlow backend): `Sequential` compiled with a custom loss and `adam`/`sgd`/`nadam`, trained, `save('m.h5')`, `load_model('m.h5', custom_objects=...)`, `fit` raises the `Unknown variable` ValueError quoted above while `predict`/`evaluate` work (also for `categorical_crossentropy`, `binary_crossentropy`, `MeanSquaredError()`); with `loss='mse'` (also `mae`, `mape`, `msle`, `kld`, `MSE`) `load_model` raises `Could not deserialize 'keras.metrics.mse'`, while short metric names load; the same programs with `m.keras` train; tf_keras 2.21 trains after the `.h5` round trip; the renamed program trains on both (tests/evidence/test_h5_round_trip_krs711.py)",
            "Seen: ageron/handson-ml2 notebook 12 (custom loss saved to `.h5`, reloaded and trained) runs on Keras 3 after the rename (scripts/run_programs.py)",
        ),
        facts=("LOAD-3",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # Models are told apart by the expression their name was assigned (`id` of that node).
        self._alias_models: Set[int] = set()  # compiled with a short loss name
        self._trained: Set[int] = set()  # fit / train_on_batch called on them
        self._saved_models: Dict[int, int] = {}  # id(save call) -> the model it saves

    def on_call(self, node: cst.Call) -> None:
        func = node.func
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if method == "compile":
            loss = argument(node, "loss", 1)
            if loss is not None and string_value(loss.value) in _ALIAS_LOSSES:
                self._note(self._alias_models, self._model_of(func.value))
        elif method in _TRAINING:
            self._note(self._trained, self._model_of(func.value))
        elif method == "save":
            self._note_save(node, self._model_of(func.value))
        else:
            found = classify(self.ctx, node)  # cached: PathCollector classified this call already
            if found is not None and found.kind == SAVE:  # keras.models.save_model(model, path)
                model = argument(node, "model")
                self._note_save(node, self._model_of(model.value) if model is not None else None)

    def _model_of(self, receiver: cst.BaseExpression) -> Optional[int]:
        if not isinstance(receiver, cst.Name):
            return None
        assigned = self.ctx.resolver.assigned_value(receiver)
        return id(assigned[0]) if assigned is not None else None

    @staticmethod
    def _note(models: Set[int], model: Optional[int]) -> None:
        if model is not None:
            models.add(model)

    def _note_save(self, call: cst.Call, model: Optional[int]) -> None:
        if model is not None:
            self._saved_models[id(call)] = model

    def finish(self) -> None:
        alias_models, trained, saved_models = self._alias_models, self._trained, self._saved_models
        if not alias_models and not trained:
            return
        for found in self.calls_of(LOAD_MODEL):
            info = found.info
            call = found.call
            if info is None or found.arg is None or info.ends_with(H5_EXTENSIONS) is not True:
                continue
            if keyword_arg(call, "compile") is not None or len([a for a in call.args if a.keyword is None]) >= 3:
                continue
            writers = [w for w in self.same_path(info, SAVE, CHECKPOINT) if not self._weights_only(w)]
            alias_loss = any(saved_models.get(id(w.call)) in alias_models for w in writers)
            if not writers or (not alias_loss and id(call) not in trained):
                continue  # loaded for inference only: that works
            if alias_loss:
                what = ("Keras 3 cannot load a model compiled with a short loss name such as `\"mse\"` from "
                        f"{shown(info)} (`ValueError: Could not deserialize 'keras.metrics.mse'`)")
            else:
                what = (f"Keras 3 cannot train a compiled model reloaded from {shown(info)} (`ValueError: Unknown "
                        "variable ... This optimizer can only be called for the variables it was originally "
                        "built with`)")
            self.report(
                call,
                what + "; save to and load from `.keras`",
                fix=self._fix([found, *writers, *[c for c in self.same_path(info, LOAD_MODEL) if c is not found]]),
                confidence=confidence_of(info),
            )

    @staticmethod
    def _weights_only(found) -> bool:
        """A checkpoint that may write weights only (`save_weights_only=` other than a literal False)."""
        if found.kind != CHECKPOINT:
            return False
        given = keyword_arg(found.call, "save_weights_only")
        return given is not None and literal_bool(given) is not False

    def _fix(self, group):
        edits = []
        for target in group:
            info = target.info
            old = next((e for e in H5_EXTENSIONS if info is not None and info.tail.endswith(e)), None)
            edit = replace_tail(self.ctx, info, old, ".keras") if old else None
            if edit is None:
                return None
            edits.append(edit)
        fix = self.unsafe_fix("Save to and load from a `.keras` file")
        for node, text in dedupe_edits(edits):
            fix.replace(node, text)
        return fix
