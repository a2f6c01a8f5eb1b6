"""keras3_lint/data/evidence.json names real rules and real evidence tests (no Keras needed)."""

import ast
import json
import os
import re

from keras3_lint.docs import render_rule, rule_metadata
from keras3_lint.registry import all_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVIDENCE = os.path.join(ROOT, "keras3_lint", "data", "evidence.json")
TEST_ID = re.compile(r"^(tests/evidence/test_[a-z0-9_]+\.py)::(test_[A-Za-z0-9_]+)(?:\[([^\]]+)\])?$")


def load():
    with open(EVIDENCE, encoding="utf-8") as handle:
        return json.load(handle)


def test_every_code_is_a_rule_and_every_entry_is_well_formed():
    codes = {rule.code for rule in all_rules()}
    table = load()
    assert table, "evidence.json is empty"
    for code, entries in table.items():
        assert code in codes, f"evidence.json: {code} is not a rule"
        assert entries, f"evidence.json: {code} has an empty list"
        for entry in entries:
            assert set(entry) == {"keras", "backend", "keras2", "test"}, (code, entry)
            assert re.match(r"^3\.\d+\.\d+$", entry["keras"]), (code, entry)
            assert entry["backend"] in ("tensorflow", "jax", "torch", "numpy"), (code, entry)
            assert entry["keras2"] is None or entry["keras2"].startswith("tf_keras "), (code, entry)


def test_every_named_test_exists():
    cache = {}
    for code, entries in load().items():
        for entry in entries:
            match = TEST_ID.match(entry["test"])
            assert match, f"{code}: {entry['test']!r} is not tests/evidence/test_x.py::test_name"
            path, name, param = match.groups()
            if path not in cache:
                full = os.path.join(ROOT, path)
                assert os.path.isfile(full), f"{code}: {path} does not exist"
                with open(full, encoding="utf-8") as handle:
                    source = handle.read()
                functions = {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)}
                cache[path] = (source, functions)
            source, functions = cache[path]
            assert name in functions, f"{code}: no test {name} in {path}"
            if param:
                assert repr(param) in source or f'"{param}"' in source, f"{code}: no parameter {param} in {path}"


def test_rule_metadata_and_page_show_evidence_or_say_none():
    table = load()
    for rule in all_rules():
        meta = rule_metadata(rule)
        assert meta["evidence"] == table.get(rule.code, [])
        page = render_rule(rule)
        assert "## Evidence" in page
        if meta["evidence"]:
            for entry in meta["evidence"]:
                assert entry["test"] in page
        else:
            assert "No evidence yet" in page
