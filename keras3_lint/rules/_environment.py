"""Shared helpers of the environment rules (KRS801-KRS803): which module-level statements run
before an ``os.environ[...] = ...`` assignment, what they import, and a fix that moves the
assignment above them.

Facts (checked against TF 2.21, keras 3.15.1, tf_keras 2.21; KERAS3_FACTS section 0, TRN-6/7):

- ``import tensorflow`` eagerly imports ``keras.src.optimizers`` (Keras 3) unless
  ``TF_USE_LEGACY_KERAS`` is already true, so it fixes the Keras backend like ``import keras``.
- ``tf.keras`` is a lazy loader: ``TF_USE_LEGACY_KERAS`` is read at its first attribute access.
  ``from tensorflow import keras`` alone does not trigger it; ``keras.layers`` afterwards does.
- ``from tensorflow.keras.x import y`` / ``import tensorflow.keras`` go through the package path
  that ``import tensorflow`` computed from the flag at import time, so for them the flag must be set
  before tensorflow (or anything importing it: keras, tf_keras, tensorflow_hub) is imported.
- ``os.putenv`` does not update ``os.environ``, which is what TF and Keras read: such calls are
  ignored here (they have no effect at all).
- In a notebook, ``%env NAME=value`` / ``%set_env NAME value`` set ``os.environ`` in the kernel
  like an assignment; ``!export NAME=value`` runs in a subshell and has no effect. Notebook lines
  arrive masked (keras3_lint/notebook.py), with their text after the first three characters kept.

A file "runs on legacy Keras" when a true ``TF_USE_LEGACY_KERAS`` is set at module level early
enough (what KRS801 does not flag): ``legacy_keras_flag()``; the engine and KRS804 use it.

Not a rule module: it defines no ``Rule`` subclass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst

import re

from ..notebook import FILL, MASKED_TAIL_SKIPS
from ..resolver import EnvAssignment, Resolver, canonicalize, dotted_name, import_from_module
from ..rule import FixBuilder, NodeEdit

LEGACY_FLAG = "TF_USE_LEGACY_KERAS"
BACKEND_VAR = "KERAS_BACKEND"
# What tensorflow/python/util/lazy_loader.py accepts as "on".
TRUE_VALUES = frozenset({"1", "True", "true"})

# Top-level packages whose import loads TensorFlow (and through it Keras 3, unless the legacy
# flag is already set). keras 3 imports tensorflow on its default backend.
TENSORFLOW_LOADERS = frozenset({"tensorflow", "tf_keras", "tensorflow_hub"})
# Top-level packages whose import imports Keras 3 itself.
KERAS_LOADERS = frozenset({"keras", "keras_hub", "keras_nlp", "keras_cv", "keras_tuner"})


@dataclass
class Event:
    kind: str  # "import", "tf.keras" (attribute access), "env"
    node: cst.CSTNode
    index: int  # position of the enclosing statement in module.body
    modules: Tuple[str, ...] = ()  # for imports: the modules the statement imports
    env: Optional[EnvAssignment] = None


def is_putenv(assignment: EnvAssignment) -> bool:
    node = assignment.node
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "putenv"


def environ_assignments(resolver: Resolver, name: str) -> List[EnvAssignment]:
    return [a for a in resolver.env_assignments if a.name == name and not is_putenv(a)]


# ---------------------------------------------------------------------------------------------
# Masked notebook lines (`!shell`, `%magic`)


def masked_command(node: cst.CSTNode) -> Optional[str]:
    """The text of a masked notebook line after its first three characters (``!pip install x``
    -> ``p install x``), or None when ``node`` is not such a mask."""
    if isinstance(node, cst.SimpleString) and node.value[1:2] == FILL and node.value[:1] in ("'", '"'):
        return node.value[2:-1]
    return None


# `%env NAME=value`, `%env NAME value`, `%set_env NAME value` without their first three characters.
_ENV_MAGIC_RE = re.compile(r"^(?:v|t_env)\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s*=\s*|\s+)(\S*)\s*$")
assert MASKED_TAIL_SKIPS == 3  # the patterns here know what the mask leaves out ("%en", "%se")


def env_magic(node: cst.CSTNode) -> Optional[Tuple[str, str]]:
    """(name, value) a masked ``%env`` / ``%set_env`` line sets, else None."""
    tail = masked_command(node)
    match = _ENV_MAGIC_RE.match(tail) if tail is not None else None
    return (match.group(1), match.group(2)) if match else None


def magic_env_assignments(module: cst.Module, name: str) -> List[EnvAssignment]:
    """``%env NAME=value`` lines at the top level of a notebook's module."""
    found = []
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr):
            value = stmt.body[0].value
            setting = env_magic(value)
            if setting is not None and setting[0] == name:
                found.append(EnvAssignment(name, setting[1], value, True))
    return found


