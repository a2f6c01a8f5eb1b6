"""The public API of old standalone Keras 2 releases, read statically from their wheels/sdists.

Keras 2.0-2.3 (and the `keras` package 2.6-2.15) cannot be imported next to Keras 3, so their
sources are parsed with ``ast``: every module file of the package, its top-level bindings (also
inside ``if``/``try`` blocks: backends were chosen at import time), ``from ... import`` and star
imports followed inside the package. Nothing is executed.

Used by scripts/generate_api_table.py (``--keras2-wheels DIR``). Download the archives once,
then the generator works offline::

    python scripts/keras2_static_api.py --download DIR     # pip download --no-deps keras==2.x ...

A release gives, per module file (``layers.merge``, ``optimizers``; "" is the package):

- ``exports[module][name] = origin``: the names the module binds that come from Keras itself,
  where ``origin`` is ``(defining module, name, kind)`` (kind: class, function, constant);
  names bound to outside packages (numpy, six, tensorflow) and to modules are left out;
- ``api``: for 2.6+ the generated public surface (``keras/api/_v2/keras``), path -> origin.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set, Tuple

# The releases read by default: every standalone Keras 2.0-2.3 release, and one per minor of the
# `keras` package 2.6-2.15 (2.4/2.5 are shims that re-export `tensorflow.keras`).
VERSIONS = (
    "2.0.0 2.0.1 2.0.2 2.0.3 2.0.4 2.0.5 2.0.6 2.0.7 2.0.8 2.0.9 "
    "2.1.0 2.1.1 2.1.2 2.1.3 2.1.4 2.1.5 2.1.6 "
    "2.2.0 2.2.1 2.2.2 2.2.3 2.2.4 2.2.5 2.3.0 2.3.1 "
    "2.6.0 2.7.0 2.8.0 2.9.0 2.10.0 2.11.0 2.12.0 2.13.1 2.14.0 2.15.0"
).split()

# Module path components that are never API (tests, build tooling, private trees).
_SKIP_PARTS = {"tests", "testing_infra", "integration_test", "benchmarks", "tools", "protobuf"}
Origin = Tuple[str, str, str]  # (module, name, kind)


def version_key(version: str) -> Tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])


def archive_for(directory: str, version: str) -> Optional[str]:
    for name in sorted(os.listdir(directory)):
        lower = name.lower()
        if lower.startswith(f"keras-{version}-") or lower in (f"keras-{version}.tar.gz", f"keras-{version}.zip"):
            return os.path.join(directory, name)
    return None


def download(directory: str, versions: Iterable[str] = VERSIONS) -> None:
    os.makedirs(directory, exist_ok=True)
    for version in versions:
        if archive_for(directory, version) is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", f"keras=={version}", "-d", directory],
                           check=True, stdout=subprocess.DEVNULL)


def read_sources(path: str) -> Dict[str, Tuple[str, bool]]:
    """Module path ("" = package, "layers.core") -> (source, is a package), for the keras package
    in an archive."""
    files: Dict[str, Tuple[str, bool]] = {}

    def add(name: str, data: bytes) -> None:
        parts = name.split("/")
        if "keras" not in parts or not name.endswith(".py"):
            return
        parts = parts[parts.index("keras") + 1:]
        package = parts[-1] == "__init__.py"
        if package:
            parts = parts[:-1]
        else:
            parts[-1] = parts[-1][:-3]
        if any(p in _SKIP_PARTS or p.endswith("_test") for p in parts):
            return
        files[".".join(parts)] = (data.decode("utf-8", "replace"), package)

    if path.endswith(".whl") or path.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("keras/"):
                    add(name, archive.read(name))
    else:
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                parts = member.name.split("/")
                if member.isfile() and len(parts) > 2 and parts[1] == "keras":
                    add("/".join(parts[1:]), archive.extractfile(member).read())
    return files


# ---------------------------------------------------------------------------------------------


@dataclass
class _Module:
    is_package: bool
    # name -> ("def", kind) | ("alias", module, name) | ("module", module) | ("external",)
    bindings: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    stars: List[str] = field(default_factory=list)
    all_names: Optional[List[str]] = None


def _top_level(body: List[ast.stmt]) -> Iterable[ast.stmt]:
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _top_level(stmt.body)
            yield from _top_level(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from _top_level(stmt.body)
            for handler in stmt.handlers:
                yield from _top_level(handler.body)
            yield from _top_level(stmt.orelse)
        elif isinstance(stmt, (ast.With,)):
            yield from _top_level(stmt.body)


class Release:
    """The statically read API of one Keras 2 release."""

    def __init__(self, label: str, sources: Dict[str, Tuple[str, bool]]) -> None:
        self.label = label
        self.modules: Dict[str, _Module] = {}
        for path, (text, package) in sources.items():
            try:
                tree = ast.parse(text)
            except SyntaxError:  # Python 2 only syntax in a module nobody imports from
                continue
            self.modules[path] = self._read(path, tree, package)
        self._memo: Dict[Tuple[str, str], Optional[Tuple[str, ...]]] = {}
        self._exports: Dict[str, Dict[str, Origin]] = {}

    # -- reading ------------------------------------------------------------------------------
    def _absolute(self, module: str, level: int, current: str, is_package: bool) -> Optional[str]:
        if level == 0:
            if module == "keras" or module.startswith("keras."):
                return module[len("keras."):] if module != "keras" else ""
            return None
        base = current.split(".") if current else []
        if not is_package:
            base = base[:-1]
        if level > 1:
            base = base[: len(base) - (level - 1)] if level - 1 <= len(base) else None
            if base is None:
                return None
        parts = base + (module.split(".") if module else [])
        return ".".join(p for p in parts if p)

    def _read(self, path: str, tree: ast.Module, is_package: bool) -> _Module:
        mod = _Module(is_package)
        for stmt in _top_level(tree.body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                mod.bindings[stmt.name] = ("def", "function")
            elif isinstance(stmt, ast.ClassDef):
                mod.bindings[stmt.name] = ("def", "class")
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        if target.id == "__all__" and isinstance(stmt.value, (ast.List, ast.Tuple)):
                            mod.all_names = [e.value for e in stmt.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                        elif isinstance(stmt.value, ast.Name) and stmt.value.id != target.id:
                            mod.bindings[target.id] = ("local", stmt.value.id)
                        else:
                            mod.bindings[target.id] = ("def", "constant")
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    local = alias.asname or alias.name.split(".")[0]
                    target = self._absolute(alias.name if alias.asname else local, 0, path, is_package)
                    mod.bindings[local] = ("module", target) if target is not None else ("external",)
            elif isinstance(stmt, ast.ImportFrom):
                source = self._absolute(stmt.module or "", stmt.level, path, is_package)
                for alias in stmt.names:
                    if alias.name == "*":
                        if source is not None:
                            mod.stars.append(source)
                        continue
                    local = alias.asname or alias.name
                    mod.bindings[local] = ("alias", source, alias.name) if source is not None else ("external",)
        return mod

    # -- resolving ----------------------------------------------------------------------------
    def resolve(self, module: str, name: str, depth: int = 0) -> Optional[Tuple[str, ...]]:
        """("obj", module, name, kind) | ("module", path) | None (outside Keras or unknown)."""
        key = (module, name)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # cycle guard
        result = self._resolve(module, name, depth)
        self._memo[key] = result
        return result

    def _resolve(self, module: str, name: str, depth: int) -> Optional[Tuple[str, ...]]:
        if depth > 40:
            return None
        mod = self.modules.get(module)
        if mod is None:
            return None
        binding = mod.bindings.get(name)
        if binding is None:
            for star in reversed(mod.stars):
                if name in self._star_names(star):
                    return self.resolve(star, name, depth + 1)
            child = f"{module}.{name}" if module else name
            return ("module", child) if child in self.modules else None
        tag = binding[0]
        if tag == "def":
            return ("obj", module, name, binding[1])
        if tag == "local":
            return self.resolve(module, binding[1], depth + 1)
        if tag == "module":
            return ("module", binding[1]) if binding[1] in self.modules or binding[1] == "" else None
        if tag == "alias":
            source, original = binding[1], binding[2]
            child = f"{source}.{original}" if source else original
            if source in self.modules and (original in self.modules[source].bindings or self.modules[source].stars):
                found = self.resolve(source, original, depth + 1)
                if found is not None:
                    return found
            return ("module", child) if child in self.modules else None
        return None

    def _star_names(self, module: str) -> Set[str]:
        return self._star_names_guarded(module, set())

    def _star_names_guarded(self, module: str, seen: Set[str]) -> Set[str]:
        if module in seen:
            return set()
        mod = self.modules.get(module)
        if mod is None:
            return set()
        if mod.all_names is not None:
            return set(mod.all_names)
        names = {n for n in mod.bindings if not n.startswith("_")}
        for star in mod.stars:
            names |= self._star_names_guarded(star, seen | {module})
        return names

    def exports(self, module: str) -> Dict[str, Origin]:
        """Public names of ``module`` that are Keras classes, functions or constants."""
        if module in self._exports:
            return self._exports[module]
        mod = self.modules[module]
        names = set(mod.all_names) if mod.all_names is not None else (
            {n for n in mod.bindings if not n.startswith("_")} | self._all_star_names(module))
        result: Dict[str, Origin] = {}
        for name in sorted(names):
            if name.startswith("_"):
                continue
            found = self.resolve(module, name)
            if found is not None and found[0] == "obj":
                result[name] = (found[1], found[2], found[3])
        self._exports[module] = result
        return result

    def _all_star_names(self, module: str) -> Set[str]:
        names: Set[str] = set()
        for star in self.modules[module].stars:
            names |= self._star_names_guarded(star, {module})
        return names

    def api(self) -> Dict[str, Origin]:
        """The generated public surface of 2.6+ (``keras/api/_v2/keras``); {} for older releases."""
        prefix = "api._v2.keras"
        found: Dict[str, Origin] = {}
        for module, mod in self.modules.items():
            if module != prefix and not module.startswith(prefix + "."):
                continue
            public = module[len(prefix) + 1:] if module != prefix else ""
            for local, binding in mod.bindings.items():
                if local.startswith("_") or binding[0] != "alias":
                    continue
                target = self.resolve(module, local)
                if target is not None and target[0] == "obj":
                    found[f"{public}.{local}" if public else local] = (target[1], target[2], target[3])
        return found

    def module_files(self) -> List[str]:
        """Importable module paths, without the generated api tree and 2.13+'s private ``src``."""
        return sorted(m for m in self.modules if m.split(".")[0] not in ("api", "src"))


