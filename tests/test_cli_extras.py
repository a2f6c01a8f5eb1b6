"""CLI extras: --add-noqa, --stdin-filename, --show-settings, --keras-version, progress,
the default output format and the tool codes in `rules --output-format json`."""

from __future__ import annotations

import json
import os
import sys

import pytest

from cli_support import CLEAN, FIXABLE, FIXED, FLAGGED, KNOWN, invoke, run, run_stdin, write

from keras3_lint import cli
from keras3_lint.diagnostics import Diagnostic
from keras3_lint.formatters import FORMATTERS
from keras3_lint.runner import add_noqa_text

SELECT = ("--select", "KRS201")


def read_bytes(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


# ---------------------------------------------------------------------------------------------
# --add-noqa


def test_add_noqa_suppresses_and_is_idempotent(tmp_path):
    write(tmp_path / "m.py", FLAGGED + f"y = [{KNOWN}, {KNOWN}]\n")
    proc = run("m.py", *SELECT, "--add-noqa", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Added 2 noqa directives (3 findings suppressed)." in proc.stderr
    text = read_bytes(tmp_path / "m.py").decode()
    assert text == (
        f"import keras\nx = {KNOWN}  # noqa: KRS201\ny = [{KNOWN}, {KNOWN}]  # noqa: KRS201\n"
    )
    assert run("m.py", *SELECT, cwd=tmp_path).returncode == 0  # suppressed now
    before = read_bytes(tmp_path / "m.py")
    proc = run("m.py", *SELECT, "--add-noqa", cwd=tmp_path)
    assert proc.returncode == 0
    assert "Added 0 noqa directives" in proc.stderr
    assert read_bytes(tmp_path / "m.py") == before


def test_add_noqa_merges_with_an_existing_noqa_and_comment(tmp_path):
    write(
        tmp_path / "m.py",
        f"import keras\nx = {KNOWN}  # noqa:E501\ny = {KNOWN}   # keep this note   \n",
    )
    proc = invoke("m.py", *SELECT, "--add-noqa", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert read_bytes(tmp_path / "m.py").decode() == (
        f"import keras\nx = {KNOWN}  # noqa: E501, KRS201\ny = {KNOWN}   # keep this note  # noqa: KRS201\n"
    )
    assert invoke("m.py", *SELECT, cwd=tmp_path).returncode == 0


def test_add_noqa_never_writes_inside_a_string(tmp_path):
    source = (
        "import keras\n"
        f'x = [{KNOWN}, """\n'
        f"{KNOWN}\n"
        '"""]\n'
        f"y = {KNOWN}; \\\n"
        "    z = 1\n"
        f"w = {KNOWN}\n"
    )
    write(tmp_path / "m.py", source)
    proc = invoke("m.py", *SELECT, "--add-noqa", cwd=tmp_path)
    assert proc.returncode == 1  # two findings remain
    assert "Added 1 noqa directive (1 finding suppressed)." in proc.stderr
    assert "2 findings could not be suppressed" in proc.stderr
    assert "lines 2, 5" in proc.stderr
    assert read_bytes(tmp_path / "m.py").decode() == source.replace(f"w = {KNOWN}\n", f"w = {KNOWN}  # noqa: KRS201\n")
    # the string's content is untouched and the result still parses
    compile(read_bytes(tmp_path / "m.py"), "m.py", "exec")


@pytest.mark.parametrize(
    "encoding, prefix, newline",
    [
        ("utf-8", b"", "\r\n"),
        ("utf-8-sig", b"", "\n"),
        ("latin-1", b"# -*- coding: latin-1 -*-\n", "\n"),
        ("utf-8", b"", "\r"),
    ],
    ids=["crlf", "bom", "latin-1-cookie", "cr"],
)
def test_add_noqa_keeps_encoding_bom_and_newlines(tmp_path, encoding, prefix, newline):
    body = f"import keras\n# caf\u00e9 \u00e0 la cr\u00e8me\nx = {KNOWN}\nz = 1\n".replace("\n", newline)
    data = prefix + body.encode(encoding)
    (tmp_path / "m.py").write_bytes(data)
    proc = invoke("m.py", *SELECT, "--add-noqa", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    expected = prefix + body.replace(f"x = {KNOWN}{newline}", f"x = {KNOWN}  # noqa: KRS201{newline}").encode(encoding)
    assert read_bytes(tmp_path / "m.py") == expected
    assert invoke("m.py", *SELECT, cwd=tmp_path).returncode == 0
    assert invoke("m.py", *SELECT, "--add-noqa", cwd=tmp_path).returncode == 0
    assert read_bytes(tmp_path / "m.py") == expected


def test_noqa_is_honoured_in_files_with_lone_cr_line_endings(tmp_path):
    data = f"import keras\rx = {KNOWN}  # noqa: KRS201\ry = {KNOWN}\r".encode()
    (tmp_path / "m.py").write_bytes(data)
    proc = invoke("m.py", *SELECT, "--output-format", "concise", cwd=tmp_path)
    assert proc.returncode == 1
    assert ":3:" in proc.stdout and ":2:" not in proc.stdout


def test_add_noqa_on_a_folder_only_touches_flagged_files(tmp_path):
    write(tmp_path / "a.py", FLAGGED)
    write(tmp_path / "b.py", CLEAN)
    clean_before = os.stat(tmp_path / "b.py").st_mtime_ns
    proc = invoke(".", *SELECT, "--add-noqa", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "# noqa: KRS201" in read_bytes(tmp_path / "a.py").decode()
    assert os.stat(tmp_path / "b.py").st_mtime_ns == clean_before
    assert read_bytes(tmp_path / "b.py").decode() == CLEAN


@pytest.mark.parametrize("other", ["--fix", "--diff"])
def test_add_noqa_conflicts_with_fixing(tmp_path, other):
    write(tmp_path / "m.py", FLAGGED)
    proc = invoke("m.py", "--add-noqa", other, cwd=tmp_path)
    assert proc.returncode == 2
    assert "--add-noqa" in proc.stderr
    assert read_bytes(tmp_path / "m.py").decode() == FLAGGED


def test_add_noqa_text_groups_codes_per_line():
    text = "a = 1\nb = 2  # noqa: KRS501\n"

    def diag(code, row):
        return Diagnostic(code, "m", row, 1, row, 2)

    edit = add_noqa_text(text, [diag("KRS501", 1), diag("KRS201", 1), diag("KRS201", 2), diag("KRS001", 1)])
    assert edit.text == "a = 1  # noqa: KRS201, KRS501\nb = 2  # noqa: KRS501, KRS201\n"
    assert (edit.added, edit.suppressed, edit.skipped) == (2, 3, 0)  # tool codes are never noqa'd


def test_add_noqa_text_leaves_untokenizable_text_alone():
    text = 'x = """never closed\n'
    edit = add_noqa_text(text, [Diagnostic("KRS201", "m", 1, 1, 1, 2)])
    assert edit.text == text and edit.skipped == 1


# ---------------------------------------------------------------------------------------------
# --stdin-filename


def test_stdin_is_linted_as_the_named_file(tmp_path):
    proc = run_stdin("--stdin-filename", os.path.join("pkg", "model.py"), *SELECT, cwd=tmp_path, data=FLAGGED.encode())
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert out.startswith(os.path.join("pkg", "model.py") + ":2:26: KRS201 "), out
    assert not (tmp_path / "pkg").exists()

    findings = json.loads(
        run_stdin("--stdin-filename", "x.py", *SELECT, "--output-format", "json", cwd=tmp_path, data=FLAGGED.encode()).stdout
    )
    assert [(f["filename"], f["code"]) for f in findings] == [("x.py", "KRS201")]

    proc = run_stdin("--stdin-filename", "x.py", *SELECT, cwd=tmp_path, data=CLEAN.encode())
    assert proc.returncode == 0


def test_stdin_uses_the_configuration_of_the_named_file(tmp_path):
    write(tmp_path / "sub" / "pyproject.toml", '[tool.keras3-lint]\nper-file-ignores = { "legacy/*" = ["KRS201"] }\n')
    name = os.path.join("sub", "legacy", "old.py")
    proc = run_stdin("--stdin-filename", name, cwd=tmp_path, data=FLAGGED.encode())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_stdin("--stdin-filename", os.path.join("sub", "new.py"), *SELECT, cwd=tmp_path, data=FLAGGED.encode())
    assert proc.returncode == 1

    write(tmp_path / "other" / "pyproject.toml", '[tool.keras3-lint]\nextend-exclude = ["generated"]\n')
    proc = run_stdin("--stdin-filename", os.path.join("other", "generated", "g.py"), *SELECT, cwd=tmp_path, data=FLAGGED.encode())
    assert (proc.returncode, proc.stdout) == (0, b"")


def test_stdin_fix_prints_the_fixed_source(tmp_path):
    proc = run_stdin("--stdin-filename", "m.py", *SELECT, "--fix", cwd=tmp_path, data=FIXABLE.encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == FIXED.encode()
    assert not (tmp_path / "m.py").exists()

    # what cannot be fixed is reported on stderr, and the exit status says it remains
    source = FIXABLE + f"y = {KNOWN}\n"
    proc = run_stdin("--stdin-filename", "m.py", *SELECT, "--fix", cwd=tmp_path, data=source.encode())
    assert proc.returncode == 1
    assert proc.stdout.decode() == FIXED + f"y = {KNOWN}\n"
    assert b"m.py:3:" in proc.stderr and b"KRS201" in proc.stderr

    # nothing to fix: the source comes back byte for byte
    data = "\ufeffimport keras\r\nx = 1\r\n".encode("utf-8")
    proc = run_stdin("--stdin-filename", "m.py", *SELECT, "--fix", cwd=tmp_path, data=data)
    assert (proc.returncode, proc.stdout) == (0, data)


def test_stdin_fix_keeps_bom_and_crlf(tmp_path):
    data = "\ufeff".encode() + FIXABLE.replace("\n", "\r\n").encode()
    proc = run_stdin("--stdin-filename", "m.py", *SELECT, "--fix", cwd=tmp_path, data=data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "\ufeff".encode() + FIXED.replace("\n", "\r\n").encode()


def test_stdin_diff(tmp_path):
    proc = run_stdin("--stdin-filename", "m.py", *SELECT, "--diff", cwd=tmp_path, data=FIXABLE.encode())
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert "--- a/m.py" in out and "+++ b/m.py" in out


def test_stdin_filename_with_paths_is_a_usage_error(tmp_path):
    write(tmp_path / "m.py", FLAGGED)
    proc = run_stdin("--stdin-filename", "x.py", "m.py", cwd=tmp_path, data=b"")
    assert proc.returncode == 2
    assert b"--stdin-filename" in proc.stderr


def test_stdin_undecodable(tmp_path):
    proc = run_stdin("--stdin-filename", "x.py", cwd=tmp_path, data=b"# -*- coding: nope -*-\n")
    assert proc.returncode == 1
    assert b"KRS002" in proc.stdout


# ---------------------------------------------------------------------------------------------
# --show-settings and --keras-version


def test_show_settings(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        '[tool.keras3-lint]\nselect = ["KRS2"]\nignore = ["KRS202"]\nbackends = ["jax", "torch"]\n'
        'keras-version = "3.8"\nextend-exclude = ["gen"]\nper-file-ignores = { "tests/*" = ["KRS201"] }\n',
    )
    write(tmp_path / "m.py", FLAGGED)
    proc = invoke("--show-settings", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert str(tmp_path / "pyproject.toml") in out
    assert "KRS201" in out and "KRS202" not in out.split("enabled codes:")[1].splitlines()[0]
    assert "jax, torch" in out
    assert "3.8 (keras-version setting)" in out
    assert "gen" in out and "tests/* = KRS201" in out
    assert "KRS201 `batch_input_shape" not in out  # nothing was checked

    data = json.loads(invoke("--show-settings", "--output-format", "json", cwd=tmp_path).stdout)
    assert data["config_file"] == str(tmp_path / "pyproject.toml")
    assert data["keras_version"] == "3.8"
    assert data["keras_version_source"] == "keras-version setting"
    assert data["backends"] == ["jax", "torch"]
    assert "KRS201" in data["enabled"] and "KRS202" not in data["enabled"]
    assert data["extend_exclude"] == ["gen"]


def test_keras_version_option_overrides(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.keras3-lint]\nkeras-version = "3.8"\n')
    data = json.loads(invoke("--show-settings", "--keras-version", "3.12.1", "--output-format", "json", cwd=tmp_path).stdout)
    assert (data["keras_version"], data["keras_version_source"]) == ("3.12.1", "--keras-version option")


def test_keras_version_from_project_pins_is_shown(tmp_path):
    write(tmp_path / "requirements.txt", "tensorflow>=2.18\n")
    out = invoke("--show-settings", cwd=tmp_path).stdout
    assert "keras version:     3.5.0 (requirements.txt: tensorflow>=2.18" in out


@pytest.mark.parametrize("value", ["2.15", "three", "", "v3"])
def test_bad_keras_version_is_a_usage_error(tmp_path, value):
    write(tmp_path / "m.py", FLAGGED)
    proc = invoke("m.py", "--keras-version", value, cwd=tmp_path)
    assert proc.returncode == 2
    assert "--keras-version" in proc.stderr
    assert proc.stdout == ""


def test_keras_version_option_on_a_check_run(tmp_path):
    write(tmp_path / "m.py", FLAGGED)
    proc = invoke("m.py", *SELECT, "--keras-version", "3.0", cwd=tmp_path)
    assert proc.returncode == 1
    assert "KRS201" in proc.stdout


# ---------------------------------------------------------------------------------------------
# Progress


class FakeStream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.written = []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.written.append(text)

    def flush(self) -> None:
        pass


def screen(chunks) -> str:
    """What a terminal line shows after these writes (``\\r`` returns to column 0)."""
    line = []
    col = 0
    for ch in "".join(chunks):
        if ch == "\r":
            col = 0
            continue
        if col < len(line):
            line[col] = ch
        else:
            line.append(ch)
        col += 1
    return "".join(line)


def test_progress_only_on_a_terminal_and_for_long_runs():
    assert cli.progress_for(100, FakeStream(False), environ={}) is None
    assert cli.progress_for(cli.PROGRESS_THRESHOLD, FakeStream(True), environ={}) is None
    assert cli.progress_for(100, FakeStream(True), environ={"PRE_COMMIT": "1"}) is None
    assert cli.progress_for(100, FakeStream(True), environ={"TERM": "dumb"}) is None
    assert isinstance(cli.progress_for(100, FakeStream(True), environ={}), cli.Progress)


def test_progress_updates_in_place_and_clears():
    stream = FakeStream(True)
    ticks = iter(range(1000))
    progress = cli.Progress(stream, interval=0.5, clock=lambda: next(ticks) * 0.1)
    for done in range(1, 31):
        progress(done, 30)
    assert all(chunk.startswith("\r") and "\n" not in chunk for chunk in stream.written)
    assert "checked 30/30 files (100%)" in stream.written[-1]  # the last update is never dropped
    assert len(stream.written) < 30  # throttled
    assert screen(stream.written).strip().startswith("keras3-lint: checked 30/30")
    progress.close()
    assert screen(stream.written).strip() == ""


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    for i in range(cli.PROGRESS_THRESHOLD + 5):
        write(tmp_path / f"m{i:02}.py", FLAGGED if i == 3 else CLEAN)
    proc = run(".", *SELECT, cwd=tmp_path)
    assert proc.returncode == 1
    assert "\r" not in proc.stderr and "checked" not in proc.stderr
    assert proc.stdout.startswith("m03.py:2:26: KRS201")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses a Linux pseudo-terminal")
def test_progress_on_a_terminal_leaves_stdout_alone(tmp_path):
    import pty
    import subprocess

    from cli_support import ROOT

    for i in range(cli.PROGRESS_THRESHOLD + 5):
        write(tmp_path / f"m{i:02}.py", FLAGGED if i == 3 else CLEAN)
    plain = run(".", *SELECT, "--no-cache", cwd=tmp_path)
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONIOENCODING="utf-8", TERM="xterm")
    env.pop("PRE_COMMIT", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "keras3_lint", ".", *SELECT, "--no-cache"],
            cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=slave, env=env, timeout=120,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == plain.returncode == 1
    assert proc.stdout.decode() == plain.stdout
    assert "checked" in shown and "\r" in shown
    assert screen([shown.replace("\n", "")]).strip() == ""  # cleared at the end


# ---------------------------------------------------------------------------------------------
# Default output format


def test_default_output_format_follows_the_terminal():
    tty, pipe = FakeStream(True), FakeStream(False)
    assert cli.default_output_format(tty) == ("full" if "full" in FORMATTERS else "text")
    assert cli.default_output_format(pipe) == ("concise" if "concise" in FORMATTERS else "text")


def test_piped_default_is_the_concise_format(tmp_path):
    write(tmp_path / "m.py", FLAGGED)
    default = run("m.py", *SELECT, cwd=tmp_path)
    fmt = "concise" if "concise" in FORMATTERS else "text"
    explicit = run("m.py", *SELECT, "--output-format", fmt, cwd=tmp_path)
    assert default.stdout == explicit.stdout
    assert default.stdout.startswith("m.py:2:26: KRS201 ")
    text = run("m.py", *SELECT, "--output-format", "text", cwd=tmp_path)
    assert text.returncode == 1 and text.stdout.startswith("m.py:2:26: KRS201 ")


# ---------------------------------------------------------------------------------------------
# rules --output-format json


def test_rules_json_includes_tool_codes():
    rules = json.loads(invoke("rules", "--output-format", "json", cwd=".").stdout)
    by_code = {r["code"]: r for r in rules}
    for code in ("KRS001", "KRS002", "KRS003", "KRS004", "KRS005"):
        assert by_code[code]["fix"] == "none"
        assert by_code[code]["name"]
        assert by_code[code]["family"] == "Tool diagnostics"
        assert set(by_code[code]) == set(by_code["KRS201"])
    assert [r["code"] for r in rules] == sorted(by_code)


def test_add_noqa_leaves_notebooks_alone_and_says_so(tmp_path):
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "source": FLAGGED.splitlines(keepends=True),
                   "outputs": [], "execution_count": None}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    write(tmp_path / "n.ipynb", json.dumps(notebook))
    before = read_bytes(tmp_path / "n.ipynb")
    proc = invoke("n.ipynb", *SELECT, "--add-noqa", cwd=tmp_path)
    assert proc.returncode == 1
    assert "n.ipynb" in proc.stderr and "notebooks" in proc.stderr
    assert read_bytes(tmp_path / "n.ipynb") == before


def test_help_mentions_the_new_options(tmp_path):
    out = invoke("check", "--help", cwd=tmp_path).stdout
    for option in ("--add-noqa", "--stdin-filename", "--show-settings", "--keras-version", "--files-only"):
        assert option in out
    assert "report" in invoke("--help", cwd=tmp_path).stdout
