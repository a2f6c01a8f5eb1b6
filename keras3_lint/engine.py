"""Lint one piece of Python source: parse once, visit once with every enabled rule, and turn the
rules' reports into diagnostics (positions and fix edits are computed only when there are any).

The engine knows nothing about Keras: names are the resolver's business, hazards the rules'.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Type

import libcst as cst

from .deepstack import call_with_deep_stack
from .config import Settings
from .diagnostics import HIGH, SAFE, UNSAFE, Diagnostic, Edit, Fix
from .positions import NodeOffsets, compute_offsets
from .project import ProjectView
from .resolver import Resolver
from .rule import Context, NodeEdit, Report, Rule
from .source import LineIndex
from .versions import NEWEST_KERAS

# Files that mention neither Keras nor TensorFlow are never parsed.
MENTIONS_KERAS = re.compile(r"keras|tensorflow|tf_keras")

SYNTAX_ERROR = "KRS001"


@dataclass(frozen=True)
class LintOptions:
    rules: Tuple[Type[Rule], ...]
    backends: Tuple[str, ...] = ("tensorflow",)
    keras_version: Tuple[int, ...] = NEWEST_KERAS
    settings: Optional[Settings] = None  # what rules may read of the run's settings (ctx.settings)
    project: Optional[ProjectView] = None  # what the other checked files say (None: this file alone)


# Fields that hold only tokens, whitespace or comments: never an expression or statement.
_TOKEN_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header",
        "footer", "trailing_whitespace", "lbracket", "rbracket", "lbrace", "rbrace", "dot",
        "colon", "equal", "asterisk", "star_tok", "arrow", "default_newline", "default_indent",
    }
)
# Dataclass field order differs from source order for a few nodes; visit in source order.
_SOURCE_ORDER = {
    "FunctionDef": ("decorators", "name", "type_parameters", "params", "returns", "body"),
    "ClassDef": ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    "IfExp": ("body", "test", "orelse"),
}
_FIELDS_BY_TYPE: Dict[type, Tuple[str, ...]] = {}


def _child_fields(node_type: type) -> Tuple[str, ...]:
    names = _FIELDS_BY_TYPE.get(node_type)
    if names is None:
        all_names = [f.name for f in dataclasses.fields(node_type)]
        order = _SOURCE_ORDER.get(node_type.__name__)
        if order is not None:
            all_names = [n for n in order if n in all_names] + [n for n in all_names if n not in order]
        names = tuple(n for n in all_names if n not in _TOKEN_FIELDS and not n.startswith("whitespace"))
        _FIELDS_BY_TYPE[node_type] = names
    return names


_HOOKS: Dict[Tuple[type, str], Tuple[Tuple[str, str], ...]] = {}


def _hooks_of(cls: type, prefix: str) -> Tuple[Tuple[str, str], ...]:
    """(node type name, method name) of a class's visit_/leave_ hooks, looked up once per class
    (``dir()`` on every rule for every file was a quarter of the run time)."""
    key = (cls, prefix)
    hooks = _HOOKS.get(key)
    if hooks is None:
        hooks = tuple((attr[len(prefix):], attr) for attr in dir(cls) if attr.startswith(prefix))
        _HOOKS[key] = hooks
    return hooks


class _Dispatcher(cst.CSTVisitor):
    """One traversal for the resolver and all rules. The resolver's visit hooks run before the
    rules' and its leave hooks after them, so rules always see the scope they are in.

    LibCST's own ``Module.visit`` rebuilds every node even for read-only visitors (about half
    the cost of a parse); this walker only reads the nodes' fields, skipping token and
    whitespace fields, and calls ``visit_<Node>`` / ``leave_<Node>`` hooks as LibCST would."""

    def __init__(self, resolver: Resolver, rules: Sequence[Rule]) -> None:
        super().__init__()
        self._visit: Dict[str, List[Callable]] = {}
        self._leave: Dict[str, List[Callable]] = {}
        for target in (resolver, *rules):
            for node_type, attr in _hooks_of(type(target), "visit_"):
                self._visit.setdefault(node_type, []).append(getattr(target, attr))
        for target in (*rules, resolver):
            for node_type, attr in _hooks_of(type(target), "leave_"):
                self._leave.setdefault(node_type, []).append(getattr(target, attr))

    # Also usable as a plain LibCST visitor (``module.visit(dispatcher)``), e.g. in tests.
    def on_visit(self, node: cst.CSTNode) -> bool:
        for hook in self._visit.get(type(node).__name__, ()):
            hook(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        for hook in self._leave.get(type(original_node).__name__, ()):
            hook(original_node)

    def walk(self, root: cst.CSTNode) -> None:
        visit, leave = self._visit, self._leave
        kinds = _VALUE_KINDS
        # Explicit stack: deeply nested expressions must not hit Python's recursion limit. A node
        # is pushed again, wrapped in a 1-tuple, to call its leave hooks after its children (only
        # when its type has any).
        stack: List[object] = [root]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            node_type = type(node)
            if node_type is tuple:
                node = node[0]  # type: ignore[index]
                for hook in leave[type(node).__name__]:
                    hook(node)
                continue
            name = node_type.__name__
            hooks = visit.get(name)
            if hooks:
                for hook in hooks:
                    hook(node)
            if name in leave:
                push((node,))
            children: List[cst.CSTNode] = []
            fields = _FIELDS_BY_TYPE.get(node_type) or _child_fields(node_type)
            for field_name in fields:
                value = getattr(node, field_name)
                kind = kinds.get(type(value)) or _value_kind(type(value))
                if kind == _NODE:
                    children.append(value)
                elif kind == _SEQUENCE:
                    for item in value:
                        if (kinds.get(type(item)) or _value_kind(type(item))) == _NODE:
                            children.append(item)
            children.reverse()
            stack.extend(children)


# What a field value is, by its type (memoised: `isinstance` on LibCST's abstract CSTNode
# goes through ABCMeta, and the walk asks it of every field of every node).
_NODE, _SEQUENCE, _OTHER = 1, 2, 3
_VALUE_KINDS: Dict[type, int] = {}


def _value_kind(value_type: type) -> int:
    if issubclass(value_type, cst.CSTNode):
        kind = _NODE
    elif issubclass(value_type, (list, tuple)):
        kind = _SEQUENCE
    else:
        kind = _OTHER
    _VALUE_KINDS[value_type] = kind
    return kind


def parse(text: str) -> cst.Module:
    return cst.parse_module(text)


def syntax_error_diagnostic(exc: Exception, text: str) -> Diagnostic:
    """KRS001 at the position Python itself reports (LibCST's is often a line late)."""
    try:
        compile(text, "<keras3-lint>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as python_error:
        row = python_error.lineno or 1
        column = max(python_error.offset or 1, 1)
        message = python_error.msg
        if "U+00A0" in message:  # pasted from a web page or a PDF
            message += " (a non-breaking space: replace it with a plain space)"
    except (ValueError, RecursionError, MemoryError) as other:
        row, column, message = 1, 1, str(other)
    else:  # valid Python that this LibCST version cannot parse
        row = getattr(exc, "raw_line", None) or 1
        column = (getattr(exc, "raw_column", None) or 0) + 1
        message = "LibCST cannot parse this file: " + (str(exc).splitlines() or ["unknown error"])[0]
    return Diagnostic(SYNTAX_ERROR, f"SyntaxError: {message}", row, column, row, column)


def lint_module(module: cst.Module, text: str, options: LintOptions) -> List[Diagnostic]:
    resolver = Resolver(module, options.project)
    ctx = Context(module, resolver, options.backends, options.keras_version, options.settings)
    rules = [rule_class(ctx) for rule_class in options.rules]
    _Dispatcher(resolver, rules).walk(module)
    for rule in rules:
        rule.finish()
    ctx.apply_legacy_keras(options.rules)  # files on Keras 2 through TF_USE_LEGACY_KERAS
    if not ctx.reports:
        return []
    return call_with_deep_stack(_to_diagnostics, module, text, ctx.reports)


def lint_text(text: str, options: LintOptions) -> List[Diagnostic]:
    """Diagnostics for one source text; a syntax error is a KRS001 diagnostic. A text that
    mentions no Keras is not parsed, unless the project says it imports a module that does."""
    if not MENTIONS_KERAS.search(text) and not (options.project is not None and options.project.reaches_keras(text)):
        return []
    try:
        module = parse(text)
    except (cst.ParserSyntaxError, RecursionError) as exc:
        return [syntax_error_diagnostic(exc, text)]
    return lint_module(module, text, options)


def _to_diagnostics(module: cst.Module, text: str, reports: List[Report]) -> List[Diagnostic]:
    nodes: List[cst.CSTNode] = []
    for report in reports:
        nodes.append(report.node)
        if report.fix is not None:
            nodes.extend(edit.node for edit in report.fix.edits)
    offsets = compute_offsets(module, nodes)
    index = LineIndex(text)
    diagnostics = []
    seen = set()
    for report in reports:
        start, end = offsets.span(report.node)
        row, column = index.position(start)
        end_row, end_column = index.position(end)
        key = (report.code, start, end, report.message)
        if key in seen:  # the same finding reached through two paths
            continue
        seen.add(key)
        fix = _to_fix(module, offsets, index, report) if report.fix is not None else None
        if fix is not None and report.confidence != HIGH and fix.applicability == SAFE:
            # A fix resting on a guess is never applied by plain --fix.
            fix = dataclasses.replace(fix, applicability=UNSAFE)
        diagnostics.append(
            Diagnostic(report.code, report.message, row, column, end_row, end_column, fix, confidence=report.confidence)
        )
    return diagnostics


def _to_fix(module: cst.Module, offsets: NodeOffsets, index: LineIndex, report: Report) -> Optional[Fix]:
    builder = report.fix
    assert builder is not None
    edits = [_to_edit(module, offsets, index, e) for e in builder.edits]
    edits.sort(key=lambda e: (e.start, e.end))
    for before, after in zip(edits, edits[1:]):
        if after.start < before.end:
            return None  # a rule built overlapping edits: offer no fix rather than a wrong one
    return Fix(builder.applicability, builder.message, tuple(edits))


def _to_edit(module: cst.Module, offsets: NodeOffsets, index: LineIndex, edit: NodeEdit) -> Edit:
    if edit.kind == "replace":
        start, end = offsets.whole(edit.node)
        assert isinstance(edit.content, cst.CSTNode)
        content = module.code_for_node(edit.content)
    elif edit.kind == "replace_span":
        start, end = offsets.span(edit.node)
        content = str(edit.content)
    elif edit.kind == "insert_before":
        start, _ = offsets.span(edit.node)
        end, content = start, str(edit.content)
    elif edit.kind == "insert_after":
        _, end = offsets.span(edit.node)
        start, content = end, str(edit.content)
    elif edit.kind == "delete":
        start, end = offsets.whole(edit.node)
        content = ""
    else:  # pragma: no cover - programming error in a rule
        raise ValueError(edit.kind)
    if edit.kind == "insert_before" and content.endswith("\n") and indentation_at(index.text, start) != _line_prefix(index.text, start):
        # "text\n" means "on its own line before"; mid-line (e.g. `[LSTM(...)`) a space is enough.
        content = content[:-1] + " "
    if not isinstance(edit.content, cst.CSTNode) and "\n" in content:
        # Rules write "\n" plus relative indentation; continue lines at the edit's own indent.
        indent = indentation_at(index.text, start)
        content = content.replace("\n", module.default_newline + indent)
    row, column = index.position(start)
    end_row, end_column = index.position(end)
    return Edit(start, end, content, row, column, end_row, end_column)


def _line_prefix(text: str, offset: int) -> str:
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return text[line_start:offset]


def indentation_at(text: str, offset: int) -> str:
    """The leading whitespace of the line that contains ``offset``."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    line = text[line_start:offset]
    return line[: len(line) - len(line.lstrip(" \t"))]
