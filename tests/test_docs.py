"""The reference pages in rules/ are generated from the rules' own docs and must stay in sync."""

from __future__ import annotations

import os
import re

import pytest

from keras3_lint.docs import expected_pages, render_rule
from keras3_lint.registry import all_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES_DIR = os.path.join(ROOT, "rules")


def test_rules_folder_is_in_sync():
    expected = expected_pages()
    on_disk = {n for n in os.listdir(RULES_DIR) if n.endswith(".md")}
    assert on_disk == set(expected), "run: python -m keras3_lint.docs rules/"
    for name, content in expected.items():
        with open(os.path.join(RULES_DIR, name), encoding="utf-8") as handle:
            assert handle.read() == content, f"rules/{name} is stale: run python -m keras3_lint.docs rules/"


@pytest.mark.parametrize("rule", all_rules(), ids=[r.code for r in all_rules()])
def test_rule_docs_are_complete(rule):
    assert re.match(r"^KRS[1-9][0-9]{2}$", rule.code)
    assert re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", rule.name)
    assert rule.fix_safety in ("safe", "unsafe", "none", "safe and unsafe")
    doc = rule.doc
    for field in ("what", "why", "bad", "good", "fix"):
        assert getattr(doc, field).strip(), f"{rule.code}: empty {field}"
    assert doc.sources, f"{rule.code}: no sources"
    assert doc.facts or any("Checked" in s or "verified" in s.lower() for s in doc.sources), f"{rule.code}: cite the checked fact"
    page = render_rule(rule)
    assert rule.code in page and "## Why it breaks on Keras 3" in page


def test_names_are_unique():
    names = [r.name for r in all_rules()]
    assert len(names) == len(set(names))


def test_codes_known_without_importing_rules_match_the_rules():
    from keras3_lint.registry import rule_codes

    assert rule_codes() == tuple(r.code for r in all_rules())


def test_a_fully_cached_run_does_not_import_libcst(tmp_path):
    import subprocess
    import sys

    (tmp_path / "m.py").write_text("import tensorflow as tf\nx = tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))\n")
    command = [sys.executable, "-c", "import sys, keras3_lint.cli as c\ntry:\n    c.main(['m.py', '--output-format', 'concise'])\nexcept SystemExit:\n    pass\nprint('libcst' in sys.modules, file=sys.stderr)"]
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert first.stderr.strip().endswith("True")  # cold: linted
    second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert second.stdout == first.stdout and "KRS201" in second.stdout
    assert second.stderr.strip().endswith("False")  # warm: answered from the cache


def test_severity_is_listed_and_compat_only_code_is_lower():
    from keras3_lint.docs import rule_metadata
    from keras3_lint.registry import rule_by_code, severity_of

    assert rule_metadata(rule_by_code("KRS109"))["severity"] == "warning"  # works today via tf.keras
    assert rule_metadata(rule_by_code("KRS101"))["severity"] == "error"
    assert severity_of("KRS001") == "error" and severity_of("KRS004") == "warning"
