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
from typing import Callable, ClassVar, List, Optional, Sequence, Tuple, Type, Union

import libcst as cst

from .backends import ALL_BACKENDS
from .diagnostics import CONFIDENCES, HIGH, MEDIUM, SAFE, UNSAFE  # noqa: F401 (MEDIUM: for rules)
from .config import Settings
from .resolver import Resolver, Scope, _prebind_module_imports, canonicalize, dotted_name

FIX_SAFE = "safe"
FIX_UNSAFE = "unsafe"
FIX_NONE = "none"
FIX_SAFE_AND_UNSAFE = "safe and unsafe"

# Starts the message of a Keras 3 hazard in a file that runs on Keras 2 through the flag.
LEGACY_KERAS_NOTE = "This file runs on Keras 2 through TF_USE_LEGACY_KERAS; it breaks when the flag goes: "


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
    # Off by default, enabled only by its exact code (must be listed in selection.OPT_IN).
    opt_in: ClassVar[bool] = False
    # A hazard of running on Keras 3. In a file that runs on Keras 2 through TF_USE_LEGACY_KERAS
    # the engine says so in the message, or drops the finding (`legacy-keras = "ignore"`).
    # False for rules about the environment itself (KRS8xx).
    keras3_hazard: ClassVar[bool] = True
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


def sole_expression(statement: Optional[cst.SimpleStatementLine], call: cst.Call) -> Optional[cst.Expr]:
    """The expression statement when ``call`` is all that ``statement`` holds (``x.f(...)`` on a
    line of its own), so a fix may replace the whole statement; else None."""
    if statement is None or len(statement.body) != 1:
        return None
    only = statement.body[0]
    return only if isinstance(only, cst.Expr) and only.value is call else None


