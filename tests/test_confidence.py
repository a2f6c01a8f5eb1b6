"""Every finding says how sure it is (`high` / `medium`), every output format carries it, and the
`min-confidence` setting and flag drop the `medium` ones."""

from __future__ import annotations

import json

import libcst as cst
import pytest

from keras3_lint import runner
from keras3_lint.config import ConfigError, Settings, parse_table
from keras3_lint.diagnostics import HIGH, MEDIUM, Diagnostic, confidence_at_least
from keras3_lint.formatters import render
from keras3_lint.registry import all_codes
from keras3_lint.rule import Rule, RuleDoc
from cli_support import invoke, write
from test_formats import sarif_validator  # noqa: F401 (a fixture)

SOURCE = "import keras\nthing.fit_generator(gen)\nmodel = keras.Sequential()\nmodel.fit_generator(gen)\n"


class GuessingRule(Rule):
    """Reports `fit_generator` on any receiver: `high` when the resolver knows it is a model."""

    code = "KRS103"
    name = "test-guess"
    summary = "test"
    doc = RuleDoc("", "", "", "", "", ())

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value != "fit_generator":
            return
        proven = self.ctx.resolver.value_type(node.value) == "keras.Sequential"
        self.report(node, "fit_generator", confidence=HIGH if proven else MEDIUM)


@pytest.fixture
def guessing(monkeypatch):
    monkeypatch.setattr(runner, "_rules_for", lambda enabled: (GuessingRule,))


def test_reports_carry_their_confidence(guessing):
    found = runner.check_text(SOURCE, Settings(), frozenset({"KRS103"}))
    assert [(d.row, d.confidence) for d in found] == [(2, MEDIUM), (4, HIGH)]


def test_min_confidence_high_drops_medium(guessing):
    found = runner.check_text(SOURCE, Settings(min_confidence="high"), frozenset({"KRS103"}))
    assert [(d.row, d.confidence) for d in found] == [(4, HIGH)]


def test_unknown_confidence_is_a_programming_error():
    class Bad(GuessingRule):
        def visit_Attribute(self, node):
            self.report(node, "x", confidence="low")

    from keras3_lint.engine import LintOptions, lint_text

    with pytest.raises(AssertionError):
        lint_text(SOURCE, LintOptions(rules=(Bad,)))


def test_ordering():
    assert confidence_at_least(HIGH, MEDIUM) and confidence_at_least(HIGH, HIGH)
    assert confidence_at_least(MEDIUM, MEDIUM) and not confidence_at_least(MEDIUM, HIGH)


@pytest.mark.parametrize(
    "body, error",
    [
        ({"min-confidence": "low"}, "min-confidence"),
        ({"legacy-keras": "maybe"}, "legacy-keras"),
        ({"reproducible": "yes"}, "reproducible"),
    ],
)
def test_bad_values_name_the_key(body, error):
    with pytest.raises(ConfigError, match=error):
        parse_table(body, "cfg", ".", None, all_codes())


def test_settings_are_read():
    settings = parse_table(
        {"min-confidence": "high", "reproducible": False, "legacy-keras": "ignore"}, "cfg", ".", None, all_codes()
    )
    assert (settings.min_confidence, settings.reproducible, settings.legacy_keras) == ("high", False, "ignore")
    defaults = Settings()
    assert (defaults.min_confidence, defaults.reproducible, defaults.legacy_keras) == ("medium", None, "report")


MEDIUM_FINDING = Diagnostic("KRS103", "guess", 2, 1, 2, 20, path="a.py", confidence=MEDIUM)
HIGH_FINDING = Diagnostic("KRS103", "proven", 4, 1, 4, 20, path="a.py")


def test_json_and_json_lines_carry_confidence():
    data = json.loads(render("json", [MEDIUM_FINDING, HIGH_FINDING]))
    assert [item["confidence"] for item in data] == ["medium", "high"]
    lines = render("json-lines", [MEDIUM_FINDING]).splitlines()
    assert json.loads(lines[0])["confidence"] == "medium"


def test_sarif_carries_rank_and_property(sarif_validator):  # noqa: F811
    log = json.loads(render("sarif", [MEDIUM_FINDING, HIGH_FINDING]))
    sarif_validator.validate(log)
    results = log["runs"][0]["results"]
    assert [r["properties"]["confidence"] for r in results] == ["medium", "high"]
    assert results[0]["rank"] < results[1]["rank"]


def test_full_format_says_it(tmp_path, monkeypatch):
    write(tmp_path / "a.py", SOURCE)
    monkeypatch.chdir(tmp_path)
    out = render("full", [MEDIUM_FINDING, HIGH_FINDING])
    first, second = out.split("\n\n")
    assert "= confidence: medium (the evidence is" in first
    assert "= confidence: high\n" in second


def test_cli_flag_and_setting(tmp_path, guessing):
    write(tmp_path / "a.py", SOURCE)
    every = invoke("check", "--select", "KRS103", "--output-format", "json", "--no-cache", "a.py", cwd=tmp_path)
    assert [d["confidence"] for d in json.loads(every.stdout)] == ["medium", "high"]
    flagged = invoke(
        "check", "--select", "KRS103", "--min-confidence", "high", "--output-format", "json", "--no-cache", "a.py",
        cwd=tmp_path,
    )
    assert [d["location"]["row"] for d in json.loads(flagged.stdout)] == [4]
    write(tmp_path / "pyproject.toml", '[tool.keras3-lint]\nmin-confidence = "high"\n')
    configured = invoke("check", "--select", "KRS103", "--output-format", "json", "--no-cache", "a.py", cwd=tmp_path)
    assert [d["location"]["row"] for d in json.loads(configured.stdout)] == [4]
    overridden = invoke(
        "check", "--select", "KRS103", "--min-confidence", "medium", "--output-format", "json", "--no-cache", "a.py",
        cwd=tmp_path,
    )
    assert len(json.loads(overridden.stdout)) == 2


def test_a_safe_fix_on_a_medium_finding_is_only_applied_with_unsafe_fixes(monkeypatch):
    class GuessWithFix(GuessingRule):
        def visit_Attribute(self, node):
            if node.attr.value == "fit_generator":
                proven = self.ctx.resolver.value_type(node.value) == "keras.Sequential"
                fix = self.safe_fix("Use `.fit`").replace(node.attr, "fit")
                self.report(node, "fit_generator", fix=fix, confidence=HIGH if proven else MEDIUM)

    monkeypatch.setattr(runner, "_rules_for", lambda enabled: (GuessWithFix,))
    found = runner.check_text(SOURCE, Settings(), frozenset({"KRS103"}))
    assert [(d.row, d.fix.applicability) for d in found] == [(2, "unsafe"), (4, "safe")]
