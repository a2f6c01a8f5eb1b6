"""The evidence tier: rules' hazards and fixes demonstrated on real Keras 2 and Keras 3.

Opt-in: these tests run only with `-m evidence` (or KERAS3_LINT_EVIDENCE=1), in the venv made by
scripts/evidence_env.sh; a normal `pytest` run skips them without importing TensorFlow.
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # `import harness`


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "evidence: runs real Keras 2/3 programs (opt-in: -m evidence; see scripts/evidence_env.sh)"
    )


def _requested(config) -> bool:
    markexpr = config.getoption("markexpr") or ""
    selected = "evidence" in markexpr and "not evidence" not in markexpr
    return selected or os.environ.get("KERAS3_LINT_EVIDENCE") == "1"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if str(item.fspath).startswith(HERE + os.sep):
            item.add_marker(pytest.mark.evidence)
    if _requested(config):
        return
    skip = pytest.mark.skip(reason="evidence tier: run with `-m evidence` in .venv-evidence (scripts/evidence_env.sh)")
    for item in items:
        if item.get_closest_marker("evidence"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _evidence_environment(request):
    if not _requested(request.config):
        return
    import importlib.util

    missing = [m for m in ("keras", "tf_keras", "tensorflow_hub", "jax", "keras3_lint") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.fail(
            f"the evidence tier needs {', '.join(missing)} in this interpreter ({sys.executable}); "
            "run `bash scripts/evidence_env.sh` and use .venv-evidence/bin/python -m pytest -m evidence tests/evidence",
            pytrace=False,
        )
