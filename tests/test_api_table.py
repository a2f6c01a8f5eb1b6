"""The checked-in API table is exactly what the generator produces from the installed packages.

Needs the real packages (tf_keras, keras, tensorflow): run it in that environment, e.g.
``PYTHONPATH=. /work/k3env/bin/python -m pytest -q tests/test_api_table.py``. Elsewhere it skips.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, "keras3_lint", "data", "api_table.json")

_MISSING = [m for m in ("tf_keras", "keras", "tensorflow") if importlib.util.find_spec(m) is None]


def test_table_is_loadable_and_versioned():
    with open(TABLE, encoding="utf-8") as handle:
        data = json.load(handle)
    assert {"symbols", "modules", "methods", "kwargs", "compat_only"} <= set(data)
    assert data["generated_from"]["keras"].startswith("3.")
    assert data["generated_from"]["tf_keras"].startswith("2.")


@pytest.mark.skipif(bool(_MISSING), reason=f"needs the real packages to regenerate the table; missing: {', '.join(_MISSING)}")
def test_regenerating_gives_no_diff():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import generate_api_table as generator
    finally:
        sys.path.pop(0)
    import keras
    import tf_keras

    with open(TABLE, encoding="utf-8") as handle:
        checked_in = handle.read()
    recorded = json.loads(checked_in)["generated_from"]
    if (recorded["keras"], recorded["tf_keras"]) != (keras.__version__, tf_keras.__version__):
        pytest.skip(f"table was generated from {recorded}; installed keras {keras.__version__}, tf_keras {tf_keras.__version__}")
    assert generator.render(generator.generate()) == checked_in, "re-run scripts/generate_api_table.py"
