"""The execution harness's own logic (scripts/execution_harness): classification, comparison, notebooks,
the corpus list, the linter copies. No NumPy or TensorFlow here: the synthetic data, the fit cap
and runs on real Keras are in tests/evidence/test_harness_runs.py (evidence tier)."""

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(ROOT, "scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

from execution_harness import compare, corpus, lint, report  # noqa: E402
from execution_harness.runner import classify, reclassify  # noqa: E402

import k3l_harness_cells as cells  # noqa: E402  (harness.runner put bootstrap/ on sys.path)
import k3l_harness_offline as offline  # noqa: E402


def _error(type_, message, **extra):
    return dict({"type": type_, "module": "builtins", "message": message, "errno": None, "offline": False, "module_name": None}, **extra)


def _crashed(*chain, frame=None):
    return {"finished": False, "exception": list(chain), "frame": frame or {"cell": None, "line": 3, "text": "x()"}}


# -- classification ---------------------------------------------------------------------------


def test_finished_program_is_ok_and_budget_is_kept():
    assert classify({"finished": True}) == {"status": "ok", "budget": None}
    assert classify({"finished": True, "budget": "budget of 5 fit calls used"})["budget"].startswith("budget")


def test_timeout_wins():
    assert classify({"timeout": True, "finished": False})["status"] == "timeout"


def test_crash_keeps_type_message_and_program_line():
    run = classify(_crashed(_error("AttributeError", "'Sequential' object has no attribute 'fit_generator'")))
    assert run["status"] == "crash"
    assert run["exception"] == "AttributeError" and "fit_generator" in run["message"]
    assert run["frame"]["line"] == 3


@pytest.mark.parametrize("name", ["tensorflow_addons", "matplotlib.pyplot", "sklearn"])
def test_third_party_module_not_found_is_a_missing_package(name):
    run = classify(_crashed(_error("ModuleNotFoundError", f"No module named '{name}'", module_name=name)))
    assert run["status"] == "missing package" and run["package"] == name.split(".")[0]


@pytest.mark.parametrize("name", ["keras.layers.recurrent", "tensorflow.keras.wrappers", "keras.utils.np_utils"])
def test_removed_keras_module_is_a_crash(name):
    assert classify(_crashed(_error("ModuleNotFoundError", f"No module named '{name}'", module_name=name)))["status"] == "crash"


def test_module_name_from_the_message_when_the_attribute_is_missing():
    assert classify(_crashed(_error("ModuleNotFoundError", "No module named 'pydot'")))["status"] == "missing package"


def test_install_hint_import_error_is_a_missing_package():
    run = classify(_crashed(_error("ImportError", "You must install pydot (`pip install pydot`) for `plot_model` to work.")))
    assert run["status"] == "missing package"


def test_offline_error_anywhere_in_the_chain_means_needs_data():
    chain = [_error("Exception", "URL fetch failure on https://x: None -- boom"), _error("OfflineError", "whatever", offline=True)]
    assert classify(_crashed(*chain))["status"] == "needs data"
    assert classify(_crashed(_error("URLError", f"<urlopen error {offline.OFFLINE_MARK}: ...>")))["status"] == "needs data"


@pytest.mark.parametrize("error", [_error("FileNotFoundError", "[Errno 2] No such file"), _error("OSError", "x", errno=2), _error("NotFoundError", "x.csv; No such file")])
def test_missing_files_mean_needs_data(error):
    assert classify(_crashed(error))["status"] == "needs data"


def test_command_line_arguments_missing_means_needs_data():
    run = classify(_crashed(_error("SystemExit", "2"), frame={"cell": None, "line": 9, "text": "args = parser.parse_args()"}))
    assert run["status"] == "needs data"
    assert classify(_crashed(_error("SystemExit", "2")))["status"] == "crash"


@pytest.mark.parametrize("message", ["No text files found in directory aclImdb. Allowed format: .txt", "No images found in directory x/train. Allowed formats: ('.bmp',)"])
def test_keras_empty_data_folder_means_needs_data(message):
    assert classify(_crashed(_error("ValueError", message)))["status"] == "needs data"
    assert classify(_crashed(_error("ValueError", "Input 0 of layer is incompatible")))["status"] == "crash"


def test_other_os_errors_are_crashes():
    assert classify(_crashed(_error("OSError", "Unable to synchronously open file", errno=5)))["status"] == "crash"


def test_a_process_that_died_without_a_result_is_a_crash():
    run = classify({"returncode": -11})
    assert run["status"] == "crash" and run["exception"] == "ProcessDied" and "-11" in run["message"]


def test_stored_runs_are_reclassified_under_the_current_rules():
    stored = {"status": "crash", "exception": "SystemExit", "message": "2", "frame": {"cell": None, "line": 4, "text": "args = parser.parse_args()"}}
    assert reclassify(stored)["status"] == "needs data"
    assert reclassify({"status": "ok", "budget": None}) == {"status": "ok", "budget": None}
    crash = {"status": "crash", "exception": "KeyError", "message": "'acc'", "frame": {"cell": 3, "line": 1, "text": "h['acc']"}, "crash_findings": []}
    assert reclassify(crash) == crash


# -- comparison -------------------------------------------------------------------------------


def _run(status, exception=None, message=None, text=None):
    return {"status": status, "exception": exception, "message": message, "frame": {"cell": None, "line": 1, "text": text} if text else None}


def test_transitions():
    crash = _run("crash", "AttributeError", "no fit_generator", "m.fit_generator(g)")
    assert compare.transition(crash, _run("ok")) == "crash->ok"
    assert compare.transition(crash, _run("crash", "AttributeError", "no fit_generator", "m.fit_generator(g)")) == "crash->crash (same)"
    assert compare.transition(crash, _run("crash", "ValueError", "bad", "m.fit(g)")) == "crash->crash (new)"
    assert compare.transition(crash, _run("needs data")) == "crash->needs data"
    assert compare.transition(_run("ok"), _run("ok")) == "ok->ok"


def test_same_statement_with_a_new_message_is_the_same_crash():
    a = _run("crash", "TypeError", "x has 3 args", "f(a, b)")
    assert compare.same_crash(a, _run("crash", "TypeError", "x has 4 args", "f(a, b)"))
    assert not compare.same_crash(a, _run("crash", "ValueError", "x has 3 args", "f(a, b)"))


@pytest.mark.parametrize("after", ["crash", "needs data", "missing package", "timeout"])
def test_anything_but_ok_after_ok_is_a_regression(after):
    label = compare.transition(_run("ok"), _run(after, "NameError", "name 'keras' is not defined", "keras.ops.sum(x)"))
    assert compare.is_regression(label), label


def test_crash_statement_maps_to_findings_on_any_of_its_lines(tmp_path):
    program = tmp_path / "p.py"
    program.write_text("import x\nmodel.fit(\n    a,\n    nb_epoch=3,\n)\nother()\n")
    span = compare.crash_span(str(program), {"cell": None, "line": 3, "text": "a,"})
    assert span == (None, 2, 5)
    findings = [
        {"code": "KRS102", "cell": None, "row": 4, "end_row": 4},
        {"code": "KRS999", "cell": None, "row": 6, "end_row": 6},
        {"code": "KRS998", "cell": 2, "row": 3, "end_row": 3},
    ]
    assert compare.findings_at(findings, span) == ["KRS102"]
    assert compare.findings_at(findings, None) == []


def test_compound_statement_header_is_its_own_span():
    code = "for batch in model.predict_classes(x):\n    print(batch)\n    log(batch)\n"
    assert cells.statement_span(code, 1) == (1, 1)
    assert cells.statement_span(code, 3) == (3, 3)


def test_notebook_crash_maps_to_findings_of_that_cell(tmp_path):
    notebook = tmp_path / "n.ipynb"
    _write_notebook(notebook, ["import numpy as np\n", "%matplotlib inline\nmodel.fit_generator(g)\n"], markdown_first=True)
    span = compare.crash_span(str(notebook), {"cell": 3, "line": 2, "text": "model.fit_generator(g)"})
    assert span == (3, 2, 2)
    findings = [{"code": "KRS103", "cell": 3, "row": 2, "end_row": 2}, {"code": "KRS104", "cell": 2, "row": 2, "end_row": 2}]
    assert compare.findings_at(findings, span) == ["KRS103"]


def test_summary_counts_transitions_regressions_and_carried_crashes():
    crash = dict(_run("crash", "AttributeError", "m", "s()"), crash_findings=["KRS103"])
    records = [
        {"program": "a", "runs": {"before": crash, "fix": _run("ok"), "unsafe": _run("ok")}, "transitions": {"fix": "crash->ok", "unsafe": "crash->ok"}},
        {"program": "b", "runs": {"before": _run("ok"), "fix": dict(_run("crash", "NameError", "n", "t()"), crash_findings=[]), "unsafe": _run("ok")},
         "transitions": {"fix": "ok->crash REGRESSION", "unsafe": "ok->ok"}, "diffs": {"fix": "-a\n+b\n", "unsafe": ""}},
    ]
    summary = compare.summarize(records)
    assert summary["fix: crash fixed"] == 1 and summary["unsafe: crash fixed"] == 1
    assert summary["fix: regressions"] == 1 and "unsafe: regressions" not in summary
    assert summary["crash statements"] == 2 and summary["crash statements with a finding"] == 1
    table = report.markdown(records)
    assert "REGRESSION" in table and "```diff\n-a\n+b\n```" in table
    assert "| a | crash: AttributeError | ok | ok | line 1 `s()` | KRS103 |" in table


# -- notebooks --------------------------------------------------------------------------------


def _write_notebook(path, sources, markdown_first=False):
    nb_cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# title"]}] if markdown_first else []
    nb_cells += [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s.splitlines(True)} for s in sources]
    path.write_text(json.dumps({"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}))


def test_notebook_cells_are_numbered_among_all_cells(tmp_path):
    notebook = tmp_path / "n.ipynb"
    _write_notebook(notebook, ["a = 1\n", "b = 2\n"], markdown_first=True)
    assert [n for n, _ in cells.read_notebook(str(notebook))] == [2, 3]


def test_magics_are_masked_line_for_line():
    code, writefile = cells.cell_python("%matplotlib inline\n!pip install keras\nfiles = !ls\nmodel?\nx = 1\n")
    assert writefile is None
    assert code.splitlines() == ["pass", "pass", "files = []", "pass", "x = 1"]
    compile(code, "<cell>", "exec")


def test_cell_magics():
    assert cells.cell_python("%%time\nx = 1\n")[0].splitlines() == ["pass", "x = 1"]
    assert cells.cell_python("%%bash\nls -l\n")[0].splitlines() == ["pass", "pass", "pass"]
    code, writefile = cells.cell_python("%%writefile -a helper.py\ndef f():\n    return 1")
    assert writefile == ("helper.py", "def f():\n    return 1\n", True)
    compile(code, "<cell>", "exec")


def test_indented_cell_is_dedented_ipython_style():
    code, _ = cells.cell_python("    x = 1\n    y = x + 1\n")
    namespace = {}
    exec(compile(code, "<cell>", "exec"), namespace)
    assert namespace["y"] == 2


def test_history_reports_the_requested_epochs():
    class History:
        history = {"loss": [0.5], "val_loss": [0.7]}
        epoch = [3]

    history = offline._pad_history(History(), 3)
    assert history.history == {"loss": [0.5] * 3, "val_loss": [0.7] * 3} and history.epoch == [3, 4, 5]
    assert offline._pad_history(None, 3) is None


# -- corpus list and linter copies ------------------------------------------------------------


def test_corpus_list_is_well_formed_and_large_enough():
    entries = corpus.read(os.path.join(SCRIPTS, "program_corpus.txt"))
    assert len(entries) >= 80
    assert len(set(entries)) == len(entries)
    assert all(len(e.commit) == 40 and e.path.endswith(".ipynb" if e.kind == "notebook" else ".py") for e in entries)


def test_corpus_line_errors_name_the_line(tmp_path):
    listing = tmp_path / "c.txt"
    listing.write_text("# c\nowner/name abc examples/a.py script\nowner/name abc b.py\n")
    with pytest.raises(ValueError, match="c.txt:3"):
        corpus.read(str(listing))


def test_variants_lint_copies_and_diff(tmp_path):
    if not os.path.exists(lint.DEFAULT_LINTER):
        pytest.skip("no .venv/bin/keras3-lint")
    program = tmp_path / "p.py"
    source = "from tensorflow import keras\nmodel = keras.Sequential()\nmodel.fit_generator(g, steps_per_epoch=2)\n"
    program.write_text(source)
    out = lint.variants(str(program), str(tmp_path / "work"))
    assert program.read_text() == source  # the original is never touched
    assert [f["code"] for f in out["before"]["findings"] if f["row"] == 3] == ["KRS103"]
    assert "+model.fit(g, steps_per_epoch=2)" in out["fix"]["diff"] and out["fix"]["changed"]
    assert not [f for f in out["fix"]["findings"] if f["code"] == "KRS103"]


FAKE_LINTER = """#!{python}
# A stand-in for keras3-lint whose "fix" breaks the program: the harness must call it a regression.
import sys
path = sys.argv[-1]
if "--fix" in sys.argv:
    with open(path) as handle:
        text = handle.read()
    with open(path, "w") as handle:
        handle.write(text.replace("total = 1", "total = undefined_name"))
print("[]" if "json" in sys.argv else "")
"""


def test_a_fix_that_breaks_a_program_is_reported_as_a_regression_with_its_diff(tmp_path):
    from execution_harness import pipeline
    from execution_harness.runner import run_program

    linter = tmp_path / "fake-keras3-lint"
    linter.write_text(FAKE_LINTER.format(python=sys.executable))
    linter.chmod(0o755)
    program = tmp_path / "p.py"
    program.write_text("total = 1\nprint(total)\n")
    record = pipeline.evaluate(str(program), "p.py", run=lambda path: run_program(path, python=sys.executable, timeout=60),
                               linter=str(linter))
    assert record["runs"]["before"]["status"] == "ok"
    assert record["transitions"] == {"fix": "ok->crash REGRESSION", "unsafe": "ok->crash REGRESSION"}
    assert record["runs"]["unsafe"]["reused"] == "fix"  # same code as --fix: not run twice
    assert "-total = 1\n+total = undefined_name" in record["diffs"]["fix"]
    assert record["runs"]["fix"]["frame"] == {"cell": None, "line": 1, "text": "total = undefined_name"}
    table = report.markdown([record])
    assert "## Regressions" in table and "+total = undefined_name" in table


# -- out of scope: crashes that are not a Keras 2 -> Keras 3 change --------------------------

from execution_harness.scope import bound_names, out_of_scope  # noqa: E402


@pytest.mark.parametrize("exception, message, text, kind, reason", [
    ("AttributeError", "module 'numpy' has no attribute 'float'. `np.float` was a deprecated alias", "x = np.float", "script", "NumPy"),
    ("ModuleNotFoundError", "No module named 'tensorflow.contrib'", "from tensorflow.contrib import x", "script", "TensorFlow 1"),
    ("AttributeError", "module 'tensorflow' has no attribute 'random_uniform'", "tf.random_uniform([2])", "script", "TensorFlow 1"),
    ("AttributeError", "'_BatchDataset' object has no attribute 'make_one_shot_iterator'", "d.make_one_shot_iterator()", "script", "TensorFlow 1"),
    ("NameError", "name 'encoder' is not defined", "z = encoder(x)", "notebook", "notebook"),
    ("AssertionError", "", 'assert tf.__version__ >= "2.4"', "notebook", "version check"),
    ("AttributeError", "'NoneType' object has no attribute 'strip'", r"return [x.strip() for x in re.split(r'(\W+)?', sent) if x.strip()]", "script", "re.split"),
    ("InvalidArgumentError", "Field 0 in record 0 is not a valid float: np.float64(8.18) [[{{node DecodeCSV}}]]", "for x in ds.take(2):", "notebook", "NumPy >= 2"),
])
def test_crashes_outside_the_tools_scope_say_why(exception, message, text, kind, reason):
    run = {"exception": exception, "message": message, "frame": {"line": 1, "text": text}}
    assert reason in out_of_scope(run, kind, frozenset({"x", "model"}))


def test_a_notebook_name_error_is_in_scope_when_the_notebook_binds_the_name():
    # the name exists in the program: a fix may have moved its use above its binding
    run = {"exception": "NameError", "message": "name 'Input' is not defined", "frame": {"line": 1, "text": "Input()"}}
    names = bound_names(["from keras.layers import Input\n", "x = Input((2,))\n"])
    assert "Input" in names and out_of_scope(run, "notebook", names) is None
    assert out_of_scope(run, "notebook", frozenset({"x"})) is not None
    assert out_of_scope(run, "notebook", None) is None
    assert "y" not in bound_names(["y *= 2\n"])  # an augmented assignment needs the name already


@pytest.mark.parametrize("exception, message, text, kind", [
    ("AttributeError", "module 'keras.backend' has no attribute 'cast'", "K.cast(x, 'float32')", "script"),
    ("AttributeError", "module 'tensorflow' has no attribute 'keras'", "tf.keras.layers", "script"),
    ("KeyError", "'acc'", "history.history['acc']", "notebook"),
    ("NameError", "name 'K' is not defined", "K.sum(x)", "script"),  # a script's NameError may be a fix's doing
    ("AttributeError", "'NoneType' object has no attribute 'predict'", "self.model.predict(x)", "script"),
])
def test_keras_crashes_are_in_scope(exception, message, text, kind):
    run = {"exception": exception, "message": message, "frame": {"line": 1, "text": text}}
    assert out_of_scope(run, kind) is None


def test_summary_rates_crash_statements_in_scope_only():
    def record(kind, exception, message, codes):
        crash = {"status": "crash", "exception": exception, "message": message,
                 "frame": {"cell": None, "line": 1, "text": "x"}, "crash_findings": codes}
        return {"program": exception, "kind": kind, "runs": {"before": crash}}
    figures = compare.summarize([
        record("script", "AttributeError", "module 'keras.backend' has no attribute 'cast'", ["KRS106"]),
        record("script", "AttributeError", "module 'numpy' has no attribute 'int'", []),
        record("script", "KeyError", "'acc'", []),
    ])
    assert figures["crash statements"] == 3 and figures["crash statements with a finding"] == 1
    assert figures["crash statements without a finding, in scope"] == 1
    assert figures["crash statements in scope with a finding (%)"] == 50.0


# -- synthetic downloads (k3l_harness_downloads: pure Python) ----------------------------------

import tarfile  # noqa: E402

import k3l_harness_downloads as downloads  # noqa: E402


def test_text_corpus_download_is_a_synthetic_text_file():
    path = offline._get_file("nietzsche.txt", origin="https://s3.amazonaws.com/text-datasets/nietzsche.txt")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert len(text) > 20000 and text == text.lower()
    assert len(set(text)) > 20  # a character vocabulary, as the text-generation examples build


def test_babi_archive_has_the_real_layout_and_line_format():
    path = offline._get_file("babi-tasks-v1-2.tar.gz", "https://s3.amazonaws.com/text-datasets/babi_tasks_1-20_v1-2.tar.gz")
    with tarfile.open(path) as tar:
        names = set(tar.getnames())
        assert "tasks_1-20_v1-2/en-10k/qa1_single-supporting-fact_train.txt" in names
        assert "tasks_1-20_v1-2/en/qa2_two-supporting-facts_test.txt" in names
        assert len(names) == 2 * 20 * 2
        lines = tar.extractfile("tasks_1-20_v1-2/en/qa2_two-supporting-facts_train.txt").read().decode().splitlines()
    stories = 0
    for line in lines:
        number, text = line.split(" ", 1)
        stories += number == "1"
        if "\t" in text:  # a question: text, answer, the ids of the supporting facts
            question, answer, support = text.split("\t")
            assert question.endswith("? ") and answer in downloads.PLACES
            assert all(0 < int(s) < int(number) for s in support.split())
    assert stories == 200


def test_unknown_downloads_and_archive_extraction_stay_offline():
    with pytest.raises(offline.OfflineError):
        offline._get_file("x.zip", "https://example.com/x.zip")
    with pytest.raises(offline.OfflineError):
        offline._get_file("babi.tar.gz", "https://s3.amazonaws.com/text-datasets/babi_tasks_1-20_v1-2.tar.gz", untar=True)
    with pytest.raises(offline.OfflineError):
        offline._get_file("glove.6B.zip", origin="https://nlp.stanford.edu/data/glove.6B.zip", extract=True)


def test_application_weights_are_a_marker_that_load_weights_skips():
    path = offline._get_file("w_notop.h5", "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/w_notop.h5")
    assert downloads.is_random_weights(path) and not os.path.exists(path)
    assert not downloads.is_random_weights("weights.h5")

    class Model:
        def load_weights(self, filepath, skip_mismatch=False):
            return ("loaded", filepath)

    load = offline._wrap_load_weights(Model.load_weights)
    assert load(Model(), path) is None
    assert load(Model(), "mine.weights.h5") == ("loaded", "mine.weights.h5")