def keyword_arg(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def argument(call: cst.Call, keyword: str, position: int = 0) -> Optional[cst.Arg]:
    """The argument passed as ``keyword=`` or, failing that, the ``position``-th positional one."""
    arg = keyword_arg(call, keyword)
    if arg is not None:
        return arg
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position] if len(positional) > position else None


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
        self._legacy_keras: Optional[bool] = None
        self._order: Optional["ModuleOrder"] = None

    @property
    def runs_on_legacy_keras(self) -> bool:
        """A true ``TF_USE_LEGACY_KERAS`` is set at module level before TensorFlow loads, so this
        file's ``tf.keras`` is tf_keras (Keras 2) today (see rules/_environment.py)."""
        if self._legacy_keras is None:
            from .rules._environment import legacy_keras_flag

            self._legacy_keras = legacy_keras_flag(self.module, self.resolver) is not None
        return self._legacy_keras

    def apply_legacy_keras(self, rule_classes: Sequence[Type["Rule"]]) -> None:
        """After the visit: in a file that runs on Keras 2 through the flag, a Keras 3 hazard is
        the migration's to-do list, not a break today. Say so in its message, and offer its fix
        as unsafe only (it targets Keras 3; the code runs on tf_keras now); or drop it when the
        settings say ``legacy-keras = "ignore"``. A file that also imports standalone ``keras``
        (Keras 3 whatever the flag; KRS802) is left as it is: its hazards may be real today."""
        if not self.reports or not self.runs_on_legacy_keras:
            return
        if any(module.split(".")[0] == "keras" for module in self.resolver.imported_modules):
            return
        hazards = {rule.code for rule in rule_classes if rule.keras3_hazard}
        if self.settings.legacy_keras == "ignore":
            self.reports = [r for r in self.reports if r.code not in hazards]
            return
        for report in self.reports:
            if report.code not in hazards or report.message.startswith(LEGACY_KERAS_NOTE):
                continue
            report.message = LEGACY_KERAS_NOTE + report.message
            if report.fix is not None and report.fix.applicability == SAFE:
                report.fix.applicability = UNSAFE

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
        # `KERAS_BACKEND` set by another file of the project (the entry script) applies here too.
        if self.resolver.project is not None:
            for backend in self.resolver.project.backends():
                if backend in ALL_BACKENDS and backend not in found:
                    found.append(backend)
        return tuple(found)

    # Reproducibility: does the project expect reproducible runs? (KRS501-KRS504)
    def expects_reproducible(self, file_seeds: bool) -> bool:
        """The ``reproducible`` setting when set; else whether this file or another file of the
        project (not a test) seeds a global random generator."""
        if self.settings.reproducible is not None:
            return self.settings.reproducible
        project = self.resolver.project
        return file_seeds or (project is not None and project.reproducible is True)

    def seeded_elsewhere(self) -> List[str]:
        """Other project files that seed (for messages), when this file's rules rely on them."""
        project = self.resolver.project
        return project.seeding_files() if project is not None else []

    def targets_any(self, backends: Sequence[str]) -> bool:
        return any(b in self.targets for b in backends)

    # Reference a Keras symbol with the names this file already has, or import it. A fix may only
    # use names bound where it edits: by an earlier top-level statement (in a notebook: an earlier
    # cell or earlier in the same cell) or by an earlier statement of the enclosing function.
    def import_for(self, canonical: str, origin: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
        """(reference, import statement) for a Keras symbol the file cannot reach yet; the
        reference is the bare name, so it must not be bound to anything else in the module (a
        later import of the same Keras object is fine: importing it earlier changes nothing)."""
        module, _, name = canonical.rpartition(".")
        if self.resolver.last_import is None or self._local_in_enclosing_function(name):
            return None, None
        for binding in (self.resolver.scope.lookup(name), self.resolver.module_scope.names.get(name)):
            if binding is not None and not self._binds(binding, canonical):
                return None, None
        package = "tensorflow." + module if origin == "tf.keras" else module
        return name, f"from {package} import {name}"

    def module_import_for(self, canonical: str) -> Tuple[Optional[str], Optional[str]]:
        """(``keras.…`` reference, ``import keras``) when the name ``keras`` is free in the module
        (or already the Keras 3 package, imported later than the edit)."""
        assert canonical.startswith("keras.")
        if self.resolver.last_import is None or self._local_in_enclosing_function("keras"):
            return None, None
        for binding in (self.resolver.scope.lookup("keras"), self.resolver.module_scope.names.get("keras")):
            if binding is not None and binding.imported != "keras":
                return None, None
        return canonical, "import keras"

    def _local_in_enclosing_function(self, name: str) -> bool:
        """Does a function around the current point bind ``name`` anywhere in its body (then a
        module-level import of it would not reach the edit: UnboundLocalError)? The visit has
        not seen the rest of the body yet, so look at the function's code."""
        scope: Optional[Scope] = self.resolver.scope
        while scope is not None:
            if isinstance(scope.node, cst.FunctionDef) and _binds_name(scope.node.body, name):
                return True
            scope = scope.parent
        return False

    def _binds(self, binding, canonical: str) -> bool:
        if binding.imported is None:
            return False
        resolved = canonicalize(binding.imported)
        return resolved.is_keras3 and resolved.canonical == canonical

    def add_import(self, fix: "FixBuilder", statement: str, at: Optional[cst.CSTNode] = None) -> None:
        """Add an import next to the module's last top-level import (after it if that one is a
        ``__future__`` import, which must stay first). With ``at`` (the node the fix edits): when
        that import does not come before ``at``'s top-level statement (a notebook importing in a
        later cell, a script importing below its first use), the import goes directly before
        that statement instead, so it runs before the edited code."""
        anchor = self.resolver.last_import
        assert anchor is not None
        if at is not None:
            last = self.order.index_of(anchor)
            target = self.order.top_index(at, last)
            if target is not None:  # the edit is not below the last import
                # First in the fix: an insertion at the same offset (e.g. `model.add(Input(...))`
                # before the same statement) must come after the import.
                fix.edits.insert(0, NodeEdit("insert_before", self.module.body[target], statement + "\n"))
                return
        first = anchor.body[0]
        if isinstance(first, cst.ImportFrom) and import_is_future(first):
            fix.insert_after(anchor, "\n" + statement)
        else:
            fix.insert_before(anchor, statement + "\n")

    # Reference a Keras symbol with the names this file already has.
    def keras_reference(
        self, canonical: str, like: Optional[cst.CSTNode] = None, at: Optional[cst.CSTNode] = None
    ) -> Optional[str]:
        """Source text naming ``canonical`` (e.g. "keras.Input") through an existing import,
        spelled like the expression ``like`` where possible (``tf.keras.…`` next to
        ``tf.keras.…``), or None when the file has no binding that reaches it. Module-level
        imports count only when they come before the top-level statement of ``at`` (default:
        ``like``), the node the fix edits."""
        at = at if at is not None else like
        if at is None:
            return find_reference(self.resolver, canonical, like)

        def bound_before(local: str) -> bool:
            index = self.order.import_index(local)
            return index is not None and self.order.is_after(at, index)

        return find_reference(self.resolver, canonical, like, bound_before)

    @property
    def order(self) -> "ModuleOrder":
        if self._order is None:
            self._order = ModuleOrder(self.module)
        return self._order


class ModuleOrder:
    """Top-level statement order of the module, computed on first use (only files whose fixes
    reference or import a name pay for it): which statement first imports a name at module
    level, and which top-level statement holds a node."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self._imports: Optional[dict] = None
        self._top: dict = {}  # id(node) -> index of its top-level statement, for body[:_filled]
        self._filled = 0

    def import_index(self, local: str) -> Optional[int]:
        if self._imports is None:
            self._imports = {}
            for index, stmt in enumerate(self.module.body):
                scope = Scope("module", None)
                _prebind_module_imports(scope, [stmt])
                for name in scope.names:
                    self._imports.setdefault(name, index)
        return self._imports.get(local)

    def is_after(self, node: cst.CSTNode, index: int) -> bool:
        """Is ``node`` in a top-level statement after ``module.body[index]``? Walks only the
        statements up to ``index`` (imports usually come first, so this is short)."""
        self._fill(index)
        top = self._top.get(id(node))
        return top is None or top > index

    def top_index(self, node: cst.CSTNode, upto: int) -> Optional[int]:
        """The index of the top-level statement holding ``node``, if it is at most ``upto``."""
        self._fill(upto)
        top = self._top.get(id(node))
        return top if top is not None and top <= upto else None

    def index_of(self, stmt: cst.CSTNode) -> int:
        return next(i for i, s in enumerate(self.module.body) if s is stmt)

    def _fill(self, index: int) -> None:
        from .engine import _child_fields  # the engine's walk: node fields only, no tokens

        while self._filled <= index and self._filled < len(self.module.body):
            stack: List[cst.CSTNode] = [self.module.body[self._filled]]
            while stack:
                current = stack.pop()
                self._top[id(current)] = self._filled
                for name in _child_fields(type(current)):
                    value = getattr(current, name)
                    if isinstance(value, cst.CSTNode):
                        stack.append(value)
                    elif isinstance(value, (list, tuple)):
                        stack.extend(v for v in value if isinstance(v, cst.CSTNode))
            self._filled += 1


def _binds_name(body: cst.CSTNode, name: str) -> bool:
    """Is ``name`` a target of an import, assignment, loop, ``with ... as`` or ``def``/``class``
    in ``body`` (nested functions and classes excluded: they have scopes of their own)?"""
    found = []

    class _Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self._targets: set = set()

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            if node.name.value == name:
                found.append(node)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            if node.name.value == name:
                found.append(node)
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            bound = node.asname.name if node.asname is not None else node.name
            text = dotted_name(bound)
            if text is not None and text.split(".")[0] == name:
                found.append(node)

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name and id(node) in self._targets:
                found.append(node)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._collect(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._collect(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._collect(node.target)

        def visit_For(self, node: cst.For) -> None:
            self._collect(node.target)

        def visit_AsName(self, node: cst.AsName) -> None:
            self._collect(node.name)

        def _collect(self, target: cst.CSTNode) -> None:
            if isinstance(target, cst.Name):
                self._targets.add(id(target))
            elif isinstance(target, (cst.Tuple, cst.List)):
                for element in target.elements:
                    self._collect(element.value)
            elif isinstance(target, cst.StarredElement):
                self._collect(target.value)

    body.visit(_Finder())
    return bool(found)


def import_is_future(node: cst.ImportFrom) -> bool:
    return isinstance(node.module, cst.Name) and node.module.value == "__future__"


def find_reference(
    resolver: Resolver,
    canonical: str,
    like: Optional[cst.CSTNode] = None,
    bound_before: Optional[Callable[[str], bool]] = None,
) -> Optional[str]:
    """Search the visible bindings for a prefix of ``canonical``'s Keras module path. Module-level
    imports count only when ``bound_before(local)`` (when given) says they run before the edit;
    bindings of enclosing functions were visited in order, so they come before it."""
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
            if scope.kind == "module" and bound_before is not None and not bound_before(local):
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
        if bound_before is not None and not bound_before(local):
            continue
        if binding.imported == "tensorflow" and resolver.resolve_dotted(local) is not None:
            rank = 0 if local == prefer_head else 1 if prefer_origin == "tf.keras" else 2
            candidates.append((rank, len(canonical) + 3, local + "." + canonical))
    if not candidates:
        return None
    candidates.sort()
    return candidates[0][2]
