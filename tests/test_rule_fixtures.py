"""Every rule: flagged code is flagged at the expected positions, look-alikes are not, and each
fix gives the expected output and keeps the fix invariants."""

from __future__ import annotations

import difflib
import os

import libcst as cst
import pytest

from keras3_lint.fixer import fix_text
from keras3_lint.runner import check_text
from fixture_support import rule_fixtures

FIXTURES = rule_fixtures()
IDS = [f.code for f in FIXTURES]


def lint_only(fixture, text):
    return check_text(text, fixture.settings(), frozenset({fixture.code}))


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_fixture_files_exist(fixture):
    assert os.path.isdir(fixture.folder), f"{fixture.code} has no fixtures folder"
    for name in ("flagged.py", "flagged.expected", "clean.py"):
        assert os.path.exists(fixture.path(name)), f"{fixture.code}: missing {name}"
    from keras3_lint.registry import rule_by_code

    rule = rule_by_code(fixture.code)
    if rule.fix_safety != "none":
        assert os.path.exists(fixture.path("fixed.py")), f"{fixture.code} has a fix but no fixed.py"


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_flagged(fixture):
    found = sorted((d.row, d.column, d.code) for d in lint_only(fixture, fixture.read("flagged.py")))
    assert found == fixture.expected()
    assert found, "a flagged fixture must produce findings"


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_clean(fixture):
    found = [(d.row, d.column, d.code, d.message) for d in lint_only(fixture, fixture.read("clean.py"))]
    assert found == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_fixed_output(fixture):
    expected = fixture.read("fixed.py")
    if expected is None:
        pytest.skip(f"{fixture.code} has no automatic fix")
    original = fixture.read("flagged.py")
    outcome = fix_text(original, lambda t: lint_only(fixture, t), unsafe_fixes=True)
    assert outcome.refused == []
    assert outcome.text == expected
    assert outcome.applied > 0


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_fix_invariants(fixture):
    original = fixture.read("flagged.py")
    lint = lambda t: lint_only(fixture, t)  # noqa: E731
    first = fix_text(original, lint, unsafe_fixes=True)
    cst.parse_module(first.text)  # the result parses
    again = fix_text(first.text, lint, unsafe_fixes=True)
    assert again.text == first.text and again.applied == 0  # converged
    clean = fixture.read("clean.py")
    assert fix_text(clean, lint, unsafe_fixes=True).text == clean

    # Only flagged code changes: every changed original line is covered by an edit.
    edits = [e for d in lint(original) if d.fix is not None for e in d.fix.edits]
    covered = set()
    for edit in edits:
        covered.update(range(edit.row, edit.end_row + 1))
    matcher = difflib.SequenceMatcher(a=original.splitlines(), b=first.text.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            for row in range(i1 + 1, i2 + 1):
                assert row in covered, f"line {row} changed but no edit covers it"


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_safe_fixes_only_without_unsafe(fixture):
    original = fixture.read("flagged.py")
    lint = lambda t: lint_only(fixture, t)  # noqa: E731
    safe_only = fix_text(original, lint, unsafe_fixes=False)
    unsafe_codes = [d for d in lint(original) if d.fix is not None and d.fix.applicability == "unsafe"]
    safe_codes = [d for d in lint(original) if d.fix is not None and d.fix.applicability == "safe"]
    if not safe_codes:
        assert safe_only.text == original
    if unsafe_codes and not safe_codes:
        assert safe_only.applied == 0
