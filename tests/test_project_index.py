"""The project index (keras3_lint/project.py): what checked files tell about each other.

Unit tests of the index (module names, summaries, facts), the resolver asking it, and the
multi-file fixture projects under fixtures/projects/ run end to end through the CLI (copied to
a temporary folder, so the cache tests can edit them): cross-file findings, their look-alikes,
cache invalidation when another file changes, and the single-file front-ends (flake8, stdin).
"""

from __future__ import annotations

import json
import re
import os
import shutil
import textwrap

import libcst as cst
import pytest

from cli_support import ROOT, invoke, run, run_stdin, write

from keras3_lint.engine import _Dispatcher
from keras3_lint.project import FileFacts, ProjectIndex, gather, is_test_file, scan_facts, summarize
from keras3_lint.resolver import Resolver

PROJECTS = os.path.join(ROOT, "fixtures", "projects")


def _project(tmp_path, files: dict) -> ProjectIndex:
    paths = [write(tmp_path / name, textwrap.dedent(text)) for name, text in files.items()]
    return gather(paths, str(tmp_path))


def _copy(tmp_path, name: str):
    target = tmp_path / name
    shutil.copytree(os.path.join(PROJECTS, name), target, ignore=shutil.ignore_patterns("README.md"))
    return target


def _findings(cwd, *args, runner=invoke):
    proc = runner("--output-format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return sorted(
        (f["filename"].replace(os.sep, "/"), f["location"]["row"], f["code"], f["confidence"]) for f in json.loads(proc.stdout)
    )


def _high(findings, code=None):
    return [(path, row, c) for path, row, c, confidence in findings if confidence == "high" and (code is None or c == code)]


# ---------------------------------------------------------------------------------------------
# The index


def test_module_names_and_lookup(tmp_path):
    index = _project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/models.py": "",
            "pkg/sub/__init__.py": "",
            "pkg/sub/layers.py": "",
            "scripts/train.py": "",
            "scripts/helpers.py": "",
        },
    )
    train = str(tmp_path / "scripts" / "train.py")
    assert index.find_module("pkg.sub.layers", train) == str(tmp_path / "pkg" / "sub" / "layers.py")
    assert index.find_module("helpers", train) == str(tmp_path / "scripts" / "helpers.py")  # the script's folder
    assert index.find_module("numpy", train) is None
    assert index.package_of(str(tmp_path / "pkg" / "sub" / "layers.py")) == "pkg.sub"
    assert index.package_of(str(tmp_path / "pkg" / "__init__.py")) == "pkg"
    assert index.package_of(train) is None  # a script outside any package


def test_summary_of_functions_classes_constants_and_aliases():
    summary = summarize(
        textwrap.dedent(
            """
            import tensorflow as tf
            from .base import Base
            keras = tf.keras
            SAVE_PATH = "out/model"
            NAME = "a"
            NAME = "b"

            def build():
                model = keras.Sequential()
                return model

            def pick(flag):
                if flag:
                    return build()
                return {"not": "keras"}

            def given(m: keras.Model):
                return m

            class Net(Base):
                pass
            """
        ),
        package="pkg",
    )
    assert summary.names["keras"] == "tensorflow.keras"
    assert summary.names["Base"] == "pkg.base.Base"
    assert summary.constants == {"SAVE_PATH": "out/model"}  # NAME is assigned twice
    assert summary.functions["build"] == ["call:tensorflow.keras.Sequential"]
    assert sorted(summary.functions["pick"]) == ["?", "call:@build"]
    assert summary.functions["given"] == ["type:tensorflow.keras.Model"]
    assert summary.classes["Net"] == ["pkg.base.Base"]


