"""Runs one program in a fresh, offline child process and classifies the run.

Statuses: ok / crash / needs data / missing package / timeout. A crash keeps the exception's
type and message and the innermost frame in the program (file line, or cell and line).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
BOOTSTRAP = os.path.join(HERE, "bootstrap")
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_PYTHON = os.path.join(ROOT, ".venv-evidence", "bin", "python")

OK, CRASH, NEEDS_DATA, MISSING_PACKAGE, TIMEOUT = "ok", "crash", "needs data", "missing package", "timeout"
# Modules whose absence is a Keras change (a removed module path), not a missing third-party package.
KERAS_FAMILY = ("keras", "tensorflow", "tf_keras", "tensorflow_core")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Keras's own words for a data folder that is not there (image/text_dataset_from_directory).
_NO_DATA = re.compile(r"No (text |image |audio )?files found in directory|No images found in directory|Could not find directory")
_CLEARED = ("KERAS_BACKEND", "TF_USE_LEGACY_KERAS", "PYTHONPATH", "KERAS_HOME", "PYTHONSTARTUP")

if BOOTSTRAP not in sys.path:
    sys.path.insert(0, BOOTSTRAP)
from k3l_harness_offline import OFFLINE_MARK  # noqa: E402


def _missing_module(chain: List[dict]) -> Optional[str]:
    first = chain[0]
    if first["type"] == "ModuleNotFoundError":
        quoted = first["message"].split("'")
        return first.get("module_name") or (quoted[1] if len(quoted) > 2 else None)
    return None


def classify(result: dict) -> Dict[str, object]:
    """Status and crash details from the child's result (pure: testable without TensorFlow)."""
    if result.get("timeout"):
        return {"status": TIMEOUT}
    if result.get("finished"):
        return {"status": OK, "budget": result.get("budget")}
    chain = result.get("exception") or []
    if not chain:
        return {"status": CRASH, "exception": "ProcessDied", "message": f"exit status {result.get('returncode')}", "frame": None}
    first = chain[0]
    message = _ANSI.sub("", first["message"])[:500]  # Keras 3 bolds parts of its messages
    details = {"exception": first["type"], "message": message, "frame": result.get("frame")}
    missing = _missing_module(chain)
    if missing is not None:
        top = missing.split(".")[0]
        if top not in KERAS_FAMILY:
            return {"status": MISSING_PACKAGE, "package": top, **details}
    if first["type"] == "ImportError" and "install" in first["message"] and "keras" not in first["message"].split("install")[-1][:40]:
        return {"status": MISSING_PACKAGE, "package": None, **details}  # "You must install pydot ..."
    for error in chain:
        if error.get("offline") or OFFLINE_MARK in error["message"]:
            return {"status": NEEDS_DATA, **details}
    frame_text = (result.get("frame") or {}).get("text") or ""
    if first["type"] == "SystemExit" and "parse_args" in frame_text:
        return {"status": NEEDS_DATA, **details}  # argparse: the program wants its inputs on the command line
    if first["type"] == "ValueError" and _NO_DATA.search(first["message"]):
        return {"status": NEEDS_DATA, **details}
    if first["type"] in ("FileNotFoundError", "NotFoundError") or (first["type"] in ("OSError", "IOError") and first.get("errno") == 2):
        return {"status": NEEDS_DATA, **details}
    return {"status": CRASH, **details}


def reclassify(run: Dict[str, object]) -> Dict[str, object]:
    """A stored run under the current classification (its raw chain, or its exception and message)."""
    if run.get("status") in (OK, TIMEOUT) or not run.get("exception"):
        return run
    chain = run.get("chain") or [{"type": run["exception"], "module": "", "message": run.get("message") or "", "errno": None,
                                  "offline": False, "module_name": run.get("package")}]
    return dict(run, **classify({"finished": False, "exception": chain, "frame": run.get("frame")}))


def child_environment(backend: str, keras_path: Optional[str] = None, extra_path: Optional[str] = None) -> Dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    environ.update(
        KERAS_BACKEND=backend,
        TF_CPP_MIN_LOG_LEVEL="3",
        CUDA_VISIBLE_DEVICES="",
        JAX_PLATFORMS="cpu",
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(([keras_path] if keras_path else []) + [BOOTSTRAP]),
    )
    if extra_path:
        environ["K3L_HARNESS_EXTRA_PATH"] = extra_path
    return environ


def run_program(
    program: str,
    python: str = DEFAULT_PYTHON,
    backend: str = "tensorflow",
    timeout: float = 120,
    keras_path: Optional[str] = None,
    extra_path: Optional[str] = None,
    nice: int = 10,
) -> Dict[str, object]:
    """Runs `program` (in its own folder as the working directory); returns the classified run."""
    program = os.path.abspath(program)
    environ = child_environment(backend, keras_path, extra_path)
    keras_home = environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="k3l-harness-keras-home-")
    handle, result_path = tempfile.mkstemp(prefix="k3l-harness-", suffix=".json")
    os.close(handle)
    os.unlink(result_path)
    command = [python, os.path.join(BOOTSTRAP, "k3l_harness_child.py"), result_path, program]
    if nice:
        command = ["nice", "-n", str(nice)] + command
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=os.path.dirname(program), env=environ, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the child's own process group (it and its workers)
        output, _ = process.communicate()
        timed_out = True
    result: Dict[str, object] = {"returncode": process.returncode, "timeout": timed_out}
    if os.path.exists(result_path):
        with open(result_path, encoding="utf-8") as handle:
            result.update(json.load(handle))
        os.unlink(result_path)
    shutil.rmtree(keras_home, ignore_errors=True)
    run = classify(result)
    run["seconds"] = round(time.monotonic() - started, 1)
    run["output_tail"] = output.decode("utf-8", "replace")[-3000:]
    if result.get("traceback"):
        run["traceback"] = result["traceback"]
    if result.get("exception"):
        run["chain"] = result["exception"]  # the raw exception chain: classify() can be re-run on it
    return run
