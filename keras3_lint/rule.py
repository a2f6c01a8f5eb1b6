"""What a rule is and what it may use.

A rule is a class in ``keras3_lint/rules/``: metadata and documentation as class attributes, and
LibCST-style ``visit_<Node>`` / ``leave_<Node>`` methods. All enabled rules share ONE visit of the
module. A rule sees the parsed module, the resolver (``self.ctx``) and ``self.report(...)``; it
knows nothing about files, output formats or flake8. Checks that need the whole module (e.g. the
target backends, or something defined further down) go in ``finish()``.

Fixes are built from CST nodes (``FixBuilder``) and become text edits after the visit, only for
files that reported something.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, List, Optional, Sequence, Tuple, Union

import libcst as cst

from .backends import ALL_BACKENDS
from .diagnostics import CONFIDENCES, HIGH, MEDIUM, SAFE, UNSAFE  # noqa: F401 (MEDIUM: for rules)
from .config import Settings
from .resolver import Resolver, Scope, dotted_name

FIX_SAFE = "safe"
FIX_UNSAFE = "unsafe"
FIX_NONE = "none"
FIX_SAFE_AND_UNSAFE = "safe and unsafe"


@dataclass(frozen=True)
class RuleDoc:
    """The rule's reference page. ``why`` quotes the exact Keras 3 error where there is one."""

    what: str
    why: str
    bad: str
    good: str
    fix: str
    sources: Tuple[str, ...]
    facts: Tuple[str, ...] = ()  # ids in KERAS3_FACTS.md, e.g. ("STATEFUL-1",)


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case, stable
    summary: ClassVar[str]  # one line, for `keras3-lint rules`
    fix_safety: ClassVar[str] = FIX_NONE
    # "error": breaks or silently changes results on Keras 3; "warning": lower severity (works
    # today but is fragile, or costs reproducibility/memory rather than correctness).
    severity: ClassVar[str] = "error"
    backends: ClassVar[Tuple[str, ...]] = ALL_BACKENDS  # where the hazard bites
    doc: ClassVar[RuleDoc]

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        fix: Optional["FixBuilder"] = None,
        confidence: str = HIGH,
    ) -> None:
        """``confidence``: HIGH where the resolver proved the Keras object, MEDIUM where a
        Keras-2-only name on an unknown receiver, or an inferred value, is the evidence."""
        assert confidence in CONFIDENCES, confidence
        self.ctx.reports.append(Report(self.code, node, message, fix, confidence))

    def finish(self) -> None:
        """Called once after the visit, with the whole module's facts known."""

    # Fix builders, so a rule reads `self.safe_fix("…").replace(node, new)`.
    @staticmethod
    def safe_fix(message: str) -> "FixBuilder":
        return FixBuilder(SAFE, message)

    @staticmethod
    def unsafe_fix(message: str) -> "FixBuilder":
        return FixBuilder(UNSAFE, message)


@dataclass
class Report:
    code: str
    node: cst.CSTNode
    message: str
    fix: Optional["FixBuilder"]
    confidence: str = HIGH


@dataclass
class NodeEdit:
    kind: str  # "replace" (whole node), "replace_span" (syntactic span), "insert_before", "insert_after", "delete"
    node: cst.CSTNode
    content: Union[str, cst.CSTNode] = ""


@dataclass
class FixBuilder:
    applicability: str
    message: str
    edits: List[NodeEdit] = field(default_factory=list)

    def replace(self, node: cst.CSTNode, new: Union[str, cst.CSTNode]) -> "FixBuilder":
        """A CST node replaces the node with all its owned whitespace (render with the module's
        code generator); a string replaces the node's syntactic span only."""
        kind = "replace" if isinstance(new, cst.CSTNode) else "replace_span"
        self.edits.append(NodeEdit(kind, node, new))
        return self

    def insert_before(self, node: cst.CSTNode, text: str) -> "FixBuilder":
        self.edits.append(NodeEdit("insert_before", node, text))
        return self

    def insert_after(self, node: cst.CSTNode, text: str) -> "FixBuilder":
        self.edits.append(NodeEdit("insert_after", node, text))
        return self

    def remove_arg(self, call: cst.Call, arg: cst.Arg) -> "FixBuilder":
        return self.replace(call, without_args(call, [arg]))


def without_args(call: cst.Call, remove: Sequence[cst.Arg]) -> cst.Call:
    """The call with some arguments removed, commas and trailing-comma style kept."""
    remove_ids = {id(a) for a in remove}
    args = list(call.args)
    kept: List[cst.Arg] = []
    for index, arg in enumerate(args):
        if id(arg) in remove_ids:
            is_last_remaining = all(id(a) in remove_ids for a in args[index + 1:])
            if is_last_remaining and kept:
                kept[-1] = kept[-1].with_changes(comma=arg.comma)
            continue
        kept.append(arg)
    return call.with_changes(args=kept)