def test_call_types_across_files(tmp_path):
    index = _project(
        tmp_path,
        {
            "compat.py": "import tensorflow as tf\nkeras = tf.keras\n",
            "models.py": """
                from compat import keras
                import sklearn.linear_model as lm

                class Net(keras.Model):
                    pass

                def get_model():
                    return Net()

                def get_seq():
                    return keras.Sequential()

                def get_either(flag):
                    return get_seq() if flag else None

                def get_sklearn():
                    return lm.LogisticRegression()

                def mixed(flag):
                    if flag:
                        return get_seq()
                    return get_sklearn()

                def clone(m):
                    return keras.models.clone_model(m)
                """,
            "train.py": "",
        },
    )
    train = str(tmp_path / "train.py")
    assert index.call_type("models.get_model", train) == "keras.Model"
    assert index.call_type("models.get_seq", train) == "keras.Sequential"
    assert index.call_type("models.Net", train) == "keras.Model"
    assert index.call_type("models.clone", train) == "keras.Model"
    assert index.call_type("models.get_sklearn", train) is None
    assert index.call_type("models.mixed", train) is None  # one return is not Keras
    assert index.call_type("models.get_either", train) is None  # a conditional expression: unknown
    assert index.expand("compat.keras.layers.LSTM", train) == "tensorflow.keras.layers.LSTM"
    assert index.class_bases("models.Net", train) == ["keras.Model"]
    deps = index.dependencies(train)
    assert sorted(os.path.basename(p) for p in deps["files"]) == ["compat.py", "models.py"]


def test_constants_for_path_values(tmp_path):
    index = _project(tmp_path, {"config.py": "EXPORT = 'export/model'\nfrom paths import BASE\n", "paths.py": "BASE = 'runs'\n", "a.py": ""})
    a = str(tmp_path / "a.py")
    assert index.constant("config.EXPORT", a) == "export/model"
    assert index.constant("config.BASE", a) == "runs"  # re-exported from paths.py
    assert index.constant("config.MISSING", a) is None


def _probe(index: ProjectIndex, path, source: str):
    module = cst.parse_module(textwrap.dedent(source))
    resolver = Resolver(module, index.view(str(path)))
    seen = []

    class Probe:
        def visit_Call(self, node):
            if isinstance(node.func, cst.Name) and node.func.value == "probe":
                expr = node.args[0].value
                resolved = resolver.resolve(expr)
                seen.append((resolved.canonical if resolved else None, resolver.value_type(expr)))

    _Dispatcher(resolver, [Probe()]).walk(module)
    return seen


def test_resolver_follows_the_index(tmp_path):
    index = _project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/compat.py": "try:\n    from tensorflow import keras\nexcept ImportError:\n    import keras\n",
            "pkg/nets.py": "from .compat import keras\nclass Net(keras.Model):\n    pass\ndef make():\n    return Net()\n",
            "pkg/callbacks.py": "",
            "pkg/keras_like.py": "class Dense:\n    pass\n",
        },
    )
    found = _probe(
        index,
        tmp_path / "pkg" / "callbacks.py",
        """
        from .compat import keras
        from .nets import make, Net
        from . import nets
        from .keras_like import Dense
        probe(keras.layers.LSTM)
        probe(make())
        probe(nets.make())
        probe(Dense())

        class Stop(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                probe(self.model)

        class Sub(Net):
            def f(self):
                probe(self)
        """,
    )
    assert found[0][0] == "keras.layers.LSTM"
    assert found[1][1] == "keras.Model"
    assert found[2][1] == "keras.Model"
    assert found[3][1] == "pkg.keras_like.Dense()"  # a module named like Keras' is not Keras
    assert found[4][1] == "keras.Model"


def test_callback_subclassing_a_project_callback(tmp_path):
    index = _project(
        tmp_path,
        {
            "base_callbacks.py": "import tensorflow as tf\nclass Base(tf.keras.callbacks.Callback):\n    pass\n",
            "plain.py": "class Base:\n    pass\n",
            "cb.py": "",
        },
    )
    found = _probe(
        index,
        tmp_path / "cb.py",
        """
        import base_callbacks
        import plain

        class Reset(base_callbacks.Base):
            def on_epoch_end(self, epoch, logs=None):
                probe(self.model)

        class NotACallback(plain.Base):
            def on_epoch_end(self, epoch, logs=None):
                probe(self.model)
        """,
    )
    assert [kind for _, kind in found] == ["keras.Model", None]


