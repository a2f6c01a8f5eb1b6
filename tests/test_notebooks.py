"""Jupyter notebooks: cells linted as one module, positions per cell, magics, fixes written back
without touching the rest of the JSON, and broken notebooks as one KRS005."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from cli_support import FLAGGED, ROOT, invoke, run, run_json, write
from keras3_lint.config import Settings
from keras3_lint.discovery import discover
from keras3_lint.notebook import fix_notebook_text, lint_notebook_text, mask_ipython, read_notebook
from keras3_lint.registry import all_codes

NOTEBOOKS = os.path.join(ROOT, "fixtures", "notebooks")
LSTM = "tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))"
FIXED_LSTM = "tf.keras.Input(batch_shape=(1, 2, 3)), tf.keras.layers.LSTM(4)"
ENABLED = frozenset(all_codes())


def read_bytes(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def fixture(name: str, tmp_path) -> str:
    target = tmp_path / name
    shutil.copyfile(os.path.join(NOTEBOOKS, name), target)
    return str(target)


def positions(diagnostics):
    return [(d.cell, d.row, d.column, d.code) for d in diagnostics]


def notebook(*sources, indent=1, ensure_ascii=False, trailing_newline=True, markdown_first=True, **extra) -> str:
    cells = []
    if markdown_first:
        cells.append({"cell_type": "markdown", "metadata": {}, "source": ["# Modèle ✓"]})
    for source in sources:
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source})
    data = {"cells": cells, "metadata": extra.get("metadata", {}), "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(data, indent=indent, ensure_ascii=ensure_ascii) + ("\n" if trailing_newline else "")


def lint(text: str, select=("KRS201",)):
    return lint_notebook_text(text, Settings(), frozenset(select) if select else ENABLED, "nb.ipynb")


# -- positions -----------------------------------------------------------------------------------


def test_nbformat4_findings_have_cell_row_and_column_within_the_cell():
    with open(os.path.join(NOTEBOOKS, "nbformat4.ipynb"), encoding="utf-8") as handle:
        found = lint_notebook_text(handle.read(), Settings(), ENABLED, "nbformat4.ipynb")
    # Cell 2 imports tensorflow; cells 5 and 7 use it. Markdown (1, 4), the empty cell (3), the
    # %%bash cell (6), the noqa'd line (9) and the raw cell (10) report nothing; cell 8 does not
    # parse (reported once); the %%writefile cell (11) is its own module with its own import.
    assert positions(found) == [
        (5, 2, 54, "KRS201"),
        (5, 6, 34, "KRS201"),
        (7, 2, 54, "KRS201"),
        (8, 1, 5, "KRS001"),
        (11, 3, 48, "KRS201"),
    ]
    first = found[0]
    assert (first.end_row, first.end_column) == (2, 81)
    assert all(d.path == "nbformat4.ipynb" for d in found)
    # Fix edits are cell-relative too.
    edit_positions = sorted((e.row, e.column, e.end_row, e.end_column) for e in first.fix.edits)
    assert edit_positions == [(2, 30, 2, 30), (2, 30, 2, 82)]


def test_nbformat3_worksheets_count_cells_across_worksheets():
    with open(os.path.join(NOTEBOOKS, "nbformat3.ipynb"), encoding="utf-8") as handle:
        found = lint(handle.read())
    # heading (1), import (2), markdown (3) | %pylab + Sequential (4), plain layer (5)
    assert positions(found) == [(4, 2, 54, "KRS201"), (5, 1, 33, "KRS201")]


def test_import_in_an_earlier_cell_resolves_and_source_may_be_a_string():
    text = notebook("import tensorflow as tf", "", "x = 1\n" + f"layer = {LSTM}\n")
    assert positions(lint(text)) == [(4, 2, 33, "KRS201")]


def test_without_the_import_nothing_resolves():
    assert lint(notebook(f"layer = {LSTM}\n")) == []


def test_magics_keep_columns_exact():
    cell = [
        "%load_ext autoreload\n",
        "!pip install -q keras \\\n",
        "    tensorflow\n",
        "out = !ls\n",
        "t = %timeit -o f()\n",
        "tf.keras.layers.LSTM??\n",
        "if True:\n",
        "    !echo hi\n",
        f"    layer = {LSTM}\n",
    ]
    found = lint(notebook(["import tensorflow as tf"], cell))
    assert positions(found) == [(3, 9, 37, "KRS201")]


def test_masking_is_width_preserving_and_skips_strings_and_brackets():
    text = (
        "%matplotlib inline\n"
        "x = 5 % 3\n"
        's = """\n!not a magic\n"""\n'
        "f(a,\n  !b)\n"
        "y = !ls\n"
        "np.*load*?\n"
    )
    masked, rows = mask_ipython(text)
    assert [len(line) for line in masked.split("\n")] == [len(line) for line in text.split("\n")]
    assert sorted(rows) == [0, 7, 8]
    assert masked.splitlines()[1:7] == text.splitlines()[1:7]
    assert masked.splitlines()[7].startswith("y = '")


def test_cell_magics_python_bodies_are_linted_others_skipped():
    found = lint(notebook(
        ["import tensorflow as tf"],
        ["%%time\n", f"a = {LSTM}"],
        ["%%bash\n", f"echo {LSTM}"],
        ["%%html\n", "<b>tf.keras</b>"],
        ["%%writefile notes.txt\n", f"{LSTM}\n"],
    ))
    assert positions(found) == [(3, 2, 29, "KRS201")]


def test_writefile_cell_is_a_separate_module():
    found = lint(notebook(
        ["import tensorflow as tf"],
        ["%%writefile train.py\n", f"layer = {LSTM}\n"],  # tf is not imported in train.py
        ["%%writefile -a model.py\n", "import tensorflow as tf\n", f"layer = {LSTM}\n"],
    ))
    assert positions(found) == [(4, 3, 33, "KRS201")]


def test_syntax_error_cell_reported_once_and_other_cells_linted():
    found = lint(notebook(
        ["import tensorflow as tf\n"],
        ["def broken(:\n", f"    return {LSTM}\n"],
        [f"layer = {LSTM}\n"],
        ["print('fine')"],
    ))
    assert positions(found) == [(3, 1, 12, "KRS001"), (4, 1, 33, "KRS201")]


def test_noqa_inside_cells():
    found = lint(
        notebook(["import tensorflow as tf\n"], [f"a = {LSTM}  # noqa: KRS201\n", f"b = {LSTM}  # noqa\n", "c = 1  # noqa: KRS201\n"]),
        select=("KRS201", "KRS004"),
    )
    assert positions(found) == [(3, 3, 8, "KRS004")]


def test_per_file_ignores_apply_to_notebooks():
    settings = Settings(per_file_ignores=(("*.ipynb", ("KRS201",)),))
    text = notebook(["import tensorflow as tf\n"], [f"a = {LSTM}\n"])
    assert lint_notebook_text(text, settings, frozenset({"KRS201"}), "nb.ipynb") == []


def test_non_python_kernel_is_skipped():
    text = notebook(["library(keras)\n", "model <- keras_model_sequential()"],
                    metadata={"kernelspec": {"language": "R", "name": "ir"}})
    assert lint(text, select=None) == []


def test_empty_and_whitespace_cells_and_no_code():
    assert lint(notebook([], "", "   \n", markdown_first=True), select=None) == []
    assert lint(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), select=None) == []


# -- the command line ----------------------------------------------------------------------------


def test_cli_text_and_json_report_cells(tmp_path):
    path = fixture("nbformat4.ipynb", tmp_path)
    write(tmp_path / "plain.py", FLAGGED)
    proc = run("nbformat4.ipynb", "plain.py", "--select", "KRS201", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert "nbformat4.ipynb:cell 5:2:54: KRS201 " in "\n".join(lines)
    assert any(line.startswith("nbformat4.ipynb:cell 5:2:54: KRS201 ") for line in lines)
    assert any(line.startswith("nbformat4.ipynb:cell 8:1:5: KRS001 ") for line in lines)
    assert any(line.startswith("plain.py:2:26: KRS201 ") for line in lines)
    findings = run_json("nbformat4.ipynb", "plain.py", "--select", "KRS201", cwd=tmp_path)
    cells = sorted((f["filename"], f["cell"] or 0, f["location"]["row"], f["location"]["column"]) for f in findings)
    assert cells == [
        ("nbformat4.ipynb", 5, 2, 54), ("nbformat4.ipynb", 5, 6, 34), ("nbformat4.ipynb", 7, 2, 54),
        ("nbformat4.ipynb", 8, 1, 5), ("nbformat4.ipynb", 11, 3, 48), ("plain.py", 0, 2, 26),
    ]
    assert [f["cell"] for f in findings if f["filename"] == "plain.py"] == [None]
    assert read_bytes(path) == read_bytes(os.path.join(NOTEBOOKS, "nbformat4.ipynb"))


def test_folders_are_walked_for_notebooks_but_not_checkpoints(tmp_path):
    fixture("nbformat4.ipynb", tmp_path)
    checkpoints = tmp_path / ".ipynb_checkpoints"
    checkpoints.mkdir()
    shutil.copyfile(os.path.join(NOTEBOOKS, "nbformat4.ipynb"), checkpoints / "nbformat4-checkpoint.ipynb")
    found = discover([str(tmp_path)], Settings(root=str(tmp_path)))
    assert [os.path.basename(f) for f in found.files] == ["nbformat4.ipynb"]


# -- fixing --------------------------------------------------------------------------------------


def _json_line(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def test_fix_round_trip_changes_only_fixed_sources(tmp_path):
    path = fixture("nbformat4.ipynb", tmp_path)
    before = read_bytes(path).decode("utf-8")
    proc = run("--fix", "nbformat4.ipynb", "--select", "KRS201", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # unfixable findings remain
    after = read_bytes(path).decode("utf-8")
    expected = before
    for old, new in [
        (f"model = tf.keras.Sequential([{LSTM}])\n", f"model = tf.keras.Sequential([{FIXED_LSTM}])\n"),
        (f"timed = tf.keras.Sequential([{LSTM}])", f"timed = tf.keras.Sequential([{FIXED_LSTM}])"),
        (
            "model = keras.Sequential([keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))])\n",
            "model = keras.Sequential([keras.Input(batch_shape=(1, 2, 3)), keras.layers.LSTM(4)])\n",
        ),
    ]:
        assert expected.count(_json_line(old)) == 1
        expected = expected.replace(_json_line(old), _json_line(new))
    assert after == expected
    remaining = [line.split(": ")[0] for line in proc.stdout.splitlines() if ": KRS" in line]
    assert remaining == ["nbformat4.ipynb:cell 5:6:34", "nbformat4.ipynb:cell 8:1:5"]
    # A second run changes nothing.
    again = run("--fix", "nbformat4.ipynb", "--select", "KRS201", cwd=tmp_path)
    assert read_bytes(path).decode("utf-8") == after
    assert "fixed" not in again.stdout


def test_fix_nbformat3_keeps_ascii_escapes_and_missing_final_newline(tmp_path):
    path = fixture("nbformat3.ipynb", tmp_path)
    before = read_bytes(path)
    proc = invoke("--fix", "nbformat3.ipynb", "--select", "KRS201", cwd=tmp_path)
    assert proc.returncode == 1
    after = read_bytes(path)
    old = json.dumps(f"model = tf.keras.Sequential([{LSTM}])")
    new = json.dumps(f"model = tf.keras.Sequential([{FIXED_LSTM}])")
    assert before.count(old.encode()) == 1
    assert after == before.replace(old.encode(), new.encode())
    assert b"\\u2014" in after and not after.endswith(b"\n")
    data = json.loads(after)
    assert data["worksheets"][1]["cells"][0]["input"][0] == "%pylab inline\n"


@pytest.mark.parametrize("indent", [None, 1, 2, 4])
@pytest.mark.parametrize("ensure_ascii", [False, True])
@pytest.mark.parametrize("as_string", [False, True])
def test_fix_preserves_json_layout(indent, ensure_ascii, as_string):
    source = ["!nvidia-smi\n", "# é\n", f"m = tf.keras.Sequential([{LSTM}])\n", "print('ok ✓')"]
    cell = "".join(source) if as_string else source
    original = notebook(["import tensorflow as tf\n"], cell, indent=indent, ensure_ascii=ensure_ascii)
    outcome = fix_notebook_text(original, Settings(), frozenset({"KRS201"}), path="nb.ipynb")
    assert outcome.applied == 1
    old_line = f"m = tf.keras.Sequential([{LSTM}])\n"
    new_line = f"m = tf.keras.Sequential([{FIXED_LSTM}])\n"
    if as_string:
        old, new = json.dumps("".join(source), ensure_ascii=ensure_ascii), json.dumps(
            "".join(source).replace(old_line, new_line), ensure_ascii=ensure_ascii)
    else:
        old, new = json.dumps(old_line), json.dumps(new_line)
    assert outcome.text == original.replace(old, new)
    again = fix_notebook_text(outcome.text, Settings(), frozenset({"KRS201"}), path="nb.ipynb")
    assert again.applied == 0 and again.text == outcome.text


def test_fix_keeps_crlf_and_bom(tmp_path):
    text = notebook(["import tensorflow as tf\n"], [f"m = tf.keras.Sequential([{LSTM}])"]).replace("\n", "\r\n")
    path = tmp_path / "win.ipynb"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    proc = invoke("--fix", "win.ipynb", "--select", "KRS201", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = path.read_bytes()
    expected = text.replace(LSTM + "])", FIXED_LSTM + "])")
    assert after == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_fix_moves_statements_across_cells():
    text = notebook(
        ["import os\n", "import tensorflow as tf\n"],
        ["os.environ[\"TF_USE_LEGACY_KERAS\"] = \"1\"\n", "Dense = tf.keras.layers.Dense\n"],
        ["model = tf.keras.Sequential([Dense(1)])\n", "os.environ.setdefault(\"TF_USE_LEGACY_KERAS\", \"1\")\n"],
    )
    assert positions(lint(text, select=("KRS801",))) == [(4, 2, 1, "KRS801")]
    outcome = fix_notebook_text(text, Settings(), frozenset({"KRS801"}), unsafe_fixes=True, path="nb.ipynb")
    assert outcome.applied == 1
    # The late flag moves up to the first cell, before tensorflow is imported; its cell shrinks.
    assert [c.text for c in read_notebook(outcome.text).cells] == [
        'import os\nos.environ.setdefault("TF_USE_LEGACY_KERAS", "1")\nimport tensorflow as tf\n',
        'os.environ["TF_USE_LEGACY_KERAS"] = "1"\nDense = tf.keras.layers.Dense\n',
        "model = tf.keras.Sequential([Dense(1)])\n",
    ]
    assert "<<notebook cell" not in outcome.text and "\u00a4" not in outcome.text


def test_fix_never_touches_masked_lines_and_magics_survive():
    text = notebook(
        ["import tensorflow as tf\n"],
        ["%time m = 1\n", f"m = tf.keras.Sequential([{LSTM}])\n", "!echo done\n", "x = !ls"],
    )
    outcome = fix_notebook_text(text, Settings(), frozenset({"KRS201"}), path="nb.ipynb")
    cell = read_notebook(outcome.text).cells[1].text
    assert cell == f"%time m = 1\nm = tf.keras.Sequential([{FIXED_LSTM}])\n!echo done\nx = !ls"


def test_diff_shows_the_change_and_writes_nothing(tmp_path):
    path = fixture("nbformat4.ipynb", tmp_path)
    before = read_bytes(path)
    proc = run("--diff", "nbformat4.ipynb", "--select", "KRS201", cwd=tmp_path)
    assert proc.returncode == 1
    assert "--- a/nbformat4.ipynb" in proc.stdout
    assert "-    " + _json_line(f"model = tf.keras.Sequential([{LSTM}])\n") in proc.stdout
    assert "+    " + _json_line(f"model = tf.keras.Sequential([{FIXED_LSTM}])\n") in proc.stdout
    assert read_bytes(path) == before


# -- bad notebooks -------------------------------------------------------------------------------

BROKEN = {
    "invalid_json": '{"cells": [',
    "empty": "",
    "top_level_list": "[]",
    "no_cells": '{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
    "cells_not_list": '{"cells": {}, "metadata": {}, "nbformat": 4}',
    "cell_not_object": '{"cells": ["import keras"], "metadata": {}, "nbformat": 4}',
    "no_cell_type": '{"cells": [{"source": "import keras"}], "metadata": {}, "nbformat": 4}',
    "source_int": '{"cells": [{"cell_type": "code", "source": 3}], "metadata": {}, "nbformat": 4}',
    "source_list_of_int": '{"cells": [{"cell_type": "code", "source": ["import keras\\n", 3]}], "nbformat": 4}',
    "no_source": '{"cells": [{"cell_type": "code", "outputs": []}], "nbformat": 4}',
    "nbformat_string": '{"cells": [], "nbformat": "4"}',
    "metadata_list": '{"cells": [], "metadata": [], "nbformat": 4}',
    "worksheets_not_list": '{"worksheets": 1, "nbformat": 3}',
    "worksheet_without_cells": '{"worksheets": [{}], "nbformat": 3}',
    "v3_code_without_input": '{"worksheets": [{"cells": [{"cell_type": "code"}]}], "nbformat": 3}',
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_notebook_is_one_krs005(name):
    found = lint_notebook_text(BROKEN[name], Settings(), ENABLED, "bad.ipynb")
    assert [d.code for d in found] == ["KRS005"], found
    assert found[0].message.startswith("Invalid notebook: ")


def test_truncated_notebooks_never_raise():
    with open(os.path.join(NOTEBOOKS, "nbformat4.ipynb"), encoding="utf-8") as handle:
        text = handle.read()
    for cut in range(0, len(text), 37):
        found = lint_notebook_text(text[:cut], Settings(), ENABLED, "cut.ipynb")
        assert [d.code for d in found] == ["KRS005"]
        assert fix_notebook_text(text[:cut], Settings(), ENABLED, path="cut.ipynb").text == text[:cut]


def test_broken_notebook_does_not_stop_the_run(tmp_path):
    write(tmp_path / "bad.ipynb", BROKEN["invalid_json"])
    (tmp_path / "binary.ipynb").write_bytes(b"\xff\xfe{}")
    write(tmp_path / "good.py", FLAGGED)
    fixture("nbformat3.ipynb", tmp_path)
    proc = run(".", "--select", "KRS201", cwd=tmp_path)
    assert proc.returncode == 1
    out = proc.stdout
    assert "bad.ipynb:1:12: KRS005 Invalid notebook: not valid JSON" in out
    assert "binary.ipynb:1:1: KRS002 " in out
    assert "good.py:2:26: KRS201 " in out
    assert "nbformat3.ipynb:cell 4:2:54: KRS201 " in out
    fixed = run(".", "--fix", "--select", "KRS201", cwd=tmp_path)
    assert "Traceback" not in fixed.stderr
    assert read_bytes(tmp_path / "bad.ipynb") == BROKEN["invalid_json"].encode()


# -- cells IPython dedents (KERAS3_FACTS NB-1) ---------------------------------------------------


def test_indented_cell_is_dedented_like_ipython_not_a_syntax_error():
    text = notebook(["import tensorflow as tf\n"], ["    x = 1\n", "    m = tf.keras.Sequential([" + LSTM + "])\n"])
    # Found in the cell as written: row 2, the column of `batch_input_shape` after the 4 spaces.
    assert positions(lint(text, select=None)) == [(3, 2, 4 + len("m = tf.keras.Sequential([tf.keras.layers.LSTM(4, ") + 1, "KRS201")]


def test_partly_indented_cell_dedents_only_lines_with_the_first_lines_indent():
    text = notebook(["import tensorflow as tf\n"], ["  a = 1\n", "m = tf.keras.Sequential([" + LSTM + "])\n"])
    assert positions(lint(text)) == [(3, 2, len("m = tf.keras.Sequential([tf.keras.layers.LSTM(4, ") + 1, "KRS201")]


def test_inconsistently_indented_cell_is_still_a_syntax_error():
    # IPython removes the first line's 4 spaces only from lines that have them: `  y` stays indented.
    text = notebook(["import tensorflow as tf\n"], ["    x = 1\n", "  y = tf.keras.layers.Dense(1)\n"])
    assert [(d.cell, d.code) for d in lint(text, select=None)] == [(3, "KRS001")]


def test_fix_in_an_indented_cell_keeps_its_indentation_and_edits_point_into_it():
    cell = ["    m = tf.keras.Sequential()\n", "    m.add(" + LSTM + ")\n"]
    text = notebook(["import tensorflow as tf\n"], cell)
    (found,) = lint(text)
    written = "".join(cell)
    for edit in found.fix.edits:  # offsets and rows/columns agree in the cell as written
        row_start = sum(len(line) for line in cell[: edit.row - 1])
        assert edit.start == row_start + edit.column - 1
    applied = written
    for edit in sorted(found.fix.edits, key=lambda e: e.start, reverse=True):
        applied = applied[: edit.start] + edit.content + applied[edit.end:]
    outcome = fix_notebook_text(text, Settings(), frozenset({"KRS201"}), path="nb.ipynb")
    fixed = read_notebook(outcome.text).cells[1].text
    assert fixed == applied == (
        "    m = tf.keras.Sequential()\n"
        "    m.add(tf.keras.Input(batch_shape=(1, 2, 3)))\n"
        "    m.add(tf.keras.layers.LSTM(4))\n"
    )


def test_fix_next_to_an_unindented_line_of_a_dedented_cell_leaves_that_line_as_it_was():
    text = notebook(["import tensorflow as tf\n"], ["  a = 1\n", "m = tf.keras.Sequential([" + LSTM + "])\n"])
    outcome = fix_notebook_text(text, Settings(), frozenset({"KRS201"}), path="nb.ipynb")
    assert read_notebook(outcome.text).cells[1].text == "  a = 1\nm = tf.keras.Sequential([" + FIXED_LSTM + "])\n"


@pytest.mark.parametrize("line", ["pip install -q tf-keras", "ls ./data/train/", "cd ..", "conda install -y numpy",
                                  "load_ext tensorboard", "time model.fit(x, y) extra"])
def test_automagic_lines_are_masked(line):
    # IPython's automagic runs these without `%`: not a syntax error in a notebook
    masked, rows = mask_ipython(f"import keras\n{line}\nx = 1\n")
    assert rows == frozenset({1})
    assert masked.splitlines()[0] == "import keras" and masked.splitlines()[2] == "x = 1"


@pytest.mark.parametrize("line", ["ls = 3", "pip.main(['install', 'x'])", "time(3)", "cd", "ls",
                                  "history = model.fit(x)", "run = 5 if a else 6"])
def test_python_lines_starting_with_magic_names_stay_code(line):
    masked, rows = mask_ipython(f"{line}\n")
    assert rows == frozenset()


def test_automagic_cell_is_not_a_syntax_error():
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": src}
             for src in ["pip install tf-keras\n", "import keras\nm = keras.Sequential()\n"]]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    codes = [d.code for d in lint_notebook_text(text, Settings(), ENABLED, "nb.ipynb")]
    assert "KRS001" not in codes
