"""`keras3-lint report`: the pure report builder and the subcommand."""

from __future__ import annotations

import json

from cli_support import CLEAN, FIXABLE, FLAGGED, KNOWN, invoke, run, write

from keras3_lint.config import Settings
from keras3_lint.diagnostics import Diagnostic, Edit, FileResult, Fix
from keras3_lint.links import rule_url
from keras3_lint.registry import rule_by_code
from keras3_lint.report import build_report, render_json, render_markdown

SELECT = ("--select", "KRS201")


def _diag(code, path, fix=None, row=1):
    if fix is not None:
        fix = Fix(fix, "do it", (Edit(0, 1, "x"),))
    return Diagnostic(code, "message", row, 1, row, 2, fix=fix, path=path)


def _results():
    return [
        FileResult("a.py", [_diag("KRS201", "a.py", "safe"), _diag("KRS201", "a.py", None, 2), _diag("KRS501", "a.py", "unsafe", 3)]),
        FileResult("b.py", [_diag("KRS201", "b.py", None), _diag("KRS201", "b.py", None, 2), _diag("KRS004", "b.py", row=3)]),
        FileResult("c.py", []),
        FileResult("d.py", [_diag("KRS001", "d.py")]),
    ]


def test_build_report_counts():
    settings = Settings(backends=("jax", "torch"), keras_version=(3, 8), keras_version_source="keras-version setting")
    report = build_report(_results(), settings, files_scanned=4, paths=["src"])
    assert report["files_scanned"] == 4
    assert report["files_affected"] == 2  # tool diagnostics are not migration findings
    assert report["findings"] == 5
    assert report["fixability"] == {"safe": 1, "unsafe": 1, "manual": 3}
    assert report["keras_version"] == "3.8"
    assert report["keras_version_source"] == "keras-version setting"
    assert report["backends"] == ["jax", "torch"]
    assert report["unused_noqa"] == 1
    assert [f["path"] for f in report["files_not_checked"]] == ["d.py"]

    by_rule = {r["code"]: r for r in report["rules"]}
    assert [r["code"] for r in report["rules"]] == ["KRS201", "KRS501"]  # most findings first
    krs201 = by_rule["KRS201"]
    assert (krs201["count"], krs201["files"], krs201["safe"], krs201["unsafe"], krs201["manual"]) == (4, 2, 1, 0, 3)
    assert krs201["name"] == rule_by_code("KRS201").name
    assert krs201["url"] == rule_url("KRS201")

    families = {f["prefix"]: f for f in report["families"]}
    assert families["KRS2"]["count"] == 4 and families["KRS5"]["count"] == 1
    assert families["KRS2"]["family"] == "Stateful RNNs"

    # b.py has two findings that need a person, a.py one
    assert [(f["path"], f["manual"], f["total"]) for f in report["files_needing_a_person"]] == [("b.py", 2, 2), ("a.py", 1, 3)]
    steps = " ".join(report["next_steps"])
    assert "--fix src" in steps and "--unsafe-fixes" in steps and "tf_keras" in steps
    assert "could not be checked" in steps
    json.loads(render_json(report))  # serialisable


def test_top_limits_the_file_list():
    report = build_report(_results(), Settings(), top=1)
    assert [f["path"] for f in report["files_needing_a_person"]] == ["b.py"]
    assert report["files_needing_a_person_total"] == 2
    assert "(top 1 of 2)" in render_markdown(report)


def test_markdown_sections():
    text = render_markdown(build_report(_results(), Settings(), files_scanned=4))
    assert text.startswith("# Keras 3 migration report\n")
    for heading in ("## Findings by family", "## Findings by rule", "## Files that need a person most", "## What to do next"):
        assert heading in text
    assert f"[KRS201]({rule_url('KRS201')})" in text
    assert "1 safely fixable, 1 unsafely fixable, 3 need a person" in text
    assert "Keras version assumed: **" in text


def test_nothing_to_do():
    report = build_report([FileResult("a.py", [])], Settings())
    assert report["findings"] == 0 and report["files_affected"] == 0
    assert report["next_steps"] == ["Nothing to do: no Keras 3 migration hazards were found."]
    text = render_markdown(report)
    assert "Findings by rule" not in text and "Nothing to do" in text


