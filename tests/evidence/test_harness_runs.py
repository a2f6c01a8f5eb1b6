"""The execution harness (scripts/run_programs.py) on real Keras 3: its offline bootstrap, its
classification of real runs, and the smoke set (smoke_programs/) before and after `--fix`.

The smoke set is issue 10's CI check: a few Keras 2 programs the harness runs on keras 3.15.1
(TensorFlow) before and after `keras3-lint --fix` and `--fix --unsafe-fixes`. No program that
ran may fail after a fix, and every statement a program crashes on must carry a finding.
"""

import json
import os
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPTS = os.path.join(ROOT, "scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

from execution_harness import compare, pipeline  # noqa: E402
from execution_harness.runner import run_program  # noqa: E402

import k3l_harness_offline as offline  # noqa: E402  (execution_harness.runner put bootstrap/ on sys.path)

SMOKE = os.path.join(HERE, "smoke_programs")
LINTER = os.path.join(os.path.dirname(sys.executable), "keras3-lint")  # the evidence venv's (-e) keras3-lint


def _run(path, timeout=120):
    return run_program(str(path), python=sys.executable, timeout=timeout)


def _program(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


# -- the bootstrap inside a real Keras 3 run --------------------------------------------------

OFFLINE_PROGRAM = """
    import urllib.request

    import numpy as np
    import keras
    import tensorflow as tf

    import k3l_harness_synthetic as synthetic
    from k3l_harness_offline import OFFLINE_MARK

    # The loaders give the synthetic data (the real shapes and dtypes); tf.keras's are the same objects.
    for name in sorted(synthetic.LOADERS):
        assert getattr(tf.keras.datasets, name).load_data is getattr(keras.datasets, name).load_data, name
        assert getattr(keras.datasets, name).load_data is synthetic.LOADERS[name], name
    (x, y), (x_test, y_test) = keras.datasets.cifar10.load_data()
    assert (x.shape, x.dtype, y.shape, y.dtype, x_test.shape) == ((50000, 32, 32, 3), np.uint8, (50000, 1), np.uint8, (10000, 32, 32, 3))
    assert keras.datasets.imdb.get_word_index()["word1"] == 1
    assert tf.keras.datasets.reuters.get_word_index is keras.datasets.reuters.get_word_index

    # Downloads fail with the offline error, whichever way they are attempted.
    for attempt in (lambda: keras.utils.get_file("x.zip", "https://example.com/x.zip"),
                    lambda: tf.keras.utils.get_file("x.zip", "https://example.com/x.zip"),
                    lambda: urllib.request.urlopen("https://example.com/data.csv")):
        try:
            attempt()
        except Exception as error:
            assert OFFLINE_MARK in str(error) or OFFLINE_MARK in str(getattr(error, "reason", "")), repr(error)
        else:
            raise AssertionError("a download succeeded")

    # A few known files are made up offline; pretrained application weights stay random.
    with open(tf.keras.utils.get_file("nietzsche.txt", origin="https://s3.amazonaws.com/text-datasets/nietzsche.txt")) as handle:
        assert len(handle.read()) > 20000
    net = keras.applications.MobileNet(weights="imagenet", include_top=False, input_shape=(32, 32, 3), alpha=0.25)
    fresh = keras.applications.MobileNet(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.25)
    assert [w.shape for w in net.get_weights()] == [w.shape for w in fresh.get_weights()]

    # fit: one epoch of two batches, whatever the program asks for.
    class Batches(keras.callbacks.Callback):
        seen = 0
        def on_train_batch_end(self, batch, logs=None):
            Batches.seen += 1

    (x, y), _ = keras.datasets.mnist.load_data()
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=40, batch_size=32, verbose=0, callbacks=[Batches()], validation_data=(x[:5000], y[:5000]))
    assert Batches.seen == 2, Batches.seen  # one epoch of two batches ran...
    assert len(history.history["val_loss"]) == 40 and history.epoch == list(range(40)), history.history  # ...reported as 40
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16).repeat()
    Batches.seen = 0
    model.fit(dataset, epochs=9, steps_per_epoch=500, verbose=0, callbacks=[Batches()])
    assert Batches.seen == 2, Batches.seen
    print("CHECKS PASSED")

    # The budget of fit calls stops a long training loop; the run counts as ok.
    for epoch in range(1000):
        model.fit(x, y, verbose=0)
    raise AssertionError("the budget did not stop the loop")
"""


def test_offline_bootstrap_in_a_real_keras3_run(tmp_path):
    run = _run(_program(tmp_path, "offline.py", OFFLINE_PROGRAM))
    assert run["status"] == "ok", run.get("traceback") or run
    assert "CHECKS PASSED" in run["output_tail"]
    assert run["budget"] == f"budget of {offline.BUDGET['fit']} fit calls used"


def test_keras3_crash_names_exception_and_program_line(tmp_path):
    path = _program(tmp_path, "crash.py", """
        import numpy as np
        from tensorflow import keras

        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit_generator(iter([(np.ones((4, 3)), np.ones(4))]), steps_per_epoch=1)
    """)
    run = _run(path)
    assert run["status"] == "crash" and run["exception"] == "AttributeError", run
    assert run["message"] == "'Sequential' object has no attribute 'fit_generator'"
    assert run["frame"] == {"cell": None, "line": 7, "text": "model.fit_generator(iter([(np.ones((4, 3)), np.ones(4))]), steps_per_epoch=1)"}


@pytest.mark.parametrize("source, status, exception", [
    ("import urllib.request\nurllib.request.urlopen('https://example.com/train.csv')\n", "needs data", "URLError"),
    ("import pandas_not_installed_here as pd\n", "missing package", "ModuleNotFoundError"),
    ("with open('data/train.csv') as handle:\n    rows = handle.read()\n", "needs data", "FileNotFoundError"),
    ("import sys\nprint('done')\nsys.exit(0)\n", "ok", None),
    ("import sys\nsys.exit(3)\n", "crash", "SystemExit"),
])
def test_plain_program_statuses(tmp_path, source, status, exception):
    run = _run(_program(tmp_path, "p.py", source), timeout=60)
    assert run["status"] == status, run
    assert run.get("exception") == exception


def test_timeout_kills_the_program(tmp_path):
    run = _run(_program(tmp_path, "slow.py", "import time\ntime.sleep(120)\n"), timeout=3)
    assert run["status"] == "timeout" and run["seconds"] < 30


def test_notebook_cells_run_in_order_in_one_namespace(tmp_path):
    notebook = tmp_path / "two_cells.ipynb"
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# two cells"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
         "source": ["%matplotlib inline\n", "import numpy as np\n", "values = np.arange(4)\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [],
         "source": ["!echo shell lines are masked\n", "total = values.sum()\n", "display(total)\n", "print('total', total)\n", "missing_name.fit()\n"]},
    ]
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}))
    run = _run(notebook, timeout=60)
    assert "total 6" in run["output_tail"]  # cell 3 saw cell 2's `values`
    assert run["status"] == "crash" and run["exception"] == "NameError"
    assert run["frame"] == {"cell": 3, "line": 5, "text": "missing_name.fit()"}


