"""``[tool.keras3-lint]`` in the nearest pyproject.toml (or a file given with ``--config``).

Unknown keys and bad values are errors that name the key: a typo must not silently disable a
setting.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

from .backends import ALL_BACKENDS
from .versions import NEWEST_KERAS, parse_version, resolve_keras_version
from .selection import SelectorError, validate_selectors

TABLE = "keras3-lint"

DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints", ".mypy_cache",
    ".nox", ".pants.d", ".pytest_cache", ".pytype", ".ruff_cache", ".keras3_lint_cache", ".svn",
    ".tox", ".venv", "__pycache__", "__pypackages__", "_build", "buck-out", "build", "dist",
    "node_modules", "site-packages", "venv",
)


CONFIDENCE_CHOICES = ("high", "medium")
LEGACY_KERAS_CHOICES = ("report", "ignore")


class ConfigError(Exception):
    pass


def validate_choice(value: object, choices: Sequence[str], where: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ConfigError(f"{where}: must be one of {', '.join(repr(c) for c in choices)}, got {value!r}")
    return value


@dataclass(frozen=True)
class Settings:
    root: str = "."  # folder that relative patterns are matched from
    config_path: Optional[str] = None
    select: Optional[Tuple[str, ...]] = None
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    backends: Tuple[str, ...] = ("tensorflow",)
    respect_gitignore: bool = True
    # The Keras 3 version the code will run on, and where that came from (see versions.py).
    keras_version: Tuple[int, ...] = NEWEST_KERAS
    keras_version_source: str = "default: newest Keras 3"
    # "high" drops findings whose evidence is a guess (see diagnostics.MEDIUM); "medium" keeps all.
    min_confidence: str = "medium"
    # Does the project care about reproducible training? None: inferred (a file of the project seeds).
    reproducible: Optional[bool] = None
    # Files that run on Keras 2 through TF_USE_LEGACY_KERAS=1: "report" their Keras 3 hazards
    # (the migration's to-do list) or "ignore" them (teams that stay on Keras 2 on purpose).
    legacy_keras: str = "report"

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def relative(self, path: str) -> str:
        try:
            rel = os.path.relpath(os.path.abspath(path), self.root)
        except ValueError:  # another drive on Windows
            rel = path
        return rel.replace(os.sep, "/")

    def is_excluded(self, path: str) -> bool:
        return _matches_any(self.relative(path), self.exclude + self.extend_exclude)

    def ignored_for(self, path: str) -> Tuple[str, ...]:
        rel = self.relative(path)
        codes: List[str] = []
        for pattern, ignored in self.per_file_ignores:
            if _matches_any(rel, (pattern,)):
                codes.extend(ignored)
        return tuple(codes)


def _matches_any(rel: str, patterns: Sequence[str]) -> bool:
    parts = rel.split("/")
    names, paths = _split_patterns(tuple(patterns))
    if names and any(_name_matches(part, names) for part in parts):
        return True
    for pattern in paths:
        # a pattern naming a folder excludes everything below it
        for i in range(1, len(parts) + 1):
            if fnmatchcase("/".join(parts[:i]), pattern):
                return True
    return False


@lru_cache(maxsize=64)
def _split_patterns(patterns: Tuple[str, ...]) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """(patterns for one path component, patterns for a path from the root)."""
    names: List[str] = []
    paths: List[str] = []
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            paths.append(pattern[2:] if pattern.startswith("./") else pattern)
        else:
            names.append(pattern)
    return tuple(names), tuple(paths)


@lru_cache(maxsize=8192)
def _name_matches(part: str, patterns: Tuple[str, ...]) -> bool:
    # Memoised: discovery asks it of the same folder names for every file below them.
    return any(fnmatchcase(part, pattern) for pattern in patterns)


def find_config(start: str) -> Optional[str]:
    """The nearest pyproject.toml with a [tool.keras3-lint] table, searching upwards."""
    directory = os.path.abspath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            try:
                with open(candidate, "rb") as handle:
                    data = tomllib.load(handle)
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{candidate}: cannot read TOML: {exc}") from None
            if TABLE in data.get("tool", {}):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_settings(config_path: Optional[str], known_codes: Sequence[str], search_from: str = ".") -> Settings:
    if config_path is None:
        config_path = find_config(search_from)
        if config_path is None:
            root = os.path.abspath(search_from if os.path.isdir(search_from) else os.path.dirname(os.path.abspath(search_from)))
            return with_keras_version(Settings(root=root), None)
    try:
        with open(config_path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{config_path}: cannot read config: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_path}: invalid TOML: {exc}") from None
    if os.path.basename(config_path) == "pyproject.toml" or TABLE in data.get("tool", {}):
        table = data.get("tool", {}).get(TABLE, {})
        where = f"[tool.{TABLE}] in {config_path}"
    else:
        table = data
        where = config_path
    return parse_table(table, where, os.path.dirname(os.path.abspath(config_path)), config_path, known_codes)


def _string_list(table: Dict[str, Any], key: str, where: str) -> Optional[Tuple[str, ...]]:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings, got {value!r}")
    return tuple(value)


def parse_table(table: Dict[str, Any], where: str, root: str, config_path: Optional[str], known_codes: Sequence[str]) -> Settings:
    allowed = {
        "select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude",
        "backends", "respect-gitignore", "keras-version", "min-confidence", "reproducible",
        "legacy-keras",
    }
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key `{key}` (known: {', '.join(sorted(allowed))})")
    settings = Settings(root=root, config_path=config_path)
    changes: Dict[str, Any] = {}
    try:
        for key, attr in (("select", "select"), ("ignore", "ignore"), ("extend-select", "extend_select")):
            values = _string_list(table, key, where)
            if values is not None:
                changes[attr] = tuple(validate_selectors(values, known_codes, f"{where}: `{key}`"))
        if "per-file-ignores" in table:
            pfi = table["per-file-ignores"]
            if not isinstance(pfi, dict):
                raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
            entries = []
            for pattern, codes in pfi.items():
                if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                    raise ConfigError(f"{where}: `per-file-ignores.{pattern}` must be a list of codes")
                entries.append((pattern, tuple(validate_selectors(codes, known_codes, f"{where}: `per-file-ignores.{pattern}`"))))
            changes["per_file_ignores"] = tuple(entries)
    except SelectorError as exc:
        raise ConfigError(str(exc)) from None
    for key, attr in (("exclude", "exclude"), ("extend-exclude", "extend_exclude")):
        values = _string_list(table, key, where)
        if values is not None:
            changes[attr] = values
    backends = _string_list(table, "backends", where)
    if backends is not None:
        changes["backends"] = validate_backends(backends, f"{where}: `backends`")
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            raise ConfigError(f"{where}: `respect-gitignore` must be true or false")
        changes["respect_gitignore"] = table["respect-gitignore"]
    for key, attr, choices in (("min-confidence", "min_confidence", CONFIDENCE_CHOICES), ("legacy-keras", "legacy_keras", LEGACY_KERAS_CHOICES)):
        if key in table:
            changes[attr] = validate_choice(table[key], choices, f"{where}: `{key}`")
    if "reproducible" in table:
        if not isinstance(table["reproducible"], bool):
            raise ConfigError(f"{where}: `reproducible` must be true or false")
        changes["reproducible"] = table["reproducible"]
    configured = table.get("keras-version")
    if configured is not None:
        validate_keras_version(configured, f"{where}: `keras-version`")
    return with_keras_version(replace(settings, **changes), configured)


def validate_keras_version(value: object, where: str) -> str:
    version = parse_version(value) if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+){1,2}", value.strip()) else None
    if version is None or version[0] != 3:
        raise ConfigError(f"{where}: must be a Keras 3 version such as \"3.11\" or \"3.15.1\", got {value!r}")
    return str(value)


def with_keras_version(settings: Settings, configured: Optional[str]) -> Settings:
    found = resolve_keras_version(configured, settings.root)
    return replace(settings, keras_version=found.version, keras_version_source=found.source)


def validate_backends(values: Sequence[str], where: str) -> Tuple[str, ...]:
    if not values:
        raise ConfigError(f"{where}: must name at least one backend ({', '.join(ALL_BACKENDS)})")
    for value in values:
        if value not in ALL_BACKENDS:
            raise ConfigError(f"{where}: unknown backend {value!r} (known: {', '.join(ALL_BACKENDS)})")
    return tuple(dict.fromkeys(values))