def test_report_command_markdown(tmp_path):
    write(tmp_path / "a.py", FLAGGED + f"y = {KNOWN}\n")
    write(tmp_path / "b.py", FIXABLE)
    write(tmp_path / "c.py", CLEAN)
    proc = run("report", *SELECT, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Files scanned: **3**" in out
    assert "Files affected: **2**" in out
    assert "Findings: **3** (1 safely fixable, 0 unsafely fixable, 2 need a person)" in out
    assert "| `a.py` | 2 | 2 |" in out
    assert "keras3-lint --fix ." in out
    # a report is not a fix: nothing changed
    with open(tmp_path / "b.py", encoding="utf-8") as handle:
        assert handle.read() == FIXABLE


def test_report_command_json(tmp_path):
    write(tmp_path / "src" / "a.py", FLAGGED)
    write(tmp_path / "requirements.txt", "keras>=3.6\n")
    proc = invoke("report", "src", *SELECT, "--output-format", "json", "--backend", "jax", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["files_scanned"] == 1 and data["findings"] == 1
    assert data["paths"] == ["src"]
    assert data["backends"] == ["jax"]
    assert data["rules"][0]["code"] == "KRS201"

    data = json.loads(invoke("report", *SELECT, "--output-format", "json", "--keras-version", "3.9", cwd=tmp_path).stdout)
    assert (data["keras_version"], data["keras_version_source"]) == ("3.9", "--keras-version option")


def test_report_command_usage_errors(tmp_path):
    proc = invoke("report", "--select", "KRS999", cwd=tmp_path)
    assert proc.returncode == 2 and "KRS999" in proc.stderr
    proc = invoke("report", "--output-format", "sarif", cwd=tmp_path)
    assert proc.returncode == 2


def test_report_lists_unreadable_files(tmp_path):
    write(tmp_path / "broken.py", "import keras\ndef f(:\n")
    proc = invoke("report", "broken.py", "missing.py", cwd=tmp_path)
    assert proc.returncode == 0
    assert "## Files that could not be checked" in proc.stdout
    assert "`missing.py`: KRS003" in proc.stdout and "`broken.py`: KRS001" in proc.stdout


# -- still on Keras 2 ----------------------------------------------------------------------------

LEGACY_FILE = (
    'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport tensorflow as tf\nimport tf_keras\n\n'
    "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.fit_generator(gen)\n"
)


def test_still_on_keras2_is_tracked_apart_from_the_hazards():
    from keras3_lint.rule import LEGACY_KERAS_NOTE

    def d(code, path, message, row=1):
        return Diagnostic(code, message, row, 1, row, 2, path=path)

    results = [
        FileResult("a.py", [
            d("KRS804", "a.py", "`TF_USE_LEGACY_KERAS=1` makes `tf.keras` tf_keras (Keras 2) in this file: it has not migrated to Keras 3"),
            d("KRS804", "a.py", "`import tf_keras` is Keras 2 (tf_keras), not Keras 3: this code has not migrated", 2),
            d("KRS103", "a.py", LEGACY_KERAS_NOTE + "`Model.fit_generator` does not exist in Keras 3", 3),
        ]),
        FileResult("b.py", [d("KRS108", "b.py", "`tensorflow.python.keras.layers` is TensorFlow's private copy of legacy Keras")]),
        FileResult("nb.ipynb", [d("KRS804", "nb.ipynb", "The notebook installs tf-keras (Keras 2) for `tf.keras`: it has not migrated to Keras 3")]),
    ]
    report = build_report(results, Settings())
    still = report["still_on_keras2"]
    assert (still["findings"], still["files"]) == (4, 3)
    assert {k["kind"]: (k["findings"], k["files"]) for k in still["kinds"]} == {
        "imports `tf_keras`": (1, 1),
        "sets `TF_USE_LEGACY_KERAS`": (1, 1),
        "installs `tf-keras` (notebook)": (1, 1),
        "imports `tensorflow.python.keras`": (1, 1),
    }
    assert still["top_files"][0] == {"path": "a.py", "findings": 2}
    assert (still["hazards_in_flag_files"], still["flag_files_with_hazards"]) == (1, 1)
    # KRS804 is not a hazard: it is in no other count; KRS108 stays a hazard too.
    assert report["findings"] == 2 and report["files_affected"] == 2
    assert [r["code"] for r in report["rules"]] == ["KRS103", "KRS108"]
    text = render_markdown(report)
    assert "- Still on Keras 2: **4** places in 3 files" in text
    assert "## Still on Keras 2" in text and "| installs `tf-keras` (notebook) | 1 | 1 |" in text
    assert "1 file that runs on Keras 2 through TF_USE_LEGACY_KERAS" in text
    assert any("still run on Keras 2" in step for step in report["next_steps"])
    assert json.loads(render_json(report))["still_on_keras2"] == still


def test_nothing_still_on_keras2_adds_no_section():
    report = build_report(_results(), Settings())
    assert report["still_on_keras2"]["findings"] == 0
    assert "Still on Keras 2" not in render_markdown(report)


def test_report_command_counts_krs804_without_selecting_it(tmp_path):
    write(tmp_path / "legacy.py", LEGACY_FILE)
    write(tmp_path / "nb.ipynb", json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": ["!pip install -q tf-keras\n", "import tensorflow as tf\n"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }))
    data = json.loads(invoke("report", "--no-cache", "--output-format", "json", cwd=tmp_path).stdout)
    still = data["still_on_keras2"]
    assert (still["findings"], still["files"], still["hazards_in_flag_files"]) == (3, 2, 1)
    assert "KRS804" not in [r["code"] for r in data["rules"]]
    assert [r["code"] for r in data["rules"]] == ["KRS103"]
    # `check` does not report KRS804 unless it is named.
    assert "KRS804" not in run("legacy.py", "--no-cache", cwd=tmp_path).stdout
    assert "KRS804" in run("legacy.py", "--no-cache", "--extend-select", "KRS804", cwd=tmp_path).stdout
