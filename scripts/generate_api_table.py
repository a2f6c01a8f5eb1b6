"""Generate keras3_lint/data/api_table.json from the real Keras 2 (tf_keras) and Keras 3 packages.

Run in an environment with tensorflow, tf_keras and keras installed (.venv-evidence), after
downloading the old standalone Keras 2 releases once (they are read statically, never imported;
afterwards the generator works offline):

    python scripts/keras2_static_api.py --download ~/.cache/keras3-lint/keras2-wheels
    TF_CPP_MIN_LOG_LEVEL=3 python scripts/generate_api_table.py            # write the table
    TF_CPP_MIN_LOG_LEVEL=3 python scripts/generate_api_table.py --check    # exit 1 on a diff

``--keras2-wheels DIR`` (or ``KERAS3_LINT_KERAS2_WHEELS``) points elsewhere.

What it measures (paths are relative to the package: ``layers.Dense`` is ``tf_keras.layers.Dense``
in Keras 2 and ``keras.layers.Dense`` in Keras 3):

(a) ``symbols``: public names of Keras 2 that Keras 3 lacks, found by walking ``dir()`` of every
    public module of both packages; for each, where a symbol of the same name lives in Keras 3,
    whether ``tf.keras`` (``keras._tf_keras.keras``) still has it, and the checked replacement from
    ``keras3_lint/data/api_overrides.toml``. ``modules`` adds internal module paths of older
    Keras 2 (``keras.engine.topology``) with their public replacements, each checked. A name that
    tf_keras and Keras 3's ``tf.keras`` both serve as the same object as a path Keras 3 has gets
    that path as its replacement (``losses.mse`` -> ``losses.mean_squared_error``); a class or
    function that Keras 3 keeps only in ``tf.keras``'s legacy preprocessing code gets ``route``:
    ``tensorflow.keras``, the same path there (an unsafe fix: ``ImageDataGenerator``).
(b) ``methods``: public attributes of the core classes that Keras 3 removed (class ``dir()`` of
    Keras 2 against the class and built/compiled instances of Keras 3).
(c) ``kwargs``: keyword arguments Keras 2 accepted (named parameters, plus the kwargs its base
    ``Layer`` and legacy ``Optimizer`` validate against, read from their source) that Keras 3
    rejects or ignores; every candidate is confirmed by constructing the Keras 3 class.
``compat_only``: public paths that ``tf.keras`` still serves from its compatibility surface but
``import keras`` does not.
(d) The whole Keras 2 era (scripts/keras2_static_api.py): the public paths of standalone Keras
    2.0.0-2.3.1 and of the `keras` package 2.6-2.15 join ``symbols`` (each entry's
    ``keras2_versions`` says which releases had it, e.g. "keras 2.0.0–2.3.1; tf_keras 2.21.0"; a
    name that was another public name of the same object, ``optimizers.rmsprop``, gets that name
    as its replacement), and their internal module files (``engine.topology``, ``objectives``,
    ``layers.merge``) join ``modules``, each name mapped to the public Keras 3 path of the same
    object.
(e) ``tf_keras_gaps`` (SURF-1): public paths of ``keras`` 3 that attribute access on Keras 3's
    ``tf.keras`` cannot reach, with the error, whether ``from tensorflow.keras.<m> import <n>``
    works anyway, and the path of the same object that ``tf.keras`` serves.
(f) ``signatures`` (SURF-3): for Keras 3 callables and the main model/RNN methods, the keyword
    arguments accepted and the error any other raises; classes with ``**kwargs`` are kept only
    where constructing them with an unknown keyword raises.

The output is deterministic: sorted keys, no addresses, no timestamps.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import inspect
import io
import json
import logging
import os
import re
import sys
import warnings
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Set, Tuple

if TYPE_CHECKING:  # loaded from this folder by load_old_api()
    from keras2_static_api import OldApi

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.pop("TF_USE_LEGACY_KERAS", None)
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE_PATH = os.path.join(ROOT, "keras3_lint", "data", "api_table.json")
OVERRIDES_PATH = os.path.join(ROOT, "keras3_lint", "data", "api_overrides.toml")

SKIP_MODULES = {"src", "api", "_tf_keras", "protobuf", "python", "tools"}
CORE_CLASSES = ("Model", "Sequential", "layers.Layer", "metrics.Metric", "optimizers.Optimizer",
                "layers.LSTM", "layers.GRU", "layers.SimpleRNN", "layers.RNN", "layers.Bidirectional")
TF_KERAS_VERSION = [""]  # set by generate()
DEFAULT_WHEELS = os.environ.get("KERAS3_LINT_KERAS2_WHEELS", os.path.join(os.path.expanduser("~"), ".cache", "keras3-lint", "keras2-wheels"))
REJECTION = re.compile(r"[Uu]nrecognized|not recognized|unexpected keyword|[Ii]nvalid keyword")
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


# ---------------------------------------------------------------------------------------------
# Walking the public API


def walk(root: Any, package: str) -> Dict[str, Any]:
    """Public dotted path -> object, for every module reachable from ``root`` by attribute."""
    found: Dict[str, Any] = {}
    stack: List[Tuple[str, Any]] = [("", root)]
    seen_modules: Set[Tuple[str, int]] = set()
    while stack:
        prefix, module = stack.pop()
        if (prefix, id(module)) in seen_modules:
            continue
        seen_modules.add((prefix, id(module)))
        for name in sorted(dir(module)):
            if name.startswith("_") or (not prefix and name in SKIP_MODULES) or name in ("src",):
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = getattr(module, name)
            except Exception:  # e.g. keras.optimizers.legacy.Adam raises ImportError on access
                continue
            path = f"{prefix}.{name}" if prefix else name
            if inspect.ismodule(value):
                module_name = getattr(value, "__name__", "")
                if not module_name.startswith(package) or ".src" in module_name:
                    continue
                found[path] = value
                if path.count(".") < 6:
                    stack.append((path, value))
            else:
                found[path] = value
    return found


def kind_of(value: Any) -> str:
    if inspect.ismodule(value):
        return "module"
    if inspect.isclass(value):
        return "class"
    if callable(value):
        return "function"
    return "constant"


# ---------------------------------------------------------------------------------------------
# Signatures


def _parameters(func: Any) -> Tuple[Optional[List[str]], bool]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None, False
    names, varkw = [], False
    for p in signature.parameters.values():
        if p.kind == p.VAR_KEYWORD:
            varkw = True
        elif p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            names.append(p.name)
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return names, varkw


def init_parameters(value: Any) -> Tuple[Optional[Set[str]], bool]:
    """Named parameters of a class's __init__ along the MRO while each passes **kwargs on."""
    if not inspect.isclass(value):
        names, varkw = _parameters(value)
        return (set(names) if names is not None else None), varkw
    names: Set[str] = set()
    first_varkw: Optional[bool] = None
    for klass in value.__mro__:
        if "__init__" not in vars(klass) or klass is object:
            continue
        params, varkw = _parameters(vars(klass)["__init__"])
        if params is None:
            return None, False
        names.update(params)
        if first_varkw is None:
            first_varkw = varkw
        if not varkw:
            break
    return names, bool(first_varkw)


