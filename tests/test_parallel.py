"""The process pool: same results as one process, in input order; a failing file is isolated;
a broken pool falls back to serial; small runs never start a pool."""

from __future__ import annotations

import os

import pytest

from cli_support import CLEAN, FIXABLE, FLAGGED, write

import keras3_lint.batch as batch
from keras3_lint.batch import PARALLEL_MIN_BYTES, _worker_count, _Task, run_files
from keras3_lint.config import Settings
from keras3_lint.registry import all_codes
from keras3_lint.runner import RunOptions, enabled_for


def corpus(tmp_path, count=30):
    paths = []
    for i in range(count):
        # sizes differ, so the pool's largest-first schedule differs from the input order
        padding = "\n".join(f"y{j} = {j}" for j in range((i * 37) % 200))
        text = (FLAGGED if i % 3 == 0 else FIXABLE if i % 3 == 1 else CLEAN) + padding + "\n"
        paths.append(str(write(tmp_path / f"m{i:02d}.py", text)))
    return paths


def opts(settings, **kw):
    return RunOptions(enabled=enabled_for(settings, all_codes()), **kw)


def flat(outcome):
    return [(r.path, r.diagnostics) for r in outcome.results], outcome.internal_errors


def test_parallel_equals_serial_in_input_order(tmp_path):
    files = corpus(tmp_path)
    files = files[::-1][:10] + files[10:]  # not sorted
    settings = Settings(root=str(tmp_path))
    serial = run_files(files, settings, opts(settings), use_cache=False, jobs=1)
    parallel = run_files(files, settings, opts(settings), use_cache=False, jobs=2)
    assert [r.path for r in parallel.results] == files
    assert flat(parallel) == flat(serial)


def test_progress_counts_every_file(tmp_path):
    files = corpus(tmp_path, 12)
    settings = Settings(root=str(tmp_path))
    seen = []
    run_files(files, settings, opts(settings), use_cache=False, jobs=2, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(i, 12) for i in range(1, 13)]


def test_exception_in_a_worker_is_that_files_internal_error(tmp_path, monkeypatch):
    files = corpus(tmp_path, 10)
    bad = files[4]
    real = batch.check_file

    def flaky(path, settings, options):
        if path == bad:
            raise RuntimeError("a bug in a rule")
        return real(path, settings, options)

    monkeypatch.setattr(batch, "check_file", flaky)  # inherited by the forked workers
    settings = Settings(root=str(tmp_path))
    outcome = run_files(files, settings, opts(settings), use_cache=False, jobs=2)
    assert [r.path for r in outcome.results] == [f for f in files if f != bad]
    assert len(outcome.internal_errors) == 1
    assert bad in outcome.internal_errors[0] and "internal error" in outcome.internal_errors[0]


@pytest.mark.skipif(os.name != "posix", reason="needs fork")
def test_broken_pool_falls_back_to_serial(tmp_path, monkeypatch):
    files = corpus(tmp_path, 10)
    parent = os.getpid()
    real = batch.check_file

    def dying(path, settings, options):
        if os.getpid() != parent and path == files[3]:
            os._exit(3)  # a worker killed mid-run (OOM killer, segfault)
        return real(path, settings, options)

    monkeypatch.setattr(batch, "check_file", dying)
    monkeypatch.setattr(batch, "_pool_context", lambda: __import__("multiprocessing").get_context("fork"))
    settings = Settings(root=str(tmp_path))
    outcome = run_files(files, settings, opts(settings), use_cache=False, jobs=2)
    reference = run_files(files, settings, opts(settings), use_cache=False, jobs=1)
    assert flat(outcome) == flat(reference)


def test_pool_that_cannot_start_falls_back_to_serial(tmp_path, monkeypatch):
    files = corpus(tmp_path, 6)

    def no_pool(*args, **kwargs):
        raise OSError(38, "Function not implemented")  # e.g. no /dev/shm semaphores

    monkeypatch.setattr(batch, "ProcessPoolExecutor", no_pool)
    settings = Settings(root=str(tmp_path))
    outcome = run_files(files, settings, opts(settings), use_cache=False, jobs=2)
    assert flat(outcome) == flat(run_files(files, settings, opts(settings), use_cache=False, jobs=1))


def test_small_runs_stay_in_one_process(tmp_path, monkeypatch):
    files = corpus(tmp_path, 5)  # pre-commit passes a few files at a time

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a small run")

    monkeypatch.setattr(batch, "ProcessPoolExecutor", no_pool)
    settings = Settings(root=str(tmp_path))
    outcome = run_files(files, settings, opts(settings), use_cache=False)
    assert len(outcome.results) == 5
    run_files(files, settings, opts(settings), use_cache=False, jobs=1)


def test_worker_count():
    def tasks(n, size):
        return [_Task(i, f"f{i}.py", size) for i in range(n)]

    assert _worker_count(tasks(1, 10**7), None) == 1
    assert _worker_count(tasks(100, 10**7), 1) == 1
    assert _worker_count(tasks(3, 10), 8) == 3
    assert _worker_count(tasks(4, PARALLEL_MIN_BYTES // 8), None) == 1
    assert _worker_count(tasks(100, 10**5), None) == min(batch.available_cpus(), 100)


def test_fix_in_parallel(tmp_path):
    files = corpus(tmp_path, 12)
    settings = Settings(root=str(tmp_path))
    outcome = run_files(files, settings, opts(settings, fix=True), use_cache=False, jobs=2)
    assert sum(r.fixed_count for r in outcome.results) == 4
    again = run_files(files, settings, opts(settings, fix=True), use_cache=False, jobs=2)
    assert sum(r.fixed_count for r in again.results) == 0