def load_releases(directory: str, versions: Iterable[str] = VERSIONS) -> List[Release]:
    releases = []
    for version in sorted(versions, key=version_key):
        path = archive_for(directory, version)
        if path is None:
            raise SystemExit(f"keras {version} is not in {directory}: run `python scripts/keras2_static_api.py --download {directory}`")
        releases.append(Release(version, read_sources(path)))
    return releases


def ranges(labels: Iterable[str], order: List[str]) -> str:
    """"2.0.0–2.3.1, 2.6.0" for the releases in ``labels``, as runs over ``order``."""
    present = set(labels)
    runs: List[List[str]] = []
    previous_in = False
    for label in order:
        if label in present:
            if previous_in:
                runs[-1].append(label)
            else:
                runs.append([label])
        previous_in = label in present
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Download or inspect old Keras 2 releases")
    parser.add_argument("--download", metavar="DIR", help="pip download the releases into DIR (skips present ones)")
    parser.add_argument("--show", metavar="DIR", help="print each release's export counts")
    options = parser.parse_args(argv)
    if options.download:
        download(options.download)
    if options.show:
        for release in load_releases(options.show):
            count = sum(len(release.exports(m)) for m in release.module_files())
            print(f"keras {release.label}: {len(release.module_files())} modules, {count} exported names, {len(release.api())} api paths")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ---------------------------------------------------------------------------------------------
