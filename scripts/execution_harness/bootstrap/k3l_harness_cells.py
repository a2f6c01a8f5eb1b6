"""A notebook's code cells as plain Python, line for line (pure; no IPython needed).

IPython syntax is masked the way the notebook would not miss it: a `%magic`/`!shell` line
becomes `pass` (an assignment from one, `x = !ls`, becomes `x = []`), a help line `obj?` too,
and the cell magics that only time or capture (`%%time`, `%%capture`, ...) keep their body while
the others (`%%bash`, `%%html`, ...) mask the whole cell; `%%writefile` is kept as a file to
write. Line numbers stay those of the cell, which is what keras3-lint reports (`cell`, `row`).
"""

import json
import re
import textwrap

_BODY_KEEPING_MAGICS = {"time", "timeit", "capture", "prun", "memit"}
_ASSIGNED_MAGIC = re.compile(r"^(\s*[\w.,\s\[\]]+=\s*)[!%]")


def read_notebook(path):
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    cells = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):  # numbered among all cells
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        cells.append((number, "".join(source) if isinstance(source, list) else source))
    return cells


def _mask_line(line):
    stripped = line.strip()
    indent = line[: len(line) - len(line.lstrip())]
    if stripped.startswith(("%", "!")) or (stripped.endswith("?") and not stripped.startswith("#")):
        return indent + "pass"
    assigned = _ASSIGNED_MAGIC.match(line)
    if assigned:
        return assigned.group(1) + "[]"
    return line


def cell_python(source):
    """(python_code, writefile) for one cell's source; writefile is (name, text, append) or None."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        words = first[2:].split()
        magic = words[0] if words else ""
        if magic == "writefile":
            append = "-a" in words[1:]
            names = [w for w in words[1:] if not w.startswith("-")]
            body = "\n".join(lines[1:])
            return "\n".join("pass" for _ in lines), (names[0] if names else "", body + "\n", append)
        if magic not in _BODY_KEEPING_MAGICS:
            return "\n".join("pass" for _ in lines), None
        lines = ["pass"] + lines[1:]
    masked = "\n".join(_mask_line(line) for line in lines)
    return textwrap.dedent(masked), None


def statement_span(code, line):
    """(first, last) line of the innermost statement of `code` that contains `line`."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return line, line
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno):
            if best is None or (node.end_lineno - node.lineno) <= (best.end_lineno - best.lineno):
                best = node
    if best is None:
        return line, line
    if isinstance(best, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and best.decorator_list:
        return line, line  # a decorator line: just that line
    body = getattr(best, "body", None)
    if isinstance(body, list) and body and line < body[0].lineno:  # the header of a compound statement
        return best.lineno, body[0].lineno - 1
    return best.lineno, best.end_lineno
