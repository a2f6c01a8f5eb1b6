"""Which files a run checks.

Folders are walked for ``.py``/``.pyi``/``.ipynb`` files, skipping the configured excludes, virtual
environments (any folder with a ``pyvenv.cfg``) and, inside a git work tree, what git ignores
(asked of git itself, so nested .gitignore files and global excludes behave as in git). Files
named explicitly are always checked unless excluded by configuration.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Set

from .config import Settings

EXTENSIONS = (".py", ".pyi", ".ipynb")  # notebooks: code cells, see notebook.py


@dataclass
class Discovered:
    files: List[str] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)  # paths that do not exist
    empty_folders: List[str] = field(default_factory=list)  # folders with nothing to check


def discover(paths: Iterable[str], settings: Settings) -> Discovered:
    result = Discovered()
    seen: Set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = [f for f in _walk(path, settings) if f not in seen]
            if not found:
                result.empty_folders.append(path)
            for f in found:
                seen.add(f)
                result.files.append(f)
        elif os.path.lexists(path) or os.path.exists(path):
            if path not in seen and not settings.is_excluded(path):
                seen.add(path)
                result.files.append(path)
        else:
            result.missing.append(path)
    return result


def _walk(root: str, settings: Settings) -> List[str]:
    ignored = _git_ignored(root) if settings.respect_gitignore else None
    files: List[str] = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        keep = []
        for name in sorted(dirnames):
            full = os.path.join(directory, name)
            if settings.is_excluded(full) or os.path.isfile(os.path.join(full, "pyvenv.cfg")):
                continue
            if ignored is not None and _norm(full) in ignored:
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not name.endswith(EXTENSIONS):
                continue
            full = os.path.join(directory, name)
            if settings.is_excluded(full):
                continue
            if ignored is not None and _norm(full) in ignored:
                continue
            files.append(os.path.normpath(full) if root != "." else os.path.relpath(full))
    return files


def _norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _git_ignored(root: str) -> Optional[Set[str]]:
    """Absolute paths (files and folders) that git ignores below ``root``; None outside git."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z", "--", "."],
            cwd=root,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    ignored = set()
    for entry in proc.stdout.split(b"\0"):
        if entry:
            text = os.fsdecode(entry).rstrip("/")
            ignored.add(_norm(os.path.join(root, text)))
    return ignored
