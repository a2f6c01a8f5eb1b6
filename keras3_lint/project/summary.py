"""Module summaries: what a module offers to the files that import it (functions that return
Keras objects, classes and their bases, aliases, string constants), built with ``ast``."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional

from .sources import _dotted, _is_none_constant, _module_statements, _names_in, _qualify

@dataclass
class ModuleSummary:
    names: Dict[str, str] = field(default_factory=dict)  # imports and aliases -> qualified target
    functions: Dict[str, List[str]] = field(default_factory=dict)  # name -> what its returns are
    classes: Dict[str, List[str]] = field(default_factory=dict)  # name -> its bases
    constants: Dict[str, str] = field(default_factory=dict)  # module-level string constants


# Return and base "specs" are strings: "@name" (a name of the same module), "call:<target>"
# (the result of calling a qualified target or "@name"), "type:<target>" (an instance of it),
# "?" (unknown).


def summarize(source: str, package: Optional[str]) -> ModuleSummary:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ModuleSummary()
    summary = ModuleSummary(names=_names_in(tree, package=package))
    assigned: Dict[str, int] = {}
    for node in _module_statements(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            summary.functions[node.name] = _return_specs(node, summary.names)
        elif isinstance(node, ast.ClassDef):
            summary.classes[node.name] = [_target_spec(base, summary.names) for base in node.bases]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = assigned.get(target.id, 0) + 1
                    value = node.value
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        summary.constants[target.id] = value.value
    # A constant assigned more than once is not a constant.
    summary.constants = {k: v for k, v in summary.constants.items() if assigned.get(k) == 1}
    for name in summary.functions:
        summary.names.pop(name, None)
    for name in summary.classes:
        summary.names.pop(name, None)
    return summary


def _target_spec(node: ast.AST, names: Dict[str, str]) -> str:
    qualified = _qualify(node, names)
    if qualified is not None:
        return qualified
    dotted = _dotted(node)
    if dotted is not None and "." not in dotted:
        return "@" + dotted
    return "?"


def _own_nodes(function: ast.AST) -> Iterable[ast.AST]:
    """The nodes of a function body, not those of nested defs, lambdas or classes."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _return_specs(function: ast.AST, names: Dict[str, str]) -> List[str]:
    params = {}
    args = function.args  # type: ignore[attr-defined]
    for arg in args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]:
        params[arg.arg] = arg.annotation
    assignments: Dict[str, List[Optional[ast.AST]]] = {}
    returns: List[ast.AST] = []
    for node in _own_nodes(function):
        if isinstance(node, ast.Return):
            if node.value is not None and not _is_none_constant(node.value):
                returns.append(node.value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        assignments.setdefault(name.id, []).append(node.value if target is name else None)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.withitem, ast.NamedExpr)):
            target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
            value = node.value if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) else None
            for name in ast.walk(target) if target is not None else ():
                if isinstance(name, ast.Name):
                    assignments.setdefault(name.id, []).append(value if target is name else None)
    specs = []
    for value in returns:
        values: List[Optional[ast.AST]] = [value]
        if isinstance(value, ast.Name):
            if value.id in params:
                annotation = params[value.id]
                specs.append("type:" + _target_spec(annotation, names) if annotation is not None else "?")
                continue
            values = assignments.get(value.id) or [None]
        for item in values:
            if isinstance(item, ast.Call):
                specs.append("call:" + _target_spec(item.func, names))
            else:
                specs.append("?")
    return specs

