"""The output layer of a `keras.Sequential` model built in the same block as a call on it.

Used by KRS103 to rewrite Keras 2's `Sequential.predict_classes(x)`, whose result depends only on
the width of the last axis of the output (keras 2.3.1 `keras/engine/sequential.py`:
`argmax(axis=-1)` when `proba.shape[-1] > 1`, else `(proba > 0.5).astype('int32')`).

Only what is provable from the source counts: the model is bound once by `NAME =
Sequential([...])` / `Sequential()`, its layers are the list's elements and the `NAME.add(LAYER)`
statements of that block that run before the call, and the last layer that sets the width is a
`Dense(units)` (possibly inside `TimeDistributed`) followed only by layers that keep the width.
Anything else (a layer held in a variable, an `add` under an `if` or a loop, `NAME.pop()`, the
model passed to a function of the file) makes the width unknown. Computed only for files with a
`predict_classes` finding, so the parent map costs nothing elsewhere.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Dict, List, Optional, Union

import libcst as cst

# Layers whose output has the width of their input (the last axis is kept).
_WIDTH_KEEPING = frozenset(
    "keras.layers." + name
    for name in (
        "Activation", "Softmax", "ReLU", "LeakyReLU", "PReLU", "ELU", "Dropout", "AlphaDropout",
        "GaussianDropout", "GaussianNoise", "ActivityRegularization", "BatchNormalization",
        "LayerNormalization",
    )
)
_ACTIVATION_LAYERS = {"keras.layers.Activation": None, "keras.layers.Softmax": "softmax"}
UNKNOWN = object()  # a layer whose width cannot be read


@dataclass(frozen=True)
class Output:
    """What is known of the model's output: ``width`` is an int, "len" (a `len(...)` whose value
    is not known) or None; ``activation`` the last activation's name when it is a string."""

    width: Union[int, str, None]
    activation: Optional[str]


class _Parents(cst.CSTVisitor):
    def __init__(self) -> None:
        self.parent: Dict[int, cst.CSTNode] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        for child in node.children:
            self.parent[id(child)] = node
        return True


class SequentialOutput:
    """Per file: answers `output(ctx, receiver, call)`; builds the parent map on first use."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._parents: Optional[Dict[int, cst.CSTNode]] = None

    def _parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        if self._parents is None:
            visitor = _Parents()
            self._module.visit(visitor)
            self._parents = visitor.parent
        return self._parents.get(id(node))

    def output(self, ctx, receiver: cst.BaseExpression, call: cst.Call) -> Optional[Output]:
        """The output of the Sequential model ``receiver`` (a name) at ``call``, or None."""
        resolver = ctx.resolver
        if not isinstance(receiver, cst.Name):
            return None
        binding = resolver.scope.lookup(receiver.value)
        if binding is None or binding.scope is not resolver.scope or not isinstance(binding.value, cst.Call):
            return None
        if resolver.value_type(binding.value) != "keras.Sequential":
            return None
        block, start = self._statement_in_block(binding.value)
        if block is None:
            return None
        anchor = self._ancestor_in(call, block)
        if anchor is None:
            return None
        end = _index(block, anchor)
        if end is None or end <= start:
            return None
        # `Sequential([...])` lists its layers; a function returning a Sequential does not say.
        direct = ctx.call_name(binding.value) == "keras.Sequential"
        layers = _initial_layers(binding.value) if direct else [UNKNOWN]
        name = receiver.value
        for stmt in list(block[start + 1:end]) + [anchor]:
            added = _direct_add(stmt, name) if stmt is not anchor else None
            if added is not None:
                layers.append(added)
            elif _changes_model(stmt, name, resolver):
                layers.append(UNKNOWN)
        return _read_output(ctx, layers)

    def _statement_in_block(self, node: cst.CSTNode):
        """(the statements of the block holding ``node``'s statement, that statement's index)."""
        child, parent = node, self._parent(node)
        while parent is not None and not isinstance(parent, cst.SimpleStatementLine):
            if isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.BaseCompoundStatement)):
                return None, -1
            child, parent = parent, self._parent(parent)
        if parent is None:
            return None, -1
        block = self._parent(parent)
        if not isinstance(block, (cst.Module, cst.IndentedBlock)):
            return None, -1
        return block.body, _index(block.body, parent)

    def _ancestor_in(self, node: cst.CSTNode, block) -> Optional[cst.CSTNode]:
        """The statement of ``block`` that holds ``node``, not across a def, class or lambda."""
        ids = {id(s) for s in block}
        current = node
        while current is not None and id(current) not in ids:
            if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                return None
            current = self._parent(current)
        return current


def _index(block, stmt) -> Optional[int]:
    for index, candidate in enumerate(block):
        if candidate is stmt:
            return index
    return None


def _initial_layers(construct: cst.Call) -> List[object]:
    for arg in construct.args:
        if (arg.keyword is None and arg is construct.args[0]) or (arg.keyword is not None and arg.keyword.value == "layers"):
            if not isinstance(arg.value, cst.List) or any(isinstance(e, cst.StarredElement) for e in arg.value.elements):
                return [UNKNOWN]
            return [e.value for e in arg.value.elements]
    return []


def _direct_add(stmt: cst.CSTNode, name: str) -> Optional[cst.BaseExpression]:
    """LAYER of a statement that is exactly `NAME.add(LAYER)`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1 or not isinstance(stmt.body[0], cst.Expr):
        return None
    call = stmt.body[0].value
    if (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and isinstance(call.func.value, cst.Name)
        and call.func.value.value == name
        and call.func.attr.value == "add"
        and len(call.args) == 1
        and call.args[0].keyword is None
        and call.args[0].star == ""
    ):
        return call.args[0].value
    return None


