"""flake8 adapter: the same core as the CLI, so diagnostics, positions and suppressions match.

flake8 gives 0-based columns to plugins and prints them 1-based; our columns are 1-based, so
one is subtracted here and nowhere else. Settings come from the file's nearest
``[tool.keras3-lint]`` table, as for the CLI. flake8 must never see an exception from us: any
failure becomes a single KRS003 finding on line 1.

flake8 hands a plugin one file at a time, so there is no project index here (nor with
``keras3-lint --stdin-filename``): a finding that needs another file is not reported. A model
built by a function of another module (``from models import build_model``), a Keras subclass or a
``keras = tf.keras`` alias defined elsewhere, seeding done by the entry script (KRS501/KRS502),
``KERAS_BACKEND`` set by another file: all unknown here. What the file proves on its own is
reported exactly as the CLI reports it when it checks that file alone.
"""

from __future__ import annotations

import ast
import os
from functools import lru_cache
from typing import Iterator, List, Optional, Tuple

from . import __version__

Finding = Tuple[int, int, str, type]


@lru_cache(maxsize=64)
def _settings_for(directory: str):
    from .config import load_settings
    from .registry import all_codes
    from .runner import enabled_for

    settings = load_settings(None, all_codes(), search_from=directory)
    return settings, enabled_for(settings, all_codes())


class Keras3LintChecker:
    name = "keras3-lint"
    version = __version__

    def __init__(self, tree: Optional[ast.AST], filename: str = "stdin", lines: Optional[List[str]] = None) -> None:
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[Finding]:
        try:
            yield from self._run()
        except Exception as exc:  # flake8 must never see an exception from a plugin
            yield (1, 0, f"KRS003 keras3-lint could not check this file: {exc.__class__.__name__}: {exc}", type(self))

    def _run(self) -> Iterator[Finding]:
        from .runner import check_text

        if self.lines is None:
            with open(self.filename, encoding="utf-8") as handle:
                text = handle.read()
        else:
            text = "".join(self.lines)
        directory = os.path.dirname(os.path.abspath(self.filename)) if self.filename not in ("stdin", "-") else os.getcwd()
        settings, enabled = _settings_for(directory)
        path = self.filename if self.filename not in ("stdin", "-") else ""
        for diagnostic in sorted(check_text(text, settings, enabled, path), key=lambda d: (d.row, d.column, d.code)):
            yield (diagnostic.row, diagnostic.column - 1, f"{diagnostic.code} {diagnostic.message}", type(self))
