"""Lint one piece of Python source: parse once, visit once with every enabled rule, and turn the
rules' reports into diagnostics (positions and fix edits are computed only when there are any).

The engine knows nothing about Keras: names are the resolver's business, hazards the rules'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Type

import libcst as cst

from .diagnostics import Diagnostic, Edit, Fix
from .positions import NodeOffsets, compute_offsets
from .resolver import Resolver
from .rule import Context, NodeEdit, Report, Rule
from .source import LineIndex

# Files that mention neither Keras nor TensorFlow are never parsed.
MENTIONS_KERAS = re.compile(r"keras|tensorflow|tf_keras")

SYNTAX_ERROR = "KRS001"


@dataclass(frozen=True)
class LintOptions:
    rules: Tuple[Type[Rule], ...]
    backends: Tuple[str, ...] = ("tensorflow",)


class _Dispatcher(cst.CSTVisitor):
    """One traversal for the resolver and all rules. The resolver's visit hooks run before the
    rules' and its leave hooks after them, so rules always see the scope they are in."""

    def __init__(self, resolver: Resolver, rules: Sequence[Rule]) -> None:
        super().__init__()
        self._visit: Dict[str, List[Callable]] = {}
        self._leave: Dict[str, List[Callable]] = {}
        for target in (resolver, *rules):
            for attr in dir(type(target)):
                if attr.startswith("visit_"):
                    self._visit.setdefault(attr[6:], []).append(getattr(target, attr))
        for target in (*rules, resolver):
            for attr in dir(type(target)):
                if attr.startswith("leave_"):
                    self._leave.setdefault(attr[6:], []).append(getattr(target, attr))

    def on_visit(self, node: cst.CSTNode) -> bool:
        hooks = self._visit.get(type(node).__name__)
        if hooks:
            for hook in hooks:
                hook(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        hooks = self._leave.get(type(original_node).__name__)
        if hooks:
            for hook in hooks:
                hook(original_node)


def parse(text: str) -> cst.Module:
    return cst.parse_module(text)


def syntax_error_diagnostic(exc: Exception, text: str) -> Diagnostic:
    row = getattr(exc, "raw_line", None) or getattr(exc, "lineno", None) or 1
    column = (getattr(exc, "raw_column", None) or 0) + 1
    message = getattr(exc, "message", None) or str(exc).splitlines()[0]
    return Diagnostic(SYNTAX_ERROR, f"SyntaxError: {message}", row, column, row, column)


def lint_module(module: cst.Module, text: str, options: LintOptions) -> List[Diagnostic]:
    resolver = Resolver(module)
    ctx = Context(module, resolver, options.backends)
    rules = [rule_class(ctx) for rule_class in options.rules]
    module.visit(_Dispatcher(resolver, rules))
    for rule in rules:
        rule.finish()
    if not ctx.reports:
        return []
    return _to_diagnostics(module, text, ctx.reports)


def lint_text(text: str, options: LintOptions) -> List[Diagnostic]:
    """Diagnostics for one source text; a syntax error is a KRS001 diagnostic."""
    if not MENTIONS_KERAS.search(text):
        return []
    try:
        module = parse(text)
    except cst.ParserSyntaxError as exc:
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
        diagnostics.append(
            Diagnostic(report.code, report.message, row, column, end_row, end_column, fix)
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
