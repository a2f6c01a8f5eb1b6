"""KRS734: a Sequential model called on a tensor of another rank than its input (Keras 3 checks it)."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc, argument, keyword_arg

# A tensor's rank and the source text of its last dimension (None: unknown).
Rank = Tuple[int, Optional[str]]

_INPUTS = frozenset({"keras.Input", "keras.layers.Input"})
_MERGE_FUNCTIONS = frozenset(f"keras.layers.{n}" for n in ("multiply", "add", "subtract", "average", "maximum", "minimum"))
_MERGE_LAYERS = frozenset(f"keras.layers.{n}" for n in ("Multiply", "Add", "Subtract", "Average", "Maximum", "Minimum"))
_SAME_RANK = frozenset(f"keras.layers.{n}" for n in ("Activation", "Dropout", "BatchNormalization", "LeakyReLU", "ReLU"))


def _shape_rank(node: Optional[cst.BaseExpression], extra: int) -> Optional[Rank]:
    """A literal shape tuple/list: (its length + ``extra``, its last entry's text)."""
    if not isinstance(node, (cst.Tuple, cst.List)) or not node.elements:
        return None
    if any(isinstance(e, cst.StarredElement) for e in node.elements):
        return None
    last = cst.Module([]).code_for_node(node.elements[-1].value)
    return len(node.elements) + extra, last


def _argument_value(call: cst.Call, keyword: str, position: int = 0) -> Optional[cst.BaseExpression]:
    arg = argument(call, keyword, position)
    return arg.value if arg is not None else None


class ModelInputRankMismatch(Rule):
    code = "KRS734"
    name = "model-input-rank-mismatch"
    summary = "A Sequential model called on a tensor whose rank differs from its input's: Keras 2 let the first layer broadcast over the extra axis, Keras 3 raises."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `model(x)` where `model` is a `keras.Sequential` whose first layer states its
            input (`input_dim=`, `input_shape=` or a leading `keras.Input(shape=...)`), and the
            rank of `x` is known from the code that built it and differs: `keras.Input(shape=...)`,
            an `Embedding` (which adds an axis), `Dense`, `Flatten`, activation/dropout/
            normalization layers, and the merge layers (`multiply`, `add`, ... of tensors, the
            largest rank wins). Not flagged: the one-axis differences Keras 3 adjusts by itself
            (an extra last axis of size 1, or a missing one where the model expects size 1),
            and every tensor whose rank the rule cannot read.
        """,
        why="""
            A Keras 3 model checks the shape of what it is called on against its `Input`; Keras 2
            let the first layer apply to the extra axis (a `Dense` on `(batch, 1, 100)` gives
            `(batch, 1, units)`, and a following `Reshape` hid it). The classic case is a
            conditional GAN that multiplies the noise `(batch, 100)` by an `Embedding` of the
            label `(batch, 1, 100)` and feeds the product to the generator:

                ValueError: Input 0 with name 'input_layer' of layer 'functional' is incompatible with the layer: expected shape=(None, 100), found shape=(None, 1, 100)
        """,
        bad="""
            generator = keras.Sequential()
            generator.add(keras.layers.Dense(3 * 3 * 384, input_dim=100, activation="relu"))
            generator.add(keras.layers.Reshape((3, 3, 384)))
            label = keras.Input(shape=(1,), dtype="int32")
            noise = keras.Input(shape=(100,))
            h = keras.layers.multiply([noise, keras.layers.Embedding(10, 100)(label)])
            image = generator(h)
        """,
        good="""
            embedded = keras.layers.Flatten()(keras.layers.Embedding(10, 100)(label))
            h = keras.layers.multiply([noise, embedded])
            image = generator(h)
        """,
        fix="""
            None: whether to flatten the tensor, reshape it or give the model another input shape
            depends on what the model should compute.
        """,
        sources=(
            "Checked: keras 3.15.1 calling a `Sequential` built with `input_dim=100` on the product of an `Input((100,))` and an `Embedding(10, 100)` of an `Input((1,))` raises the ValueError quoted above; tf_keras 2.21 builds the model (tests/evidence/test_input_rank_krs734.py)",
            "keras 3.15.1 `keras/src/models/functional.py` `_adjust_input_rank`: only a difference of one axis of size 1 is adjusted",
            "Seen: keras-team/keras 2.3.1 `examples/mnist_acgan.py` (scripts/run_programs.py)",
        ),
        facts=(),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._first_layers: Dict[int, cst.Call] = {}  # id(model's assigned value) -> its first layer call

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add" and isinstance(func.value, cst.Name):
            model = self._sequential(func.value)
            layer = node.args[0].value if node.args else None
            if model is not None and isinstance(layer, cst.Call):
                self._first_layers.setdefault(id(model), layer)
            return
        if not isinstance(func, cst.Name) or len(node.args) != 1 or node.args[0].keyword is not None:
            return
        model = self._sequential(func)
        if model is None:
            return
        expected = self._expected_rank(model)
        got = self._rank(node.args[0].value, 0)
        if expected is None or got is None or expected[0] == got[0]:
            return
        if got[0] == expected[0] + 1 and got[1] == "1" or got[0] == expected[0] - 1 and expected[1] == "1":
            return  # Keras 3 squeezes or expands one axis of size 1 itself
        self.report(
            node,
            f"Keras 3 checks the rank of a model's input: `{func.value}` expects rank {expected[0]}, this tensor "
            f"has rank {got[0]} (`ValueError: Input 0 ... is incompatible with the layer: expected shape=..., "
            "found shape=...`); Keras 2 let the first layer apply to the extra axis. No automatic fix: "
            "flatten or reshape the tensor to the model's input shape (`Flatten()` after an `Embedding` "
            "of length 1), or build the model for this rank",
        )

    # -- the model -------------------------------------------------------------------------------
    def _sequential(self, name: cst.Name) -> Optional[cst.Call]:
        assigned = self.ctx.resolver.assigned_value(name)
        if assigned is None:
            return None
        value, scope, _ = assigned
        if isinstance(value, cst.Call) and self.ctx.resolver.call_name(value, scope) == "keras.Sequential":
            return value
        return None

    def _expected_rank(self, model: cst.Call) -> Optional[Rank]:
        first = self._first_layers.get(id(model))
        layers = _argument_value(model, "layers")
        if isinstance(layers, (cst.List, cst.Tuple)) and layers.elements:
            element = layers.elements[0].value
            first = element if isinstance(element, cst.Call) else None
        if first is None:
            return None
        name = self.ctx.call_name(first)
        if name in _INPUTS:
            return _shape_rank(_argument_value(first, "shape"), 1)
        input_dim = keyword_arg(first, "input_dim")
        if input_dim is not None:
            return 2, self.ctx.code_for(input_dim.value)
        input_shape = keyword_arg(first, "input_shape")
        return _shape_rank(input_shape.value, 1) if input_shape is not None else None

    # -- the tensor ------------------------------------------------------------------------------
    def _rank(self, node: cst.BaseExpression, depth: int) -> Optional[Rank]:
        if depth > 8:
            return None
        if isinstance(node, cst.Name):
            assigned = self.ctx.resolver.assigned_value(node)
            return self._rank(assigned[0], depth + 1) if assigned is not None else None
        if not isinstance(node, cst.Call):
            return None
        name = self.ctx.call_name(node)
        if name in _INPUTS:
            return _shape_rank(_argument_value(node, "shape"), 1)
        if name in _MERGE_FUNCTIONS:
            return self._merged(_argument_value(node, "inputs"), depth)
        if not isinstance(node.func, cst.Call) or len(node.args) != 1:
            return None
        layer = node.func  # `Layer(...)(x)`
        kind = self.ctx.call_name(layer)
        x = node.args[0].value
        if kind in _MERGE_LAYERS:
            return self._merged(x, depth)
        inner = self._rank(x, depth + 1)
        if inner is None:
            return None
        if kind == "keras.layers.Embedding":
            dim = _argument_value(layer, "output_dim", 1)
            return inner[0] + 1, self.ctx.code_for(dim) if dim is not None else None
        if kind == "keras.layers.Dense":
            units = _argument_value(layer, "units")
            return inner[0], self.ctx.code_for(units) if units is not None else None
        if kind == "keras.layers.Flatten":
            return 2, None
        if kind in _SAME_RANK:
            return inner
        return None

    def _merged(self, tensors: Optional[cst.BaseExpression], depth: int) -> Optional[Rank]:
        if not isinstance(tensors, (cst.List, cst.Tuple)) or len(tensors.elements) < 2:
            return None
        ranks = [self._rank(e.value, depth + 1) for e in tensors.elements]
        if any(r is None for r in ranks):
            return None
        return max(ranks, key=lambda r: r[0])
