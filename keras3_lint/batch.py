"""Checking many files: the one loop every front-end that takes paths goes through.

- Isolation: a bug while checking one file becomes an internal-error note for that file; the
  run goes on (in a worker process too).
- Project index (``project.py``): before any file is checked, every file's project facts are
  gathered (from its cache entry, or a cheap scan of its bytes), so each file is checked knowing
  what the others say. The index is active in this process and in the workers while they check.
- Cache (``cache.py``): files whose bytes, configuration, tool and consumed project facts are
  unchanged are not checked again. ``--fix``/``--diff`` runs read it but never write it.
- Parallelism: the files left to check go to a process pool when there is enough work to pay
  for it (see ``PARALLEL_MIN_BYTES``); ``jobs=1`` forces one process. Results always come back
  in the order of ``files``; a broken pool (a worker killed, no fork allowed) falls back to
  checking the remaining files in this process.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import threading
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .cache import Cache, StatKey, content_hash, stat_key, with_path
from .config import Settings
from .diagnostics import FileResult
from .project import FileFacts, ProjectIndex, scan_facts, set_active
from .runner import RunOptions, check_file

# Measured on the 2-core development machine with `scripts/benchmark.py --crossover` (random
# slices of tf-keras, no cache): starting a forked pool of 2 and shipping results back costs
# ~50-90 ms. With both cores free the whole corpus went 6.2 s -> 4.5 s (so the pool should pay
# from a few hundred kB; not measured idle), but with the second core shared by other work
# (load 4-5) the pool was slower at every slice up to 1.16 MB (13 % slower there:
# 1.45 s -> 1.64 s) and 21 % faster at 6.3 MB (12.1 s -> 10.1 s). 1 MB keeps small projects
# and every pre-commit call (a few files) in one process, where the pool cannot lose.
PARALLEL_MIN_BYTES = 1_000_000
# No worker is started for less than this much source.
MIN_BYTES_PER_WORKER = 500_000
# Work is handed out in chunks of at most this many bytes / files, largest files first, so
# the workers finish together without paying a round trip per small file.
CHUNK_BYTES = 48_000
CHUNK_FILES = 16


@dataclass
class BatchOutcome:
    results: List[FileResult] = field(default_factory=list)
    internal_errors: List[str] = field(default_factory=list)  # one message per failed file
    project: Optional[ProjectIndex] = None  # what the files said about each other (for --add-noqa)


@dataclass
class _Task:
    index: int
    path: str
    size: int
    digest: Optional[str] = None  # sha256 of the bytes, when the cache is on
    stat: Optional[StatKey] = None  # the file's stat when it was hashed
    facts: Optional[dict] = None  # the file's project facts (JSON), stored with its result


Outcome = Tuple[Optional[FileResult], Optional[str]]


def _check_isolated(path: str, settings: Settings, options: RunOptions) -> Outcome:
    try:
        return check_file(path, settings, options), None
    except Exception:  # a bug in a rule must not end the run
        return None, _internal_error(path)


def _internal_error(path: str) -> str:
    detail = traceback.format_exc() if os.environ.get("KERAS3_LINT_DEBUG") else ""
    return (
        f"internal error while checking {path}; please report it "
        f"(set KERAS3_LINT_DEBUG=1 for details){os.linesep if detail else ''}{detail}"
    )


def _check_task(
    task: _Task, settings: Settings, options: RunOptions, cache: Optional[Cache], project: Optional[ProjectIndex] = None
) -> Outcome:
    result, error = _check_isolated(task.path, settings, options)
    consumed = project.dependencies(task.path) if project is not None else {}
    if (
        cache is not None
        and result is not None
        and task.digest is not None
        and task.stat is not None
        and stat_key(task.path) == task.stat  # not changed since it was hashed
    ):
        extra = {"facts": task.facts or {}, "deps": consumed}
        if project is not None:
            extra["project"] = project.fingerprint()
        cache.put(task.path, task.digest, result, extra)
    return result, error


def _read(path: str, index: int, cache: Optional[Cache]) -> "Tuple[_Task, Optional[dict]]":
    """The task that checks ``path`` (its hash and facts filled in) and its cache entry if any."""
    before = stat_key(path) if cache is not None else None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:  # check_file reports it
        return _Task(index, path, 0), None
    task = _Task(index, path, len(data))
    entry = None
    if cache is not None:
        task.digest = content_hash(data)
        task.stat = before if before is not None and before[0] == len(data) else None
        entry = cache.entry(path, task.digest)
    if entry is not None and isinstance(entry.get("facts"), dict):
        task.facts = entry["facts"]
    else:
        task.facts = scan_facts(path, data).to_json()
    return task, entry


def _cached_result(
    task: _Task, entry: Optional[dict], project: ProjectIndex, options: RunOptions
) -> Optional[FileResult]:
    """The stored result, when nothing it depends on has changed."""
    if entry is None or entry.get("project") != project.fingerprint():
        return None
    if not project.still_valid(task.path, entry.get("deps") or {}):
        return None
    cached = Cache.diagnostics_of(entry, task.path)
    if cached is None:
        return None
    if options.fix or options.diff:
        # Only a file with nothing to fix can skip the fixer.
        if any(d.fix is not None and d.fix.edits and d.fix.applies(options.unsafe_fixes) for d in cached):
            return None
    return FileResult(path=task.path, diagnostics=with_path(cached, task.path))


def run_files(
    files: Sequence[str],
    settings: Settings,
    options: RunOptions,
    progress: Optional[Callable[[int, int], None]] = None,
    use_cache: bool = True,
    jobs: Optional[int] = None,
) -> BatchOutcome:
    """Check ``files``; results come back in the order of ``files``. ``progress(done, total)``
    is called after each file. ``use_cache=False`` neither reads nor writes the cache;
    ``jobs`` is the number of processes (None: automatic, 1: this process only)."""
    total = len(files)
    outcomes: List[Optional[Outcome]] = [None] * total
    counter = [0]

    def record(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        counter[0] += 1
        if progress is not None:
            progress(counter[0], total)

    cache = Cache(settings, options.enabled, writable=not (options.fix or options.diff)) if use_cache else None
    project = ProjectIndex(files, settings.root, settings.reproducible)
    read: List[Tuple[_Task, Optional[dict]]] = []
    for index, path in enumerate(files):
        task, entry = _read(path, index, cache)
        project.add_facts(path, FileFacts.from_json(task.facts or {}))
        if task.digest is not None:
            project.digests[os.path.abspath(path)] = task.digest
        read.append((task, entry))
    pending: List[_Task] = []
    for task, entry in read:
        hit = _cached_result(task, entry, project, options) if cache is not None else None
        if hit is not None:
            record(task.index, (hit, None))
        else:
            pending.append(task)

    previous = set_active(project)
    try:
        workers = _worker_count(pending, jobs)
        if workers > 1:
            pending = _run_parallel(pending, workers, settings, options, cache, record, project)
        for task in pending:
            record(task.index, _check_task(task, settings, options, cache, project))
    finally:
        set_active(previous)

    outcome = BatchOutcome(project=project)
    for item in outcomes:
        assert item is not None
        result, error = item
        if result is not None:
            outcome.results.append(result)
        if error is not None:
            outcome.internal_errors.append(error)
    return outcome


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _worker_count(pending: Sequence[_Task], jobs: Optional[int]) -> int:
    if len(pending) < 2 or jobs == 1:
        return 1
    if jobs is not None:
        return max(1, min(jobs, len(pending)))
    work = sum(task.size for task in pending)
    if work < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(available_cpus(), len(pending), math.ceil(work / MIN_BYTES_PER_WORKER)))


def _chunks(tasks: Sequence[_Task]) -> List[List[_Task]]:
    """Largest files first (so no worker is left with a big one at the end), in small chunks."""
    chunks: List[List[_Task]] = []
    current: List[_Task] = []
    size = 0
    for task in sorted(tasks, key=lambda t: -t.size):
        if current and (size + task.size > CHUNK_BYTES or len(current) >= CHUNK_FILES):
            chunks.append(current)
            current, size = [], 0
        current.append(task)
        size += task.size
    if current:
        chunks.append(current)
    return chunks


# --- the worker side -----------------------------------------------------------------------

_WORKER: Dict[str, object] = {}


def _init_worker(settings: Settings, options: RunOptions, cache: Optional[Cache], project: Optional[ProjectIndex]) -> None:
    _WORKER.update(settings=settings, options=options, cache=cache, project=project)
    set_active(project)


def _work(chunk: List[_Task]) -> List[Tuple[int, Outcome]]:
    settings, options, cache, project = _WORKER["settings"], _WORKER["options"], _WORKER["cache"], _WORKER["project"]
    out = []
    for task in chunk:
        out.append((task.index, _check_task(task, settings, options, cache, project)))  # type: ignore[arg-type]
    return out


def _pool_context():
    """``fork`` where it is safe (POSIX, no other thread alive): workers start in
    milliseconds with everything imported. Otherwise the platform's default."""
    if sys.platform != "win32" and sys.platform != "darwin" and threading.active_count() == 1:
        try:
            return multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover
            pass
    return multiprocessing.get_context()


