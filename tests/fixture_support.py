"""Loading rule fixtures: ``fixtures/<CODE>/`` holds

- ``flagged.py``: code the rule must flag, and ``flagged.expected``: one ``row:col CODE`` a line;
- ``clean.py``: look-alikes the rule must not flag;
- ``fixed.py``: ``flagged.py`` after ``--fix --unsafe-fixes`` with only this rule (rules with fixes);
- ``config.toml`` (optional): ``[tool.keras3-lint]``-style settings, e.g. ``backends = ["jax"]``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import List, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from keras3_lint.config import Settings, parse_table
from keras3_lint.registry import all_codes, all_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")


@dataclass
class Fixture:
    code: str
    folder: str

    def path(self, name: str) -> str:
        return os.path.join(self.folder, name)

    def read(self, name: str) -> Optional[str]:
        path = self.path(name)
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()

    def settings(self) -> Settings:
        path = self.path("config.toml")
        if not os.path.exists(path):
            return Settings(root=self.folder)
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
        return parse_table(table, path, self.folder, path, all_codes())

    def expected(self) -> List[tuple]:
        rows = []
        for line in (self.read("flagged.expected") or "").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                position, code = line.split()
                row, column = position.split(":")
                rows.append((int(row), int(column), code))
        return sorted(rows)


def rule_fixtures() -> List[Fixture]:
    return [Fixture(rule.code, os.path.join(FIXTURES, rule.code)) for rule in all_rules()]
