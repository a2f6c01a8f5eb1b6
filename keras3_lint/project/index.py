"""The index of one run's checked files, and the view one linted file has of it."""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from .facts import FileFacts, is_test_file, scan_facts
from .sources import _python_source
from .summary import ModuleSummary, summarize

# `import a.b` / `from a.b import c` / `from . import c` at the start of a line.
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?[ \t]*([\w, \t]+)|import[ \t]+([\w., \t]+))", re.MULTILINE)
_MAX_DEPTH = 12
# How many paths the import-graph memos may hold in all (a bound on their memory in a huge
# project; past it they are recomputed as asked).
_MEMO_ROOM = 1_000_000


def _module_parts(path: str) -> List[str]:
    stem = os.path.splitext(os.path.basename(path))[0]
    return [] if stem == "__init__" else [stem]


class ProjectIndex:
    """One run's index of the checked files. Picklable: workers get a copy (and fill their own
    lazy summaries)."""

    def __init__(self, files: Sequence[str], root: str = ".", reproducible: Optional[bool] = None) -> None:
        self.root = os.path.abspath(root)
        self.reproducible_setting = reproducible
        self.files = [os.path.abspath(f) for f in files if f.endswith((".py", ".pyi", ".ipynb"))]
        self._python = {f for f in self.files if f.endswith((".py", ".pyi"))}
        self.facts: Dict[str, FileFacts] = {}
        self.digests: Dict[str, str] = {}  # path -> sha256 of its bytes (when the cache is on)
        self._packages: Dict[str, Optional[str]] = {}
        self._by_name: Dict[str, str] = {}
        self._init_dirs: Dict[str, bool] = {}
        for path in sorted(self._python):
            for name in self._names_for(path):
                self._by_name.setdefault(name, path)
        self._tops = {name.split(".")[0] for name in self._by_name}
        self._summaries: Dict[str, ModuleSummary] = {}
        self.consulted: Dict[str, Set[str]] = {}  # linted file -> project files it read
        self.missing: Dict[str, Set[str]] = {}  # linted file -> module names it looked for in vain
        self.consumer: Optional[str] = None  # the linted file the current question is for
        self._reaches: Dict[str, bool] = {}
        self._imports: Dict[str, Tuple[str, ...]] = {}  # file -> project files it imports
        # Memos of the import graph (it does not change during a run): a file's transitive
        # imports, a seed helper's importers, and the union of the closures one file consulted.
        self._closures: Dict[str, FrozenSet[str]] = {}
        self._helper_importers: Dict[str, List[str]] = {}
        self._unions: Dict[Tuple[str, ...], FrozenSet[str]] = {}
        self._memo_room = _MEMO_ROOM
        self._fingerprint: Optional[str] = None
        self._seeding: Optional[List[str]] = None
        self._backends: Optional[List[Tuple[str, str]]] = None

    # -- module names -------------------------------------------------------------------------

    def _is_package_dir(self, directory: str) -> bool:
        known = self._init_dirs.get(directory)
        if known is None:
            known = os.path.join(directory, "__init__.py") in self._python or os.path.isfile(os.path.join(directory, "__init__.py"))
            self._init_dirs[directory] = known
        return known

    def _package_module(self, path: str) -> Tuple[List[str], str]:
        """(dotted parts of the module through its ``__init__.py`` packages, the folder above the top package)."""
        parts = _module_parts(path)
        directory = os.path.dirname(path)
        while self._is_package_dir(directory) and os.path.dirname(directory) != directory:
            parts.insert(0, os.path.basename(directory))
            directory = os.path.dirname(directory)
        return parts, directory

    def _names_for(self, path: str) -> List[str]:
        parts, _ = self._package_module(path)
        names = [".".join(parts)] if parts else []
        # Also as seen from the project root (and a src/ layout), for namespace packages.
        for base in (self.root, os.path.join(self.root, "src")):
            rel = os.path.relpath(path, base)
            if not rel.startswith(".."):
                dotted = rel[: -len(os.path.splitext(rel)[1])].replace(os.sep, ".").split(".")
                dotted = dotted[:-1] if dotted[-1] == "__init__" else dotted
                if dotted and all(p.isidentifier() for p in dotted):
                    names.append(".".join(dotted))
        return names

    def package_of(self, path: str) -> Optional[str]:
        path = os.path.abspath(path)
        if path not in self._packages:
            parts, _ = self._package_module(path)
            if os.path.basename(path).startswith("__init__."):
                package = ".".join(parts)
            else:
                package = ".".join(parts[:-1])
            self._packages[path] = package or None
        return self._packages[path]

    def find_module(self, name: str, from_path: str) -> Optional[str]:
        """The checked file that ``import name`` reaches from ``from_path``: a sibling module
        (the script's folder is on sys.path), else the module of that dotted name."""
        directory = os.path.dirname(from_path)
        relative = os.path.join(directory, *name.split("."))
        for candidate in (relative + ".py", os.path.join(relative, "__init__.py")):
            if candidate in self._python and candidate != from_path:
                return candidate
        found = self._by_name.get(name)
        return found if found != from_path else None

    # -- summaries ----------------------------------------------------------------------------

    def summary(self, path: str) -> ModuleSummary:
        summary = self._summaries.get(path)
        if summary is None:
            try:
                with open(path, "rb") as handle:
                    source = handle.read().decode("utf-8-sig", errors="replace")
            except OSError:
                source = ""
            summary = summarize(source, self.package_of(path))
            self._summaries[path] = summary
        return summary

    def _locate(self, qualified: str, from_path: str) -> Optional[Tuple[str, List[str]]]:
        """(project file, the names after its module) for a qualified name, longest module first."""
        parts = qualified.split(".")
        directory = os.path.dirname(from_path)
        top = parts[0]
        # Everything read on behalf of a linted file is its dependency (also through other modules).
        consumer = self.consumer or from_path
        if top not in self._tops and not (
            os.path.join(directory, top + ".py") in self._python
            or os.path.join(directory, top, "__init__.py") in self._python
        ):
            self.missing.setdefault(consumer, set()).add(top)  # not a project module (numpy, os, ...)
            return None
        for cut in range(len(parts), 0, -1):
            name = ".".join(parts[:cut])
            path = self.find_module(name, from_path)
            if path is not None:
                self.consulted.setdefault(consumer, set()).add(path)
                return path, parts[cut:]
            self.missing.setdefault(consumer, set()).add(name)
        return None

    def expand(self, qualified: str, from_path: str, depth: int = 0) -> str:
        """Follow re-exports through project modules: ``compat.keras.layers`` where ``compat.py``
        has ``keras = tf.keras`` -> ``tensorflow.keras.layers``."""
        if depth > _MAX_DEPTH:
            return qualified
        located = self._locate(qualified, from_path)
        if located is None:
            return qualified
        path, rest = located
        if not rest:
            return qualified
        target = self.summary(path).names.get(rest[0])
        if target is None:
            return qualified
        return self.expand(".".join([target] + rest[1:]), path, depth + 1)

    def call_type(self, qualified: str, from_path: str, depth: int = 0) -> Optional[str]:
        """What calling a project function or class returns, as a canonical Keras type."""
        if depth > _MAX_DEPTH:
            return None
        located = self._locate(qualified, from_path)
        if located is None or len(located[1]) != 1:
            return None
        path, (name,) = located
        summary = self.summary(path)
        if name in summary.functions:
            return self._returns_type(summary.functions[name], path, depth)
        if name in summary.classes:
            return _instance_type(self._class_keras_bases(path, name, depth))
        if name in summary.names:
            return self._spec_type("call:" + summary.names[name], path, depth)
        return None

    def defines(self, module: str, name: str, from_path: str) -> bool:
        """Does the project module ``module`` define or import ``name`` (what ``from module
        import *`` brings)?"""
        path = self.find_module(module, from_path)
        if path is None:
            self.missing.setdefault(self.consumer or from_path, set()).add(module)
            return False
        self.consulted.setdefault(self.consumer or from_path, set()).add(path)
        summary = self.summary(path)
        return name in summary.functions or name in summary.classes or name in summary.names

    def element_type(self, qualified: str, position: int, from_path: str) -> Optional[str]:
        """Element ``position`` of the tuple a project function returns, as a canonical Keras type."""
        located = self._locate(qualified, from_path)
        if located is None or len(located[1]) != 1:
            return None
        path, (name,) = located
        summary = self.summary(path)
        if name in summary.functions:
            return self._returns_type(summary.functions[name], path, 0, position)
        if name in summary.names:
            return self.element_type(summary.names[name], position, path)
        return None

    def attribute_type(self, qualified: str, attr: str, from_path: str, depth: int = 0) -> Optional[str]:
        """The Keras type of ``self.<attr>`` as a project class (or its project bases) sets it:
        every assignment gives the same type (``None`` placeholders aside)."""
        if depth > _MAX_DEPTH:
            return None
        located = self._locate(qualified, from_path)
        if located is None or len(located[1]) != 1:
            return None
        path, (name,) = located
        summary = self.summary(path)
        if name in summary.names:
            return self.attribute_type(summary.names[name], attr, path, depth + 1)
        return self._own_attribute_type(path, name, attr, depth)

    def _own_attribute_type(self, path: str, name: str, attr: str, depth: int) -> Optional[str]:
        summary = self.summary(path)
        if name not in summary.classes or depth > _MAX_DEPTH:
            return None
        specs = summary.attributes.get(name, {}).get(attr)
        if specs:
            return self._returns_type([s for s in specs if s != "none"], path, depth)
        for base in summary.classes[name]:
            if base.startswith("@"):
                kind = self._own_attribute_type(path, base[1:], attr, depth + 1)
            elif base != "?":
                kind = self.attribute_type(base, attr, path, depth + 1)
            else:
                kind = None
            if kind is not None:
                return kind
        return None

    def class_bases(self, qualified: str, from_path: str, depth: int = 0) -> List[str]:
        """The canonical Keras bases a project class reaches (through other project classes)."""
        located = self._locate(qualified, from_path)
        if located is None or len(located[1]) != 1:
            return []
        path, (name,) = located
        summary = self.summary(path)
        if name in summary.names:
            return self._bases_of_target(summary.names[name], path, depth + 1)
        return self._class_keras_bases(path, name, depth)

    def constant(self, qualified: str, from_path: str) -> Optional[str]:
        """The string a module-level constant of another project file holds (``config.SAVE_PATH``)."""
        located = self._locate(qualified, from_path)
        if located is None or len(located[1]) != 1:
            return None
        path, (name,) = located
        summary = self.summary(path)
        if name in summary.constants:
            return summary.constants[name]
        if name in summary.names:
            return self.constant(summary.names[name], path)
        return None

    def _class_keras_bases(self, path: str, name: str, depth: int) -> List[str]:
        if depth > _MAX_DEPTH:
            return []
        found: List[str] = []
        for base in self.summary(path).classes.get(name, ()):
            found.extend(self._bases_of_target(base, path, depth + 1))
        return found

    def _bases_of_target(self, target: str, path: str, depth: int) -> List[str]:
        if depth > _MAX_DEPTH or target == "?":
            return []
        if target.startswith("@"):
            return self._class_keras_bases(path, target[1:], depth + 1)
        from ..resolver import canonicalize

        resolved = canonicalize(target)
        if resolved.origin is None:
            resolved = canonicalize(self.expand(target, path))
        if resolved.origin is not None:
            return [resolved.canonical] if resolved.is_keras3 else []
        return self.class_bases(target, path, depth + 1)

    def _returns_type(self, specs: List[str], path: str, depth: int, position: Optional[int] = None) -> Optional[str]:
        if not specs:
            return None
        kinds = set()
        for spec in specs:
            if position is not None or spec.startswith("tuple:"):
                # `a, b = make()`: element `position` of every returned tuple.
                elements = spec[len("tuple:"):].split("\t") if spec.startswith("tuple:") else []
                if position is None or position >= len(elements):
                    return None
                spec = elements[position]
            kind = self._spec_type(spec, path, depth + 1)
            if kind is None:
                return None  # one return we cannot see through: unknown
            kinds.add(kind)
        from ..resolver import common_type

        return common_type(kinds)

    def _spec_type(self, spec: str, path: str, depth: int) -> Optional[str]:
        if depth > _MAX_DEPTH or spec in ("?", "none"):
            return None
        kind, _, target = spec.partition(":")
        if target == "?":
            return None
        summary = self.summary(path)
        if target.startswith("@"):
            local = target[1:]
            if kind == "call" and local in summary.functions:
                return self._returns_type(summary.functions[local], path, depth + 1)
            if local in summary.classes:
                return _instance_type(self._class_keras_bases(path, local, depth + 1))
            return None
        from ..resolver import canonicalize, keras_call_type

        resolved = canonicalize(target)
        if resolved.origin is None:
            target = self.expand(target, path)
            resolved = canonicalize(target)
        if resolved.origin is not None:
            if not resolved.is_keras3:
                return None
            if kind == "type":
                return resolved.canonical if _is_class_name(resolved.canonical) else None
            return keras_call_type(resolved.canonical)
        return self.call_type(target, path, depth + 1)

    # -- facts ----------------------------------------------------------------------------------

    def add_facts(self, path: str, facts: FileFacts) -> None:
        self.facts[os.path.abspath(path)] = facts
        self._fingerprint = None
        self._seeding = self._backends = None

    def reaches_keras(self, path: str, depth: int = 0) -> bool:
        """The module mentions Keras, or imports a project module that reaches it."""
        if path in self._reaches:
            return self._reaches[path]
        self._reaches[path] = False  # cycles
        found = self.mentions_keras(path)
        if not found and depth < _MAX_DEPTH:
            try:
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8-sig", errors="replace")
            except OSError:
                text = ""
            found = any(self.reaches_keras(module, depth + 1) for module in self._imported_files(text, path))
        self._reaches[path] = found
        return found

    def imported_by(self, path: str, consumer: str) -> Set[str]:
        """Every project file ``path`` imports, directly or through other project files (a regex
        over import lines). All files read count as dependencies of ``consumer``."""
        seen = self._closure(path)
        self.consulted.setdefault(consumer, set()).update(seen - {consumer})
        return set(seen - {path})

    def _closure(self, path: str) -> FrozenSet[str]:
        """``path`` and every project file it imports, directly or through others (memoised:
        every linted file asks it of every seeding file)."""
        closure = self._closures.get(path)
        if closure is None:
            seen: Set[str] = set()
            stack = [path]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                stack.extend(self._direct_imports(current))
            closure = frozenset(seen)
            if self._memo_room >= len(closure):
                self._memo_room -= len(closure)
                self._closures[path] = closure
        return closure

    def _direct_imports(self, path: str) -> Tuple[str, ...]:
        imports = self._imports.get(path)
        if imports is None:
            try:
                with open(path, "rb") as handle:
                    text = _python_source(path, handle.read()) or ""
            except OSError:
                text = ""
            imports = self._imports[path] = tuple(self._imported_files(text, path))
        return imports

    def seeders_of(self, path: str) -> List[str]:
        """The seeding files (not tests) whose run reaches ``path``: the file itself, or a file
        that imports it directly or through others. A file that seeds only inside functions (a
        ``seed_everything`` helper) reaches through the files that import it. Independent
        scripts of one repository do not seed each other."""
        found = []
        consulted: List[str] = []  # roots whose closures were read (dependencies of `path`)
        for seeder in self.seeding_files():
            roots = [seeder]
            if self.facts[seeder].seed_helper:
                # (Which files import the helper is not recorded as a dependency of `path`.)
                roots += self._importers_of_helper(seeder)
            for root in roots:
                if root == path:
                    found.append(seeder)
                    break
                consulted.append(root)
                if path in self._closure(root):
                    found.append(seeder)
                    break
        if consulted:
            # One set update per linted file (as `imported_by` for each root, without its cost).
            key = tuple(consulted)
            union = self._unions.get(key)
            if union is None:
                union = frozenset().union(*(self._closure(root) for root in consulted))
                if self._memo_room >= len(union):
                    self._memo_room -= len(union)
                    self._unions[key] = union
            self.consulted.setdefault(path, set()).update(union - {path})
        return found

    def _importers_of_helper(self, seeder: str) -> List[str]:
        importers = self._helper_importers.get(seeder)
        if importers is None:
            importers = [f for f in sorted(self._python) if f != seeder and seeder in self._direct_imports(f)]
            self._helper_importers[seeder] = importers
        return importers

    def _imported_files(self, text: str, path: str) -> List[str]:
        """Project files a text imports (a regex over its import lines: no parse)."""
        package = self.package_of(path)
        found = []
        for match in _IMPORT_LINE.finditer(text):
            relative, imported, plain = match.groups()
            if plain is not None:
                modules = [m.strip().split(" ")[0] for m in plain.split(",")]
            else:
                base = relative.lstrip(".")
                level = len(relative) - len(base)
                if level:
                    if package is None:
                        continue
                    from ..resolver import absolute_module

                    base = absolute_module(package, level, base or None) or ""
                if not base:
                    continue
                modules = [f"{base}.{n.strip().split(' ')[0]}" for n in imported.split(",") if n.strip()]
            for module in modules:
                located = self._locate(module, path) if module else None
                if located is not None and located[0] not in found:
                    found.append(located[0])
        return found

    def mentions_keras(self, path: str) -> bool:
        facts = self.facts.get(path)
        if facts is None:  # no facts gathered (an index built in a test): read the file
            try:
                with open(path, "rb") as handle:
                    facts = scan_facts(path, handle.read())
            except OSError:
                facts = FileFacts()
            self.facts[path] = facts
        return facts.keras

    def seeding_files(self) -> List[str]:
        """Files (not tests) that seed a global random generator."""
        if self._seeding is None:
            self._seeding = sorted(p for p, f in self.facts.items() if f.seeds and not is_test_file(p))
        return self._seeding

    def backends(self) -> List[Tuple[str, str]]:
        """(backend, file) for every ``KERAS_BACKEND`` the project's files select."""
        if self._backends is None:
            found: List[Tuple[str, str]] = []
            for path, facts in sorted(self.facts.items()):
                for _, backend in facts.backends:
                    if not is_test_file(path) and (backend, path) not in found:
                        found.append((backend, path))
            self._backends = found
        return self._backends

    def fingerprint(self) -> str:
        """What every file's result may depend on besides its own bytes and imports."""
        if self._fingerprint is None:
            data = [self.reproducible_setting, self.seeding_files(), self.backends()]
            self._fingerprint = hashlib.sha256(json.dumps(data).encode("utf-8", "surrogatepass")).hexdigest()[:24]
        return self._fingerprint

    # -- per file -------------------------------------------------------------------------------

    def view(self, path: str) -> "ProjectView":
        return ProjectView(self, os.path.abspath(path))

    def dependencies(self, path: str) -> dict:
        """What linting ``path`` consumed: {"files": {path: digest}, "missing": [module names]}."""
        path = os.path.abspath(path)
        files = {p: self.digests.get(p, "") for p in sorted(self.consulted.pop(path, ()))}
        return {"files": files, "missing": sorted(self.missing.pop(path, ()))}

    def still_valid(self, path: str, dependencies: dict) -> bool:
        path = os.path.abspath(path)
        for dep, digest in dependencies.get("files", {}).items():
            if self.digests.get(dep) != digest or not digest:
                return False
        for name in dependencies.get("missing", ()):
            if self.find_module(name, path) is not None:
                return False
        return True