def keyword_arg(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def is_true(node: Optional[cst.BaseExpression]) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def string_value(node: Optional[cst.BaseExpression]) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class Context:
    """What rules may ask about the module being checked."""

    def __init__(
        self,
        module: cst.Module,
        resolver: Resolver,
        backends: Sequence[str],
        keras_version: Tuple[int, ...] = (3, 15, 1),
        settings: Optional["Settings"] = None,
    ) -> None:
        self.module = module
        # The run's settings (reproducible, legacy-keras, ...); a default Settings() in unit tests.
        self.settings = settings if settings is not None else Settings()
        self.resolver = resolver
        self.config_backends = tuple(backends)
        # The Keras 3 version the code will run on (configured, from the project's pins, or the
        # newest): version-gated rules compare against it, e.g. `ctx.keras_version < (3, 12)`.
        self.keras_version = tuple(keras_version)
        self.reports: List[Report] = []
        self._extra_backends: List[str] = []

    # Name questions are answered by the resolver; these are shortcuts.
    def keras_name(self, node: cst.CSTNode) -> Optional[str]:
        return self.resolver.keras_name(node)

    def call_name(self, call: cst.Call) -> Optional[str]:
        return self.resolver.call_name(call)

    def qualified_name(self, node: cst.CSTNode) -> Optional[str]:
        return self.resolver.qualified_name(node)

    @property
    def scope(self) -> Scope:
        return self.resolver.scope

    def code_for(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    # Backends: the configured ones plus what the file itself selects (KERAS_BACKEND, jax/torch
    # imports). Complete only in finish().
    def note_backend(self, backend: str) -> None:
        if backend not in self._extra_backends:
            self._extra_backends.append(backend)

    @property
    def targets(self) -> Tuple[str, ...]:
        found = list(self.config_backends)
        for module in self.resolver.imported_modules:
            top = module.split(".")[0]
            if top in ("jax", "torch") and top not in found:
                found.append(top)
        for assignment in self.resolver.env_assignments:
            if assignment.name == "KERAS_BACKEND" and assignment.value:
                backend = assignment.value.strip().lower()
                if backend in ALL_BACKENDS and backend not in found:
                    found.append(backend)
        for backend in self._extra_backends:
            if backend not in found:
                found.append(backend)
        return tuple(found)

    def targets_any(self, backends: Sequence[str]) -> bool:
        return any(b in self.targets for b in backends)

    # Reference a Keras symbol with the names this file already has, or import it.
    def import_for(self, canonical: str, origin: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
        """(reference, import statement) for a Keras symbol the file cannot reach yet; the
        reference is the bare name, so it must not be bound anywhere in the module."""
        module, _, name = canonical.rpartition(".")
        if self.resolver.last_import is None or self.resolver.scope.lookup(name) is not None:
            return None, None
        if name in self.resolver.module_scope.names:
            return None, None
        package = "tensorflow." + module if origin == "tf.keras" else module
        return name, f"from {package} import {name}"

    def add_import(self, fix: "FixBuilder", statement: str) -> None:
        """Add an import next to the module's last top-level import (after it if that one is a
        ``__future__`` import, which must stay first)."""
        anchor = self.resolver.last_import
        assert anchor is not None
        first = anchor.body[0]
        if isinstance(first, cst.ImportFrom) and import_is_future(first):
            fix.insert_after(anchor, "\n" + statement)
        else:
            fix.insert_before(anchor, statement + "\n")

    # Reference a Keras symbol with the names this file already has.
    def keras_reference(self, canonical: str, like: Optional[cst.CSTNode] = None) -> Optional[str]:
        """Source text naming ``canonical`` (e.g. "keras.Input") through an existing import,
        spelled like the expression ``like`` where possible (``tf.keras.…`` next to
        ``tf.keras.…``), or None when the file has no binding that reaches it."""
        return find_reference(self.resolver, canonical, like)


def import_is_future(node: cst.ImportFrom) -> bool:
    return isinstance(node.module, cst.Name) and node.module.value == "__future__"


def find_reference(resolver: Resolver, canonical: str, like: Optional[cst.CSTNode] = None) -> Optional[str]:
    """Search the visible bindings for a prefix of ``canonical``'s Keras module path."""
    assert canonical.startswith("keras")
    like_dotted = dotted_name(like) if like is not None else None
    prefer_head = like_dotted.split(".")[0] if like_dotted else None
    resolved_like = resolver.resolve(like) if like is not None else None
    prefer_origin = resolved_like.origin if resolved_like is not None else None
    candidates: List[Tuple[int, int, str]] = []
    scope: Optional[Scope] = resolver.scope
    seen = set()
    while scope is not None:
        for local, binding in scope.names.items():
            if local in seen or binding.imported is None:
                continue
            resolved = resolver.resolve_dotted(local)
            if resolved is None or not resolved.is_keras3:
                continue
            prefix = resolved.canonical
            if canonical == prefix or canonical.startswith(prefix + "."):
                rest = canonical[len(prefix):]
                rank = 0 if local == prefer_head else 1 if resolved.origin == prefer_origin else 2
                candidates.append((rank, len(rest), local + rest))
        seen.update(scope.names)
        scope = scope.parent
    # `import tensorflow as tf` reaches everything as tf.keras.…
    for local, binding in resolver.scope.module_scope().names.items():
        if binding.imported == "tensorflow" and resolver.resolve_dotted(local) is not None:
            rank = 0 if local == prefer_head else 1 if prefer_origin == "tf.keras" else 2
            candidates.append((rank, len(canonical) + 3, local + "." + canonical))
    if not candidates:
        return None
    candidates.sort()
    return candidates[0][2]
