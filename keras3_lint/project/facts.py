"""Project facts one file states: which global random generators it seeds, which Keras backend
it selects, whether it mentions Keras at all. JSON-able: they live in the file's cache entry."""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from .sources import _canonical, _is_none_constant, _names_in, _python_source, _qualify

# Global seeding calls (canonical names; `keras.utils.set_random_seed` covers tf.keras and tf_keras).
FULL_SEEDING = frozenset({"keras.utils.set_random_seed", "random.seed"})
TF_ONLY_SEEDING = frozenset(
    {
        "tensorflow.random.set_seed",
        "tensorflow.compat.v1.set_random_seed",
        "tensorflow.compat.v1.random.set_random_seed",
        "tensorflow.set_random_seed",
    }
)
NUMPY_SEEDING = frozenset({"numpy.random.seed"})
ALL_SEEDING = FULL_SEEDING | TF_ONLY_SEEDING | NUMPY_SEEDING

BACKENDS = ("tensorflow", "jax", "torch", "numpy", "openvino")
# The last names of the calls scan_facts looks for.
_FACT_CALL_NAMES = frozenset({name.rpartition(".")[2] for name in ALL_SEEDING} | {"setdefault", "putenv", "set_backend"})

# Files that may state a project fact; everything else is not parsed for facts.
_FACT_HINT = re.compile(rb"(?:\.seed|set_random_seed|set_seed)\s*\(|KERAS_BACKEND|set_backend")
_SEED_CALL = re.compile(rb"seed\s*\(")


def _may_state_facts(data: bytes) -> bool:
    """``_FACT_HINT.search(data)``, 8x faster: literal searches, then what precedes each `seed(`."""
    if b"KERAS_BACKEND" in data or b"set_backend" in data:
        return True
    for match in _SEED_CALL.finditer(data):
        start = match.start()
        if data[start - 1:start] == b"." or data[max(0, start - 11):start] == b"set_random_" or data[max(0, start - 4):start] == b"set_":
            return True
    return False
_KERAS_HINT = re.compile(rb"keras|tensorflow|tf_keras")  # as engine.MENTIONS_KERAS


@dataclass
class FileFacts:
    seeds: List[Tuple[int, str]] = field(default_factory=list)  # (line, canonical seeding call)
    backends: List[Tuple[int, str]] = field(default_factory=list)  # (line, backend) set by the file
    keras: bool = False  # the file mentions Keras or TensorFlow (so importing it may give Keras objects)
    seed_helper: bool = False  # it seeds only inside functions (`seed_everything()`): its importers seed

    def to_json(self) -> dict:
        return {
            "seeds": [list(s) for s in self.seeds], "backends": [list(b) for b in self.backends],
            "keras": self.keras, "seed_helper": self.seed_helper,
        }

    @classmethod
    def from_json(cls, data: dict) -> "FileFacts":
        return cls(
            [(int(r), str(n)) for r, n in data.get("seeds", ())],
            [(int(r), str(b)) for r, b in data.get("backends", ())],
            bool(data.get("keras", False)),
            bool(data.get("seed_helper", False)),
        )


def is_test_file(path: str) -> bool:
    """Tests seed to make their own assertions deterministic, not the project's training."""
    parts = os.path.normpath(path).replace(os.sep, "/").split("/")
    name = parts[-1]
    if name.startswith("test_") or name.endswith(("_test.py", "_tests.py")) or name == "conftest.py":
        return True
    return any(part in ("tests", "test", "testing") for part in parts[:-1])


def scan_facts(path: str, data: bytes) -> FileFacts:
    """The project facts one file states (cheap: most files are not parsed at all)."""
    keras = _KERAS_HINT.search(data) is not None
    if not _may_state_facts(data):
        return FileFacts(keras=keras)
    source = _python_source(path, data)
    if source is None:
        return FileFacts(keras=keras)
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return FileFacts(keras=keras)
    names = _names_in(tree, everywhere=True)
    facts = FileFacts(keras=keras)
    seeds_by_owner: Dict[Optional[int], List[Tuple[int, str]]] = {}
    for node, owner in _nodes_with_owner(tree):
        if isinstance(node, ast.Call):
            qualified = _qualify(node.func, names)
            if qualified is None or qualified.rpartition(".")[2] not in _FACT_CALL_NAMES:
                continue  # canonicalising keeps the last name of every call below: skip the rest
            canonical = _canonical(qualified)
            if canonical in ALL_SEEDING and any(not _is_none_constant(a) for a in node.args[:1] + [k.value for k in node.keywords]):
                seeds_by_owner.setdefault(owner, []).append((node.lineno, canonical))
            elif canonical in ("os.environ.setdefault", "os.putenv") and len(node.args) >= 2:
                _note_backend(facts, node.lineno, node.args[0], node.args[1])
            elif canonical == "keras.config.set_backend" and node.args:
                _note_backend(facts, node.lineno, None, node.args[0])
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _qualify(target.value, names) == "os.environ":
                    _note_backend(facts, node.lineno, target.slice, node.value)
    for owner, seeds in seeds_by_owner.items():
        if owner is None or _seeds_for_training(seeds):
            facts.seeds.extend(seeds)
    facts.seeds.sort()
    facts.seed_helper = bool(facts.seeds) and None not in seeds_by_owner
    return facts


def _seeds_for_training(seeds: List[Tuple[int, str]]) -> bool:
    """Seeding inside a function counts when it seeds TensorFlow/Keras, or several generators
    (``seed_everything``); ``np.random.seed(0); np.random.shuffle(ids)`` alone makes a data split
    deterministic, not training."""
    names = {name for _, name in seeds}
    return len(names) >= 2 or bool(names & (TF_ONLY_SEEDING | {"keras.utils.set_random_seed"}))


def _nodes_with_owner(tree: ast.AST) -> Iterable[Tuple[ast.AST, Optional[int]]]:
    """Every node with the id of the innermost function around it (None at module level)."""
    stack: List[Tuple[ast.AST, Optional[int]]] = [(tree, None)]
    while stack:
        node, owner = stack.pop()
        yield node, owner
        inner = id(node) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else owner
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def _note_backend(facts: FileFacts, line: int, key: Optional[ast.AST], value: ast.AST) -> None:
    if key is not None and not (isinstance(key, ast.Constant) and key.value == "KERAS_BACKEND"):
        return
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        backend = value.value.strip().lower()
        if backend in BACKENDS:
            facts.backends.append((line, backend))

