"""KRS709: ``model_from_json`` of a Keras 2 JSON architecture (LOAD-5)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc


class ModelFromJsonKeras2(Rule):
    code = "KRS709"
    name = "model-from-json-keras2"
    summary = "`model_from_json` cannot read architectures written by Keras 2 `to_json()`; rebuild the model in code."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `keras.models.model_from_json(...)` in files that do not write the JSON
            themselves (a file that calls `to_json()` on a Keras model round-trips Keras 3 JSON,
            which loads).
        """,
        why="""
            Keras 2 JSON names classes without the module information Keras 3 needs:

                TypeError: Could not locate class 'Sequential'. Make sure custom classes and functions are decorated with `@keras.saving.register_keras_serializable()`.
        """,
        bad="""
            with open("keras2_model.json") as f:
                model = keras.models.model_from_json(f.read())
            model.load_weights("keras2_weights.h5")
        """,
        good="""
            model = build_model()  # the architecture in code
            model.load_weights("keras2_weights.h5")
        """,
        fix="""
            **None.** Rebuild the architecture in code (Keras 2 `.h5` weights still load into
            it), or load the model once under Keras 2 and save it as `.keras`.
        """,
        sources=(
            "Checked: keras 3.15.1 `model_from_json` of JSON written by tf_keras 2.21 raises the TypeError quoted above (KERAS3_FACTS LOAD-5)",
        ),
        facts=("LOAD-5",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._calls = []
        self._writes_json = False

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.call_name(node) == "keras.models.model_from_json":
            self._calls.append(node)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "to_json" and self.ctx.resolver.is_keras_model(func.value):
            self._writes_json = True

    def finish(self) -> None:
        if self._writes_json:
            return
        for call in self._calls:
            self.report(
                call,
                "Keras 3 `model_from_json` cannot read JSON written by Keras 2 (`TypeError: Could not locate "
                "class 'Sequential'`); rebuild the model in code and load its weights",
            )