class _Changes(cst.CSTVisitor):
    """Does a statement add or remove layers of NAME, rebind it, or pass it to the file's own
    functions (which may add layers)?"""

    def __init__(self, name: str, resolver) -> None:
        self.name = name
        self.resolver = resolver
        self.found = False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == self.name:
            if func.attr.value in ("add", "pop"):
                self.found = True
        if isinstance(func, cst.Name) and any(isinstance(a.value, cst.Name) and a.value.value == self.name for a in node.args):
            binding = self.resolver.scope.lookup(func.value)
            if binding is None and hasattr(builtins, func.value):
                return  # print(model), isinstance(model, ...)
            if binding is None or binding.imported is None:
                self.found = True  # a function of this file (or unknown) gets the model

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if any(isinstance(n, cst.Name) and n.value == self.name for n in _names(node.target)):
            self.found = True


def _names(target: cst.BaseExpression):
    if isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names(element.value)
    else:
        yield target


def _changes_model(stmt: cst.CSTNode, name: str, resolver) -> bool:
    visitor = _Changes(name, resolver)
    stmt.visit(visitor)
    return visitor.found


def _read_output(ctx, layers: List[object]) -> Optional[Output]:
    activation: Optional[str] = None
    seen_activation = False
    for layer in reversed(layers):
        if layer is UNKNOWN or not isinstance(layer, cst.Call):
            return None
        kind = ctx.call_name(layer)
        if kind == "keras.layers.TimeDistributed" and layer.args:
            inner = layer.args[0].value
            if not isinstance(inner, cst.Call):
                return None
            layer, kind = inner, ctx.call_name(inner)
        if kind in _WIDTH_KEEPING:
            if kind in _ACTIVATION_LAYERS and not seen_activation:
                seen_activation = True
                activation = _ACTIVATION_LAYERS[kind] or _string_arg(layer, 0, "activation")
            continue
        if kind != "keras.layers.Dense":
            return None
        if not seen_activation:
            activation = _string_arg(layer, 1, "activation")
        return Output(_units(ctx, layer), activation)
    return None


def _arg(call: cst.Call, position: int, keyword: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None]
    if any(a.star for a in positional[: position + 1]):
        return None
    return positional[position].value if len(positional) > position else None


def _string_arg(call: cst.Call, position: int, keyword: str) -> Optional[str]:
    value = _arg(call, position, keyword)
    if isinstance(value, cst.SimpleString):
        return value.evaluated_value
    return None


def _units(ctx, dense: cst.Call) -> Union[int, str, None]:
    value = _literal(ctx, _arg(dense, 0, "units"))
    if isinstance(value, cst.Integer):
        return int(value.evaluated_value)
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "len":
        if ctx.resolver.scope.lookup("len") is not None or len(value.args) != 1:
            return None  # `len` rebound by the file
        sized = _literal(ctx, value.args[0].value)
        if isinstance(sized, cst.SimpleString) and isinstance(sized.evaluated_value, str):
            return len(sized.evaluated_value)
        if isinstance(sized, (cst.List, cst.Tuple)) and not any(isinstance(e, cst.StarredElement) for e in sized.elements):
            return len(sized.elements)
        return "len"
    return None


def _literal(ctx, value: Optional[cst.BaseExpression]) -> Optional[cst.BaseExpression]:
    """``value``, or what a name bound once (by a plain assignment, in the scope the call reads
    it from) holds."""
    if not isinstance(value, cst.Name):
        return value
    binding = ctx.resolver.scope.lookup(value.value)
    if binding is None or binding.previous is not None or binding.value is None:
        return None
    return binding.value