def test_without_index_the_same_file_proves_nothing_across_files(tmp_path):
    module = cst.parse_module("from .compat import keras\nfrom models import make\nprobe(keras.layers.LSTM)\nprobe(make())\n")
    resolver = Resolver(module)
    assert resolver.resolve_dotted("keras.layers.LSTM") is None
    assert not (resolver.value_type(cst.parse_expression("make()")) or "").startswith("keras.")


# ---------------------------------------------------------------------------------------------
# Facts


def test_facts_seeding_and_backend():
    facts = scan_facts(
        "train.py",
        b"import os\nimport numpy as np\nimport tensorflow as tf\nos.environ['KERAS_BACKEND'] = 'jax'\n"
        b"np.random.seed(1)\ntf.random.set_seed(2)\nnp.random.seed()\nnp.random.seed(None)\n",
    )
    assert facts.seeds == [(5, "numpy.random.seed"), (6, "tensorflow.random.set_seed")]
    assert facts.backends == [(4, "jax")]
    assert facts.keras
    assert FileFacts.from_json(facts.to_json()) == facts
    # A file without any hint is not parsed; a look-alike `seed` method is not a global seeding call.
    assert scan_facts("a.py", b"x = 1\n") == FileFacts()
    assert scan_facts("b.py", b"import keras\nrng.seed(3)\n").seeds == []


def test_seeding_inside_functions():
    def seeds(source):
        return [name for _, name in scan_facts("a.py", textwrap.dedent(source).encode()).seeds]

    # A data split made deterministic is not reproducible training.
    assert seeds("import numpy as np\ndef split(ids):\n    np.random.seed(0)\n    np.random.shuffle(ids)\n") == []
    assert seeds("import tensorflow as tf\ndef main():\n    tf.random.set_seed(1)\n") == ["tensorflow.random.set_seed"]
    assert seeds(
        """
        import random, numpy as np
        def seed_everything(s):
            random.seed(s)
            np.random.seed(s)
        """
    ) == ["random.seed", "numpy.random.seed"]
    assert seeds("import numpy as np\nif __name__ == '__main__':\n    np.random.seed(0)\n") == ["numpy.random.seed"]


def test_test_files_do_not_count():
    assert is_test_file("tests/test_models.py")
    assert is_test_file("pkg/models_test.py")
    assert is_test_file("conftest.py")
    assert not is_test_file("train.py")
    assert not is_test_file("latest/train.py")


def test_notebook_facts(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["%pip install keras\n", "import keras\n"]},
            {"cell_type": "markdown", "source": ["keras.utils.set_random_seed(0)"]},
            {"cell_type": "code", "source": ["keras.utils.set_random_seed(0)\n"]},
        ]
    }
    facts = scan_facts("nb.ipynb", json.dumps(notebook).encode())
    assert [name for _, name in facts.seeds] == ["keras.utils.set_random_seed"]


# ---------------------------------------------------------------------------------------------
# Fixture projects through the CLI


def test_entry_script_project(tmp_path):
    project = _copy(tmp_path, "entry_seeds")
    found = _findings(project, "--no-cache", ".")
    assert _high(found) == [
        ("layers_lib.py", 6, "KRS502"),  # the project seeds in train.py
        ("train.py", 10, "KRS103"),  # build_model() of models.py returns a Sequential
        ("train.py", 12, "KRS701"),
    ]
    # make_features() returns a dict: at most the unknown-receiver guess, never `high`.
    assert all(confidence != "high" for path, row, _, confidence in found if row == 11)
    proc = invoke("--no-cache", "--output-format", "concise", "layers_lib.py", "train.py", "models.py", cwd=project)
    assert "(the project seeds in train.py)" in proc.stdout


