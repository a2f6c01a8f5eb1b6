"""The checked-in API table is exactly what the generator produces from the installed packages.

Needs the real packages (tf_keras, keras, tensorflow) and the archives of the old Keras 2
releases (``python scripts/keras2_static_api.py --download DIR``; DIR from
``KERAS3_LINT_KERAS2_WHEELS``, default ``~/.cache/keras3-lint/keras2-wheels``): run it in that
environment, e.g. ``.venv-evidence/bin/python -m pytest -q tests/test_api_table.py``. Elsewhere
the regeneration test skips.
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
    assert {"symbols", "modules", "methods", "kwargs", "compat_only", "tf_keras_gaps", "signatures"} <= set(data)
    assert data["generated_from"]["keras2_releases"].startswith("2.0.0")
    assert data["generated_from"]["keras"].startswith("3.")
    assert data["generated_from"]["tf_keras"].startswith("2.")


@pytest.mark.skipif(bool(_MISSING), reason=f"needs the real packages to regenerate the table; missing: {', '.join(_MISSING)}")
def test_regenerating_gives_no_diff():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import generate_api_table as generator
        import keras2_static_api as static_api
    finally:
        sys.path.pop(0)
    import keras
    import tf_keras

    with open(TABLE, encoding="utf-8") as handle:
        checked_in = handle.read()
    recorded = json.loads(checked_in)["generated_from"]
    if (recorded["keras"], recorded["tf_keras"]) != (keras.__version__, tf_keras.__version__):
        pytest.skip(f"table was generated from {recorded}; installed keras {keras.__version__}, tf_keras {tf_keras.__version__}")
    missing = [v for v in static_api.VERSIONS if not os.path.isdir(generator.DEFAULT_WHEELS)
               or static_api.archive_for(generator.DEFAULT_WHEELS, v) is None]
    if missing:
        pytest.skip(f"old Keras 2 archives missing from {generator.DEFAULT_WHEELS}: {', '.join(missing[:3])} ...")
    assert generator.render(generator.generate(generator.DEFAULT_WHEELS)) == checked_in, "re-run scripts/generate_api_table.py"


def _static_api():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import keras2_static_api
    finally:
        sys.path.pop(0)
    return keras2_static_api


def _release(static, label, files):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    path = os.path.join(os.environ.get("PYTEST_TMP", "/tmp"), f"keras3-lint-test-keras-{label}.whl")
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())
    try:
        return static.Release(label, static.read_sources(path))
    finally:
        os.remove(path)


def test_static_reader_follows_imports_aliases_and_backend_branches_without_importing():
    static = _static_api()
    release = _release(static, "2.9.9", {
        "keras/__init__.py": "from . import layers\nfrom . import optimizers\n",
        "keras/optimizers.py": "import six\nfrom .utils.generic_utils import helper\nclass RMSprop(object):\n    pass\nrmsprop = RMSprop\n",
        "keras/utils/__init__.py": "from .generic_utils import helper\n",
        "keras/utils/generic_utils.py": "import numpy as np\ndef helper():\n    pass\n",
        "keras/layers/__init__.py": "from ..engine.topology import Layer\nfrom .core import *\n",
        "keras/layers/core.py": "import numpy as np\nfrom ..engine.topology import Layer\nclass Dense(Layer):\n    pass\n",
        "keras/engine/__init__.py": "from .topology import Layer\n",
        "keras/engine/topology.py": "if BACKEND == 'theano':\n    from .th import *\nelse:\n    class Layer(object):\n        pass\n",
        "keras/engine/th.py": "def theano_only():\n    pass\n",
        "keras/layers/core_test.py": "class NotApi: pass\n",
    })
    assert release.exports("optimizers") == {
        "RMSprop": ("optimizers", "RMSprop", "class"),
        "helper": ("utils.generic_utils", "helper", "function"),
        "rmsprop": ("optimizers", "RMSprop", "class"),  # the alias is the class
    }
    layers = release.exports("layers")
    assert layers["Dense"] == ("layers.core", "Dense", "class")
    assert layers["Layer"] == ("engine.topology", "Layer", "class")
    assert "np" not in layers and "six" not in release.exports("optimizers")  # outside Keras
    assert "theano_only" in release.exports("engine.topology")  # both backend branches count
    assert "layers.core_test" not in release.module_files()

    public = {"", "layers", "optimizers", "utils"}
    old = static.OldApi([release], public, importable=lambda module: False)
    assert old.public_alias("optimizers.rmsprop", lambda p: "class" if p == "optimizers.RMSprop" else None) == "optimizers.RMSprop"
    assert old.had_both("optimizers.rmsprop", "optimizers.RMSprop", every=True)
    assert "optimizers.helper" not in old.paths  # a module file's import of a public name is not its API
    assert set(old.modules) == {"engine", "engine.topology", "engine.th", "layers.core", "utils.generic_utils"}
    assert old.module_renames("layers.core", lambda p: "class" if p == "layers.Dense" else None) == {"Dense": "layers.Dense"}
    assert old.versions(["2.9.9"]) == "2.9.9"
    assert static.ranges(["a", "b", "d"], ["a", "b", "c", "d"]) == "a\u2013b, d"
