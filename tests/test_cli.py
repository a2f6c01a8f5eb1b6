"""The ``keras3-lint`` command end to end, in a subprocess, on files in tmp_path."""

from __future__ import annotations

import json
import os
import re

import pytest

from cli_support import CLEAN, FIXABLE, FIXED, FLAGGED, FLAGGED_AT, KNOWN, run, run_json, write

from keras3_lint import __version__

SELECT = ("--select", "KRS201")


# ---------------------------------------------------------------------------------------------
# Exit status


def test_exit_0_when_clean(tmp_path):
    write(tmp_path / "ok.py", CLEAN)
    proc = run("ok.py", *SELECT, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "All checks passed!"


def test_exit_1_with_findings_and_text_format(tmp_path):
    write(tmp_path / "bad.py", FLAGGED)
    proc = run("bad.py", *SELECT, cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"bad\.py:2:26: KRS201 .*batch_input_shape.*", lines[0])
    assert "Found 1 finding." in proc.stdout


def test_exit_zero_flag(tmp_path):
    write(tmp_path / "bad.py", FLAGGED)
    proc = run("bad.py", *SELECT, "--exit-zero", cwd=tmp_path)
    assert proc.returncode == 0
    assert "KRS201" in proc.stdout  # still reported


@pytest.mark.parametrize(
    "args",
    [
        ("--bogus-option",),
        ("--select", "KRS999"),
        ("--ignore", "NOPE1"),
        ("--extend-select", "KRS9"),
        ("--output-format", "xml"),
        ("--backend", "tpu"),
    ],
    ids=["unknown-option", "unknown-select", "unknown-ignore", "unknown-extend-select", "bad-format", "bad-backend"],
)
def test_exit_2_on_usage_errors(tmp_path, args):
    write(tmp_path / "bad.py", FLAGGED)
    proc = run("bad.py", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.strip()


def test_unknown_select_names_the_code(tmp_path):
    write(tmp_path / "bad.py", FLAGGED)
    proc = run("bad.py", "--select", "KRS201,KRS999", cwd=tmp_path)
    assert proc.returncode == 2
    assert "KRS999" in proc.stderr
    assert "--select" in proc.stderr


def test_exit_2_on_bad_config(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.keras3-lint]\nselect = "KRS201"\n')
    write(tmp_path / "bad.py", FLAGGED)
    proc = run("bad.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert "select" in proc.stderr
    assert proc.stdout == ""


# ---------------------------------------------------------------------------------------------
# JSON


def _check_position(position):
    assert set(position) == {"row", "column"}
    assert all(type(v) is int and v >= 1 for v in position.values())


def test_json_shape(tmp_path):
    write(tmp_path / "fixable.py", FIXABLE)
    write(tmp_path / "plain.py", FLAGGED)
    findings = run_json(".", *SELECT, cwd=tmp_path)
    assert len(findings) == 2
    for finding in findings:
        assert set(finding) == {"code", "message", "filename", "location", "end_location", "cell", "fix", "url", "confidence"}
        assert finding["code"] == "KRS201"
        assert isinstance(finding["message"], str) and finding["message"]
        assert isinstance(finding["filename"], str)
        _check_position(finding["location"])
        _check_position(finding["end_location"])
        assert (finding["end_location"]["row"], finding["end_location"]["column"]) > (
            finding["location"]["row"], finding["location"]["column"])
        assert finding["cell"] is None
        assert isinstance(finding["url"], str) and "KRS201" in finding["url"]
    by_file = {f["filename"]: f for f in findings}
    assert set(by_file) == {"fixable.py", "plain.py"}

    plain = by_file["plain.py"]
    assert plain["fix"] is None
    assert (plain["location"]["row"], plain["location"]["column"]) == FLAGGED_AT
    # end of `batch_input_shape=(1, 2, 3)`
    assert plain["end_location"] == {"row": 2, "column": FLAGGED_AT[1] + len("batch_input_shape=(1, 2, 3)")}

    fix = by_file["fixable.py"]["fix"]
    assert set(fix) == {"applicability", "message", "edits"}
    assert fix["applicability"] in ("safe", "unsafe")
    assert isinstance(fix["message"], str) and fix["message"]
    assert isinstance(fix["edits"], list) and fix["edits"]
    for edit in fix["edits"]:
        assert set(edit) == {"content", "location", "end_location"}
        assert isinstance(edit["content"], str)
        _check_position(edit["location"])
        _check_position(edit["end_location"])


def test_json_edits_reproduce_the_fix(tmp_path):
    """Applying the JSON edits to the file gives exactly what --fix writes."""
    write(tmp_path / "m.py", FIXABLE)
    [finding] = run_json("m.py", *SELECT, cwd=tmp_path)
    lines = FIXABLE.splitlines(keepends=True)

    def offset(pos):
        return sum(len(line) for line in lines[: pos["row"] - 1]) + pos["column"] - 1

    text = FIXABLE
    for edit in sorted(finding["fix"]["edits"], key=lambda e: (offset(e["location"]), offset(e["end_location"])), reverse=True):
        text = text[: offset(edit["location"])] + edit["content"] + text[offset(edit["end_location"]):]
    assert text == FIXED


def test_json_empty_array_when_clean(tmp_path):
    write(tmp_path / "ok.py", CLEAN)
    proc = run("ok.py", *SELECT, "--output-format", "json", cwd=tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_output_sorted_by_file_line_column(tmp_path):
    two_on_a_line = f"x = [{KNOWN}, keras.layers.GRU(4, batch_size=2)]\n"
    # Findings on lines 9 and 10 (numeric, not string, order) and two on one line.
    write(tmp_path / "b.py", "import keras\n" + "\n" * 8 + two_on_a_line + f"y = {KNOWN}\n")
    write(tmp_path / "a.py", "import keras\n" + "\n" * 9 + f"z = {KNOWN}\n" + f"w = {KNOWN}\n")
    write(tmp_path / "sub" / "c.py", FLAGGED)
    findings = run_json("sub", "b.py", "a.py", *SELECT, cwd=tmp_path)
    found = [(f["filename"].replace(os.sep, "/"), f["location"]["row"], f["location"]["column"]) for f in findings]
    assert found == sorted(found, key=lambda t: (t[0], t[1], t[2]))
    assert [t[0] for t in found] == ["a.py", "a.py", "b.py", "b.py", "b.py", "sub/c.py"]
    assert [t[1] for t in found if t[0] == "b.py"] == [10, 10, 11]
    assert [t[1] for t in found if t[0] == "a.py"] == [11, 12]
    b_columns = [t[2] for t in found if t[0] == "b.py" and t[1] == 10]
    assert b_columns == sorted(b_columns) and len(set(b_columns)) == 2

    text = run("sub", "b.py", "a.py", *SELECT, cwd=tmp_path).stdout
    text_found = re.findall(r"^(\S+?):(\d+):(\d+): KRS201", text, re.M)
    assert [(p.replace(os.sep, "/"), int(r), int(c)) for p, r, c in text_found] == found


# ---------------------------------------------------------------------------------------------
# Statistics


def test_statistics(tmp_path):
    write(tmp_path / "a.py", FLAGGED + f"y = {KNOWN}\n")
    write(tmp_path / "b.py", FIXABLE)
    proc = run(".", *SELECT, "--statistics", cwd=tmp_path)
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    count, code, rest = lines[0].split("\t")
    assert (int(count), code) == (3, "KRS201")
    assert "batch-input-shape" in rest and "[*]" in rest  # one of them is fixable
    assert "a.py" not in proc.stdout  # counts instead of each finding

    proc = run(".", *SELECT, "--statistics", "--output-format", "json", cwd=tmp_path)
    assert json.loads(proc.stdout) == [{"code": "KRS201", "name": "batch-input-shape", "count": 3, "fixable": True}]


# ---------------------------------------------------------------------------------------------
# Selection


@pytest.fixture
def two_codes(tmp_path):
    """A file with one KRS201 and one KRS004 (an unused `# noqa: KRS201`)."""
    write(tmp_path / "m.py", FLAGGED + "y = 1  # noqa: KRS201\n")
    return tmp_path


@pytest.mark.parametrize(
    "args, expected",
    [
        ((), {"KRS201", "KRS004"}),
        (("--select", "KRS201"), {"KRS201"}),
        (("--select", "KRS2"), {"KRS201"}),
        (("--select", "krs201"), {"KRS201"}),
        # KRS004 only judges codes that are enabled: with KRS201 off, its noqa cannot be judged.
        (("--select", "KRS004"), set()),
        (("--select", "KRS004,KRS201"), {"KRS201", "KRS004"}),
        (("--select", "KRS004", "--select", "KRS201"), {"KRS201", "KRS004"}),
        (("--select", "ALL"), {"KRS201", "KRS004"}),
        (("--ignore", "KRS004"), {"KRS201"}),
        (("--ignore", "KRS0"), {"KRS201"}),
        (("--ignore", "KRS"), set()),
        (("--select", "ALL", "--ignore", "KRS201"), set()),
        (("--select", "KRS201", "--ignore", "KRS"), {"KRS201"}),  # the more specific selector wins
        (("--select", "KRS004", "--extend-select", "KRS201"), {"KRS201", "KRS004"}),
        (("--select", "KRS004", "--extend-select", "KRS2"), {"KRS201", "KRS004"}),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_selection(two_codes, args, expected):
    proc = run("m.py", *args, "--output-format", "json", cwd=two_codes)
    found = {f["code"] for f in json.loads(proc.stdout)}
    # Other rules may exist and fire on this file; only KRS201/KRS004 are ours to judge.
    assert found & {"KRS201", "KRS004"} == expected
    if expected:
        assert proc.returncode == 1
    elif not found:
        assert proc.returncode == 0


# ---------------------------------------------------------------------------------------------
# Fixing


def test_fix_writes_and_second_fix_changes_nothing(tmp_path):
    path = write(tmp_path / "m.py", FIXABLE)
    proc = run("m.py", *SELECT, "--fix", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 fixed" in proc.stdout
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read() == FIXED
    before = os.stat(path).st_mtime_ns
    proc = run("m.py", *SELECT, "--fix", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.strip() == "All checks passed!"
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read() == FIXED
    assert os.stat(path).st_mtime_ns == before  # not rewritten


def test_fix_leaves_unfixable_findings_and_exits_1(tmp_path):
    path = write(tmp_path / "m.py", FIXABLE + f"y = {KNOWN}\n")
    proc = run("m.py", *SELECT, "--fix", cwd=tmp_path)
    assert proc.returncode == 1
    assert re.search(r"^m\.py:3:\d+: KRS201", proc.stdout, re.M)
    assert "1 fixed, 1 remaining" in proc.stdout
    with open(path, encoding="utf-8") as handle:
        assert handle.read() == FIXED + f"y = {KNOWN}\n"


def test_diff_prints_and_writes_nothing(tmp_path):
    path = write(tmp_path / "m.py", FIXABLE)
    before = os.stat(path).st_mtime_ns
    proc = run("m.py", *SELECT, "--diff", cwd=tmp_path)
    assert proc.returncode == 1
    assert "--- a/m.py" in proc.stdout and "+++ b/m.py" in proc.stdout
    assert "-" + FIXABLE.splitlines()[1] in proc.stdout.splitlines()
    assert "+" + FIXED.splitlines()[1] in proc.stdout.splitlines()
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read() == FIXABLE
    assert os.stat(path).st_mtime_ns == before
    assert sorted(os.listdir(tmp_path)) == ["m.py"]


def test_diff_with_fix_still_writes_nothing(tmp_path):
    path = write(tmp_path / "m.py", FIXABLE)
    proc = run("m.py", *SELECT, "--diff", "--fix", cwd=tmp_path)
    assert proc.returncode == 1
    assert "+++ b/m.py" in proc.stdout
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read() == FIXABLE


def test_diff_exit_0_when_nothing_to_fix(tmp_path):
    write(tmp_path / "m.py", FLAGGED)  # a finding, but no fix for it
    proc = run("m.py", *SELECT, "--diff", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == ""


# ---------------------------------------------------------------------------------------------
# rules / rule / --version / default path


def test_rules_text(tmp_path):
    proc = run("rules", cwd=tmp_path)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    krs201 = [line for line in lines if line.startswith("KRS201")]
    assert len(krs201) == 1
    assert "batch-input-shape" in krs201[0] and "safe" in krs201[0]
    codes = [line.split()[0] for line in lines if line.strip()]
    assert {"KRS001", "KRS002", "KRS003", "KRS004"} <= set(codes)
    assert len(codes) == len(set(codes))


def test_rules_json(tmp_path):
    proc = run("rules", "--output-format", "json", cwd=tmp_path)
    assert proc.returncode == 0
    rules = json.loads(proc.stdout)
    assert isinstance(rules, list)
    [krs201] = [r for r in rules if r["code"] == "KRS201"]
    assert krs201["name"] == "batch-input-shape"
    assert krs201["fix"] == "safe"
    assert isinstance(krs201["summary"], str) and krs201["summary"]
    assert set(krs201["backends"]) <= {"tensorflow", "jax", "torch", "numpy"}
    for rule in rules:
        assert re.fullmatch(r"[A-Z]{1,3}[0-9]{0,3}", rule["code"])


def test_rule_explains(tmp_path):
    proc = run("rule", "KRS201", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith("# KRS201 `batch-input-shape`")
    for heading in ("## What it does", "## Why it breaks on Keras 3", "## Example", "## Fix"):
        assert heading in proc.stdout
    assert "Unrecognized keyword arguments" in proc.stdout
    assert run("rule", "krs201", cwd=tmp_path).stdout == proc.stdout

    data = json.loads(run("rule", "KRS201", "--output-format", "json", cwd=tmp_path).stdout)
    assert data["code"] == "KRS201"
    assert data["documentation"] == proc.stdout


def test_rule_explains_tool_code(tmp_path):
    proc = run("rule", "KRS004", cwd=tmp_path)
    assert proc.returncode == 0
    assert "unused-noqa" in proc.stdout


@pytest.mark.parametrize("code", ["KRS999", "E501", "nonsense"])
def test_rule_unknown_code(tmp_path, code):
    proc = run("rule", code, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert code in proc.stderr or code.upper() in proc.stderr


def test_version(tmp_path):
    proc = run("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert __version__ in proc.stdout
    assert "keras3-lint" in proc.stdout


def test_help(tmp_path):
    proc = run("--help", cwd=tmp_path)
    assert proc.returncode == 0
    assert "check" in proc.stdout and "rules" in proc.stdout


def test_default_path_is_current_folder(tmp_path):
    write(tmp_path / "pkg" / "m.py", FLAGGED)
    write(tmp_path / "top.py", FLAGGED)
    proc = run(*SELECT, "--output-format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    files = sorted(f["filename"].replace(os.sep, "/") for f in json.loads(proc.stdout))
    assert files == ["pkg/m.py", "top.py"]

    proc = run(cwd=tmp_path)  # no arguments at all
    assert proc.returncode == 1
    assert "KRS201" in proc.stdout


def test_check_subcommand_spelled_out(tmp_path):
    write(tmp_path / "m.py", FLAGGED)
    proc = run("check", "m.py", *SELECT, cwd=tmp_path)
    assert proc.returncode == 1
    assert "m.py:2:26: KRS201" in proc.stdout


# ---------------------------------------------------------------------------------------------
# noqa


OURS = ("--select", "KRS201,KRS004")


def _noqa_findings(tmp_path, line_suffix, *args):
    write(tmp_path / "m.py", f"import keras\nx = {KNOWN}{line_suffix}\n")
    findings = run_json("m.py", *(args or OURS), cwd=tmp_path)
    return sorted((f["code"], f["location"]["row"]) for f in findings if f["code"] in ("KRS201", "KRS004"))


@pytest.mark.parametrize(
    "suffix",
    ["  # noqa", "  # noqa: KRS201", "  #noqa:KRS201", "  # NOQA: krs201", "  # noqa: E501, KRS201", "  # noqa: KRS2"],
    ids=["blanket", "code", "compact", "case", "list", "prefix-not-a-code"],
)
def test_noqa_suppresses(tmp_path, suffix):
    found = _noqa_findings(tmp_path, suffix)
    if suffix.endswith("KRS2"):
        # flake8 semantics: `KRS2` is not a code; the comment is read as a code list that
        # does not name KRS201, so the finding stays.
        assert ("KRS201", 2) in found
    else:
        assert found == []


def test_noqa_for_other_tools_is_left_alone(tmp_path):
    found = _noqa_findings(tmp_path, "  # noqa: E501")
    assert found == [("KRS201", 2)]  # not suppressed, and no KRS004 for a foreign code
    found = _noqa_findings(tmp_path, "  # noqa: KRS999")
    assert found == [("KRS201", 2)]  # KRS999 is no code of ours: left alone


def test_unused_noqa_reported(tmp_path):
    write(tmp_path / "m.py", "import keras\nx = keras.layers.LSTM(4)  # noqa: KRS201\ny = 1  # noqa: KRS201, E501\n")
    findings = run_json("m.py", *OURS, cwd=tmp_path)
    assert [(f["code"], f["location"]["row"], f["location"]["column"]) for f in findings] == [
        ("KRS004", 2, 27),
        ("KRS004", 3, 8),
    ]
    assert "KRS201" in findings[0]["message"]
    assert "E501" not in findings[1]["message"]


def test_noqa_in_a_string_does_not_count(tmp_path):
    write(tmp_path / "m.py", f"import keras\nx = ({KNOWN}, '# noqa')\n")
    findings = run_json("m.py", *SELECT, cwd=tmp_path)
    assert [f["code"] for f in findings] == ["KRS201"]


def test_noqa_on_another_line_does_not_suppress(tmp_path):
    write(tmp_path / "m.py", f"import keras  # noqa: KRS201\nx = {KNOWN}\n")
    findings = run_json("m.py", *OURS, cwd=tmp_path)
    assert sorted((f["code"], f["location"]["row"]) for f in findings) == [("KRS004", 1), ("KRS201", 2)]


def test_used_noqa_not_reported_as_unused(tmp_path):
    found = _noqa_findings(tmp_path, "  # noqa: KRS201", "--select", "ALL")
    assert found == []