def _instance_type(bases: List[str]) -> Optional[str]:
    from ..resolver import instance_type  # LibCST is imported only when a file is linted

    return instance_type(bases)


def _is_class_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return bool(last) and last[0].isupper()


class ProjectView:
    """The index as one linted file sees it (what the resolver and the rules may ask)."""

    def __init__(self, index: ProjectIndex, path: str) -> None:
        self.index = index
        self.path = path
        self.package = index.package_of(path)
        self.relative_path = os.path.relpath(path, index.root).replace(os.sep, "/")
        self._expanded: Dict[str, str] = {}
        self._types: Dict[str, Optional[str]] = {}
        self._backends: Optional[List[str]] = None
        self._seeders: Optional[List[str]] = None

    def expand(self, qualified: str) -> str:
        found = self._expanded.get(qualified)
        if found is None:
            self.index.consumer = self.path
            found = self._expanded[qualified] = self.index.expand(qualified, self.path)
        return found

    def call_type(self, qualified: str) -> Optional[str]:
        if qualified not in self._types:
            self.index.consumer = self.path
            self._types[qualified] = self.index.call_type(qualified, self.path)
        return self._types[qualified]

    def defines(self, module: str, name: str) -> bool:
        """``from module import *`` of a project module brings ``name``."""
        key = f"{module}*{name}"
        if key not in self._types:
            self.index.consumer = self.path
            self._types[key] = "yes" if self.index.defines(module, name, self.path) else None
        return self._types[key] is not None

    def element_type(self, qualified: str, position: int) -> Optional[str]:
        """Element ``position`` of the tuple a project function returns (``model, enc = build()``)."""
        key = f"{qualified}[{position}]"
        if key not in self._types:
            self.index.consumer = self.path
            self._types[key] = self.index.element_type(qualified, position, self.path)
        return self._types[key]

    def attribute_type(self, qualified: str, attr: str) -> Optional[str]:
        """``self.<attr>`` as the project class ``qualified`` (a base class in another file) sets it."""
        key = f"{qualified}#{attr}"
        if key not in self._types:
            self.index.consumer = self.path
            self._types[key] = self.index.attribute_type(qualified, attr, self.path)
        return self._types[key]

    def class_bases(self, qualified: str) -> List[str]:
        self.index.consumer = self.path
        return self.index.class_bases(qualified, self.path)

    def constant(self, qualified: str) -> Optional[str]:
        """The string a module-level constant of another project file holds, e.g. for
        ``config.SAVE_PATH`` or ``from config import SAVE_PATH`` (resolve the name first)."""
        self.index.consumer = self.path
        return self.index.constant(qualified, self.path)

    def reaches_keras(self, text: str) -> bool:
        """Does this text import a project module that reaches Keras? Such a file is checked
        even when it never names Keras itself (``from models import build_model``)."""
        self.index.consumer = self.path
        return any(self.index.reaches_keras(module) for module in self.index._imported_files(text, self.path))

    def seeding_files(self) -> List[str]:
        """Other project files whose seeding reaches this one (relative to the project root)."""
        if self._seeders is None:
            self._seeders = self.index.seeders_of(self.path)
        return [os.path.relpath(p, self.index.root).replace(os.sep, "/") for p in self._seeders if p != self.path]

    @property
    def reproducible(self) -> Optional[bool]:
        """True/False when the setting says so; True when a seeding file reaches this one; else None."""
        if self.index.reproducible_setting is not None:
            return self.index.reproducible_setting
        return True if self.seeding_files() else None

    def backends(self) -> List[str]:
        """Backends that a file running this one selects: ``KERAS_BACKEND`` set here or by a
        project file that imports this one (directly or through others). Not every file of the
        project: a repository of independent scripts, one of them on JAX, is not all on JAX."""
        if self._backends is None:
            found: List[str] = []
            for backend, setter in self.index.backends():
                if backend in found:
                    continue
                if setter == self.path or self.path in self.index.imported_by(setter, self.path):
                    found.append(backend)
            self._backends = found
        return self._backends


