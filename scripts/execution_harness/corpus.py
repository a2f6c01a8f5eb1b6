"""The program corpus list (scripts/program_corpus.txt) and its checkout.

Each line: `owner/name commit path kind` (kind: script or notebook); `#` starts a comment. A
program's file is expected at CHECKOUT/owner+name/path; `materialize` writes those files from
local bare git mirrors (`git archive`), so nothing fetched lives in the repository.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import List


@dataclass(frozen=True)
class Entry:
    repo: str
    commit: str
    path: str
    kind: str

    def local(self, checkout: str) -> str:
        return os.path.join(checkout, self.repo.replace("/", "+"), self.path)

    @property
    def label(self) -> str:
        return f"{self.repo}:{self.path}"


def read(path: str) -> List[Entry]:
    entries = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 4 or parts[3] not in ("script", "notebook"):
                raise ValueError(f"{path}:{number}: expected `owner/name commit path script|notebook`, got {line!r}")
            entries.append(Entry(*parts))
    return entries


def materialize(entries: List[Entry], checkout: str, git_dir_pattern: str) -> List[Entry]:
    """Writes each entry's file under `checkout` from `git_dir_pattern` ({owner}, {name}).

    Returns the entries whose file the mirror lacks (a shallow or partial mirror may omit blobs).
    """
    missing = []
    for entry in entries:
        target = entry.local(checkout)
        if os.path.exists(target):
            continue
        owner, name = entry.repo.split("/")
        git_dir = git_dir_pattern.format(owner=owner, name=name)
        shown = subprocess.run(["git", "--git-dir", git_dir, "show", f"{entry.commit}:{entry.path}"], capture_output=True)
        if shown.returncode != 0:
            missing.append(entry)
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(shown.stdout)
    return missing
