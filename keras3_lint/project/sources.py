"""Reading checked files for the project index without LibCST: the Python source of a file or
notebook, and the names an ``ast`` module binds (imports and module-level aliases)."""

from __future__ import annotations

import ast
import json
import re
from typing import Dict, Iterable, List, Optional

def _is_none_constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


_MAGIC_LINE = re.compile(r"^\s*[%!]")


def _python_source(path: str, data: bytes) -> Optional[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not path.endswith(".ipynb"):
        return text
    # A notebook: its code cells, magics and shell lines blanked, cells that still do not parse dropped.
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return None
    kept = []
    for cell in cells if isinstance(cells, list) else ():
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        source = "\n".join("" if _MAGIC_LINE.match(line) else line for line in source.splitlines())
        try:
            ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        kept.append(source)
    return "\n".join(kept)



def _names_in(tree: ast.Module, everywhere: bool = False, package: Optional[str] = None) -> Dict[str, str]:
    """local name -> qualified target, from imports (module level; ``everywhere``: also inside
    functions, good enough for facts) and module-level aliases ``x = a.b``."""
    names: Dict[str, str] = {}
    statements: Iterable[ast.AST] = ast.walk(tree) if everywhere else _module_statements(tree)
    aliases: List[ast.Assign] = []
    for node in statements:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom):
            module = node.module
            if node.level:
                if package is None:
                    continue
                from ..resolver import absolute_module

                module = absolute_module(package, node.level, node.module)
                if module is None:
                    continue
            for alias in node.names:
                if alias.name != "*" and module:
                    names[alias.asname or alias.name] = f"{module}.{alias.name}"
        elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.Name, ast.Attribute)):
            aliases.append(node)
    for node in aliases:
        target = _qualify(node.value, names)
        for t in node.targets:
            if isinstance(t, ast.Name) and target is not None and t.id != target:
                names[t.id] = target
    return names


def _module_statements(tree: ast.Module) -> Iterable[ast.AST]:
    """Module-level statements, also inside module-level if/try/with (not defs)."""
    stack = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With)) or type(node).__name__ == "TryStar":
            blocks = [getattr(node, "body", []), getattr(node, "orelse", []), getattr(node, "finalbody", [])]
            blocks += [h.body for h in getattr(node, "handlers", [])]
            for block in reversed(blocks):
                stack.extend(reversed(block))


def _dotted(node: ast.AST) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _qualify(node: ast.AST, names: Dict[str, str]) -> Optional[str]:
    dotted = _dotted(node)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    target = names.get(head)
    if target is None:
        return None
    return target + ("." + rest if rest else "")


def _canonical(qualified: Optional[str]) -> Optional[str]:
    if qualified is None:
        return None
    from ..resolver import canonicalize

    return canonicalize(qualified).canonical

