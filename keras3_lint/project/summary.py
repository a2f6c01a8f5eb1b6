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
    # class -> attribute -> what its assignments (``self.<attr> = ...`` in a method, or in the
    # class body) are; a subclass in another file reads what its base set.
    attributes: Dict[str, Dict[str, List[str]]] = field(default_factory=dict)


# Return and base "specs" are strings: "@name" (a name of the same module), "call:<target>"
# (the result of calling a qualified target or "@name"), "type:<target>" (an instance of it),
# "tuple:<spec>\t<spec>..." (a tuple of those, for `a, b = make()`), "?" (unknown).


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
            summary.attributes[node.name] = _attribute_specs(node, summary.names)
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


def _attribute_specs(klass: ast.ClassDef, names: Dict[str, str]) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for stmt in klass.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(_call_spec(stmt.value, names))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = stmt.args.posonlyargs + stmt.args.args
            if not args or any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in stmt.decorator_list):
                continue
            this = args[0].arg
            values = _value_specs(stmt, names)
            for node in _own_nodes(stmt):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
                value = getattr(node, "value", None) if not isinstance(node, ast.AugAssign) else None
                for target in targets:
                    for attr in ast.walk(target):
                        if isinstance(attr, ast.Attribute) and isinstance(attr.value, ast.Name) and attr.value.id == this:
                            if attr is target and value is not None:
                                found.setdefault(attr.attr, []).extend(values(value))
                            else:
                                found.setdefault(attr.attr, []).append("?")
    return found


def _call_spec(value: ast.AST, names: Dict[str, str]) -> str:
    if _is_none_constant(value):
        return "none"
    return "call:" + _target_spec(value.func, names) if isinstance(value, ast.Call) else "?"


def _return_specs(function: ast.AST, names: Dict[str, str]) -> List[str]:
    values = _value_specs(function, names)
    specs: List[str] = []
    for node in _own_nodes(function):
        if isinstance(node, ast.Return) and node.value is not None and not _is_none_constant(node.value):
            if isinstance(node.value, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in node.value.elts):
                # One spec per element (an element with several possible values is unknown).
                elements = [values(e) for e in node.value.elts]
                specs.append("tuple:" + "\t".join(e[0] if len(e) == 1 else "?" for e in elements))
            else:
                specs.extend(values(node.value))
    return specs


def _value_specs(function: ast.AST, names: Dict[str, str]):
    """A reader of what an expression of ``function``'s body is: a parameter's annotation, or
    the calls its local name was assigned from."""
    params = {}
    args = function.args  # type: ignore[attr-defined]
    for arg in args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]:
        params[arg.arg] = arg.annotation
    assignments: Dict[str, List[Optional[ast.AST]]] = {}
    for node in _own_nodes(function):
        if isinstance(node, ast.Assign):
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

    def specs_of(value: ast.AST) -> List[str]:
        values: List[Optional[ast.AST]] = [value]
        if isinstance(value, ast.Name):
            if value.id in params:
                annotation = params[value.id]
                return ["type:" + _target_spec(annotation, names) if annotation is not None else "?"]
            values = assignments.get(value.id) or [None]
        return [_call_spec(item, names) if item is not None else "?" for item in values]

    return specs_of