_POPPED = re.compile(r"""kwargs\.(?:pop|get)\(\s*["'](\w+)["']|["'](\w+)["']\s+(?:not\s+)?in\s+kwargs""")


def popped_kwargs(value: Any) -> Set[str]:
    """kwargs names an __init__ along the MRO reads out of **kwargs (by source inspection)."""
    names: Set[str] = set()
    if not inspect.isclass(value):
        return names
    for klass in value.__mro__:
        if klass is object:
            continue
        for method in ("__init__", "_validate_kwargs"):
            init = vars(klass).get(method)
            if init is None:
                continue
            try:
                source = inspect.getsource(init)
            except (OSError, TypeError):
                continue
            for a, b in _POPPED.findall(source):
                names.add(a or b)
    return names


def allowed_kwargs_set(klass: Any) -> Set[str]:
    """The `allowed_kwargs = {...}` set literal in a class's __init__ source."""
    source = inspect.getsource(vars(klass)["__init__"])
    match = re.search(r"allowed_kwargs\s*=\s*\{([^}]*)\}", source)
    assert match, f"no allowed_kwargs in {klass}"
    return set(re.findall(r"""["'](\w+)["']""", match.group(1)))


# ---------------------------------------------------------------------------------------------
# Constructing Keras 3 objects to confirm what they do with a keyword argument

_SAMPLE_BY_NAME = {
    "rate": 0.5, "axis": -1, "function": (lambda x: x), "layers": [], "filepath": "x.keras",
    "target_shape": (2,), "dims": (1,), "size": 2, "cropping": 1, "padding": 1,
    "num_heads": 2, "key_dim": 2, "output_mode": "int", "max_tokens": 10, "mode": "horizontal",
    "height": 2, "width": 2, "factor": 0.1, "height_factor": 0.1, "width_factor": 0.1,
    "scale": 1.0, "offset": 0.0, "depth": 2, "num_tokens": 2, "bin_boundaries": [0.0],
    "cell": None, "layer": None, "monitor": "loss", "schedule": (lambda e, lr: lr),
    "initial_learning_rate": 0.1, "decay_steps": 1, "boundaries": [1], "values": [0.1, 0.2],
    "first_decay_steps": 1, "threshold": 0.5, "n": 2, "cell_class": None, "inputs": None,
}


def sample_for(name: str, module: Any) -> Any:
    if name in ("cell",):
        return module.layers.LSTMCell(2)
    if name in ("layer",):
        return module.layers.LSTM(2)
    if name in _SAMPLE_BY_NAME:
        return _SAMPLE_BY_NAME[name]
    if "shape" in name:
        return (2,)
    return 2


def try_construct(value: Any, module: Any, extra: Dict[str, Any]) -> Tuple[str, str]:
    """("ok" | "error" | "setup-failed", detail) for ``value(<required samples>, **extra)``."""
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        return "setup-failed", "no signature"
    args: Dict[str, Any] = {}
    for p in signature.parameters.values():
        if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL) or p.default is not p.empty:
            continue
        try:
            args[p.name] = sample_for(p.name, module)
        except Exception:
            return "setup-failed", "sample"
    # The object must build without the extra argument first, or the result says nothing.
    stream = io.StringIO()
    with warnings.catch_warnings(record=True), contextlib.redirect_stderr(stream):
        warnings.simplefilter("always")
        try:
            value(**args)
        except Exception as exc:  # noqa: BLE001
            return "setup-failed", type(exc).__name__
    caught: List[warnings.WarningMessage]
    stream = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(stream):
        warnings.simplefilter("always")
        try:
            value(**args, **extra)
        except Exception as exc:  # noqa: BLE001
            text = f"{type(exc).__name__}: {exc}".splitlines()[0]
            return "error", ADDRESS.sub("", text)
    messages = [str(w.message).splitlines()[0] for w in caught if issubclass(w.category, UserWarning)]
    messages += [line for line in stream.getvalue().splitlines() if "WARNING" in line]
    if messages:
        return "warning", ADDRESS.sub("", messages[0])
    return "ok", ""