def test_notebook_cell_that_does_not_compile_names_its_line(tmp_path):
    notebook = tmp_path / "broken.ipynb"
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": ["x = 1\n", "print(x\n"]}]
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}))
    run = _run(notebook, timeout=60)
    assert run["status"] == "crash" and run["exception"] == "SyntaxError"
    assert run["frame"]["cell"] == 1 and run["frame"]["line"] == 2


# -- synthetic datasets (the real loaders' shapes and dtypes; see the module's docstring) -------
# (NumPy is imported inside the tests: a normal `pytest` run collects this file without it.)

EXPECTED = {
    "mnist": ((60000, 28, 28), "uint8", (60000,), "uint8", (10000, 28, 28), 10),
    "fashion_mnist": ((60000, 28, 28), "uint8", (60000,), "uint8", (10000, 28, 28), 10),
    "cifar10": ((50000, 32, 32, 3), "uint8", (50000, 1), "uint8", (10000, 32, 32, 3), 10),
    "cifar100": ((50000, 32, 32, 3), "uint8", (50000, 1), "int64", (10000, 32, 32, 3), 100),
    "imdb": ((25000,), "object", (25000,), "int64", (25000,), 2),
    "reuters": ((8982,), "object", (8982,), "int64", (2246,), 46),
    "boston_housing": ((404, 13), "float64", (404,), "float64", (102, 13), None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_synthetic_dataset_has_the_real_shapes_and_dtypes(name):
    import numpy as np
    import k3l_harness_synthetic as synthetic

    (x, y), (x_test, y_test) = synthetic.LOADERS[name]()
    x_shape, x_dtype, y_shape, y_dtype, x_test_shape, classes = EXPECTED[name]
    assert (x.shape, str(x.dtype), y.shape, str(y.dtype), x_test.shape) == (x_shape, x_dtype, y_shape, y_dtype, x_test_shape)
    assert len(y_test) == len(x_test)
    if classes:  # every class present: to_categorical(y) has `classes` columns
        assert sorted(set(np.ravel(y).tolist())) == list(range(classes))


def test_synthetic_text_follows_the_loader_arguments():
    import k3l_harness_synthetic as synthetic

    (x, _), _ = synthetic.imdb(num_words=500, maxlen=100)
    assert all(isinstance(seq, list) and len(seq) < 100 and max(seq) < 500 and seq[0] == 1 for seq in x)
    (x, _), _ = synthetic.reuters(num_words=1000, start_char=None, oov_char=None)
    assert all(max(seq) < 1000 for seq in x if seq)
    (x, _), (x_test, _) = synthetic.reuters(test_split=0.5)
    assert len(x) == len(x_test) == 5614
    assert synthetic.word_index()["word1"] == 1


# -- the fit cap (pure parts) -----------------------------------------------------------------


def test_fit_arrays_are_cut_to_two_batches_of_one_epoch():
    import numpy as np

    arguments = {"x": np.zeros((1000, 3)), "y": [np.zeros(1000), np.zeros(1000)], "batch_size": 16, "epochs": 50,
                 "validation_data": (np.zeros((500, 3)), np.zeros(500)), "initial_epoch": 4}
    offline._cap_fit(arguments, "x")
    assert arguments["epochs"] == 5 and len(arguments["x"]) == 32 and [len(v) for v in arguments["y"]] == [32, 32]
    assert [len(v) for v in arguments["validation_data"]] == [32, 32]
    assert "steps_per_epoch" not in arguments


def test_generator_fit_is_capped_by_steps():
    arguments = {"generator": iter(()), "steps_per_epoch": 1000, "epochs": 9, "validation_data": iter(()), "validation_steps": 50}
    offline._cap_fit(arguments, "generator")
    assert (arguments["epochs"], arguments["steps_per_epoch"], arguments["validation_steps"]) == (1, 2, 1)


def test_budget_stops_the_program_with_a_base_exception():
    offline._calls.clear()
    for _ in range(offline.BUDGET["fit"]):
        offline._count("fit")
    with pytest.raises(offline.BudgetReached):
        offline._count("fit")
    assert not issubclass(offline.BudgetReached, Exception)  # `except Exception` in a program cannot swallow it
    offline._calls.clear()


# -- the smoke set: before and after keras3-lint's fixes --------------------------------------

# What each smoke program does on Keras 3 as written (a fact of Keras 3, not of keras3-lint).
SMOKE_BEFORE = {
    "lstm_generator.py": ("crash", "AttributeError"),  # fit_generator
    "mnist_mlp_old_paths.py": ("crash", "ModuleNotFoundError"),  # keras.layers.core
    "runs_on_keras3.py": ("ok", None),
    "sklearn_wrapper.ipynb": ("crash", "ModuleNotFoundError"),  # keras.wrappers.scikit_learn
}


@pytest.fixture(scope="module")
def smoke_records():
    records = {}
    for name in sorted(SMOKE_BEFORE):
        records[name] = pipeline.evaluate(os.path.join(SMOKE, name), name, run=lambda path: _run(path), linter=LINTER)
    return records


def test_smoke_programs_fail_on_keras3_as_designed(smoke_records):
    for name, record in smoke_records.items():
        assert not record["lint_errors"], (name, record["lint_errors"])
    for name, (status, exception) in SMOKE_BEFORE.items():
        before = smoke_records[name]["runs"]["before"]
        assert (before["status"], before.get("exception")) == (status, exception), (name, before)


def test_smoke_fixes_break_no_program_that_ran(smoke_records):
    regressions = {(name, mode): record["diffs"][mode] for name, record in smoke_records.items()
                   for mode, label in record["transitions"].items() if compare.is_regression(label)}
    assert not regressions, "\n".join(f"{name} after {mode}:\n{diff}" for (name, mode), diff in regressions.items())
    assert smoke_records["runs_on_keras3.py"]["diffs"]["unsafe"], "runs_on_keras3.py should be changed by the fixes it is there to check"


def test_smoke_crash_statements_carry_findings(smoke_records):
    bare = [(name, mode, run["frame"]) for name, record in smoke_records.items() for mode, run in record["runs"].items()
            if run["status"] == "crash" and not run.get("crash_findings")]
    assert not bare, bare


def test_smoke_safe_fix_makes_a_crashing_program_run(smoke_records):
    record = smoke_records["lstm_generator.py"]
    assert record["transitions"]["fix"] == "crash->ok", record["runs"]["fix"]
    assert "+model.fit(batches()" in record["diffs"]["fix"]
