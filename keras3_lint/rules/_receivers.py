"""What a removed-method rule may conclude about the receiver of ``x.name``: a Keras class proven
through ``self`` (a method of a Keras subclass), or a receiver of unknown type that is neither a
module, nor an object of this file's own classes, nor the result of a known non-Keras library.

Only queries of the resolver; nothing here walks the tree.
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional, Set

import libcst as cst

from ..resolver import MODEL_CLASSES, Resolver
from ._api_table import table

# Top-level packages whose objects are not Keras objects (their `predict_proba`, `minimize`,
# `reset_states`, ... are their own). The result of a call into any other package, e.g. the
# project's `from models import build_model`, stays unknown.
NON_KERAS_LIBRARIES = frozenset(
    {
        "sklearn", "xgboost", "lightgbm", "catboost", "imblearn", "scikeras", "statsmodels",
        "torch", "torchvision", "jax", "flax", "optax", "numpy", "scipy", "pandas", "joblib",
        "pickle", "dill", "cloudpickle", "tensorflow", "tensorflow_hub", "tf_keras", "keras",
        "gym", "gymnasium", "transformers", "cv2", "PIL", "builtins",
    }
)
# Table classes in the order a guess prefers them (a name on several: the model's message).
_GUESS_ORDER = ("Model", "Sequential", "Optimizer", "Metric", "Layer", "LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional")
_LITERALS = (
    cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp, cst.GeneratorExp,
    cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float, cst.Imaginary,
    cst.Lambda,
)


_RNN = {"keras.layers.LSTM": "LSTM", "keras.layers.GRU": "GRU", "keras.layers.SimpleRNN": "SimpleRNN",
        "keras.layers.RNN": "RNN", "keras.layers.Bidirectional": "Bidirectional"}


def owner_of_type(kind: str) -> Optional[str]:
    """Table class for a resolver type: "keras.Sequential" -> "Sequential", "keras.metrics.Mean"
    -> "Metric", ... None for results of functions ("keras.layers.concatenate()" is a tensor)."""
    if kind.endswith("()"):
        return None
    if kind == "keras.Sequential":
        return "Sequential"
    if kind == "keras.Model":
        return "Model"
    if kind in _RNN:
        return _RNN[kind]
    rel = kind[len("keras."):]
    data = table()
    if rel not in data["keras3_public_set"] and rel not in data["symbols"]:
        return None  # not a Keras class (e.g. `Model` misread through `from keras.layers import *`)
    if kind.startswith("keras.optimizers.") and not kind.startswith("keras.optimizers.schedules."):
        return "Optimizer"
    if kind.startswith("keras.metrics."):
        return "Metric"
    if kind.startswith("keras.layers."):
        return "Layer"
    return None


def file_uses_keras(resolver: Resolver) -> bool:
    """The file imports keras or tensorflow, and not tf_keras (Keras 2 on purpose)."""
    roots = {module.split(".", 1)[0] for module in resolver.imported_modules}
    return bool(roots & {"keras", "tensorflow"}) and "tf_keras" not in roots


def defined_names_of_assign(targets: Iterable[cst.BaseExpression]) -> Set[str]:
    """``self.NAME = ...`` defines NAME on the file's own class."""
    names = set()
    for target in targets:
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
            names.add(target.attr.value)
    return names


def medium_owner(methods: Dict[str, dict], name: str) -> Optional[str]:
    for owner in _GUESS_ORDER:
        if f"{owner}.{name}" in methods:
            return owner
    return None


def named_like_optimizer(receiver: cst.BaseExpression) -> bool:
    """``optimizer``, ``self.opt``, ``model.optimizer``, ``actor_optimizer``: ``.lr`` on anything
    else (``args.lr``, ``config.lr``) is a hyperparameter, not a Keras 2 optimizer attribute."""
    last = receiver.attr.value if isinstance(receiver, cst.Attribute) else getattr(receiver, "value", "")
    last = last.lower() if isinstance(last, str) else ""
    return last in ("opt", "optim") or last.endswith(("optimizer", "_opt", "_optim"))


def is_unknown_receiver(resolver: Resolver, receiver: cst.BaseExpression) -> bool:
    """True when nothing says what ``receiver`` is: a parameter, an attribute of another object,
    a subscript, the result of a project function. False for modules and classes, literals,
    instances of the file's own classes, results of non-Keras libraries, and ``self``."""
    node: cst.BaseExpression = receiver
    scope = None
    shadow = None
    for _ in range(12):
        if isinstance(node, cst.Name):
            if node.value in ("self", "cls"):
                return False  # a method of the file's own class: self_owner decides
            if shadow and node.value in shadow:
                binding = shadow[node.value]
            else:
                binding = (scope or resolver.scope).lookup(node.value)
            if binding is None:
                return True  # bound elsewhere (an earlier notebook cell, a star import)
            if binding.imported is not None or binding.klass is not None or binding.function is not None:
                return False
            assigned = resolver.assigned_value(node, scope, shadow)
            if assigned is None:
                return True  # a parameter, loop target, `with ... as x`
            node, scope, shadow = assigned
            continue
        if isinstance(node, cst.Call):
            kind = resolver.value_type(node, scope, 0, shadow)
            if kind is not None:
                return kind.endswith("()") and kind.split(".", 1)[0] not in NON_KERAS_LIBRARIES
            func = node.func
            if isinstance(func, cst.Name):
                binding = (scope or resolver.scope).lookup(func.value)
                if binding is not None and binding.klass is not None:
                    return False  # an instance of the file's own (non-Keras) class
            if isinstance(func, cst.Attribute) and func.attr.value in ("copy", "deepcopy"):
                return False
            return resolver.resolve(func, scope) is None or _project_callable(resolver, func, scope)
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            return resolver.resolve(node, scope) is None
        if isinstance(node, _LITERALS):
            return False
        return False
    return False


def _project_callable(resolver: Resolver, func: cst.BaseExpression, scope) -> bool:
    resolved = resolver.resolve(func, scope)
    return resolved is not None and resolved.qualified.split(".", 1)[0] not in NON_KERAS_LIBRARIES


def self_owner(resolver: Resolver, receiver: cst.BaseExpression) -> Optional[str]:
    """The table class of ``self`` inside a method of a class whose bases are all Keras
    classes (directly or through classes of this file): "Model", "Metric", "Layer", ..."""
    if not (isinstance(receiver, cst.Name) and receiver.value == "self"):
        return None
    klass = resolver.current_class
    if klass is None or resolver.current_function is None:
        return None
    kind = _keras_base(resolver, klass, 0)
    if kind is None:
        return None
    return owner_of_type(kind)


def _keras_base(resolver: Resolver, klass: cst.ClassDef, depth: int) -> Optional[str]:
    """The Keras class a class derives from, or None when a base is not known to be Keras
    (a mixin from another file may define the name)."""
    if depth > 8 or not klass.bases:
        return None
    found: Optional[str] = None
    for base in klass.bases:
        if base.keyword is not None:
            continue
        resolved = resolver.resolve(base.value)
        if resolved is not None:
            if not resolved.is_keras3:
                return None
            kind = resolved.canonical
        elif isinstance(base.value, cst.Name):
            binding = resolver.scope.lookup(base.value.value)
            if binding is None or binding.klass is None:
                return None
            kind = _keras_base(resolver, binding.klass, depth + 1)
            if kind is None:
                return None
        else:
            return None
        if found is None or kind in MODEL_CLASSES:
            found = kind
    return found