def legacy_flag_assignments(module: cst.Module, resolver: Resolver) -> List[EnvAssignment]:
    """The statements that turn ``TF_USE_LEGACY_KERAS`` on (``os.environ`` or ``%env``)."""
    found = [a for a in environ_assignments(resolver, LEGACY_FLAG) if a.value in TRUE_VALUES]
    found += [a for a in magic_env_assignments(module, LEGACY_FLAG) if a.value in TRUE_VALUES]
    return found


def imported_modules_of(node: cst.CSTNode) -> Tuple[str, ...]:
    """Modules an import statement imports (``from a.b import c`` imports ``a.b``)."""
    if isinstance(node, cst.Import):
        return tuple(m for m in (dotted_name(alias.name) for alias in node.names) if m)
    if isinstance(node, cst.ImportFrom):
        module = import_from_module(node)
        return (module,) if module else ()
    return ()


def top(module: str) -> str:
    return module.split(".")[0]


def is_tf_keras_module(module: str) -> bool:
    """``tensorflow.keras[...]`` (and compat spellings): an import of the tf.keras package path."""
    return canonicalize(module).origin == "tf.keras"


class _ModuleLevelWalker(cst.CSTVisitor):
    """Collects, in source order, what runs at import time: imports, ``tf.keras`` attribute
    accesses and the env assignments asked for. Function bodies and lambdas are skipped
    (decorators run at import time and are visited)."""

    def __init__(self, resolver: Resolver, env_ids: Dict[int, EnvAssignment]) -> None:
        super().__init__()
        self.resolver = resolver
        self.env_ids = env_ids
        self.index = 0
        self.events: List[Event] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            decorator.visit(self)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Import(self, node: cst.Import) -> None:
        self.events.append(Event("import", node, self.index, imported_modules_of(node)))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        modules = imported_modules_of(node)
        if modules:
            self.events.append(Event("import", node, self.index, modules))

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        resolved = self.resolver.resolve(node, self.resolver.module_scope)
        # `tf.keras` itself is the lazy loader; `tf.keras.<attr>` is what makes it pick a Keras.
        if resolved is not None and resolved.origin == "tf.keras" and resolved.canonical != "keras":
            self.events.append(Event("tf.keras", node, self.index))
            return False
        return True

    def visit_Assign(self, node: cst.Assign) -> None:
        self._env(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._env(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._env(node)  # a masked `%env` line

    def _env(self, node: cst.CSTNode) -> None:
        assignment = self.env_ids.get(id(node))
        if assignment is not None:
            self.events.append(Event("env", node, self.index, env=assignment))


def import_time_events(module: cst.Module, resolver: Resolver, assignments: Sequence[EnvAssignment]) -> List[Event]:
    walker = _ModuleLevelWalker(resolver, {id(a.node): a for a in assignments})
    for index, stmt in enumerate(module.body):
        walker.index = index
        stmt.visit(walker)
    return walker.events


@dataclass
class FlagTiming:
    """When one ``TF_USE_LEGACY_KERAS`` assignment runs, relative to what loads TensorFlow."""

    event: Event  # the assignment ("env")
    lazy_lock: Optional[Event]  # an earlier first `tf.keras` access / `tensorflow.keras` import
    tf_loaded: Optional[Event]  # an earlier import that loaded TensorFlow
    late_import: Optional[Event]  # with tf_loaded: a `tensorflow.keras` import below the flag
    first_tf_import: Optional[Event]  # where the flag should have been set (KRS801's move target)

    @property
    def too_late(self) -> bool:
        """The flag is silently ignored for this file's `tf.keras` (KRS801)."""
        return self.lazy_lock is not None or self.late_import is not None


def flag_timings(module: cst.Module, resolver: Resolver, assignments: Sequence[EnvAssignment]) -> List[FlagTiming]:
    """One FlagTiming per module-level assignment of ``assignments`` (in source order)."""
    events = import_time_events(module, resolver, assignments)
    timings: List[FlagTiming] = []
    lazy_lock: Optional[Event] = None
    tf_loaded: Optional[Event] = None
    first_tf_import: Optional[Event] = None
    for position, event in enumerate(events):
        if event.kind == "tf.keras":
            lazy_lock = lazy_lock or event
            first_tf_import = first_tf_import or event
        elif event.kind == "import":
            if any(is_tf_keras_module(m) for m in event.modules):
                lazy_lock = lazy_lock or event
            if any(top(m) in TENSORFLOW_LOADERS or top(m) in KERAS_LOADERS for m in event.modules):
                tf_loaded = tf_loaded or event
                first_tf_import = first_tf_import or event
        elif event.kind == "env" and event.env is not None:
            late_import = None
            if tf_loaded is not None:
                late_import = next(
                    (e for e in events[position + 1:] if e.kind == "import" and any(is_tf_keras_module(m) for m in e.modules)),
                    None,
                )
            timings.append(FlagTiming(event, lazy_lock, tf_loaded, late_import, first_tf_import))
    return timings


def legacy_keras_flag(module: cst.Module, resolver: Resolver) -> Optional[EnvAssignment]:
    """The module-level statement that makes this file's ``tf.keras`` tf_keras (Keras 2): the
    first true ``TF_USE_LEGACY_KERAS`` set early enough; None when there is none."""
    assignments = [a for a in legacy_flag_assignments(module, resolver) if a.module_level]
    if not assignments:
        return None
    for timing in flag_timings(module, resolver, assignments):
        if not timing.too_late:
            return timing.event.env
    return None


def short(code: str, limit: int = 60) -> str:
    code = " ".join(code.split())
    return code if len(code) <= limit else code[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------------
# The move fix


def _binding_import_text(module: cst.Module, name: str) -> Optional[Tuple[int, str]]:
    """(index in module.body, import statement text) of the first top-level simple statement
    that binds ``name`` by an import, or None."""
    for index, stmt in enumerate(module.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    local = _local_name(alias, is_from=False)
                    if local == name:
                        return index, "import " + _alias_code(module, alias)
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                source = import_from_module(small)
                for alias in small.names:
                    if source and _local_name(alias, is_from=True) == name:
                        return index, f"from {source} import " + _alias_code(module, alias)
    return None


def _local_name(alias: cst.ImportAlias, is_from: bool) -> Optional[str]:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    full = dotted_name(alias.name)
    if full is None:
        return None
    return full if is_from else full.split(".")[0]


def _alias_code(module: cst.Module, alias: cst.ImportAlias) -> str:
    return module.code_for_node(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()


def _environ_head(node: cst.CSTNode) -> Optional[str]:
    """The name an env assignment's ``os.environ`` expression starts from."""
    if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Subscript):
        owner = node.targets[0].target.value
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        owner = node.func.value
    else:
        return None
    dotted = dotted_name(owner)
    return dotted.split(".")[0] if dotted else None


def move_statement_fix(
    builder: FixBuilder,
    module: cst.Module,
    assignment: EnvAssignment,
    target_index: int,
) -> Optional[FixBuilder]:
    """Move the statement holding ``assignment`` to just before ``module.body[target_index]``,
    bringing the import that binds ``os`` along when that import only comes later. None when the
    move is not simple: the assignment is not alone on a top-level line, its value is not a
    string literal, or ``os`` is not bound by a top-level import."""
    node = assignment.node
    if assignment.value is None:
        return None
    line = _top_level_line_of(module, node)
    if line is None:
        return None
    line_index, stmt_line = line
    if line_index <= target_index:
        return None
    head = _environ_head(node)
    if head is None:
        return None
    binding = _binding_import_text(module, head)
    if binding is None or binding[0] >= line_index:
        return None
    binding_index, import_text = binding
    statement = module.code_for_node(stmt_line.body[0].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)).strip()
    comment = stmt_line.trailing_whitespace.comment
    text = statement + (f"  {comment.value}" if comment is not None else "") + "\n"
    if binding_index >= target_index:
        text = import_text + "\n" + text
    # Delete the statement and its line ending but keep the comment lines above it.
    builder.replace(stmt_line, "")
    builder.edits.append(NodeEdit("delete", stmt_line.trailing_whitespace))
    builder.insert_before(_insertion_anchor(module.body[target_index]), text)
    return builder


def _insertion_anchor(stmt: cst.CSTNode) -> cst.CSTNode:
    """The statement, or the first of the comment lines directly above it (no blank line in
    between), so the moved line does not come between a statement and its comment."""
    leading = list(getattr(stmt, "leading_lines", ()))
    anchor: cst.CSTNode = stmt
    for line in reversed(leading):
        if line.comment is None:
            break
        anchor = line
    return anchor


def _top_level_line_of(module: cst.Module, node: cst.CSTNode) -> Optional[Tuple[int, cst.SimpleStatementLine]]:
    for index, stmt in enumerate(module.body):
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            small = stmt.body[0]
            if small is node or (isinstance(small, cst.Expr) and small.value is node):
                return index, stmt
    return None
