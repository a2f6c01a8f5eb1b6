"""Which crashes are outside keras3-lint's scope: not a change between Keras 2 and Keras 3 (pure).

Issue 10 asks that every crash statement either carries a finding or is recorded as outside the
tool's scope. The classes below are the ones a corpus run meets; each has a recognisable
exception, so the table says why a crash is out of scope instead of a person deciding it per run.
A crash that matches none of them is in scope: a Keras change, whether or not a rule knows it.
"""

from __future__ import annotations

import ast
import re
from typing import FrozenSet, Iterable, Optional

# NumPy 1.24 removed the aliases of builtins (`np.float`, `np.int`, ...): a NumPy change.
_NUMPY_ALIAS = re.compile(r"module 'numpy' has no attribute '(float|int|bool|object|str|long|unicode|complex)'")
# NumPy 2 reprs scalars with their type (`np.float64(8.18)`): programs that write `repr(value)`
# into text files (CSV) and parse them back fail on the text, not on Keras.
_NUMPY2_REPR = re.compile(r"np\.(float|int|uint|complex|bool_?)\d*\(")
# TensorFlow 1.x names that TF 2 dropped long before Keras 3 (`tf.contrib`, `tf.random_uniform`,
# `dataset.make_one_shot_iterator()`, `tf.Session`, ...).
_TF1_MODULE = re.compile(r"No module named 'tensorflow\.contrib")
_TF1_ATTRIBUTE = re.compile(
    r"module 'tensorflow' has no attribute '(random_uniform|random_normal|placeholder|Session|get_default_graph|"
    r"global_variables_initializer|ConfigProto|contrib|log|to_float|to_int32|py_func|set_random_seed|"
    r"variable_scope|get_variable|InteractiveSession|truncated_normal|train)'"
    r"|object has no attribute 'make_(one_shot|initializable)_iterator'"
)


def out_of_scope(run: dict, kind: str = "script", bound_names: Optional[FrozenSet[str]] = None) -> Optional[str]:
    """Why a crash is not a Keras 2 -> Keras 3 change, or None when it may be one.

    `kind` is the program's: "script" or "notebook"; `bound_names`, the names the original
    program binds anywhere (a NameError on one of them may be a fix's doing: in scope).
    """
    exception, message = run.get("exception") or "", run.get("message") or ""
    text = ((run.get("frame") or {}).get("text") or "").strip()
    if exception == "AttributeError" and _NUMPY_ALIAS.search(message):
        return "NumPy >= 1.24 removed the builtin aliases"
    if _NUMPY2_REPR.search(message):
        return "NumPy >= 2 prints scalars as `np.float64(...)` (the program wrote that text as data)"
    if (exception == "ModuleNotFoundError" and _TF1_MODULE.search(message)) or (
            exception == "AttributeError" and _TF1_ATTRIBUTE.search(message)):
        return "TensorFlow 1.x API"
    if exception == "SyntaxError":
        return "the notebook's own source does not parse"
    if exception == "AssertionError" and re.search(r"__version__\s*[<>]=?\s*['\"]", text):
        return "the program's own version check"
    if exception == "NameError" and kind == "notebook" and bound_names is not None:
        name = re.match(r"name '(\w+)' is not defined", message)
        if name and name.group(1) not in bound_names:
            return "a notebook cell uses a name no cell of the notebook defines"
    if exception == "AttributeError" and "'NoneType' object has no attribute" in message and re.search(r"re\.split\(r?['\"][^'\"]*\)\?", text):
        return "Python >= 3.7: re.split gives None for an optional group that did not match"
    if exception == "TypeError" and "not <class 'NoneType'>" in message and "path" in message:
        return "the program needs a command-line argument (a file path)"
    return None


def bound_names(sources: Iterable[str]) -> FrozenSet[str]:
    """Every name the given code binds (assignments, defs, classes, imports, loop targets...)."""
    names = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        augmented = {id(node.target) for node in ast.walk(tree) if isinstance(node, ast.AugAssign)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in augmented:
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return frozenset(names)