# ---------------------------------------------------------------------------------------------
# The project a front-end is checking (set by the batch around each file; flake8 and stdin
# never set one, so they see one file).

_ACTIVE: Optional[ProjectIndex] = None


def set_active(index: Optional[ProjectIndex]) -> Optional[ProjectIndex]:
    """Make ``index`` the project being checked; returns the previous one (to restore)."""
    global _ACTIVE
    previous, _ACTIVE = _ACTIVE, index
    return previous


def active_view(path: str) -> Optional[ProjectView]:
    if _ACTIVE is None or not path:
        return None
    return _ACTIVE.view(path)


def gather(files: Sequence[str], root: str = ".", reproducible: Optional[bool] = None) -> ProjectIndex:
    """An index with every file's facts scanned (``--show-settings``; the batch does the same
    with its cache)."""
    index = ProjectIndex(files, root, reproducible)
    for path in files:
        try:
            with open(path, "rb") as handle:
                index.add_facts(path, scan_facts(path, handle.read()))
        except OSError:
            continue
    return index


def describe(index: ProjectIndex) -> dict:
    """The inferred project facts, for ``--show-settings``."""
    seeding = {}
    for path in index.seeding_files():
        seeding[os.path.relpath(path, index.root)] = sorted({name for _, name in index.facts[path].seeds})
    return {
        "seeding": seeding,
        "backends": {b: os.path.relpath(p, index.root) for b, p in index.backends()},
        "reproducible": index.reproducible_setting if index.reproducible_setting is not None else bool(seeding),
        "reproducible_source": "setting" if index.reproducible_setting is not None else (
            "inferred: for the seeding files and the files they import" if seeding else "inferred: no file seeds"
        ),
    }

