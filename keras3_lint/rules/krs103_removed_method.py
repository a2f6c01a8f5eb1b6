"""KRS103: methods and attributes Keras 3 removed from models, layers and optimizers (FIT-1, FIT-5, OPT-3, OPT-6)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..rule import FIX_SAFE_AND_UNSAFE, Rule, RuleDoc, keyword_arg
from ._api_table import table, versions_line

# Reported by other rules.
_OWNED_ELSEWHERE = frozenset({"reset_states"})  # KRS202
_RNN = {"keras.layers.LSTM": "LSTM", "keras.layers.GRU": "GRU", "keras.layers.SimpleRNN": "SimpleRNN",
        "keras.layers.RNN": "RNN", "keras.layers.Bidirectional": "Bidirectional"}


class RemovedMethod(Rule):
    code = "KRS103"
    name = "removed-model-method"
    summary = "A method or attribute Keras 3 removed from a Keras model, layer or optimizer (`fit_generator`, `predict_classes`, `optimizer.lr`, ...)."
    fix_safety = FIX_SAFE_AND_UNSAFE
    doc = RuleDoc(
        what="""
            Flags removed methods and attributes on receivers the resolver knows are Keras objects:
            models (`keras.Sequential(...)`, `keras.Model(...)`, `load_model(...)`, subclasses,
            `self.model` in callbacks), `<model>.optimizer` and optimizer instances, RNN and other
            layer instances. The list is generated (public attributes of tf_keras 2.21's classes
            missing from Keras 3's classes and compiled instances) plus `predict_classes` /
            `predict_proba` (gone since TF 2.6). A method name on an object of unknown type is
            never flagged.
        """,
        why="""
                AttributeError: 'Sequential' object has no attribute 'fit_generator'
                AttributeError: 'SGD' object has no attribute 'lr'
        """,
        bad="""
            model.fit_generator(gen, steps_per_epoch=100, epochs=5)
            model.optimizer.lr = 1e-4
        """,
        good="""
            model.fit(gen, steps_per_epoch=100, epochs=5)
            model.optimizer.learning_rate = 1e-4
        """,
        fix="""
            **Safe**: `fit_generator` / `evaluate_generator` become `fit` / `evaluate` (same
            arguments) when the call passes none of `workers=`, `use_multiprocessing=`,
            `max_queue_size=` (Keras 3 rejects those; move them to a `PyDataset`);
            `optimizer.lr` becomes `optimizer.learning_rate`. Both spellings work in tf_keras
            too. **Unsafe**: `predict_generator` -> `predict`, because Keras 3 requires the
            generator to yield tuples (`(x,)`), where Keras 2 also took bare arrays.
            `predict_classes`, `minimize`, `get_updates`, ... are reported only.

            Note: *assigning* `model.optimizer.lr = v` raises nothing on Keras 3; it sets an
            unrelated attribute and training goes on at the old rate (measured by the evidence
            tier), which is why `optimizer.lr` is reported wherever it appears.
        """,
        sources=(
            "keras3_lint/data/api_table.json `methods` (generated: " + versions_line() + ")",
            "Checked: keras 3.15.1 `keras.Sequential().fit_generator` -> AttributeError: 'Sequential' object has no attribute 'fit_generator'",
            "Checked: keras 3.15.1 `keras.optimizers.SGD().lr` -> AttributeError: 'SGD' object has no attribute 'lr'",
        ),
        facts=("FIT-1", "FIT-5", "OPT-3", "OPT-6", "OPT-7", "LAY-13"),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._calls = {}

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):
            self._calls[id(node.func)] = node

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = node.attr.value
        data = table()
        if name not in data["method_names"] or name in _OWNED_ELSEWHERE:
            return
        owner = self._owner(node.value)
        if owner is None:
            return
        entry = data["methods"].get(f"{owner}.{name}")
        if entry is None and owner == "Sequential":
            entry = data["methods"].get(f"Model.{name}")
        if entry is None:
            return
        kind = "Model" if owner in ("Model", "Sequential") else owner
        message = f"`{kind}.{name}` does not exist in Keras 3 (AttributeError)"
        if entry.get("replacement"):
            message += f"; use `.{entry['replacement']}`"
        if entry.get("note"):
            message += f" ({entry['note']})"
        self.report(node, message, fix=self._fix(node, entry))

    def _fix(self, node: cst.Attribute, entry):
        if entry.get("fix") == "none":
            return None
        call = self._calls.get(id(node))
        blockers = [b for b in entry.get("drop_blockers", ()) if call is not None and keyword_arg(call, b) is not None]
        if blockers:
            return None
        make = self.safe_fix if entry["fix"] == "safe" else self.unsafe_fix
        return make(f"Use `.{entry['replacement']}`").replace(node.attr, entry["replacement"])

    def _owner(self, receiver: cst.BaseExpression) -> Optional[str]:
        resolver = self.ctx.resolver
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "optimizer":
            return "Optimizer" if resolver.value_type(receiver.value) in ("keras.Model", "keras.Sequential") else None
        kind = resolver.value_type(receiver)
        if kind is None:
            return None
        if kind == "keras.Sequential":
            return "Sequential"
        if kind == "keras.Model":
            return "Model"
        if kind in _RNN:
            return _RNN[kind]
        if kind.startswith("keras.optimizers.") and not kind.startswith("keras.optimizers.schedules."):
            return "Optimizer"
        if kind.startswith("keras.metrics."):
            return "Metric"
        if kind.startswith("keras.layers."):
            return "Layer"
        return None