def test_package_project(tmp_path):
    project = _copy(tmp_path, "package_routes")
    found = _high(_findings(project, "--no-cache", "--select", "KRS202", "."))
    assert found == [
        ("scripts/export.py", 6, "KRS202"),  # never names Keras: checked because it imports the package
        ("trainer/agent.py", 11, "KRS202"),  # self.actor = get_model() in __init__
        ("trainer/agent.py", 12, "KRS202"),  # self.critic = RecurrentNet() (subclass in another module)
        ("trainer/nets/base.py", 10, "KRS202"),  # keras from compat.py (keras = tf.keras)
    ]


def test_unpacked_factories_inherited_attributes_and_builders(tmp_path):
    project = _copy(tmp_path, "unpacked_and_inherited")
    found = _findings(project, "--no-cache", "--select", "KRS103,KRS202", ".")
    assert _high(found) == [
        ("rl/actor.py", 11, "KRS103"),  # self.build_model() defined below __init__
        ("rl/actor.py", 18, "KRS103"),  # self.rms_optimizer set in Agent (base.py)
        ("rl/actor.py", 32, "KRS103"),  # model, encoder, width = create_models() of factory.py
        ("rl/actor.py", 33, "KRS202"),
        ("rl/actor.py", 35, "KRS103"),  # first, second = build_pair() of this file
        ("rl/actor.py", 42, "KRS103"),  # net, head = make_later() defined below train()
    ]
    # Look-alikes: Planner's solver, load_data()'s dict, count_later()'s dict: never `high`.
    assert not [f for f in found if f[1] in (23, 37, 44) and f[3] == "high"]


def test_index_reads_tuple_returns_and_attributes_of_other_files(tmp_path):
    index = _project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/nets.py": (
                "from tensorflow import keras\n"
                "def make():\n    m = keras.Sequential()\n    return m, keras.optimizers.Adam(), 3\n"
                "class Base:\n    opt = None\n    def __init__(self):\n        self.opt = keras.optimizers.SGD()\n        self.data = dict()\n"
                "class Mid(Base):\n    pass\n"
            ),
            "pkg/util.py": "from keras.models import model_from_config\ndef clone(m):\n    c = model_from_config(m.get_config())\n    return c\n",
            "pkg/use.py": "",
        },
    )
    view = index.view(str(tmp_path / "pkg" / "use.py"))
    assert view.element_type("pkg.nets.make", 0) == "keras.Sequential"
    assert view.element_type("pkg.nets.make", 1) == "keras.optimizers.Adam"
    assert view.element_type("pkg.nets.make", 2) is None
    assert view.element_type("pkg.nets.make", 3) is None
    assert view.call_type("pkg.nets.make") is None  # a tuple is not a Keras object
    assert view.attribute_type("pkg.nets.Mid", "opt") == "keras.optimizers.SGD"  # through Base
    assert view.attribute_type("pkg.nets.Mid", "data") is None
    assert view.defines("pkg.util", "clone") and view.defines("pkg.util", "model_from_config")
    assert not view.defines("pkg.util", "missing")
    found = _probe(index, tmp_path / "pkg" / "use.py", "from pkg.util import *\nprobe(clone(x))\nprobe(model_from_config)\n")
    assert found[0][1] == "keras.Model"  # a project star import, then the project function
    assert found[1][0] == "keras.models.model_from_config"


def test_parallel_run_gives_the_same_findings(tmp_path):
    project = _copy(tmp_path, "package_routes")
    serial = _findings(project, "--no-cache", "--jobs", "1", ".", runner=run)
    parallel = _findings(project, "--no-cache", "--jobs", "2", ".", runner=run)
    assert serial == parallel and serial


def test_seeding_reaches_the_files_the_seeding_file_imports(tmp_path):
    layer = "from tensorflow import keras\nL = keras.layers.Dense(4, kernel_initializer='he_normal')\n"
    write(tmp_path / "models.py", layer)
    write(tmp_path / "other_script.py", layer)  # an independent script: nobody seeding imports it
    write(tmp_path / "utils.py", "import random\nimport numpy as np\ndef seed_everything(s):\n    random.seed(s)\n    np.random.seed(s)\n")
    write(tmp_path / "train.py", "import utils\nimport models\nutils.seed_everything(0)\n")
    found = _high(_findings(tmp_path, "--no-cache", "."), "KRS502")
    assert found == [("models.py", 2, "KRS502")]  # through train.py, which imports the seeding helper