# The union over releases, split by what Keras 3 still has.


class OldApi:
    """Public paths and internal modules of the old releases, keyed for the table generator.

    ``public_modules``: module paths that are public somewhere (Keras 3, tf.keras, tf_keras 2.21):
    the names a release's file of that path exports are API paths (``optimizers.rmsprop``).
    Every other module file is internal (``engine.topology``, ``layers.merge``) and becomes a
    removed-module entry unless ``importable(module)`` says Keras 3 still imports it.
    """

    def __init__(self, releases: List[Release], public_modules: Set[str], importable) -> None:
        self.order = [r.label for r in releases]
        self.paths: Dict[str, Dict[str, Origin]] = {}
        self.modules: Dict[str, Dict[str, Dict[str, Origin]]] = {}
        self.public_by_origin: Dict[str, Dict[Origin, Set[str]]] = {}
        for release in releases:
            by_origin = self.public_by_origin.setdefault(release.label, {})
            public: Dict[str, Origin] = dict(release.api())
            api_modules = {p.rpartition(".")[0] for p in public}
            # 2.6+ publish their API in keras/api (the implementation files are internal);
            # before that, the files at public module paths are the API.
            files = [] if public else release.module_files()
            packages = [m for m in files if m in public_modules and release.modules[m].is_package]
            for module in packages:
                for name, origin in release.exports(module).items():
                    public.setdefault(f"{module}.{name}" if module else name, origin)
            elsewhere = set(public.values())
            for module in files:
                if module in public_modules and not release.modules[module].is_package:
                    for name, origin in release.exports(module).items():
                        # `from .layers import Conv2D` in applications/densenet.py is not its API
                        if origin[0] == module or origin not in elsewhere:
                            public.setdefault(f"{module}.{name}" if module else name, origin)
            public = {p: o for p, o in public.items() if not any(part.startswith("_") for part in p.split("."))}
            for path, origin in public.items():
                self.paths.setdefault(path, {})[release.label] = origin
                by_origin.setdefault(origin, set()).add(path)
            for module in release.module_files():
                if module and module not in public_modules and module not in api_modules:
                    self.modules.setdefault(module, {})[release.label] = release.exports(module)
        for module in [m for m in self.modules if importable(m)]:
            del self.modules[module]

    def kind(self, path: str) -> str:
        versions = self.paths[path]
        return versions[max(versions, key=self.order.index)][2]

    def _best(self, found: Dict[str, int], near: str) -> str:
        return sorted(found, key=lambda p: (-found[p], p.rpartition(".")[0] != near, p.count("."), p))[0]

    def public_alias(self, path: str, k3_kind) -> str:
        """Another public path of the same object in the same release, which Keras 3 has."""
        found: Dict[str, int] = {}
        kind = self.kind(path)
        for label, origin in self.paths[path].items():
            for other in self.public_by_origin[label].get(origin, ()):
                if other != path and k3_kind(other) == kind:
                    found[other] = found.get(other, 0) + 1
        return self._best(found, path.rpartition(".")[0]) if found else ""

    def had_both(self, path: str, target: str, every: bool = False) -> bool:
        """Some (``every``: each) release that had ``path`` had ``target`` as the same object."""
        same = [target in self.public_by_origin[label].get(origin, ()) for label, origin in self.paths.get(path, {}).items()]
        return bool(same) and (all(same) if every else any(same))

    def module_renames(self, module: str, k3_kind) -> Dict[str, str]:
        """name -> the public Keras 3 path of the same object, for names of an internal module."""
        renames: Dict[str, str] = {}
        names = sorted({n for exports in self.modules[module].values() for n in exports})
        for name in names:
            found: Dict[str, int] = {}
            for label, exports in self.modules[module].items():
                origin = exports.get(name)
                if origin is None:
                    continue
                for other in self.public_by_origin[label].get(origin, ()):
                    if k3_kind(other) == origin[2]:
                        found[other] = found.get(other, 0) + 1
            if found:
                renames[name] = sorted(found, key=lambda p: (-found[p], p.rsplit(".", 1)[-1] != name, p.count("."), p))[0]
        return renames

    def module_had(self, module: str, name: str, target: str) -> bool:
        for label, exports in self.modules.get(module, {}).items():
            origin = exports.get(name)
            if origin is not None and target in self.public_by_origin[label].get(origin, ()):
                return True
        return False

    def versions(self, labels: Iterable[str]) -> str:
        return ranges(labels, self.order)
