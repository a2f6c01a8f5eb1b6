"""Running ``keras3-lint`` end to end in a subprocess, and the one finding every test relies on.

Tests must not depend on which rules exist besides KRS201, so the known finding is always
``keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))`` and runs that could pick up other rules
use ``--select KRS201``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import List, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

KNOWN = "keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))"
# `x = ` puts the keyword at column 26 of line 2.
FLAGGED = f"import keras\nx = {KNOWN}\n"
FLAGGED_AT = (2, 26)
# Inside a Sequential list KRS201 has a safe fix.
FIXABLE = f"import keras\nm = keras.Sequential([{KNOWN}])\n"
FIXED = "import keras\nm = keras.Sequential([keras.Input(batch_shape=(1, 2, 3)), keras.layers.LSTM(4)])\n"
CLEAN = "import keras\nx = keras.layers.LSTM(4)\n"


def _environment(env: Optional[dict]) -> dict:
    """The subprocess environment: this checkout first on the path, no debug tracebacks."""
    environment = dict(os.environ)
    environment.pop("KERAS3_LINT_DEBUG", None)
    environment["PYTHONPATH"] = ROOT + os.pathsep + environment.get("PYTHONPATH", "")
    environment["PYTHONIOENCODING"] = "utf-8"
    if env:
        environment.update(env)
    return environment


def run(*args: str, cwd, env: Optional[dict] = None, check_traceback: bool = True) -> subprocess.CompletedProcess:
    environment = _environment(env)
    proc = subprocess.run(
        [sys.executable, "-m", "keras3_lint", *[str(a) for a in args]],
        cwd=str(cwd),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )
    if check_traceback:
        assert "Traceback" not in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stdout, proc.stdout
    return proc


def invoke(*args: str, cwd, env: Optional[dict] = None, check_traceback: bool = True) -> subprocess.CompletedProcess:
    """``run`` in this process (click's CliRunner, with ``cwd`` as the current folder): the same
    result shape, a fraction of the start-up time. For the many config/fix cases."""
    from click.testing import CliRunner

    from keras3_lint.cli import main

    previous = os.getcwd()
    os.chdir(str(cwd))
    try:
        result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=True)
    finally:
        os.chdir(previous)
    if check_traceback and result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        raise AssertionError("".join(traceback.format_exception(*result.exc_info)))
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


def run_json(*args: str, cwd, runner=run, **kwargs) -> List[dict]:
    proc = runner(*args, "--output-format", "json", cwd=cwd, **kwargs)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def codes_at(findings: List[dict]) -> List[tuple]:
    return [(f["filename"], f["location"]["row"], f["location"]["column"], f["code"]) for f in findings]


def write(path, text: str, encoding: str = "utf-8") -> str:
    path = str(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)
    return path


def run_stdin(*args: str, cwd, data: bytes, env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """``run`` with ``data`` on stdin; stdout and stderr come back as bytes (for --fix output)."""
    environment = _environment(env)
    proc = subprocess.run(
        [sys.executable, "-m", "keras3_lint", *[str(a) for a in args]],
        cwd=str(cwd),
        input=data,
        capture_output=True,
        env=environment,
        timeout=120,
    )
    assert b"Traceback" not in proc.stderr, proc.stderr
    return proc