def test_test_file_seeding_is_not_the_projects(tmp_path):
    project = _copy(tmp_path, "entry_seeds")
    train = project / "train.py"
    train.write_text(train.read_text().replace("keras.utils.set_random_seed(1234)", ""))
    assert not [f for f in _findings(project, "--no-cache", ".") if f[2] == "KRS502"]


@pytest.mark.parametrize("setting, expected", [("false", []), ("true", [("layers_lib.py", 6, "KRS502")])])
def test_reproducible_setting_overrides_the_inference(tmp_path, setting, expected):
    project = _copy(tmp_path, "entry_seeds")
    if setting == "true":  # no seeding anywhere, but the setting says the project wants it
        train = project / "train.py"
        train.write_text(train.read_text().replace("keras.utils.set_random_seed(1234)", ""))
    write(project / "pyproject.toml", f"[tool.keras3-lint]\nreproducible = {setting}\n")
    assert _high(_findings(project, "--no-cache", "."), "KRS502") == expected


def test_keras_backend_set_by_the_entry_script_applies_to_other_files(tmp_path):
    write(tmp_path / "main.py", "import os\nos.environ['KERAS_BACKEND'] = 'jax'\nimport train\n")
    write(
        tmp_path / "train.py",
        "import keras\nimport numpy as np\nx = np.zeros((4, 1))\nm = keras.Sequential([keras.layers.Dense(1)])\n"
        "m.fit(x, x)\nm.fit(x, x)\n",
    )
    # A script nobody on JAX imports stays on the configured backend.
    write(tmp_path / "other.py", (tmp_path / "train.py").read_text())
    found = _high(_findings(tmp_path, "--no-cache", "."), "KRS504")
    assert found == [("train.py", 6, "KRS504")]
    assert not _high(_findings(tmp_path, "--no-cache", "train.py"), "KRS504")  # alone: not known to run on JAX


def test_show_settings_prints_the_project_facts(tmp_path):
    project = _copy(tmp_path, "entry_seeds")
    data = json.loads(invoke("--show-settings", "--output-format", "json", ".", cwd=project).stdout)
    assert data["project"]["seeding"] == {"train.py": ["keras.utils.set_random_seed"]}
    assert data["project"]["reproducible"] is True
    assert data["project"]["keras_version_source"]
    text = invoke("--show-settings", ".", cwd=project).stdout
    assert "seeding:         train.py (keras.utils.set_random_seed)" in text


# ---------------------------------------------------------------------------------------------
# Cache: a file's result depends on the files it consumed


def test_cache_is_invalidated_when_a_file_it_depends_on_changes(tmp_path):
    project = _copy(tmp_path, "entry_seeds")
    models = project / "models.py"
    original = models.read_text()
    assert ("train.py", 12, "KRS701") in _high(_findings(project, "."))
    models.write_text(original.replace("return model", "return {'model': model}"))
    assert ("train.py", 12, "KRS701") not in _high(_findings(project, "."))  # train.py did not change
    models.write_text(original)
    assert ("train.py", 12, "KRS701") in _high(_findings(project, "."))


def test_cache_is_invalidated_when_the_project_facts_change(tmp_path):
    project = _copy(tmp_path, "entry_seeds")
    train = project / "train.py"
    original = train.read_text()
    assert ("layers_lib.py", 6, "KRS502") in _high(_findings(project, "."))
    train.write_text(original.replace("keras.utils.set_random_seed(1234)", ""))
    assert ("layers_lib.py", 6, "KRS502") not in _high(_findings(project, "."))
    train.write_text(original)
    assert ("layers_lib.py", 6, "KRS502") in _high(_findings(project, "."))