# ---------------------------------------------------------------------------------------------


def load_overrides() -> Dict[str, Any]:
    with open(OVERRIDES_PATH, "rb") as handle:
        return tomllib.load(handle)


def match_override(table: Dict[str, Any], path: str) -> Optional[Tuple[str, Dict[str, Any]]]:
    """Exact key first, then the longest ``prefix.*`` key (``*`` matches one final segment or more)."""
    if path in table:
        return path, table[path]
    best = None
    for key in table:
        if key.endswith(".*") and path.startswith(key[:-1]):
            if best is None or len(key) > len(best):
                best = key
    return (best, table[best]) if best else None


def category_of(path: str) -> str:
    if path.startswith("backend."):
        return "backend"
    if path.startswith(("optimizers.legacy", "optimizers.experimental", "layers.experimental")):
        return "namespace"
    return "symbol"


def build_symbols(k2: Dict[str, Any], k3: Dict[str, Any], compat: Dict[str, Any],
                  overrides: Dict[str, Any], ops_checks: Dict[str, Any],
                  old: Optional["OldApi"] = None) -> Dict[str, Any]:
    by_name: Dict[str, List[str]] = {}
    for path, value in k3.items():
        by_name.setdefault(path.rsplit(".", 1)[-1], []).append(path)
    symbols: Dict[str, Any] = {}
    old_paths = old.paths if old is not None else {}
    extra_paths = {p for p in overrides.get("symbols", {}) if not p.endswith("*") and p not in k2}
    for path in sorted(set(k2) - set(k3) | extra_paths | (set(old_paths) - set(k3))):
        value = k2.get(path)
        if path in k2:
            kind = kind_of(value)
        elif path in old_paths:
            kind = old.kind(path)
        else:
            kind = "class"
        name = path.rsplit(".", 1)[-1]
        top = path.split(".")[0]
        same_name = sorted(
            (p for p in by_name.get(name, ()) if kind_of(k3[p]) == kind),
            key=lambda p: (p.split(".")[0] != top, p.count("."), p),
        )
        entry: Dict[str, Any] = {
            "category": category_of(path),
            "kind": kind,
            "in_tf_keras_2_21": path in k2,
            "works_via_tf_keras": path in compat,
            "same_name_in_keras3": same_name[:3],
            "replacement": "",
            "automatic": False,
            "identical": False,
            "works_on_keras2": False,
            "facts": [],
            "note": "",
            "keras2_versions": keras2_versions(path in k2, old_paths.get(path, {}), old),
        }
        if old is not None and path not in k2 and path in old_paths:
            # The same object had a public path that Keras 3 still has (`optimizers.rmsprop` was
            # `optimizers.RMSprop`): renaming to it is what the Keras 2 code meant.
            alias = old.public_alias(path, lambda p: kind_of(k3[p]) if p in k3 else None)
            if alias:
                # identical only if the two names were one object in every release that had it
                entry.update(replacement=alias, automatic=True, identical=old.had_both(path, alias, every=True),
                             works_on_keras2=True, note=f"`keras.{path}` was another name for `keras.{alias}`")
        if path in k2 and not entry["replacement"]:
            alias = same_object_alias(path, k2, k3, compat)
            if alias:
                # one object under two names in tf_keras, and Keras 3's own tf.keras still serves the
                # old name as the object `keras.<alias>` is: the rename changes nothing
                same_before = path not in old_paths or old is None or old.had_both(path, alias, every=True)
                entry.update(replacement=alias, automatic=True, identical=same_before, works_on_keras2=True,
                             note=f"`keras.{path}` is another name for `keras.{alias}`, the same function")
        matched = match_override(overrides.get("symbols", {}), path)
        if matched is not None:
            key, override = matched
            replacement = override.get("replacement", "")
            if replacement.endswith("*"):
                replacement = replacement[:-1] + path[len(key) - 1:]
            entry.update(
                automatic=bool(override.get("automatic")) and bool(replacement),
                identical=bool(override.get("identical")),
                facts=list(override.get("facts", [])),
                note=override.get("note", ""),
            )
            for field in ("call_rewrite", "default_kwargs", "keras2"):
                if field in override:
                    entry[field] = override[field]
            if replacement:
                if replacement not in k3 or kind_of(k3[replacement]) not in (kind, "class", "function"):
                    replacement = ""  # the override's target does not exist in Keras 3: no fix
                    entry["automatic"] = False
            entry["replacement"] = replacement
            entry["works_on_keras2"] = bool(replacement) and (replacement in k2 or (
                old is not None and path in old_paths and old.had_both(path, replacement)))
        if entry["category"] == "backend" and name in ops_checks:
            entry.update(ops_checks[name])
        if not entry["replacement"] and legacy_route(path, compat):
            # Keras 3 keeps the Keras 2 class only in tf.keras's legacy namespace: the same path
            # under `tensorflow.keras` works (deprecated, needs TensorFlow), so the fix is unsafe
            entry.update(replacement=path, route=TF_KERAS_ROUTE, automatic=True, identical=False, works_on_keras2=True)
        entry["fix"] = fix_safety(entry)
        symbols[path] = entry
    return symbols


