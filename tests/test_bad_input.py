"""Bad input gives one clear diagnostic or message for that file, and the run goes on: a good
file checked in the same run is still reported. No traceback ever (``run`` asserts it)."""

from __future__ import annotations

import json
import os

import pytest

from cli_support import FLAGGED, FLAGGED_AT, run, write

GOOD = ("good.py", FLAGGED_AT[0], FLAGGED_AT[1], "KRS201")


def write_bytes(path, data: bytes) -> str:
    path = str(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def check(tmp_path, *paths):
    """Run on the paths plus good.py (which has one KRS201) and return (proc, findings)."""
    write(tmp_path / "good.py", FLAGGED)
    proc = run(*paths, "good.py", "--select", "KRS201", "--output-format", "json", cwd=tmp_path)
    findings = json.loads(proc.stdout)
    found = [(f["filename"], f["location"]["row"], f["location"]["column"], f["code"]) for f in findings]
    assert GOOD in found, "the good file must still be reported"
    return proc, [f for f in findings if f["filename"] != "good.py"]


def test_syntax_error(tmp_path):
    write(tmp_path / "broken.py", 'import keras\nprint "hello"\n')
    proc, findings = check(tmp_path, "broken.py")
    assert proc.returncode == 1
    assert len(findings) == 1
    [finding] = findings
    assert finding["code"] == "KRS001"
    assert finding["location"]["row"] == 2
    assert "SyntaxError" in finding["message"]


def test_syntax_error_text_output(tmp_path):
    write(tmp_path / "broken.py", 'import keras\nprint "hello"\n')
    proc = run("broken.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("broken.py:2:")
    assert " KRS001 " in proc.stdout


@pytest.mark.parametrize(
    "source, row",
    [
        ('import keras\nprint "hello"\nx = 1\n', 2),
        ("import keras\nx = = 1\ny = 2\n", 2),
        ("import keras\n\ndef f(:\n    pass\n", 3),
    ],
    ids=["print-statement-then-more", "double-equals", "bad-parameter-list"],
)
def test_syntax_error_line_matches_python(tmp_path, source, row):
    write(tmp_path / "broken.py", source)
    with pytest.raises(SyntaxError) as python_error:
        compile(source, "broken.py", "exec")
    assert python_error.value.lineno == row
    proc, [finding] = check(tmp_path, "broken.py")
    assert finding["location"]["row"] == row


def test_undecodable_bytes(tmp_path):
    write_bytes(tmp_path / "latin.py", b"import keras\nname = '\xe9t\xe9'\n")  # latin-1, no cookie
    proc, findings = check(tmp_path, "latin.py")
    assert proc.returncode == 1
    assert [(f["code"], f["location"]["row"]) for f in findings] == [("KRS002", 1)]
    assert "decode" in findings[0]["message"].lower()


def test_bad_coding_cookie(tmp_path):
    write_bytes(tmp_path / "cookie.py", b"# -*- coding: no-such-codec -*-\nimport keras\n")
    proc, findings = check(tmp_path, "cookie.py")
    assert [f["code"] for f in findings] == ["KRS002"]
    assert "no-such-codec" in findings[0]["message"]


def test_nul_bytes(tmp_path):
    write_bytes(tmp_path / "nul.py", b"import keras\nx = 1\x00\x00\n")
    proc, findings = check(tmp_path, "nul.py")
    assert [f["code"] for f in findings] == ["KRS002"]
    assert "NUL" in findings[0]["message"]


def test_empty_file(tmp_path):
    write(tmp_path / "empty.py", "")
    proc, findings = check(tmp_path, "empty.py")
    assert findings == []
    assert proc.returncode == 1  # the good file's finding
    alone = run("empty.py", cwd=tmp_path)
    assert alone.returncode == 0
    assert "KRS" not in alone.stdout


def test_missing_path(tmp_path):
    proc, findings = check(tmp_path, "does_not_exist.py")
    assert [(f["filename"], f["code"]) for f in findings] == [("does_not_exist.py", "KRS003")]
    alone = run("does_not_exist.py", cwd=tmp_path)
    assert alone.returncode == 1
    assert alone.stdout.startswith("does_not_exist.py:1:1: KRS003 ")


def test_broken_symlink(tmp_path):
    try:
        os.symlink(str(tmp_path / "gone.py"), str(tmp_path / "link.py"))
    except (OSError, NotImplementedError):
        pytest.skip("cannot create symlinks here")
    proc, findings = check(tmp_path, "link.py")
    assert [(f["filename"], f["code"]) for f in findings] == [("link.py", "KRS003")]


def test_folder_without_python(tmp_path):
    write(tmp_path / "docs" / "readme.txt", "hello\n")
    proc, findings = check(tmp_path, "docs")
    assert findings == []
    assert "warning" in proc.stderr and "docs" in proc.stderr
    alone = run("docs", cwd=tmp_path)
    assert alone.returncode == 0
    assert "no Python files" in alone.stderr


def test_unreadable_file(tmp_path):
    path = write(tmp_path / "secret.py", FLAGGED)
    os.chmod(path, 0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read a chmod 000 file")
        proc, findings = check(tmp_path, "secret.py")
        assert [(f["filename"], f["code"]) for f in findings] == [("secret.py", "KRS003")]
        assert "read" in findings[0]["message"].lower()
    finally:
        os.chmod(path, 0o644)


def test_directory_named_like_a_python_file(tmp_path):
    os.makedirs(tmp_path / "x.py")
    proc, findings = check(tmp_path, "x.py")
    assert findings == []
    assert "x.py" in proc.stderr  # "no Python files found under x.py"
    # Inside a walked folder it is simply a folder.
    write(tmp_path / "pkg" / "odd.py" / "inner.py", FLAGGED)
    write(tmp_path / "pkg" / "m.py", FLAGGED)
    proc = run("pkg", "--select", "KRS201", "--output-format", "json", cwd=tmp_path)
    files = sorted(f["filename"].replace(os.sep, "/") for f in json.loads(proc.stdout))
    assert files == ["pkg/m.py", "pkg/odd.py/inner.py"]


def test_many_bad_files_in_one_walk(tmp_path):
    """All of them at once, found by walking a folder: one diagnostic each, the rest checked."""
    write(tmp_path / "src" / "broken.py", 'import keras\nprint "x"\n')
    write_bytes(tmp_path / "src" / "latin.py", b"import keras\ns = '\xe9'\n")
    write_bytes(tmp_path / "src" / "cookie.py", b"# coding: nope\nimport keras\n")
    write_bytes(tmp_path / "src" / "nul.py", b"import keras\x00\n")
    write(tmp_path / "src" / "empty.py", "")
    write(tmp_path / "src" / "z_good.py", FLAGGED)
    proc = run("src", "--select", "KRS201", "--output-format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    found = sorted((os.path.basename(f["filename"]), f["code"]) for f in json.loads(proc.stdout))
    assert found == [
        ("broken.py", "KRS001"),
        ("cookie.py", "KRS002"),
        ("latin.py", "KRS002"),
        ("nul.py", "KRS002"),
        ("z_good.py", "KRS201"),
    ]
    assert proc.stderr == ""


def test_unreadable_file_in_process(tmp_path, monkeypatch):
    """The same path as test_unreadable_file, runnable as root: open() is refused."""
    import builtins

    import keras3_lint.runner as runner
    from keras3_lint.config import Settings

    secret = write(tmp_path / "secret.py", FLAGGED)
    real_open = builtins.open

    def refusing_open(path, *args, **kwargs):
        if str(path) == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(runner, "open", refusing_open, raising=False)
    result = runner.check_file(secret, Settings(root=str(tmp_path)), runner.RunOptions(enabled=frozenset({"KRS201"})))
    assert [(d.code, d.row, d.path) for d in result.diagnostics] == [("KRS003", 1, secret)]
    assert "Permission denied" in result.diagnostics[0].message
