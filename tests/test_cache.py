"""The result cache: hits give identical diagnostics; content, configuration and tool changes
invalidate; --no-cache neither reads nor writes; fix runs never write; corrupt entries are misses."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cli_support import FIXABLE, FIXED, FLAGGED, ROOT, run, write

import keras3_lint.batch as batch
import keras3_lint.cache as cache_module
from keras3_lint.batch import run_files
from keras3_lint.cache import CACHE_DIR, Cache
from keras3_lint.config import Settings
from keras3_lint.registry import all_codes
from keras3_lint.runner import RunOptions, enabled_for

SOURCES = {
    "flagged.py": FLAGGED,
    "fixable.py": FIXABLE,
    "broken.py": 'import keras\nprint "x"\n',
    "plain.py": "x = 1\n",
    "crlf.py": FIXABLE.replace("\n", "\r\n"),
    "unicode.py": "import keras\n# é ü 漢字\nm = keras.Sequential([keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))])\n",
}


def make(tmp_path, sources=SOURCES):
    paths = []
    for name, text in sources.items():
        paths.append(write(tmp_path / name, text))
    return [str(p) for p in paths]


def options(settings, **kw):
    return RunOptions(enabled=enabled_for(settings, all_codes()), **kw)


def flat(outcome):
    return [(r.path, r.diagnostics, r.messages) for r in outcome.results], outcome.internal_errors


def entries(tmp_path):
    out = []
    for directory, _, names in os.walk(tmp_path / CACHE_DIR):
        out.extend(os.path.join(directory, n) for n in names if n.endswith(".json"))
    return out


def refuse_checks(monkeypatch):
    def refusing(path, settings, options):
        raise AssertionError(f"{path} was checked again")

    monkeypatch.setattr(batch, "check_file", refusing)


def test_hit_gives_identical_diagnostics_and_checks_nothing(tmp_path, monkeypatch):
    files = make(tmp_path)
    settings = Settings(root=str(tmp_path))
    cold = run_files(files, settings, options(settings), jobs=1)
    reference = run_files(files, settings, options(settings), use_cache=False, jobs=1)
    assert flat(cold) == flat(reference)
    assert any(d.fix is not None for r in cold.results for d in r.diagnostics)
    assert len(entries(tmp_path)) == len(files)
    refuse_checks(monkeypatch)
    warm = run_files(files, settings, options(settings), jobs=1)
    assert flat(warm) == flat(reference)
    assert not warm.internal_errors


def test_folder_ignores_itself_in_git(tmp_path):
    files = make(tmp_path)
    settings = Settings(root=str(tmp_path))
    run_files(files, settings, options(settings), jobs=1)
    with open(tmp_path / CACHE_DIR / ".gitignore", encoding="utf-8") as handle:
        assert "*" in handle.read().split()
    leftovers = [n for _, _, names in os.walk(tmp_path) for n in names if n.endswith((".part", ".tmp"))]
    assert leftovers == []


def test_changed_content_is_checked_again(tmp_path):
    (path,) = make(tmp_path, {"m.py": FLAGGED})
    settings = Settings(root=str(tmp_path))
    first = run_files([path], settings, options(settings), jobs=1)
    assert [d.code for d in first.results[0].diagnostics] == ["KRS201"]
    write(tmp_path / "m.py", "import keras\nx = keras.layers.LSTM(4)\n")
    second = run_files([path], settings, options(settings), jobs=1)
    assert second.results[0].diagnostics == []


def test_configuration_is_part_of_the_key(tmp_path, monkeypatch):
    (path,) = make(tmp_path, {"m.py": FLAGGED})
    settings = Settings(root=str(tmp_path))
    run_files([path], settings, options(settings), jobs=1)
    ignoring = RunOptions(enabled=frozenset(enabled_for(settings, all_codes())) - {"KRS201"})
    assert run_files([path], settings, ignoring, jobs=1).results[0].diagnostics == []
    per_file = Settings(root=str(tmp_path), per_file_ignores=(("m.py", ("KRS201",)),))
    assert run_files([path], per_file, options(per_file), jobs=1).results[0].diagnostics == []
    jax = Settings(root=str(tmp_path), backends=("jax",))
    assert Cache(jax, frozenset()).config != Cache(settings, frozenset()).config
    # and the original configuration still hits
    refuse_checks(monkeypatch)
    assert [d.code for d in run_files([path], settings, options(settings), jobs=1).results[0].diagnostics] == ["KRS201"]


def test_tool_version_is_part_of_the_key(tmp_path, monkeypatch):
    (path,) = make(tmp_path, {"m.py": FLAGGED})
    settings = Settings(root=str(tmp_path))
    run_files([path], settings, options(settings), jobs=1)
    monkeypatch.setattr(cache_module, "tool_fingerprint", lambda: "0.0.0-edited-rule")
    calls = []
    real = batch.check_file
    monkeypatch.setattr(batch, "check_file", lambda *a: calls.append(a[0]) or real(*a))
    run_files([path], settings, options(settings), jobs=1)
    assert calls == [path]


def test_fingerprint_covers_the_rule_sources():
    fingerprint = cache_module.tool_fingerprint()
    assert fingerprint.startswith(cache_module.__version__ + "-")
    assert fingerprint == cache_module.tool_fingerprint()


def test_no_cache_neither_reads_nor_writes(tmp_path, monkeypatch):
    (path,) = make(tmp_path, {"m.py": FLAGGED})
    settings = Settings(root=str(tmp_path))
    run_files([path], settings, options(settings), use_cache=False, jobs=1)
    assert not os.path.exists(tmp_path / CACHE_DIR)
    run_files([path], settings, options(settings), jobs=1)
    (entry,) = entries(tmp_path)
    with open(entry, encoding="utf-8") as handle:
        data = json.load(handle)
    data["diagnostics"] = []  # a poisoned entry: only a reader would believe it
    with open(entry, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    assert run_files([path], settings, options(settings), jobs=1).results[0].diagnostics == []
    fresh = run_files([path], settings, options(settings), use_cache=False, jobs=1)
    assert [d.code for d in fresh.results[0].diagnostics] == ["KRS201"]


@pytest.mark.parametrize("garbage", [b"", b"{", b"\x00\xff", b"[]", b'{"content": 1}', b'{"content": "x", "diagnostics": [{}]}'])
def test_corrupt_entries_are_misses(tmp_path, garbage):
    files = make(tmp_path)
    settings = Settings(root=str(tmp_path))
    reference = run_files(files, settings, options(settings), use_cache=False, jobs=1)
    run_files(files, settings, options(settings), jobs=1)
    for entry in entries(tmp_path):
        with open(entry, "rb") as handle:
            data = handle.read()
        with open(entry, "wb") as handle:
            handle.write(garbage if garbage != b'{"content": "x", "diagnostics": [{}]}' else data.replace(b'"diagnostics":[', b'"diagnostics":[{},'))
    assert flat(run_files(files, settings, options(settings), jobs=1)) == flat(reference)
    assert flat(run_files(files, settings, options(settings), jobs=1)) == flat(reference)  # rewritten


def test_unwritable_cache_folder_is_silent(tmp_path):
    (path,) = make(tmp_path, {"m.py": FLAGGED})
    write(tmp_path / CACHE_DIR, "not a folder\n")  # a file where the folder should be
    settings = Settings(root=str(tmp_path))
    outcome = run_files([path], settings, options(settings), jobs=1)
    assert [d.code for d in outcome.results[0].diagnostics] == ["KRS201"] and not outcome.internal_errors


def test_fix_runs_never_write_the_cache(tmp_path):
    (path,) = make(tmp_path, {"m.py": FIXABLE})
    settings = Settings(root=str(tmp_path))
    outcome = run_files([path], settings, options(settings, fix=True), jobs=1)
    assert outcome.results[0].fixed_count == 1
    assert not os.path.exists(tmp_path / CACHE_DIR)
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read() == FIXED


def test_fix_run_after_check_still_fixes(tmp_path):
    (path,) = make(tmp_path, {"m.py": FIXABLE})
    settings = Settings(root=str(tmp_path))
    run_files([path], settings, options(settings), jobs=1)  # cache: a fixable finding
    outcome = run_files([path], settings, options(settings, fix=True), jobs=1)
    assert outcome.results[0].fixed_count == 1
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read() == FIXED
    # the fixed content is not in the cache; the next check checks it and finds nothing
    assert run_files([path], settings, options(settings), jobs=1).results[0].diagnostics == []


def test_fix_run_skips_files_with_nothing_to_fix(tmp_path, monkeypatch):
    files = make(tmp_path, {"clean.py": "import keras\nx = keras.layers.LSTM(4)\n", "flagged.py": FLAGGED})
    settings = Settings(root=str(tmp_path))
    reference = run_files(files, settings, options(settings), jobs=1)
    refuse_checks(monkeypatch)
    outcome = run_files(files, settings, options(settings, fix=True), jobs=1)
    assert flat(outcome) == flat(reference)


def test_cli_second_run_is_identical(tmp_path):
    make(tmp_path)
    first = run(".", "--output-format", "json", cwd=tmp_path)
    assert os.path.isdir(tmp_path / CACHE_DIR)
    second = run(".", "--output-format", "json", cwd=tmp_path)
    uncached = run(".", "--output-format", "json", "--no-cache", cwd=tmp_path)
    assert json.loads(first.stdout) == json.loads(second.stdout) == json.loads(uncached.stdout)
    assert first.returncode == second.returncode == uncached.returncode == 1


def test_cli_no_cache_creates_nothing(tmp_path):
    make(tmp_path, {"m.py": FLAGGED})
    run("m.py", "--no-cache", cwd=tmp_path)
    assert os.listdir(tmp_path) == ["m.py"]


def test_two_runs_share_the_folder(tmp_path):
    """Two processes writing the same entries at once: both right, nothing half-written."""
    files = make(tmp_path, {f"m{i}.py": FLAGGED if i % 2 else FIXABLE for i in range(40)})
    code = (
        "import sys, json\n"
        "from keras3_lint.batch import run_files\n"
        "from keras3_lint.config import Settings\n"
        "from keras3_lint.registry import all_codes\n"
        "from keras3_lint.runner import RunOptions, enabled_for\n"
        "s = Settings(root=sys.argv[1])\n"
        "o = run_files(sys.argv[2:], s, RunOptions(enabled=enabled_for(s, all_codes())), jobs=1)\n"
        "print(json.dumps([[d.code, d.row, d.column] for r in o.results for d in r.diagnostics]))\n"
    )
    env = dict(os.environ, PYTHONPATH=ROOT)
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path), *files], stdout=subprocess.PIPE, env=env, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    settings = Settings(root=str(tmp_path))
    reference = run_files(files, settings, options(settings), use_cache=False, jobs=1)
    expected = [[d.code, d.row, d.column] for r in reference.results for d in r.diagnostics]
    assert [json.loads(o) for o in outputs] == [expected, expected]
    assert flat(run_files(files, settings, options(settings), jobs=1)) == flat(reference)
    assert not [n for _, _, names in os.walk(tmp_path) for n in names if n.endswith(".part")]
