"""keras3-lint on copies of a program: findings before fixing, the fixed variants and their diffs."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
from typing import Dict, List, Optional

from .runner import BOOTSTRAP, ROOT

DEFAULT_LINTER = os.path.join(ROOT, ".venv", "bin", "keras3-lint")
MODES = ("before", "fix", "unsafe")
FIX_FLAGS = {"before": [], "fix": ["--fix"], "unsafe": ["--fix", "--unsafe-fixes"]}


def _linter(linter: str, path: str, flags: List[str], backend: Optional[str]) -> subprocess.CompletedProcess:
    command = [linter, "check", "--no-cache", "--exit-zero", *flags]
    if backend:
        command.append(f"--backend={backend}")
    return subprocess.run(command + [path], cwd=os.path.dirname(path), capture_output=True, text=True, timeout=300)


def findings(linter: str, path: str, backend: Optional[str] = None, fix_flags: List[str] = ()) -> List[dict]:
    """keras3-lint's JSON findings, reduced to what the comparison needs.

    With `fix_flags` the file is fixed in place first, in the same call: the findings are those
    that remain after the fixes (what a separate check of the fixed file reports).
    """
    done = _linter(linter, path, [*fix_flags, "--output-format", "json"], backend)
    if done.returncode != 0:
        raise RuntimeError(f"keras3-lint failed on {path} ({done.returncode}): {done.stderr[-2000:]}")
    return [
        {
            "code": f["code"],
            "message": f["message"],
            "cell": f.get("cell"),
            "row": f["location"]["row"],
            "end_row": f["end_location"]["row"],
            "fix": (f.get("fix") or {}).get("applicability"),
            "confidence": f.get("confidence"),
        }
        for f in json.loads(done.stdout or "[]")
    ]


def code_text(path: str) -> str:
    """The program's code as diffable text (a notebook: its code cells, each under a header)."""
    if not path.endswith(".ipynb"):
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    import sys

    if BOOTSTRAP not in sys.path:
        sys.path.insert(0, BOOTSTRAP)
    from k3l_harness_cells import read_notebook

    return "".join(f"# ---- cell {number}\n{source}\n" for number, source in read_notebook(path))


def diff(before: str, after: str, name: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}", n=2))


def variants(program: str, workdir: str, linter: str = DEFAULT_LINTER, backend: Optional[str] = None,
             modes=MODES) -> Dict[str, dict]:
    """A copy of `program` per mode under `workdir/<mode>/`, fixed as the mode says, with findings.

    `before` findings are the original program's; a fixed variant's are those that remain.
    """
    name = os.path.basename(program)
    original = code_text(program)
    out: Dict[str, dict] = {}
    for mode in modes:
        folder = os.path.join(workdir, mode)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, name)
        shutil.copyfile(program, path)
        entry: Dict[str, object] = {"path": path, "lint_error": None}
        try:
            entry["findings"] = findings(linter, path, backend, FIX_FLAGS[mode])
        except RuntimeError as error:
            entry["findings"], entry["lint_error"] = [], str(error)
        text = code_text(path)
        entry["diff"] = diff(original, text, name) if mode != "before" else ""
        entry["changed"] = text != original
        out[mode] = entry
    return out