def _run_parallel(
    pending: List[_Task],
    workers: int,
    settings: Settings,
    options: RunOptions,
    cache: Optional[Cache],
    record: Callable[[int, Outcome], None],
    project: Optional[ProjectIndex] = None,
) -> List[_Task]:
    """Check ``pending`` in a pool; return the tasks left for this process (all of them when
    the pool cannot start, the unfinished ones when it breaks)."""
    chunks = _chunks(pending)
    left: Dict[int, _Task] = {task.index: task for task in pending}
    try:
        executor = ProcessPoolExecutor(
            max_workers=min(workers, len(chunks)),
            mp_context=_pool_context(),
            initializer=_init_worker,
            initargs=(settings, options, cache, project),
        )
    except (OSError, ValueError, NotImplementedError, ImportError):
        return pending
    try:
        futures: Dict[Future, List[_Task]] = {executor.submit(_work, chunk): chunk for chunk in chunks}
        not_done = set(futures)
        while not_done:
            done, not_done = wait(not_done, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    items = future.result()
                except BrokenProcessPool:
                    raise
                except Exception:  # e.g. a result that cannot be pickled: redo the chunk here
                    continue
                for index, outcome in items:
                    if index in left:
                        del left[index]
                        record(index, outcome)
    except (BrokenProcessPool, OSError):
        # A worker died (killed, out of memory) or could not be started: the files it had not
        # finished are checked here, one by one, each still isolated.
        executor.shutdown(wait=False, cancel_futures=True)
        return sorted(left.values(), key=lambda t: t.index)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return sorted(left.values(), key=lambda t: t.index)