TF_KERAS_ROUTE = "tensorflow.keras"
LEGACY_PREPROCESSING = "keras.src.legacy.preprocessing"


def same_object_alias(path: str, k2: Dict[str, Any], k3: Dict[str, Any], compat: Dict[str, Any]) -> str:
    """Another public path of the same tf_keras object that Keras 3 has, when Keras 3's ``tf.keras``
    serves ``path`` as that very Keras 3 object (``losses.mse`` is ``losses.mean_squared_error``
    in tf_keras 2.21, and Keras 3's ``tf.keras.losses.mse`` is ``keras.losses.mean_squared_error``)."""
    value, served = k2.get(path), compat.get(path)
    if value is None or served is None or inspect.ismodule(value):
        return ""
    parent = path.rpartition(".")[0]
    found = [p for p, v in k2.items() if v is value and p != path and p in k3 and k3[p] is served]
    found.sort(key=lambda p: (p.rpartition(".")[0] != parent, p.count("."), p))
    return found[0] if found else ""


def legacy_route(path: str, compat: Dict[str, Any]) -> bool:
    """Does Keras 3's ``tf.keras`` serve ``path`` from its legacy preprocessing code (a class or
    function of ``keras.src.legacy.preprocessing``, or a module of nothing else)?"""
    value = compat.get(path)
    if value is None:
        return False
    if inspect.ismodule(value):
        members = [getattr(value, n) for n in dir(value) if not n.startswith("_")]
        return bool(members) and all(getattr(m, "__module__", "").startswith(LEGACY_PREPROCESSING) for m in members)
    return getattr(value, "__module__", "").startswith(LEGACY_PREPROCESSING)


def keras2_versions(in_tf_keras: bool, releases: Dict[str, Any], old: Optional["OldApi"]) -> str:
    """"keras 2.0.0–2.3.1, 2.6.0–2.12.0; tf_keras 2.21" (the Keras 2 releases that had a path)."""
    parts = []
    if releases and old is not None:
        parts.append("keras " + old.versions(releases))
    if in_tf_keras:
        parts.append(f"tf_keras {TF_KERAS_VERSION[0]}")
    return "; ".join(parts)


def fix_safety(entry: Dict[str, Any]) -> str:
    if not entry.get("automatic") or not entry.get("replacement"):
        return "none"
    if entry.get("identical") and entry.get("works_on_keras2"):
        return "safe"
    return "unsafe"


def check_backend_ops(overrides: Dict[str, Any], k2_backend: Any, ops: Any, k2: Dict[str, Any], k3: Dict[str, Any]) -> Dict[str, Any]:
    """The K.* -> keras.ops.* call rewrites, derived and checked on the real packages (in
    scripts/backend_ops_check.py, shared with tests/evidence/test_ops_mappings.py)."""
    import keras

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import backend_ops_check
    finally:
        sys.path.pop(0)
    return backend_ops_check.check_backend_ops(overrides, k2_backend, keras, k2, k3)


def build_modules(overrides: Dict[str, Any], k2: Dict[str, Any], k3: Dict[str, Any],
                  old: Optional["OldApi"] = None) -> Dict[str, Any]:
    modules: Dict[str, Any] = {}
    if old is not None:
        for module in sorted(old.modules):
            entry = {"names": {}, "default": "", "default_names": [],
                     "keras2_versions": keras2_versions(False, old.modules[module], old)}
            for name, target in sorted(old.module_renames(module, lambda p: kind_of(k3[p]) if p in k3 else None).items()):
                entry["names"][name] = {"replacement": target, "works_on_keras2": True}
            modules[module] = entry
    for module, names in sorted(overrides.get("modules", {}).items()):
        assert module not in k3, f"{module} is public in Keras 3: not a removed module"
        entry = modules.get(module) or {"names": {}, "default": "", "default_names": [],
                                        "keras2_versions": "standalone Keras 2 (hand-checked)"}
        for name, target in sorted(names.items()):
            if name == "*":
                entry["default"] = target
                if target:
                    # the names of the target module that also exist in Keras 2's target module
                    entry["default_names"] = sorted(
                        p.rsplit(".", 1)[1] for p in k3
                        if p.rsplit(".", 1)[0] == target and kind_of(k3[p]) in ("class", "function")
                    )
                continue
            if target and target not in k3:
                raise SystemExit(f"override modules.{module}.{name}: {target} is not in Keras 3")
            entry["names"][name] = {"replacement": target, "works_on_keras2": bool(target) and (
                target in k2 or (old is not None and old.module_had(module, name, target)))}
        modules[module] = entry
    return modules


