"""Shared helpers for the saving/loading and training-loop rules (KRS7xx).

- ``classify`` tells what a call does with a file path (save, save_weights, load_model,
  load_weights, a ModelCheckpoint) when its receiver is a Keras model or the callee is the Keras
  function, and finds the path argument;
- ``path_info`` is what is known of that argument's text (``keras3_lint.values``: literals, names,
  f-strings, ``%``, ``.format``, ``+``, ``os.path.join``, ``pathlib``, parameter defaults);
- ``replace_tail`` / ``renamed_weights`` rewrite the tail of such a literal (``"w.h5"`` -> ``"w.weights.h5"``);
- ``output_count`` counts the outputs of a functional ``keras.Model(inputs, [a, b])``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

import libcst as cst

from ..diagnostics import HIGH, MEDIUM
from ..rule import argument, keyword_arg
from ..values import TextValue, text_value

SAVE = "save"
SAVE_WEIGHTS = "save_weights"
LOAD_MODEL = "load_model"
LOAD_WEIGHTS = "load_weights"
CHECKPOINT = "checkpoint"
# `x.save(path)` / `x.save_weights(path)` on a receiver not known to be a Keras model: reported by
# no rule, but a file that writes a path itself is not loading a Keras 2 artifact from it.
OTHER_SAVE = "other save"

_SAVE_FUNCTIONS = frozenset({"keras.models.save_model", "keras.saving.save_model"})
_LOAD_FUNCTIONS = frozenset({"keras.models.load_model", "keras.saving.load_model"})
_CHECKPOINT = "keras.callbacks.ModelCheckpoint"

MODEL_EXTENSIONS = (".keras", ".h5", ".hdf5")  # what Keras 3 save()/load_model() accept
H5_EXTENSIONS = (".h5", ".hdf5")

# What is known of a path's text. Keras 3's `.keras` / `.weights.h5` writers do not create
# missing folders, where Keras 2's SavedModel and TF-checkpoint writers did (evidence tier:
# `save_weights("ckpt/w.weights.h5")` -> FileNotFoundError), so a rename is only
# behaviour-preserving for a bare file name (``PathInfo.bare_file_name``).
PathInfo = TextValue


def confidence_of(info: Optional[PathInfo], needed: Tuple[str, ...] = ()) -> str:
    """HIGH where the path's end is determined, or every value it may have lacks the ``needed``
    ending; MEDIUM where only some of its values do (a branch, a parameter's default)."""
    if info is None or info.certain or (needed and info.always_lacks(needed)):
        return HIGH
    return MEDIUM


def shown(info: PathInfo, fallback: str = "the path") -> str:
    return f"`{info.value}`" if info.value is not None else fallback


@dataclass
class PathCall:
    kind: str
    call: cst.Call
    arg: Optional[cst.Arg]
    info: Optional[PathInfo]


def classify(ctx, call: cst.Call) -> Optional[PathCall]:
    """The call as a save/load of a path, or None. Every saving rule asks about every call at
    the same point of the walk, so the answer is computed once per call."""
    try:
        cache = ctx.saving_calls
    except AttributeError:
        cache = ctx.saving_calls = {}
    found = cache.get(id(call))
    if found is None:
        found = cache[id(call)] = (call, _classify(ctx, call))  # the node keeps its id unique
    return found[1]


def _classify(ctx, call: cst.Call) -> Optional[PathCall]:
    func = call.func
    kind: Optional[str] = None
    position = 0
    if isinstance(func, cst.Attribute) and func.attr.value in (SAVE, SAVE_WEIGHTS, LOAD_WEIGHTS):
        if ctx.call_name(call) is None:
            if ctx.resolver.is_keras_model(func.value):
                kind = func.attr.value
            elif func.attr.value != LOAD_WEIGHTS:
                kind = OTHER_SAVE
    if kind is None:
        name = ctx.call_name(call)
        if name in _SAVE_FUNCTIONS:
            kind, position = SAVE, 1
        elif name in _LOAD_FUNCTIONS:
            kind = LOAD_MODEL
        elif name == _CHECKPOINT:
            kind = CHECKPOINT
        else:
            return None
    arg = argument(call, "filepath", position)
    info = path_info(ctx, arg.value, call) if arg is not None else None
    return PathCall(kind, call, arg, info)


def path_info(ctx, node: cst.BaseExpression, use: Optional[cst.CSTNode] = None) -> Optional[PathInfo]:
    """What is known of the text of a path expression (None: nothing)."""
    return text_value(ctx.resolver, node, use)


def replace_tail(ctx, info: PathInfo, old: str, new: str) -> Optional[Tuple[cst.BaseExpression, str]]:
    """(node, new source) for the literal holding ``info.tail`` with its ending ``old``
    replaced by ``new``, or None when the source text cannot be edited mechanically."""
    node = info.literal
    if node is None or not info.tail.endswith(old):
        return None
    code = ctx.code_for(node)
    if isinstance(node, cst.SimpleString):
        quote = node.quote
        prefix = node.prefix.lower()
        if "b" in prefix:
            return None
    elif isinstance(node, cst.FormattedString):
        quote = node.end
    else:
        return None
    body_end = len(code) - len(quote)
    body = code[:body_end]
    if not body.endswith(old) or "\\" in old:
        return None
    if old and "\\" in body[len(body) - len(old) - 1: len(body) - len(old)]:
        return None
    return node, body[: len(body) - len(old)] + new + code[body_end:]


def path_key(info: Optional[PathInfo], ctx) -> Optional[str]:
    return info.key if info is not None else None


def with_keyword(call: cst.Call, name: str, value: str) -> cst.Call:
    """The call with ``name=value`` appended (trailing comma style kept)."""
    args = list(call.args)
    new = cst.Arg(
        keyword=cst.Name(name),
        value=cst.parse_expression(value),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    if args:
        last = args[-1]
        if isinstance(last.comma, cst.Comma):
            new = new.with_changes(comma=last.comma)
            args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        else:
            args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return call.with_changes(args=args + [new])


# -- models ----------------------------------------------------------------------------------


def _count_outputs(ctx, node: cst.BaseExpression, scope, depth: int = 0) -> Optional[int]:
    if isinstance(node, (cst.List, cst.Tuple)):
        if any(isinstance(e, cst.StarredElement) for e in node.elements):
            return None
        return len(node.elements)
    if isinstance(node, cst.Dict):
        if any(not isinstance(e, cst.DictElement) for e in node.elements):
            return None
        return len(node.elements)
    if isinstance(node, cst.Name) and depth < 4:
        assigned = ctx.resolver.assigned_value(node, scope)
        if assigned is None:
            return None
        value, value_scope, _ = assigned
        return _count_outputs(ctx, value, value_scope, depth + 1)
    return None


def model_call(ctx, receiver: cst.BaseExpression) -> Optional[Tuple[cst.Call, object]]:
    """The ``keras.Model(...)`` call a name was assigned (and the scope it is read in)."""
    if not isinstance(receiver, cst.Name):
        return None
    assigned = ctx.resolver.assigned_value(receiver)
    if assigned is None:
        return None
    value, value_scope, _ = assigned
    if isinstance(value, cst.Call) and ctx.resolver.call_name(value, value_scope) == "keras.Model":
        return value, value_scope
    return None


def output_count(ctx, receiver: cst.BaseExpression) -> Optional[int]:
    """Number of outputs of the functional model a name holds, when a literal says it."""
    found = model_call(ctx, receiver)
    if found is None:
        return None
    call, scope = found
    outputs = keyword_arg(call, "outputs")
    if outputs is None:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        outputs = positional[1] if len(positional) > 1 else None
    if outputs is None:
        return None
    return _count_outputs(ctx, outputs.value, scope)


def receiver_name(call: cst.Call, method: str) -> Optional[cst.BaseExpression]:
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == method:
        return func.value
    return None


def literal_bool(arg: Optional[cst.Arg]) -> Optional[bool]:
    if arg is None:
        return None
    value = arg.value
    if isinstance(value, cst.Name) and value.value in ("True", "False"):
        return value.value == "True"
    return None


def dedupe_edits(pairs: List[Tuple[cst.CSTNode, str]]) -> List[Tuple[cst.CSTNode, str]]:
    seen = set()
    result = []
    for node, text in pairs:
        if id(node) in seen:
            continue
        seen.add(id(node))
        result.append((node, text))
    return result


class PathCollector:
    """Mixin for rules that decide in ``finish()``: every save/load call of the module."""

    def visit_Call(self, node: cst.Call) -> None:
        found = classify(self.ctx, node)
        if found is not None:
            self.path_calls.append(found)
        self.on_call(node)

    def on_call(self, node: cst.Call) -> None:
        """Rules that need other calls too override this."""

    @property
    def path_calls(self) -> List[PathCall]:
        calls = self.__dict__.get("_path_calls")
        if calls is None:
            calls = self.__dict__["_path_calls"] = []
        return calls

    def calls_of(self, *kinds: str) -> List[PathCall]:
        return [c for c in self.path_calls if c.kind in kinds]

    def written_here(self, info: Optional[PathInfo]) -> bool:
        """The file itself writes this path (a Keras save or checkpoint, or a `.save(...)` on an
        object of unknown type): on Keras 3 that file is a Keras 3 file."""
        return bool(self.same_path(info, SAVE, CHECKPOINT, OTHER_SAVE))

    def same_path(self, info: Optional[PathInfo], *kinds: str) -> List[PathCall]:
        key = path_key(info, self.ctx)
        if key is None:
            return []
        return [c for c in self.calls_of(*kinds) if path_key(c.info, self.ctx) == key]


def renamed_weights(ctx, info: Optional[PathInfo]) -> Optional[Tuple[cst.BaseExpression, str]]:
    """The edit giving a weights path the ``.weights.h5`` ending Keras 3 requires."""
    if info is None:
        return None
    for old in (".weights.hdf5", ".hdf5", ".h5"):
        if info.tail.endswith(old):
            return replace_tail(ctx, info, old, ".weights.h5")
    return replace_tail(ctx, info, "", ".weights.h5")
