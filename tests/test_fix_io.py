"""The fix invariants on real files through the CLI: bytes outside the edit are kept exactly
(encoding, BOM, line endings), permissions are kept, read-only files are left alone, and files
are replaced atomically."""

from __future__ import annotations

import os
import stat

import pytest

from cli_support import FIXABLE, FIXED, KNOWN, invoke, run as run_subprocess

# In-process for speed; one test below goes through a real subprocess.
run = invoke

import keras3_lint.source as source
from keras3_lint.config import Settings
from keras3_lint.runner import RunOptions, check_file

FLAGGED_CALL = f"keras.Sequential([{KNOWN}])".encode()
FIXED_CALL = b"keras.Sequential([keras.Input(batch_shape=(1, 2, 3)), keras.layers.LSTM(4)])"
SELECT = ("--select", "KRS201")


def put(path, data: bytes) -> str:
    path = str(path)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def get(path) -> bytes:
    with open(str(path), "rb") as handle:
        return handle.read()


def fix(tmp_path, name, *extra):
    proc = run(name, *SELECT, "--fix", *extra, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 fixed" in proc.stdout
    return proc


def assert_fixed_in_place(tmp_path, original: bytes, name: str = "m.py"):
    """--fix changes exactly the flagged call; a second --fix changes nothing; nothing is left
    behind in the folder."""
    assert original.count(FLAGGED_CALL) == 1
    expected = original.replace(FLAGGED_CALL, FIXED_CALL)
    fix(tmp_path, name)
    assert get(tmp_path / name) == expected
    second = run(name, *SELECT, "--fix", cwd=tmp_path)
    assert second.returncode == 0 and "fixed" not in second.stdout
    assert get(tmp_path / name) == expected
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp") or n.startswith(".keras3-lint")]


def test_plain_utf8(tmp_path):
    put(tmp_path / "m.py", FIXABLE.encode())
    assert_fixed_in_place(tmp_path, FIXABLE.encode())
    assert get(tmp_path / "m.py") == FIXED.encode()


def test_utf8_non_ascii_without_cookie(tmp_path):
    original = f"import keras\n# naïve ünïcödé — 模型\nm = keras.Sequential([{KNOWN}])  # ✓\n".encode("utf-8")
    put(tmp_path / "m.py", original)
    assert_fixed_in_place(tmp_path, original)


def test_latin1_coding_cookie(tmp_path):
    text = f"# -*- coding: latin-1 -*-\nimport keras\n# café, señor\nm = keras.Sequential([{KNOWN}])  # été\n"
    original = text.encode("latin-1")
    assert b"\xe9" in original
    put(tmp_path / "m.py", original)
    assert_fixed_in_place(tmp_path, original)
    assert b"caf\xe9" in get(tmp_path / "m.py")  # still latin-1, not UTF-8


def test_utf8_bom(tmp_path):
    original = b"\xef\xbb\xbf" + f"import keras\n# é\nm = keras.Sequential([{KNOWN}])\n".encode()
    put(tmp_path / "m.py", original)
    assert_fixed_in_place(tmp_path, original)
    assert get(tmp_path / "m.py").startswith(b"\xef\xbb\xbfimport keras")


def test_crlf(tmp_path):
    original = FIXABLE.replace("\n", "\r\n").encode()
    put(tmp_path / "m.py", original)
    assert_fixed_in_place(tmp_path, original)
    # and through a real process too (stdout/stdin newline translation must not leak in)
    put(tmp_path / "n.py", original)
    assert run_subprocess("n.py", *SELECT, "--fix", cwd=tmp_path).returncode == 0
    assert get(tmp_path / "n.py") == FIXED.replace("\n", "\r\n").encode()
    assert get(tmp_path / "m.py") == FIXED.replace("\n", "\r\n").encode()


def test_mixed_line_endings(tmp_path):
    original = (
        b"import keras\r\n"
        b"a = 1\n"
        b"b = 2\r\n"
        b"m = " + FLAGGED_CALL + b"\n"
        b"c = 3\r\n"
        b"d = 4\n"
        b"e = 5"  # no newline at the end of the file
    )
    put(tmp_path / "m.py", original)
    assert_fixed_in_place(tmp_path, original)


def test_crlf_fix_that_inserts_a_line(tmp_path):
    """A fix that adds a line writes it with the file's own line ending."""
    original = (
        "import keras\r\n"
        "m = keras.Sequential()\r\n"
        f"m.add({KNOWN})\r\n"
        "m.add(keras.layers.Dense(1))\r\n"
    ).encode()
    put(tmp_path / "m.py", original)
    fix(tmp_path, "m.py")
    result = get(tmp_path / "m.py")
    assert result == (
        "import keras\r\n"
        "m = keras.Sequential()\r\n"
        "m.add(keras.Input(batch_shape=(1, 2, 3)))\r\n"
        "m.add(keras.layers.LSTM(4))\r\n"
        "m.add(keras.layers.Dense(1))\r\n"
    ).encode()


def test_crlf_fix_that_adds_an_import(tmp_path):
    original = (
        "from keras.layers import LSTM\r\n"
        "from keras import Sequential\r\n"
        "\r\n"
        "m = Sequential([LSTM(4, batch_input_shape=(1, 2, 3))])\r\n"
    ).encode()
    put(tmp_path / "m.py", original)
    fix(tmp_path, "m.py")
    result = get(tmp_path / "m.py")
    assert b"\n" not in result.replace(b"\r\n", b"")  # every line ending is still CRLF
    assert b"from keras import Input\r\n" in result
    assert b"m = Sequential([Input(batch_shape=(1, 2, 3)), LSTM(4)])\r\n" in result


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_permissions_kept(tmp_path, mode):
    path = put(tmp_path / "m.py", FIXABLE.encode())
    os.chmod(path, mode)
    fix(tmp_path, "m.py")
    assert get(path) == FIXED.encode()
    assert stat.S_IMODE(os.stat(path).st_mode) == mode


def test_read_only_file_is_not_written(tmp_path):
    path = put(tmp_path / "m.py", FIXABLE.encode())
    os.chmod(path, 0o444)
    try:
        before = os.stat(path)
        proc = run("m.py", *SELECT, "--fix", cwd=tmp_path)
        assert get(path) == FIXABLE.encode()
        assert os.stat(path).st_ino == before.st_ino  # not replaced either
        assert "m.py" in proc.stderr and "not writable" in proc.stderr
        assert proc.returncode == 1  # the finding is still there
        assert "m.py:2:" in proc.stdout and "KRS201" in proc.stdout
        assert "fixed" not in proc.stdout
        assert os.listdir(tmp_path) == ["m.py"]
    finally:
        os.chmod(path, 0o644)


def test_symlink_is_written_through(tmp_path):
    os.makedirs(tmp_path / "real")
    target = put(tmp_path / "real" / "m.py", FIXABLE.encode())
    try:
        os.symlink(os.path.join("real", "m.py"), str(tmp_path / "link.py"))
    except (OSError, NotImplementedError):
        pytest.skip("cannot create symlinks here")
    fix(tmp_path, "link.py")
    assert os.path.islink(tmp_path / "link.py")
    assert get(target) == FIXED.encode()


def test_atomic_write_leaves_no_temp_files(tmp_path):
    for name in ("a.py", "b.py", "c.py"):
        put(tmp_path / name, FIXABLE.encode())
    proc = run_subprocess(".", *SELECT, "--fix", cwd=tmp_path)
    assert proc.returncode == 0
    assert "3 fixed" in proc.stdout
    assert sorted(os.listdir(tmp_path)) == ["a.py", "b.py", "c.py"]
    for name in ("a.py", "b.py", "c.py"):
        assert get(tmp_path / name) == FIXED.encode()


def test_failed_write_keeps_the_original_and_cleans_up(tmp_path, monkeypatch):
    """If the rename fails, the original is intact, the temp file is gone, and the run says so."""
    path = put(tmp_path / "m.py", FIXABLE.encode())

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(source.os, "replace", broken_replace)
    result = check_file(path, Settings(root=str(tmp_path)), RunOptions(enabled=frozenset({"KRS201"}), fix=True))
    assert get(path) == FIXABLE.encode()
    assert os.listdir(tmp_path) == ["m.py"]
    assert result.fixed_count == 0
    assert any("could not write" in m and "No space left" in m for m in result.messages)
    assert [d.code for d in result.diagnostics] == ["KRS201"]


def test_write_atomic_replaces_in_one_step(tmp_path, monkeypatch):
    """The new content goes to a sibling temp file first, which is then renamed over the file."""
    path = put(tmp_path / "m.py", b"old\n")
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((os.path.dirname(os.path.abspath(src)), get(src), get(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(source.os, "replace", spy)
    source.write_atomic(path, b"new\n")
    assert calls == [(str(tmp_path), b"new\n", b"old\n")]
    assert get(path) == b"new\n"
    assert os.listdir(tmp_path) == ["m.py"]


def test_diff_does_not_touch_the_file(tmp_path):
    original = FIXABLE.replace("\n", "\r\n").encode()
    path = put(tmp_path / "m.py", original)
    before = os.stat(path)
    proc = run("m.py", *SELECT, "--diff", cwd=tmp_path)
    assert proc.returncode == 1
    assert get(path) == original
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert os.listdir(tmp_path) == ["m.py"]