def instance_names(factory) -> Set[str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return set(dir(factory()))
    except Exception:  # noqa: BLE001
        return set()


def build_methods(k2mod: Any, k3mod: Any, overrides: Dict[str, Any]) -> Dict[str, Any]:
    import numpy as np

    def compiled_k3_model():
        model = k3mod.Sequential([k3mod.Input((3,)), k3mod.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.zeros((2, 3)), np.zeros((2, 1)), verbose=0)
        return model

    k3_instances = {
        "Model": [compiled_k3_model], "Sequential": [compiled_k3_model],
        "layers.Layer": [lambda: k3mod.layers.Dense(2)], "metrics.Metric": [lambda: k3mod.metrics.Mean()],
        "optimizers.Optimizer": [lambda: k3mod.optimizers.SGD()],
        "layers.LSTM": [lambda: k3mod.layers.LSTM(2)], "layers.GRU": [lambda: k3mod.layers.GRU(2)],
        "layers.SimpleRNN": [lambda: k3mod.layers.SimpleRNN(2)],
        "layers.RNN": [lambda: k3mod.layers.RNN(k3mod.layers.LSTMCell(2))],
        "layers.Bidirectional": [lambda: k3mod.layers.Bidirectional(k3mod.layers.LSTM(2))],
    }
    methods: Dict[str, Any] = {}
    for path in CORE_CLASSES:
        k2_class = resolve_path(k2mod, path)
        k3_class = resolve_path(k3mod, path)
        k2_names = {n for n in dir(k2_class) if not n.startswith("_")}
        if path == "optimizers.Optimizer":
            k2_names |= {n for n in dir(k2mod.optimizers.legacy.Optimizer) if not n.startswith("_")}
        k3_names = set(dir(k3_class))
        for factory in k3_instances[path]:
            k3_names |= instance_names(factory)
        short = path.rsplit(".", 1)[-1]
        extra = {key.split(".", 1)[1] for key in overrides.get("methods", {}) if key.split(".", 1)[0] == short}
        for name in sorted((k2_names - k3_names) | (extra - k3_names)):
            key = f"{short}.{name}"
            override = overrides.get("methods", {}).get(key) or (
                overrides.get("methods", {}).get(f"Model.{name}", {}) if short == "Sequential" else {})
            replacement = override.get("replacement", "")
            entry = {
                "in_tf_keras_2_21": name in k2_names,
                "replacement": replacement,
                "automatic": bool(override.get("automatic")) and bool(replacement),
                "identical": bool(override.get("identical")),
                "works_on_keras2": bool(replacement) and hasattr(k2_class, replacement),
                "facts": list(override.get("facts", [])),
                "note": override.get("note", ""),
            }
            if replacement:
                assert hasattr(k3_class, replacement) or replacement in k3_names, key
            for field in ("drop_blockers", "keras2"):
                if field in override:
                    entry[field] = override[field]
            entry["fix"] = fix_safety(entry)
            methods[key] = entry
    return methods


def resolve_path(module: Any, path: str) -> Any:
    value = module
    for part in path.split("."):
        value = getattr(value, part)
    return value


def build_kwargs(k2: Dict[str, Any], k3: Dict[str, Any], k2mod: Any, k3mod: Any,
                 overrides: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    k2_layer_base = k2mod.layers.Layer
    # Keras 2's base Layer validates **kwargs against this set (tf_keras/src/engine/base_layer.py)
    layer_allowed = allowed_kwargs_set(inspect.getmro(k2_layer_base)[0])
    legacy_optimizer_allowed = allowed_kwargs_set(k2mod.optimizers.legacy.Optimizer)
    k3_layer_base = k3mod.layers.Layer
    k3_layer_accepts = popped_kwargs(k3_layer_base)
    facts = {
        "tf_keras.layers.Layer allowed kwargs": sorted(layer_allowed),
        "tf_keras.optimizers.legacy.Optimizer allowed kwargs": sorted(legacy_optimizer_allowed),
        "keras.layers.Layer kwargs read from **kwargs": sorted(k3_layer_accepts),
    }
    result: Dict[str, Any] = {}
    owners: Dict[int, str] = {}
    for path in sorted(set(k2) & set(k3)):
        v2, v3 = k2[path], k3[path]
        kind2, kind3 = kind_of(v2), kind_of(v3)
        if kind2 not in ("class", "function") or kind3 not in ("class", "function"):
            continue
        if path.startswith(("backend.", "ops.")):
            continue
        params2, varkw2 = init_parameters(v2)
        params3, varkw3 = init_parameters(v3)
        if params2 is None or params3 is None:
            continue
        accepted2 = set(params2) | popped_kwargs(v2)
        if varkw2 and inspect.isclass(v2) and issubclass(v2, k2_layer_base):
            accepted2 |= layer_allowed
        legacy = getattr(k2mod.optimizers.legacy, path.rsplit(".", 1)[-1], None) if path.startswith("optimizers.") else None
        if inspect.isclass(legacy) and issubclass(legacy, k2mod.optimizers.legacy.Optimizer):
            legacy_params, _ = init_parameters(legacy)
            accepted2 |= set(legacy_params or ()) | legacy_optimizer_allowed
        accepted2 -= {"kwargs", "args", "name"}
        accepted3 = set(params3) | popped_kwargs(v3)
        candidates = sorted(k for k in accepted2 - set(params3) if not k.startswith("_"))
        if not candidates:
            continue
        entries: Dict[str, Any] = {}
        for kw in candidates:
            override_match = _kwarg_override(overrides, path, kw)
            if inspect.isclass(v3):
                status, detail = try_construct(v3, k3mod, {kw: 1})
            else:
                status, detail = ("static", "")
            if status == "ok":
                continue  # Keras 3 takes it
            if status == "warning":
                lowered = detail.lower()
                outcome = "ignored" if ("ignored" in lowered or "no longer supported" in lowered) else "deprecated"
            elif status == "error":
                if not REJECTION.search(detail):
                    continue  # Keras 3 takes the name; the sample value was just wrong for it
                outcome = "rejected"
            else:  # could not build the object: decide from the signatures alone
                if kw in accepted3 or varkw3:
                    continue
                outcome = "rejected"
                detail = "(from the signature; not constructed)"
            entry = {
                "outcome": outcome,
                "detail": detail,
                "replacement": "",
                "automatic": False,
                "identical": False,
                "works_on_keras2": False,
                "facts": [],
                "note": "",
            }
            if override_match is not None:
                entry.update(
                    replacement=override_match.get("replacement", ""),
                    automatic=bool(override_match.get("automatic")),
                    identical=bool(override_match.get("identical")),
                    facts=list(override_match.get("facts", [])),
                    note=override_match.get("note", ""),
                )
                entry["works_on_keras2"] = _kwarg_replacement_works_on_k2(entry["replacement"], v2, k2mod)
            entry["fix"] = "none" if not entry["automatic"] else (
                "safe" if entry["identical"] and entry["works_on_keras2"] else "unsafe")
            entries[kw] = entry
        if entries:
            result[path] = entries
    return result, facts


# ---------------------------------------------------------------------------------------------
# Strict signatures (SURF-3): which keyword arguments each Keras 3 callable accepts at all

PROBE = "keras3_lint_probe"
STRICT = re.compile(r"unexpected keyword|[Uu]nrecognized|not recognized|[Ii]nvalid keyword")
SIGNATURE_SKIP = ("ops.", "backend.", "random.", "tree.", "config.", "distribution.", "dtype_policies.",
                  "quantizers.", "export.", "visualization.", "mixed_precision.", "device", "name_scope")
# Methods checked on instances: class path -> (factory, methods)
METHOD_CLASSES = ("Model", "Sequential", "layers.LSTM", "layers.GRU", "layers.SimpleRNN", "layers.RNN",
                  "layers.ConvLSTM2D", "layers.Bidirectional")
MODEL_METHODS = ("fit", "evaluate", "predict", "compile", "train_on_batch", "test_on_batch", "predict_on_batch",
                 "save", "save_weights", "load_weights", "summary", "to_json", "get_layer")
RNN_METHODS = ("reset_states", "reset_state")


def _unexpected(qualname: str) -> str:
    return f"TypeError: {qualname}() got an unexpected keyword argument '{PROBE}'"


def _forwards_args(klass: Any) -> bool:
    """An __init__ along the **kwargs chain takes *args (``Model(*args, **kwargs)`` dispatches to
    Functional in __new__): the named parameters do not say what the constructor accepts."""
    for base in klass.__mro__:
        if base is object:
            continue
        init = vars(base).get("__init__")
        if init is None:
            continue
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):
            return True
        # the backend mixins (TFLayer, TFOptimizer) pass (*args, **kwargs) straight on
        if any(p.kind == p.VAR_POSITIONAL for p in params) and not base.__module__.startswith("keras.src.backend."):
            return True
        if not any(p.kind == p.VAR_KEYWORD for p in params):
            return False
    return False


def class_signature(path: str, v3: Any, k3mod: Any, v2: Any, k2_layer_allowed: Set[str],
                    k2_layer_base: Any) -> Optional[Dict[str, Any]]:
    params3, varkw3 = init_parameters(v3)
    if params3 is None:
        return None
    accepted = set(params3) | popped_kwargs(v3)
    init = next((vars(k)["__init__"] for k in v3.__mro__ if "__init__" in vars(k)), None)
    if not varkw3:
        return {"accepts": sorted(accepted), "error": _unexpected(init.__qualname__), "checked": "signature"}
    if _forwards_args(v3):
        return None
    status, detail = try_construct(v3, k3mod, {PROBE: 1})
    if status != "error" or not STRICT.search(detail):
        return None  # it takes (or swallows) any keyword, or could not be built: not checkable
    # The Keras 2 names the static chain misses: take them when Keras 3 does not reject them.
    if v2 is not None and inspect.isclass(v2):
        names2, varkw2 = init_parameters(v2)
        candidates = set(names2 or ()) | popped_kwargs(v2)
        if varkw2 and issubclass(v2, k2_layer_base):
            candidates |= k2_layer_allowed
        for kw in sorted(candidates - accepted - {"kwargs", "args", "self"}):
            status2, detail2 = try_construct(v3, k3mod, {kw: 1})
            if not (status2 == "error" and STRICT.search(detail2)):
                accepted.add(kw)
    return {"accepts": sorted(accepted), "error": detail.replace(": 1}", ": ...}"), "checked": "constructed"}


def build_signatures(k2: Dict[str, Any], k3: Dict[str, Any], k2mod: Any, k3mod: Any,
                     compat: Dict[str, Any]) -> Dict[str, Any]:
    """Callables whose keyword arguments Keras 3 checks: the names each accepts and the error it
    raises for any other (the probe keyword's name stands for the user's)."""
    import numpy as np

    k2_layer_allowed = allowed_kwargs_set(inspect.getmro(k2mod.layers.Layer)[0])
    callables: Dict[str, Any] = {}
    for path in sorted(k3):
        value = k3[path]
        if path.startswith(SIGNATURE_SKIP) or path.split(".")[-1].startswith("_"):
            continue
        kind = kind_of(value)
        if kind == "class":
            entry = class_signature(path, value, k3mod, k2.get(path), k2_layer_allowed, k2mod.layers.Layer)
        elif kind == "function":
            names, varkw = _parameters(value)
            if names is None or varkw:
                continue
            entry = {"accepts": sorted(names), "error": _unexpected(value.__qualname__), "checked": "signature"}
        else:
            continue
        if entry is not None:
            if compat.get(path) is not value:
                entry["not_via_tf_keras"] = True  # tf.keras.<path> is another object (or absent)
            callables[path] = entry

    model = k3mod.Sequential([k3mod.Input((3,)), k3mod.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    data = (np.zeros((2, 3)), np.zeros((2, 1)))
    instances = {
        "Model": model, "Sequential": model,
        "layers.LSTM": k3mod.layers.LSTM(2), "layers.GRU": k3mod.layers.GRU(2),
        "layers.SimpleRNN": k3mod.layers.SimpleRNN(2), "layers.RNN": k3mod.layers.RNN(k3mod.layers.LSTMCell(2)),
        "layers.ConvLSTM2D": k3mod.layers.ConvLSTM2D(2, 3), "layers.Bidirectional": k3mod.layers.Bidirectional(k3mod.layers.LSTM(2)),
    }
    probes = {"evaluate": lambda f: f(*data, verbose=0, **{PROBE: 1})}
    methods: Dict[str, Any] = {}
    for owner in METHOD_CLASSES:
        names = MODEL_METHODS + (("add", "pop") if owner == "Sequential" else ()) if owner in ("Model", "Sequential") else RNN_METHODS
        for name in names:
            method = getattr(instances[owner], name, None)
            if method is None:
                continue
            params, varkw = _parameters(method)
            if params is None:
                continue
            if not varkw:
                entry = {"accepts": sorted(params), "error": _unexpected(method.__qualname__), "checked": "signature"}
            else:
                if name not in probes:
                    continue  # forwards **kwargs elsewhere (save, load_weights): not checkable here
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        probes[name](method)
                    continue
                except Exception as exc:  # noqa: BLE001
                    detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
                if not STRICT.search(detail):
                    continue
                source = inspect.getsource(method)
                entry = {"accepts": sorted(set(params) | set(re.findall(r"""kwargs\.pop\(\s*["'](\w+)["']""", source))),
                         "error": detail.replace(": 1}", ": ...}"), "checked": "called"}
            methods.setdefault(owner, {})[name] = entry
    return {"callables": callables, "methods": methods}


def _kwarg_override(overrides: Dict[str, Any], path: str, kw: str) -> Optional[Dict[str, Any]]:
    table = overrides.get("kwargs", {})
    if f"{path}.{kw}" in table:
        return table[f"{path}.{kw}"]
    module = path.rsplit(".", 1)[0]
    return table.get(f"{module}.*.{kw}")


def _kwarg_replacement_works_on_k2(replacement: str, v2: Any, k2mod: Any) -> bool:
    if replacement in ("drop", "drop-if-false"):
        return True
    if replacement == "schedule":
        return hasattr(k2mod.optimizers.schedules, "InverseTimeDecay")
    if not replacement:
        return False
    params, _ = init_parameters(v2)
    return replacement in (params or ())


def stub_classes(k2: Dict[str, Any], k3: Dict[str, Any]) -> List[str]:
    """Keras 3 names kept only to raise an ImportError when used (``keras.optimizers.legacy.Adam``
    is a ``LegacyOptimizerWarning`` class whose constructor raises): removed in effect."""
    found = []
    for path in sorted(set(k2) & set(k3)):
        value = k3[path]
        if inspect.isclass(value) and value.__name__ != path.rsplit(".", 1)[-1]:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value()
            except ImportError:
                found.append(path)
            except Exception:  # noqa: BLE001
                pass
    return found


def build_tf_keras_gaps(k3: Dict[str, Any], compat: Dict[str, Any], compat_module: Any) -> Dict[str, Any]:
    """Public paths of Keras 3 that Keras 3's own ``tf.keras`` (``keras._tf_keras.keras``) does not
    serve as attributes (SURF-1): the error attribute access raises, whether ``from
    tensorflow.keras.<module> import <name>`` works anyway (TF imports the subpackage lazily), and
    a path of the same object that ``tf.keras`` does serve."""
    by_id: Dict[int, List[str]] = {}
    for path, value in compat.items():
        if not inspect.ismodule(value):
            by_id.setdefault(id(value), []).append(path)
    gaps: Dict[str, Any] = {}
    missing = sorted(set(k3) - set(compat))
    for path in missing:  # the attribute error, before any import below adds the attribute
        value: Any = compat_module
        error = ""
        for part in path.split("."):
            try:
                value = getattr(value, part)
            except AttributeError as exc:
                error = f"AttributeError: {exc}"
                break
        assert error, f"tf.keras.{path} resolves: not a gap"
        parent = path.rpartition(".")[0]
        name = path.rsplit(".", 1)[-1]
        aliases = sorted(by_id.get(id(k3[path]), ()), key=lambda p: (
            p.rpartition(".")[0] != parent, p.rsplit(".", 1)[-1] != name, not p.rsplit(".", 1)[-1].islower(), len(p), p))
        gaps[path] = {"kind": kind_of(k3[path]), "error": error, "alias": aliases[0] if aliases else ""}
    for path, entry in gaps.items():
        parent, _, name = path.rpartition(".")
        try:
            module = importlib.import_module("keras._tf_keras.keras" + ("." + parent if parent else ""))
            entry["importable"] = hasattr(module, name) or importlib.util.find_spec(module.__name__ + "." + name) is not None
        except ImportError:
            entry["importable"] = False
        # the first segment that attribute access cannot reach, e.g. "saving" for saving.load_model
        first = next(p for p in (".".join(path.split(".")[: i + 1]) for i in range(path.count(".") + 1)) if p not in compat)
        entry["missing_segment"] = first
    return gaps


def build_compat(k3: Dict[str, Any], compat: Dict[str, Any], k2: Dict[str, Any]) -> Dict[str, Any]:
    result: Dict[str, Any] = {}
    for path in sorted(set(compat) - set(k3)):
        if inspect.ismodule(compat[path]) and any(p.startswith(path + ".") for p in compat):
            kind = "module"
        else:
            kind = kind_of(compat[path])
        result[path] = {"kind": kind, "in_tf_keras_2_21": path in k2}
    return result


def keras3_imports(module: str) -> bool:
    """Does ``import keras.<module>`` (or ``tensorflow.keras.<module>``) work on Keras 3?"""
    for package in ("keras", "keras._tf_keras.keras"):
        try:
            if importlib.util.find_spec(f"{package}.{module}") is not None:
                return True
        except (ImportError, ValueError, AttributeError):
            pass
    return False


def load_old_api(wheels: str, k2: Dict[str, Any], k3: Dict[str, Any], compat: Dict[str, Any]) -> "OldApi":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import keras2_static_api as static
    finally:
        sys.path.pop(0)
    public_modules = {""} | {p for table in (k2, k3, compat) for p, v in table.items() if inspect.ismodule(v)}
    return static.OldApi(static.load_releases(wheels), public_modules, keras3_imports)


def generate(wheels: str = DEFAULT_WHEELS) -> Dict[str, Any]:
    logging.disable(logging.WARNING)
    import keras
    import tf_keras
    import tensorflow as tf

    TF_KERAS_VERSION[0] = tf_keras.__version__
    k3_compat_module = importlib.import_module("keras._tf_keras.keras")
    overrides = load_overrides()
    k2 = walk(tf_keras, "tf_keras")
    k3 = walk(keras, "keras")
    compat = walk(k3_compat_module, "keras")
    stubs = stub_classes(k2, k3)
    for path in stubs:
        del k3[path]
        compat.pop(path, None)
    tf_keras_gaps = build_tf_keras_gaps(k3, compat, k3_compat_module)  # before anything imports more
    old = load_old_api(wheels, k2, k3, compat)
    ops_checks = check_backend_ops(overrides, tf_keras.backend, keras.ops, k2, k3)
    symbols = build_symbols(k2, k3, compat, overrides, ops_checks, old)
    modules = build_modules(overrides, k2, k3, old)
    methods = build_methods(tf_keras, keras, overrides)
    kwargs, kwarg_facts = build_kwargs(k2, k3, tf_keras, keras, overrides)
    compat_only = build_compat(k3, compat, k2)
    signatures = build_signatures(k2, k3, tf_keras, keras, compat)
    return {
        "generated_from": {
            "keras": keras.__version__,
            "tf_keras": tf_keras.__version__,
            "tensorflow": tf.__version__,
            "keras2_releases": old.versions(old.order),
            "script": "scripts/generate_api_table.py",
            "overrides": "keras3_lint/data/api_overrides.toml",
        },
        "kwarg_facts": kwarg_facts,
        "symbols": symbols,
        "modules": modules,
        "methods": methods,
        "kwargs": kwargs,
        "compat_only": compat_only,
        "tf_keras_gaps": tf_keras_gaps,
        "signatures": signatures,
        "keras3_public": sorted(k3),
    }


def render(table: Dict[str, Any]) -> str:
    return json.dumps(table, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def main(argv: Optional[Iterable[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the checked-in table differs")
    parser.add_argument("--output", default=TABLE_PATH)
    parser.add_argument("--keras2-wheels", default=DEFAULT_WHEELS, metavar="DIR",
                        help="archives of the old Keras 2 releases (fill it once with "
                             "`python scripts/keras2_static_api.py --download DIR`; default %(default)s)")
    options = parser.parse_args(list(argv) if argv is not None else None)
    text = render(generate(options.keras2_wheels))
    if options.check:
        with open(options.output, encoding="utf-8") as handle:
            same = handle.read() == text
        print("api table is up to date" if same else "api table is STALE: re-run the generator")
        return 0 if same else 1
    with open(options.output, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    table = json.loads(text)
    print(
        f"wrote {options.output}: {len(table['symbols'])} symbols, {len(table['modules'])} modules, "
        f"{len(table['methods'])} methods, {sum(len(v) for v in table['kwargs'].values())} kwargs "
        f"on {len(table['kwargs'])} callables, {len(table['compat_only'])} compat-only paths, "
        f"{len(table['tf_keras_gaps'])} tf.keras gaps, {len(table['signatures']['callables'])} strict signatures "
        f"and {sum(len(m) for m in table['signatures']['methods'].values())} strict methods"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
