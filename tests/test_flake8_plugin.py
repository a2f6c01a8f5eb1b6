"""The flake8 plugin runs the CLI's core: same findings, same positions, same suppressions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from fixture_support import FIXTURES

pytestmark = pytest.mark.skipif(shutil.which("flake8") is None and not os.path.exists(os.path.join(os.path.dirname(sys.executable), "flake8")), reason="flake8 is not installed")


def _flake8(args, cwd):
    return subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True)


def _cli(args, cwd):
    return subprocess.run([sys.executable, "-m", "keras3_lint", *args], cwd=cwd, capture_output=True, text=True)


def _rows(output):
    rows = []
    for line in output.splitlines():
        if ": KRS" not in line:
            continue
        location, _, rest = line.partition(": ")
        path, row, col = location.rsplit(":", 2)
        rows.append((os.path.normpath(path), int(row), int(col), rest))
    return sorted(rows)


def _copy_flagged_fixtures(tmp_path):
    names = []
    for code in sorted(os.listdir(FIXTURES)):
        source = os.path.join(FIXTURES, code, "flagged.py")
        if os.path.exists(source):
            target = tmp_path / f"{code.lower()}_flagged.py"
            shutil.copy(source, target)
            names.append(target.name)
    return names


def test_identical_findings_and_positions_to_the_cli(tmp_path):
    # flake8 sees one file at a time, so the CLI checks one file at a time too: run over
    # several files, the CLI also uses what the other files say (the project index; see
    # tests/test_project_index.py for where the two differ on purpose).
    from cli_support import invoke

    names = _copy_flagged_fixtures(tmp_path)
    assert names
    flake8 = _flake8(["--select", "KRS", "--max-line-length", "1000", *names], tmp_path)
    cli_rows = []
    for name in names:
        cli = invoke("--output-format", "text", "--no-cache", name, cwd=tmp_path)
        assert cli.returncode in (0, 1), (name, cli.stderr)
        cli_rows.extend(_rows(cli.stdout))
    assert flake8.returncode == 1, flake8.stderr
    assert "Traceback" not in flake8.stderr
    assert _rows(flake8.stdout) == sorted(cli_rows)
    assert len(cli_rows) >= len(names)


def test_noqa_and_per_file_ignores(tmp_path):
    source = (
        "import tensorflow as tf\n"
        "a = tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))\n"
        "b = tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))  # noqa: KRS201\n"
        "c = tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))  # noqa\n"
    )
    (tmp_path / "m.py").write_text(source)
    (tmp_path / "skip.py").write_text(source)
    result = _flake8(["--select", "KRS", "--per-file-ignores", "skip.py:KRS201", "m.py", "skip.py"], tmp_path)
    rows = _rows(result.stdout)
    assert [(r[0], r[1], r[2]) for r in rows] == [("m.py", 2, 29)]
    assert _rows(_cli(["m.py"], tmp_path).stdout) == rows


def test_plugin_never_raises_on_bad_input(tmp_path):
    (tmp_path / "broken.py").write_text("import keras\ndef f(:\n")
    (tmp_path / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nimport keras\ns = '\xe9'\n")
    result = _flake8(["--select", "KRS,E999", "broken.py", "latin.py"], tmp_path)
    assert "Traceback" not in result.stderr
    assert "broken.py" in result.stdout  # flake8's own E999 or our KRS001