def test_cache_is_invalidated_when_an_imported_module_appears(tmp_path):
    write(tmp_path / "train.py", "import keras\nfrom helpers import make\nm = make()\nm.save('out')\n")
    write(tmp_path / "other.py", "import keras\n")
    assert not _high(_findings(tmp_path, "."), "KRS701")
    write(tmp_path / "helpers.py", "import keras\ndef make():\n    return keras.Sequential()\n")
    assert _high(_findings(tmp_path, "."), "KRS701") == [("train.py", 4, "KRS701")]


def test_warm_run_reads_facts_from_the_cache(tmp_path, monkeypatch):
    project = _copy(tmp_path, "entry_seeds")
    first = _findings(project, ".")
    import keras3_lint.batch as batch

    def no_scan(path, data):  # pragma: no cover - failing is the point
        raise AssertionError(f"{path} was scanned again")

    monkeypatch.setattr(batch, "scan_facts", no_scan)
    assert _findings(project, ".") == first


# ---------------------------------------------------------------------------------------------
# One-file front-ends: what the file alone proves


def test_stdin_sees_one_file(tmp_path):
    project = _copy(tmp_path, "entry_seeds")
    data = (project / "train.py").read_bytes()
    proc = run_stdin("check", "--output-format", "json", "--stdin-filename", "train.py", cwd=project, data=data)
    found = [(f["location"]["row"], f["code"], f["confidence"]) for f in json.loads(proc.stdout)]
    assert (12, "KRS701", "high") not in found  # build_model() is in another file
    assert all(confidence != "high" for _, _, confidence in found)


def test_flake8_plugin_sees_one_file(tmp_path):
    from keras3_lint.flake8_plugin import Keras3LintChecker

    project = _copy(tmp_path, "entry_seeds")
    lines = (project / "layers_lib.py").read_text().splitlines(keepends=True)
    messages = [m for _, _, m, _ in Keras3LintChecker(None, str(project / "layers_lib.py"), lines).run()]
    assert not [m for m in messages if m.startswith("KRS502")]  # the seeding is in train.py


def test_add_noqa_suppresses_cross_file_findings(tmp_path):
    project = _copy(tmp_path, "entry_seeds")
    proc = invoke("--add-noqa", "--select", "KRS502,KRS701", ".", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "# noqa: KRS502" in (project / "layers_lib.py").read_text()
    assert _findings(project, "--no-cache", "--select", "KRS502,KRS701", ".") == []


def test_notebook_uses_the_project(tmp_path):
    # (A notebook that never mentions Keras is still skipped by notebook.py's own pre-filter.)
    write(tmp_path / "models.py", "import keras\ndef build_model():\n    return keras.Sequential()\n")
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ["import keras\n", "from models import build_model\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ["m = build_model()\n", "m.save('out')\n"]},
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    write(tmp_path / "train.ipynb", json.dumps(notebook))
    assert _high(_findings(tmp_path, "--no-cache", "."), "KRS701") == [("train.ipynb", 2, "KRS701")]


def test_seed_fixes_in_two_files_do_not_share_seeds(tmp_path):
    layer = "from tensorflow import keras\nL = keras.layers.Dense(4, kernel_initializer='he_normal')\n"
    write(tmp_path / "a.py", layer)
    write(tmp_path / "b.py", layer)
    write(tmp_path / "train.py", "import keras\nimport a, b\nkeras.utils.set_random_seed(0)\n")
    proc = invoke("--diff", "--unsafe-fixes", "--select", "KRS502", "--no-cache", ".", cwd=tmp_path)
    seeds = re.findall(r"^\+.*HeNormal\(seed=(\d+)\)", proc.stdout, re.MULTILINE)
    assert len(seeds) == 2 and seeds[0] != seeds[1]
    again = invoke("--diff", "--unsafe-fixes", "--select", "KRS502", "--no-cache", ".", cwd=tmp_path)
    assert re.findall(r"^\+.*HeNormal\(seed=(\d+)\)", again.stdout, re.MULTILINE) == seeds  # stable
