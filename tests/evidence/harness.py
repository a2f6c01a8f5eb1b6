"""Runs evidence programs under Keras 2 and Keras 3, and keras3-lint's own fixer on them.

Each program in ``programs/`` is ordinary Keras 2 code (spelled ``tf.keras`` unless it is about
``import keras``) that records outcomes with ``programs/_evidence.py``. A run is a fresh
subprocess of this interpreter (the evidence venv) with the environment that picks the Keras:

- ``keras="2"``: ``TF_USE_LEGACY_KERAS=1``, so ``tf.keras`` is tf_keras 2.21 (Keras 2);
- ``keras="3"``: no flag, ``KERAS_BACKEND=<backend>``; ``old="3.11.0"`` puts that unpacked
  keras wheel (made by scripts/evidence_env.sh) on PYTHONPATH ahead of site-packages.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
ROOT = os.path.dirname(os.path.dirname(HERE))
KERAS2 = "tf_keras 2.21.0"
KERAS3 = "3.15.1"
OLD_KERAS_VERSIONS = ("3.8.0", "3.11.0")
TIMEOUT = int(os.environ.get("EVIDENCE_TIMEOUT", "300"))

_CLEARED = ("KERAS_BACKEND", "TF_USE_LEGACY_KERAS", "PYTHONPATH", "KERAS_HOME")


def old_keras_path(version: str) -> str:
    base = os.environ.get("EVIDENCE_OLD_KERAS_DIR", sys.prefix)
    path = os.path.join(base, f"keras-{version}")
    if not os.path.isdir(os.path.join(path, "keras")):
        raise RuntimeError(f"keras {version} is not unpacked at {path}: run scripts/evidence_env.sh")
    return path


@dataclass
class Run:
    label: str
    returncode: int
    stdout: str
    stderr: str
    results: Dict[str, object] = field(default_factory=dict)

    def __getitem__(self, name):
        assert name in self.results, f"{self.label}: no result {name!r}\n{self.tail()}"
        return self.results[name]

    def tail(self, lines: int = 40) -> str:
        return "\n".join((self.stdout + "\n" + self.stderr).splitlines()[-lines:])

    def ok(self) -> "Run":
        assert self.returncode == 0, f"{self.label} exited with {self.returncode}\n{self.tail()}"
        return self

    def error(self, name: str) -> str:
        """The recorded exception text of step `name` (which must have failed)."""
        outcome = self[name]
        assert outcome.get("ok") is False, f"{self.label}: step {name!r} did not fail: {outcome}"
        return outcome["error"]

    def value(self, name: str, key: Optional[str] = None):
        outcome = self[name]
        if isinstance(outcome, dict) and "ok" in outcome:
            assert outcome["ok"], f"{self.label}: step {name!r} failed: {outcome.get('error')}"
            return outcome if key is None else outcome[key]
        return outcome


def program_path(name: str) -> str:
    return os.path.join(PROGRAMS, name)


def run(
    program: str,
    keras: str = "3",
    backend: Optional[str] = "tensorflow",
    old: Optional[str] = None,
    args: Iterable[str] = (),
    env: Optional[Dict[str, str]] = None,
    timeout: int = TIMEOUT,
) -> Run:
    """Runs `program` (a name in programs/ or a path) in a fresh process; returns its results."""
    path = program if os.path.isabs(program) else program_path(program)
    environ = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    environ.update(
        TF_CPP_MIN_LOG_LEVEL="3",
        CUDA_VISIBLE_DEVICES="",
        JAX_PLATFORMS="cpu",
        PYTHONDONTWRITEBYTECODE="1",
        EVIDENCE_KERAS=keras,
    )
    if keras == "2":
        environ["TF_USE_LEGACY_KERAS"] = "1"
    elif backend is not None:  # None: leave KERAS_BACKEND unset (the program picks)
        environ["KERAS_BACKEND"] = backend
    paths = [old_keras_path(old)] if old else []
    environ["PYTHONPATH"] = os.pathsep.join(paths + [PROGRAMS])
    environ.update(env or {})
    label = f"{os.path.basename(path)} [keras {'2 (' + KERAS2 + ')' if keras == '2' else (old or KERAS3) + ' ' + str(backend)}]"
    workdir = tempfile.mkdtemp(prefix="k3l-evidence-")
    try:
        done = subprocess.run(
            [sys.executable, path, *args],
            cwd=workdir,
            env=environ,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results: Dict[str, object] = {}
    for line in done.stdout.splitlines():
        if line.startswith("EVIDENCE "):
            results.update(json.loads(line[len("EVIDENCE "):]))
    return Run(label, done.returncode, done.stdout, done.stderr, results)


def cached(program: str, keras: str = "3", backend: Optional[str] = "tensorflow", old: Optional[str] = None) -> Run:
    """`run`, once per worker process for the same arguments (tests share a run's results)."""
    return _cached(program, keras, backend, old)


@functools.lru_cache(maxsize=None)
def _cached(program: str, keras: str, backend: Optional[str], old: Optional[str]) -> Run:
    return run(program, keras=keras, backend=backend, old=old)


_FIXED_DIR = tempfile.mkdtemp(prefix="k3l-evidence-fixed-")
atexit.register(shutil.rmtree, _FIXED_DIR, True)


@functools.lru_cache(maxsize=None)
def fixed(program: str, code: str, backends: Tuple[str, ...] = ()) -> str:
    """The program after `keras3-lint check --fix --unsafe-fixes --select CODE` (made once)."""
    folder = tempfile.mkdtemp(dir=_FIXED_DIR)
    return fixed_copy(program, code, folder, unsafe=True, backends=backends)


def _lint(path: str, code: str, extra: List[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "keras3_lint", "check", "--no-cache", "--select", code, *extra, path],
        cwd=os.path.dirname(path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def findings(program: str, code: str, backends: Iterable[str] = ()) -> List[dict]:
    """keras3-lint's JSON findings for `code` on the program (the rule must see the hazard)."""
    path = program if os.path.isabs(program) else program_path(program)
    extra = ["--output-format", "json", "--exit-zero"] + [f"--backend={b}" for b in backends]
    done = _lint(path, code, extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return [f for f in json.loads(done.stdout) if f["code"] == code]


def fixed_copy(program: str, code: str, folder: str, unsafe: bool = True, backends: Iterable[str] = ()) -> str:
    """Copies the program into `folder`, runs keras3-lint's fixer on it, returns the new path."""
    source = program if os.path.isabs(program) else program_path(program)
    target = os.path.join(folder, os.path.basename(source))
    shutil.copyfile(source, target)
    extra = ["--fix", "--exit-zero"] + (["--unsafe-fixes"] if unsafe else []) + [f"--backend={b}" for b in backends]
    done = _lint(target, code, extra)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(source, encoding="utf-8") as a, open(target, encoding="utf-8") as b:
        assert a.read() != b.read(), f"keras3-lint --fix --select {code} changed nothing in {source}"
    return target


def doc_text(code: str) -> str:
    from keras3_lint.registry import rule_by_code

    rule = rule_by_code(code)
    assert rule is not None, code
    doc = rule.doc
    return "\n".join(textwrap.dedent(part) for part in (rule.summary, doc.what, doc.why, doc.fix))


def assert_quoted(code: str, observed: str, fragment: str) -> None:
    """The observed Keras message contains `fragment`, and the rule's docs quote it."""
    observed = re.sub(r"\x1b\[[0-9;]*m", "", observed)  # Keras bolds parts of its messages
    assert fragment in observed, f"expected {fragment!r} in the observed message:\n{observed}"
    assert fragment in doc_text(code), f"{code}'s docs do not quote {fragment!r}"


def close(a, b, tol: float = 1e-5) -> bool:
    import numpy as np

    return bool(np.allclose(np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64"), atol=tol, rtol=tol))
