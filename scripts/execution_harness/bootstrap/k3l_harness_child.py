"""Runs one program (a .py file, or a notebook's code cells in order) and writes what happened.

    python k3l_harness_child.py RESULT.json PROGRAM

The result records whether the program finished, and for an exception its chain (type, module,
message, errno, whether it was the harness's offline error) and the innermost frame that lies in
the program (file and line; for a notebook: the cell's number among all cells, and the line in
the cell). The parent (scripts/execution_harness/runner.py) classifies it; this process knows no policy.
"""

import builtins
import json
import linecache
import os
import sys
import time
import traceback

import k3l_harness_offline as offline
from k3l_harness_cells import cell_python, read_notebook

CELL_PREFIX = "<cell "


def _cell_filename(number):
    return f"{CELL_PREFIX}{number}>"


def _chain(error):
    seen, chain = set(), []
    while error is not None and id(error) not in seen and len(chain) < 8:
        seen.add(id(error))
        chain.append(
            {
                "type": type(error).__name__,
                "module": type(error).__module__,
                "message": str(error)[:2000],
                "errno": getattr(error, "errno", None) if isinstance(getattr(error, "errno", None), int) else None,
                "offline": isinstance(error, offline.OfflineError) or offline.OFFLINE_MARK in str(error),
                "module_name": getattr(error, "name", None) if isinstance(error, ImportError) else None,
            }
        )
        error = error.__cause__ or error.__context__
    return chain


def _program_frame(error, program):
    """The innermost traceback frame in the program: {'cell': n|None, 'line': l, 'text': ...}."""
    found = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename == program:
            found = {"cell": None, "line": line, "text": linecache.getline(filename, line).strip()}
        elif filename.startswith(CELL_PREFIX):
            found = {"cell": int(filename[len(CELL_PREFIX):-1]), "line": line, "text": linecache.getline(filename, line).strip()}
    if found is None and isinstance(error, SyntaxError) and error.lineno:  # the program does not compile
        filename = error.filename or ""
        if filename == program or filename.startswith(CELL_PREFIX):
            cell = int(filename[len(CELL_PREFIX):-1]) if filename.startswith(CELL_PREFIX) else None
            found = {"cell": cell, "line": error.lineno, "text": (error.text or "").strip()}
    return found


def _run_script(program, namespace):
    with open(program, "rb") as handle:
        code = compile(handle.read(), program, "exec")
    exec(code, namespace)


def _run_notebook(program, namespace):
    builtins.display = lambda *args, **kwargs: None  # IPython's display(), which notebooks call bare
    for number, source in read_notebook(program):
        code, writefile = cell_python(source)
        if writefile and writefile[0]:
            name, text, append = writefile
            with open(name, "a" if append else "w", encoding="utf-8") as handle:
                handle.write(text)
        filename = _cell_filename(number)
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        exec(compile(code, filename, "exec"), namespace)


def main(result_path, program):
    program = os.path.abspath(program)
    offline.install()
    sys.argv = [program]
    sys.path[0] = os.path.dirname(program)
    namespace = {"__name__": "__main__", "__file__": program, "__builtins__": builtins}
    result = {"program": program, "finished": False, "exception": None, "frame": None, "budget": None}
    started = time.monotonic()
    try:
        if program.endswith(".ipynb"):
            _run_notebook(program, namespace)
        else:
            _run_script(program, namespace)
        result["finished"] = True
    except offline.BudgetReached as stop:
        result["finished"], result["budget"] = True, str(stop)
    except SystemExit as stop:
        code = stop.code
        result["finished"] = code in (None, 0)
        if not result["finished"]:
            result["exception"] = _chain(stop)
            result["frame"] = _program_frame(stop, program)
    except BaseException as error:  # noqa: B902 - everything the program raises is the finding
        result["exception"] = _chain(error)
        result["frame"] = _program_frame(error, program)
        result["traceback"] = "".join(traceback.format_exception(type(error), error, error.__traceback__))[-6000:]
    result["seconds"] = round(time.monotonic() - started, 2)
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # don't let a program's atexit/threads hang the harness after the result is out


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
