"""The result cache: ``.keras3_lint_cache/`` at the project root (``settings.root``).

One small JSON file per checked path holds the SHA-256 of the file's bytes and the diagnostics
(with their fixes) that checking those bytes gave. An entry is used only when

- the file's bytes hash to the stored value (the content is the key, not the mtime),
- the configuration is the same: every ``Settings`` field, the enabled codes and the codes that
  ``per-file-ignores`` switch off for this path (they are part of the entry's name), and
- the tool is the same: ``keras3_lint.__version__``, the LibCST and Python versions and a hash
  of every file of the ``keras3_lint`` package (editing a rule invalidates the cache; that is the
  name of the sub-folder entries live in), and
- what the result consumed of the rest of the project is the same (``project.py``): the project
  facts' fingerprint (who seeds, which backend), the bytes of every project file whose summary it
  read, and the absence of every project module it looked for and did not find. The entry also
  keeps the file's own facts, so a warm run never parses a file to learn them.

Only check results are stored: a run that fixes or diffs never writes the cache (it may read it:
a file whose cached diagnostics offer no applicable fix is not checked again). Writes are
atomic (temp file + rename in the same folder), so two runs can share the folder; an entry that
cannot be read or decoded is treated as missing. Every failure to read or write the cache is
silent: the cache can make a run faster, never make it fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import fields, replace
from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from . import __version__
from .config import Settings
from .diagnostics import Diagnostic, Edit, Fix, FileResult
from .source import write_atomic

CACHE_DIR = ".keras3_lint_cache"
FORMAT = 2  # bump when the entry layout changes

# (st_size, st_mtime_ns, st_ino): the file did not change between hashing and checking.
StatKey = Tuple[int, int, int]


def _libcst_version() -> str:
    """LibCST's version without importing it (a warm run never does) nor `importlib.metadata`
    (10 ms of start-up): the name of its `.dist-info` folder, else the metadata."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("libcst")
        if spec is not None and spec.origin:
            site = os.path.dirname(os.path.dirname(spec.origin))
            for name in os.listdir(site):
                if name.startswith("libcst-") and name.endswith(".dist-info"):
                    return name[len("libcst-"):-len(".dist-info")]
        from importlib.metadata import version

        return version("libcst")
    except Exception:  # pragma: no cover - metadata missing (vendored copies)
        return ""


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The version, the LibCST and Python versions, and a hash of the package's own files."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{FORMAT}\0{sys.version_info[:2]}\0".encode())
    digest.update(_libcst_version().encode())
    package = os.path.dirname(os.path.abspath(__file__))
    names = []
    for directory, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in filenames:
            if not name.endswith((".pyc", ".pyo")):
                names.append(os.path.relpath(os.path.join(directory, name), package))
    for rel in sorted(names):
        digest.update(rel.replace(os.sep, "/").encode() + b"\0")
        try:
            with open(os.path.join(package, rel), "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
        except OSError:
            digest.update(b"?")
    return f"{__version__}-{digest.hexdigest()[:16]}"


def config_fingerprint(settings: Settings, enabled: FrozenSet[str]) -> str:
    """A stable hash of everything in the configuration that can change a diagnostic."""
    parts: List[Any] = [[f.name, _plain(getattr(settings, f.name))] for f in fields(settings)]
    parts.append(["enabled", sorted(enabled)])
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stat_key(path: str) -> Optional[StatKey]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


# --- (de)serialising results ---------------------------------------------------------------


def _edit_to_json(edit: Edit) -> list:
    return [edit.start, edit.end, edit.content, edit.row, edit.column, edit.end_row, edit.end_column]


def _diagnostic_to_json(d: Diagnostic) -> Dict[str, Any]:
    fix = None
    if d.fix is not None:
        fix = {"applicability": d.fix.applicability, "message": d.fix.message, "edits": [_edit_to_json(e) for e in d.fix.edits]}
    return {
        "code": d.code, "message": d.message, "row": d.row, "column": d.column,
        "end_row": d.end_row, "end_column": d.end_column, "cell": d.cell, "fix": fix,
        "confidence": d.confidence,
    }


def _diagnostic_from_json(data: Dict[str, Any], path: str) -> Diagnostic:
    fix = None
    if data["fix"] is not None:
        raw = data["fix"]
        edits = tuple(Edit(int(s), int(e), str(c), int(r), int(col), int(er), int(ec)) for s, e, c, r, col, er, ec in raw["edits"])
        fix = Fix(str(raw["applicability"]), str(raw["message"]), edits)
    cell = data["cell"]
    return Diagnostic(
        str(data["code"]), str(data["message"]), int(data["row"]), int(data["column"]),
        int(data["end_row"]), int(data["end_column"]), fix, path, None if cell is None else int(cell),
        str(data.get("confidence", "high")),
    )


def cacheable(result: FileResult) -> bool:
    """A plain check result: no fix applied, nothing said on stderr."""
    return result.fixed_text is None and result.original_text is None and not result.messages and result.fixed_count == 0


class Cache:
    """One run's view of the cache folder. Picklable (plain strings), so workers can write."""

    def __init__(self, settings: Settings, enabled: FrozenSet[str], writable: bool = True) -> None:
        self.root = os.path.join(os.path.abspath(settings.root), CACHE_DIR)
        self.folder = os.path.join(self.root, tool_fingerprint())
        self.config = config_fingerprint(settings, enabled)
        self.settings = settings
        self.writable = writable
        self._ready = False

    def key_for(self, path: str) -> str:
        """The entry's name: the path, the configuration and what per-file-ignores switch off."""
        where = os.path.normcase(os.path.abspath(path))
        ignored = sorted(set(self.settings.ignored_for(path)))
        text = json.dumps([self.config, where, ignored])
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key[2:] + ".json")

    def entry(self, path: str, digest: str) -> Optional[Dict[str, Any]]:
        """The stored entry for these bytes (diagnostics, facts, dependencies), or None."""
        try:
            with open(self._entry(self.key_for(path)), "rb") as handle:
                data = json.loads(handle.read())
            if data.get("content") != digest or not isinstance(data.get("diagnostics"), list):
                return None
            return data
        except Exception:  # missing, partial, corrupt or from another layout: a miss
            return None

    @staticmethod
    def diagnostics_of(entry: Dict[str, Any], path: str) -> Optional[List[Diagnostic]]:
        try:
            return [_diagnostic_from_json(d, path) for d in entry["diagnostics"]]
        except Exception:
            return None

    def get(self, path: str, digest: str) -> Optional[List[Diagnostic]]:
        entry = self.entry(path, digest)
        return None if entry is None else self.diagnostics_of(entry, path)

    def put(self, path: str, digest: str, result: FileResult, extra: Optional[Dict[str, Any]] = None) -> None:
        """``extra``: the file's project facts and what it consumed of the project (see batch.py)."""
        if not self.writable or not cacheable(result):
            return
        try:
            payload = json.dumps(
                {"content": digest, "diagnostics": [_diagnostic_to_json(d) for d in result.diagnostics], **(extra or {})},
                ensure_ascii=True, separators=(",", ":"),
            ).encode("ascii")
            entry = self._entry(self.key_for(path))
            self._prepare(os.path.dirname(entry))
            write_atomic(entry, payload, durable=False)
        except Exception:  # a full disk or a read-only project must not fail the run
            self.writable = False

    def _prepare(self, directory: str) -> None:
        if not self._ready:
            os.makedirs(self.root, exist_ok=True)
            ignore = os.path.join(self.root, ".gitignore")
            if not os.path.exists(ignore):
                # The folder ignores itself, so it never shows up in `git status` (as ruff does).
                write_atomic(ignore, b"# Automatically created by keras3-lint.\n*\n", durable=False)
            tag = os.path.join(self.root, "CACHEDIR.TAG")
            if not os.path.exists(tag):
                write_atomic(
                    tag,
                    b"Signature: 8a477f597d28d172789f06886806bc55\n"
                    b"# This file is a cache directory tag created by keras3-lint.\n",
                    durable=False,
                )
            self._ready = True
        os.makedirs(directory, exist_ok=True)


def with_path(diagnostics: List[Diagnostic], path: str) -> List[Diagnostic]:
    return [d if d.path == path else replace(d, path=path) for d in diagnostics]
