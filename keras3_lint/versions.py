"""Which Keras 3 version the checked code will run on.

Order of precedence: ``keras-version`` in ``[tool.keras3-lint]`` (or ``--keras-version``), then the
project's own pins (``pyproject.toml`` dependencies, ``requirements*.txt``, ``setup.cfg``): a
``keras`` pin, else a ``tensorflow`` pin, which implies the lowest Keras 3 it accepts; else the
newest Keras 3. For ranges the lowest allowed version is taken: version-gated hazards ("before
3.12") bite on the oldest version a project still allows.
"""

from __future__ import annotations

import glob
import os
import re
import sys
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Version = Tuple[int, ...]

NEWEST_KERAS = (3, 15, 1)  # newest keras on the package index when this release was made

# Lowest Keras each TensorFlow release requires (`Requires-Dist: keras>=…` in the
# tensorflow-cpu wheels' METADATA, checked with `pip download --no-deps tensorflow-cpu==X`).
TENSORFLOW_MIN_KERAS = {
    (2, 16): (3, 0, 0),
    (2, 17): (3, 2, 0),
    (2, 18): (3, 5, 0),
    (2, 19): (3, 5, 0),
    (2, 20): (3, 10, 0),
    (2, 21): (3, 12, 0),
}

_REQUIREMENT = re.compile(
    r"^\s*(?P<name>tensorflow[-_]cpu|tensorflow[-_]gpu|tensorflow[-_]macos|tensorflow|keras)\s*"
    r"(?:\[[^\]]*\])?\s*(?P<spec>(?:[<>=!~]=?|===)\s*[0-9][^;#]*)?",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"(===|==|~=|>=|>|<=|<|!=)\s*([0-9][0-9A-Za-z.*+-]*)")


@dataclass(frozen=True)
class KerasVersion:
    version: Version
    source: str  # where it came from, for --show-settings

    def __str__(self) -> str:
        return ".".join(str(p) for p in self.version)


def parse_version(text: str) -> Optional[Version]:
    parts = []
    for piece in text.strip().split("."):
        match = re.match(r"\d+", piece)
        if not match:
            break
        parts.append(int(match.group()))
        if match.end() != len(piece):
            break
    return tuple(parts) if parts else None


def lowest_allowed(spec: str) -> Optional[Version]:
    """The lowest version a requirement spec allows (None when it names no lower bound)."""
    lowest: Optional[Version] = None
    for operator, text in _CLAUSE.findall(spec):
        version = parse_version(text.rstrip(".*"))
        if version is None:
            continue
        if operator in ("==", "===", "~=", ">="):
            lowest = version if lowest is None or version > lowest else lowest
        elif operator == ">":
            bumped = version + (1,) if len(version) < 3 else version[:-1] + (version[-1] + 1,)
            lowest = bumped if lowest is None or bumped > lowest else lowest
    return lowest


def keras_for_tensorflow(tf_version: Version) -> Optional[Version]:
    key = tuple(tf_version[:2])
    if key in TENSORFLOW_MIN_KERAS:
        return TENSORFLOW_MIN_KERAS[key]
    if key > max(TENSORFLOW_MIN_KERAS):
        return TENSORFLOW_MIN_KERAS[max(TENSORFLOW_MIN_KERAS)]
    return None  # TensorFlow < 2.16 ships Keras 2: the migration target is the newest Keras 3


def _requirements_in(root: str) -> Iterable[Tuple[str, str]]:
    """(requirement line, file) pairs from the project's dependency files."""
    pyproject = os.path.join(root, "pyproject.toml")
    if os.path.isfile(pyproject):
        try:
            with open(pyproject, "rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError):
            data = {}
        project = data.get("project", {})
        for line in project.get("dependencies", []) or []:
            yield str(line), pyproject
        for group in (project.get("optional-dependencies", {}) or {}).values():
            for line in group or []:
                yield str(line), pyproject
        poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {}) or {}
        for name, spec in poetry.items():
            if isinstance(spec, str):
                yield f"{name}{spec if spec[:1] in '<>=!~' else '==' + spec}", pyproject
    for path in sorted(glob.glob(os.path.join(root, "requirements*.txt"))):
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    yield line, path
        except OSError:
            continue
    setup_cfg = os.path.join(root, "setup.cfg")
    if os.path.isfile(setup_cfg):
        try:
            with open(setup_cfg, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    yield line, setup_cfg
        except OSError:
            pass


def detect_keras_version(root: str) -> Optional[KerasVersion]:
    keras_pins: List[Tuple[Version, str]] = []
    tf_pins: List[Tuple[Version, str]] = []
    for line, path in _requirements_in(root):
        match = _REQUIREMENT.match(line.strip().strip('"').strip("'"))
        if not match or not match.group("spec"):
            continue
        lowest = lowest_allowed(match.group("spec"))
        if lowest is None:
            continue
        where = f"{os.path.basename(path)}: {line.strip()}"
        if match.group("name").lower() == "keras":
            keras_pins.append((lowest, where))
        else:
            tf_pins.append((lowest, where))
    for version, where in keras_pins:
        if version >= (3,):
            return KerasVersion(version, where)
    for version, where in tf_pins:
        implied = keras_for_tensorflow(version)
        if implied is not None:
            return KerasVersion(implied, f"{where} (implies keras>={'.'.join(map(str, implied))})")
    return None


def resolve_keras_version(configured: Optional[str], root: str) -> KerasVersion:
    if configured:
        version = parse_version(configured)
        if version is not None:
            return KerasVersion(version, "keras-version setting")
    detected = detect_keras_version(root)
    if detected is not None:
        return detected
    return KerasVersion(NEWEST_KERAS, "default: newest Keras 3")
