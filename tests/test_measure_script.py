"""The pure parts of scripts/measure_real_code.py: probe, labels, sampling and table arithmetic.

Offline and fast: a tiny synthetic repository in tmp_path, no keras3-lint run.
"""

import csv
import importlib.util
import json
import os
import sys

import pytest

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "measure_real_code.py")


@pytest.fixture(scope="module")
def measure():
    spec = importlib.util.spec_from_file_location("measure_real_code", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


TRAIN_PY = """\
import tensorflow as tf
from keras.layers import CuDNNLSTM
keras = tf.keras
model = keras.Sequential()
model.fit_generator(gen,
                    workers=4)
# model.fit_generator(gen) in a comment is no hit
clf.predict_proba(x)
layer = CuDNNLSTM(4)
callback = keras.callbacks.ModelCheckpoint(
    "ckpt", save_weights_only=True)
"""

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "source": ["model.fit_generator(x)\n"]},
        {"cell_type": "code", "source": ["%matplotlib inline\n", "model.save(path)\n"]},
        {"cell_type": "code", "source": "    metric.reset_states()\n"},
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repos" / "someone+project"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "train.py").write_text(TRAIN_PY)
    (root / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    (root / "README.md").write_text("model.fit_generator(x)\n")
    return root


def hits_by(hits):
    return {(h["path"], h["cell"], h["line"], h["code"][len("probe:"):]) for h in hits}


def test_probe_finds_patterns_in_code_only(measure, repo):
    files = measure.repo_files(str(repo))
    assert files == ["nb.ipynb", "pkg/train.py"]
    hits = measure.probe_repo("someone/project", str(repo), files)
    assert hits_by(hits) == {
        ("pkg/train.py", None, 2, "CuDNN-RNN"),
        ("pkg/train.py", None, 5, "generator-methods"),
        ("pkg/train.py", None, 6, "fit-workers-kwargs"),
        ("pkg/train.py", None, 8, "predict_classes/proba"),
        ("pkg/train.py", None, 9, "CuDNN-RNN"),
        ("pkg/train.py", None, 10, "ModelCheckpoint"),
        # notebook: 1-based cell position among all cells, line within the cell; markdown skipped
        ("nb.ipynb", 2, 2, "save"),
        ("nb.ipynb", 3, 1, "reset_states"),
    }
    by_line = {(h["path"], h["line"], h["code"]): h for h in hits}
    workers = by_line[("pkg/train.py", 6, "probe:fit-workers-kwargs")]
    assert (workers["stmt_first"], workers["stmt_last"]) == (5, 6)  # the whole fit_generator call
    cudnn_use = by_line[("pkg/train.py", 9, "probe:CuDNN-RNN")]
    assert cudnn_use["imports"] == [[None, 2]]
    assert by_line[("pkg/train.py", 5, "probe:generator-methods")]["route"] == ""  # `model.` is no alias
    assert by_line[("pkg/train.py", 10, "probe:ModelCheckpoint")]["route"] == "alias"  # keras = tf.keras


def test_statement_spans_dedent_and_magics(measure):
    spans = measure.statement_spans(["    x = f(", "        1)", "    y = 2"])
    assert measure.enclosing_statement(spans, 2) == (1, 2)
    spans = measure.statement_spans(["%time", "def f():", "    return g(", "        1)"])
    assert measure.enclosing_statement(spans, 2) == (2, 2)  # a def counts its header only
    assert measure.enclosing_statement(spans, 4) == (3, 4)
    assert measure.statement_spans(["x = ("]) == []
    assert measure.enclosing_statement([], 7) == (7, 7)


def finding(line, code="KRS103", end_line=None, path="pkg/train.py", cell=None, confidence="high"):
    return {"repo": "someone/project", "path": path, "cell": cell, "line": line,
            "end_line": end_line or line, "code": code, "confidence": confidence, "message": "m"}


def label(record, value, code=None):
    return {"repo": record["repo"], "path": record["path"], "cell": record["cell"], "line": record["line"],
            "code": code or record["code"], "label": value, "reason": "r"}


def test_precision_table_counts_distinct_labelled_lines(measure):
    findings = [finding(1), finding(1), finding(2), finding(3, "KRS701", confidence="medium"), finding(4, "KRS701")]
    labels = {}
    for record, value in [(findings[0], True), (findings[2], False), (findings[3], True)]:
        labels[measure.key_of(record)] = label(record, value)
    table = {row["code"]: row for row in measure.precision_table(findings, labels)}
    krs103 = table["KRS103"]
    assert (krs103["findings"], krs103["reviewed"], krs103["true"], krs103["false"]) == (3, 2, 1, 1)
    assert table["KRS103"]["precision"] == 0.5
    assert table["KRS701"]["precision"] == 1.0 and table["KRS701"]["reviewed"] == 1
    total = table["TOTAL"]
    assert (total["findings"], total["reviewed"], total["true"], total["false"]) == (5, 3, 2, 1)
    assert total["precision"] == pytest.approx(2 / 3)
    assert total["weighted_precision"] == pytest.approx((3 * 0.5 + 2 * 1.0) / 5)
    by_confidence = {row["code"]: row for row in measure.precision_table(findings, labels, group="confidence")}
    assert by_confidence["medium"]["true"] == 1 and by_confidence["high"]["reviewed"] == 2
    # a targeted review outside the random sample is counted apart, not in the precision
    sampled = {measure.key_of(findings[0]), measure.key_of(findings[3])}
    table = {row["code"]: row for row in measure.precision_table(findings, labels, sample=sampled)}
    assert (table["KRS103"]["reviewed"], table["KRS103"]["precision"]) == (1, 1.0)
    assert (table["KRS103"]["extra_reviewed"], table["KRS103"]["extra_false"]) == (1, 1)
    assert table["TOTAL"]["extra_false"] == 1


def test_recall_table_uses_statement_codes_and_imports(measure, repo):
    hits = measure.probe_repo("someone/project", str(repo), measure.repo_files(str(repo)))
    findings = [
        finding(5, "KRS103"),  # covers the fit_generator hit, not the workers= line (wrong code)
        finding(2, "KRS101"),  # the CuDNNLSTM import: covers the import and the later use
        finding(2, "KRS701", path="nb.ipynb", cell=2),
    ]
    labels = {}
    for hit in hits:
        hazard = not hit["code"].endswith("predict_classes/proba")  # sklearn's predict_proba
        labels[measure.key_of(hit)] = label(hit, hazard)
    table, misses = measure.recall_table(hits, findings, labels)
    rows = {row["pattern"]: row for row in table}
    assert (rows["generator-methods"]["hazards"], rows["generator-methods"]["covered"]) == (1, 1)
    assert rows["fit-workers-kwargs"]["covered"] == 0
    assert (rows["CuDNN-RNN"]["hazards"], rows["CuDNN-RNN"]["covered"]) == (2, 2)
    assert rows["predict_classes/proba"]["hazards"] == 0 and rows["predict_classes/proba"]["recall"] is None
    assert rows["save"]["covered"] == 1
    assert {(m["path"], m["line"]) for m in misses} == {("pkg/train.py", 6), ("pkg/train.py", 10), ("nb.ipynb", 1)}
    total = rows["TOTAL"]
    assert (total["hits"], total["reviewed"], total["hazards"], total["covered"]) == (8, 8, 7, 4)
    assert total["recall"] == pytest.approx(4 / 7)
    # every pattern here is reviewed in full, so weighting by hits changes nothing
    assert total["weighted_recall"] == pytest.approx(4 / 7)
    # a finding on the argument line of a multi-line call covers the hit on the call line
    table, misses = measure.recall_table(hits, findings + [finding(11, "KRS704")], labels)
    assert ("pkg/train.py", 10) not in {(m["path"], m["line"]) for m in misses}


def test_weighted_recall_scales_sampled_patterns(measure):
    hits = [dict(finding(n, "probe:save"), stmt_first=n, stmt_last=n) for n in range(1, 11)]
    hits.append(dict(finding(50, "probe:CuDNN-RNN"), stmt_first=50, stmt_last=50))
    labels = {measure.key_of(h): label(h, True) for h in hits[:2] + hits[10:]}  # 2 of 10 save hits reviewed
    table, _ = measure.recall_table(hits, [finding(1, "KRS701"), finding(2, "KRS701")], labels)
    total = table[-1]
    assert total["recall"] == pytest.approx(2 / 3)  # save 2/2 covered, CuDNN 0/1
    assert total["weighted_recall"] == pytest.approx(10 / 11)  # save stands for 10 hazards


def test_labels_round_trip_through_review_sheet(measure, tmp_path):
    records = [finding(3), dict(finding(1, "probe:save", path="nb.ipynb", cell=2), source="model.save(path)")]
    review = tmp_path / "review.csv"
    measure.write_review(str(review), [dict(r, kind="finding") for r in records], {})
    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert [r["label"] for r in rows] == ["", ""]
    rows[0]["label"], rows[0]["reason"] = "false", "not Keras"
    rows[1]["label"] = "TRUE"
    with review.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, measure.REVIEW_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    labels_path = tmp_path / "labels.jsonl"
    labels = measure.load_labels(str(labels_path))
    assert measure.import_labels(str(review), labels) == 2
    measure.save_labels(str(labels_path), labels)
    again = measure.load_labels(str(labels_path))
    assert again[measure.key_of(records[0])]["label"] is False
    assert again[measure.key_of(records[1])]["label"] is True
    stored = [json.loads(line) for line in labels_path.read_text().splitlines()]
    assert all(set(r) == {"repo", "path", "cell", "line", "code", "label", "reason"} for r in stored)  # no source text


def test_stable_sample_is_deterministic_and_capped(measure):
    findings = [finding(n) for n in range(1, 40)] + [finding(1, "KRS701")]
    first = measure.stable_sample(findings, 5)
    assert [f["line"] for f in first] == [f["line"] for f in measure.stable_sample(list(reversed(findings)), 5)]
    assert sum(f["code"] == "KRS103" for f in first) == 5 and sum(f["code"] == "KRS701" for f in first) == 1


def test_repo_list_and_table_format(measure, tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text("# comment\nsomeone/project abc123\n\nother/repo def456  # note\n")
    assert measure.read_repo_list(str(listing)) == [("someone/project", "abc123"), ("other/repo", "def456")]
    assert measure.repo_folder("/r", "someone/project") == os.path.join("/r", "someone+project")
    rows = [{"code": "KRS1", "n": 3, "p": 0.5}, {"code": "TOTAL", "n": 10, "p": None}]
    text = measure.format_table(rows, ("code", "n", "p"))
    assert text.splitlines() == ["code    n      p", "KRS1    3  50.0%", "TOTAL  10      -"]
