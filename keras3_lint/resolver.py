"""The one place that answers: which canonical Keras (or TF, NumPy, os...) symbol is this expression?

Real code reaches Keras through many spellings (``import keras``, ``from tensorflow import keras``,
``tf.keras.layers.LSTM``, ``from tensorflow.keras.layers import LSTM as L``, ``import tf_keras as
keras``, ``tensorflow.python.keras``, ``tf.compat.v1.keras``, imports inside functions). The
resolver keeps a table of import bindings per scope, filled during the single visit of the module
(plus a cheap pre-pass over module-level imports, so functions defined above their imports still
resolve), and maps the dotted expression to a canonical name:

    tf.keras.layers.LSTM            -> keras.layers.LSTM      (origin "tf.keras")
    L  (from tensorflow.keras.layers import LSTM as L)
                                    -> keras.layers.LSTM      (origin "tf.keras")
    K.mean (from keras import backend as K)
                                    -> keras.backend.mean     (origin "keras")
    hub.KerasLayer (import tensorflow_hub as hub)
                                    -> tensorflow_hub.KerasLayer

It also tracks just enough about values to answer "is this expression a Keras model?" for the
common shapes of real code: assignments from Keras constructors and loaders, instances of
classes that subclass Keras classes, results of functions that return such values, and
``self.model`` inside Keras callbacks. Unknown stays unknown: rules only fire on resolved names.

Facts behind the tables: KERAS3_FACTS.md section 0 (checked against TF 2.21, keras 3.15.1,
tf_keras 2.21): ``tf.keras`` and ``tf.compat.v1.keras`` resolve to Keras 3 (``keras._tf_keras``);
``tf_keras`` and ``tensorflow.python.keras`` are Keras 2 code bases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

# Origins whose symbols are Keras 3 objects on TensorFlow >= 2.16.
KERAS3_ORIGINS = frozenset({"keras", "tf.keras"})

# Fully qualified prefix -> (canonical prefix, origin). Longest match wins.
_KERAS_PREFIXES = (
    ("tensorflow.compat.v1.keras", "tf.keras"),
    ("tensorflow.compat.v2.keras", "tf.keras"),
    ("tensorflow.python.keras", "tensorflow.python.keras"),
    ("tensorflow.keras", "tf.keras"),
    ("tensorflow._api.v2.keras", "tf.keras"),
    ("tf_keras", "tf_keras"),
    ("keras", "keras"),
)

# Old module paths of standalone Keras / tf.keras whose classes live at a public path now.
# Used only to canonicalise names for matching; the removed-API rules report the path itself.
_LEGACY_LAYER_MODULES = frozenset(
    {
        "core", "convolutional", "recurrent", "recurrent_v2", "merge", "embeddings",
        "normalization", "normalization_v2", "pooling", "advanced_activations", "wrappers",
        "noise", "local", "cudnn_recurrent", "convolutional_recurrent", "dense_attention",
        "rnn", "attention", "activation", "reshaping", "regularization",
    }
)
_CANONICAL_ALIASES = {
    "keras.models.Sequential": "keras.Sequential",
    "keras.models.Model": "keras.Model",
    "keras.engine.training.Model": "keras.Model",
    "keras.engine.sequential.Sequential": "keras.Sequential",
    "keras.engine.functional.Functional": "keras.Model",
    "keras.engine.topology.Layer": "keras.layers.Layer",
    "keras.engine.base_layer.Layer": "keras.layers.Layer",
    "keras.engine.Layer": "keras.layers.Layer",
    "keras.engine.topology.Input": "keras.Input",
    "keras.engine.input_layer.Input": "keras.Input",
    "keras.engine.input_layer.InputLayer": "keras.layers.InputLayer",
    "keras.layers.Input": "keras.Input",
    "keras.layers.core.Layer": "keras.layers.Layer",
    "keras.utils.Sequence": "keras.utils.PyDataset",
    "keras.utils.data_utils.Sequence": "keras.utils.PyDataset",
}

MODEL_CLASSES = frozenset({"keras.Model", "keras.Sequential"})
_MODEL_FACTORIES = frozenset(
    {
        "keras.models.load_model",
        "keras.saving.load_model",
        "keras.models.clone_model",
        "keras.models.model_from_json",
        "keras.models.model_from_config",
        "keras.models.model_from_yaml",
        "keras.saving.deserialize_keras_object",
    }
)


@dataclass(frozen=True)
class Resolved:
    """A resolved dotted name. ``qualified`` is what the import table says; ``canonical`` maps
    Keras spellings onto one namespace (``keras.…``) and is ``qualified`` for everything else."""

    qualified: str
    canonical: str
    origin: Optional[str]  # "keras", "tf.keras", "tf_keras", "tensorflow.python.keras", None

    @property
    def is_keras3(self) -> bool:
        return self.origin in KERAS3_ORIGINS


def canonicalize(qualified: str) -> Resolved:
    for prefix, origin in _KERAS_PREFIXES:
        if qualified == prefix or qualified.startswith(prefix + "."):
            rest = qualified[len(prefix):]
            canonical = "keras" + rest
            canonical = _normalize_keras_path(canonical)
            return Resolved(qualified, canonical, origin)
    return Resolved(qualified, qualified, None)


def _normalize_keras_path(name: str) -> str:
    if name in _CANONICAL_ALIASES:
        return _CANONICAL_ALIASES[name]
    parts = name.split(".")
    # keras.layers.recurrent.LSTM -> keras.layers.LSTM
    if len(parts) == 4 and parts[1] == "layers" and parts[2] in _LEGACY_LAYER_MODULES:
        return "keras.layers." + parts[3]
    if len(parts) == 3 and parts[1] == "api" and parts[2] == "_v2":
        return "keras"
    return name


def dotted_name(node: cst.CSTNode) -> Optional[str]:
    """``a.b.c`` for Name/Attribute chains, else None."""
    parts: List[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def import_from_module(node: cst.ImportFrom) -> Optional[str]:
    if node.relative:
        return None
    return dotted_name(node.module) if node.module is not None else None


# ---------------------------------------------------------------------------------------------
# Scopes and bindings


@dataclass(frozen=True)
class EnvAssignment:
    """``os.environ["NAME"] = "value"`` (or ``os.environ.setdefault`` / ``os.putenv``)."""

    name: str
    value: Optional[str]  # None when not a string literal
    node: cst.CSTNode  # the Assign or Call
    module_level: bool


@dataclass
class Binding:
    """What a local name refers to. Exactly one of the fields is meaningful."""

    imported: Optional[str] = None  # fully qualified target of an import
    value: Optional[cst.BaseExpression] = None  # right-hand side of a simple assignment
    function: Optional[cst.FunctionDef] = None
    klass: Optional[cst.ClassDef] = None
    scope: Optional["Scope"] = None  # where ``value`` / the def's body is resolved
    opaque: bool = False  # parameter, loop target, augmented assignment: unknown
    previous: Optional["Binding"] = None  # what the name meant before (for `ds = ds.map(...)`)


# Inside the right-hand side of `x = f(x)`, `x` means what it meant before: name -> that binding.
Shadow = Dict[str, Optional["Binding"]]


@dataclass(eq=False)
class Scope:
    kind: str  # "module", "function", "class"
    parent: Optional["Scope"]
    node: Optional[cst.CSTNode] = None
    names: Dict[str, Binding] = field(default_factory=dict)
    star_modules: List[str] = field(default_factory=list)
    returns: List[cst.BaseExpression] = field(default_factory=list)
    class_name: Optional[str] = None  # for methods: the enclosing class's scope entry

    def lookup(self, name: str) -> Optional[Binding]:
        scope: Optional[Scope] = self
        first = True
        while scope is not None:
            # Class bodies are not visible from the methods defined in them.
            if first or scope.kind != "class":
                binding = scope.names.get(name)
                if binding is not None:
                    return binding
            first = False
            scope = scope.parent
        return None

    def module_scope(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


def _bind_import(scope: Scope, node: Union[cst.Import, cst.ImportFrom]) -> None:
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                scope.names[alias.asname.name.value] = Binding(imported=full)
            else:
                top = full.split(".")[0]
                scope.names[top] = Binding(imported=top)
        return
    module = import_from_module(node)
    if isinstance(node.names, cst.ImportStar):
        if module is not None:
            scope.star_modules.append(module)
        return
    for alias in node.names:
        name = alias.name.value if isinstance(alias.name, cst.Name) else dotted_name(alias.name)
        if name is None:
            continue
        local = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            local = alias.asname.name.value
        if module is None:
            scope.names[local] = Binding(opaque=True)  # relative import: a local module
        else:
            scope.names[local] = Binding(imported=f"{module}.{name}")


def _prebind_module_imports(scope: Scope, body: Sequence[cst.CSTNode]) -> None:
    """Module-level imports (also inside module-level if/try/with) are bound before the visit."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    _bind_import(scope, small)
        elif isinstance(stmt, (cst.If, cst.Try, cst.With)) or type(stmt).__name__ == "TryStar":
            for block in _blocks_of(stmt):
                _prebind_module_imports(scope, block)


def _blocks_of(stmt: cst.CSTNode) -> List[Sequence[cst.CSTNode]]:
    blocks: List[Sequence[cst.CSTNode]] = []
    body = getattr(stmt, "body", None)
    if isinstance(body, cst.IndentedBlock):
        blocks.append(body.body)
    for attr in ("orelse", "finalbody"):
        extra = getattr(stmt, attr, None)
        if isinstance(extra, (cst.Else, cst.Finally)) and isinstance(extra.body, cst.IndentedBlock):
            blocks.append(extra.body.body)
        elif isinstance(extra, cst.If):
            blocks.extend(_blocks_of(extra))
    for handler in getattr(stmt, "handlers", ()) or ():
        if isinstance(handler.body, cst.IndentedBlock):
            blocks.append(handler.body.body)
    return blocks


# ---------------------------------------------------------------------------------------------
# The resolver: visitor hooks (called by the engine around the rules' hooks) and queries.


class Resolver:
    """Visit hooks maintain the scope stack; queries answer at the current point of the visit."""

    def __init__(self, module: cst.Module) -> None:
        self.module_scope = Scope("module", None, module)
        _prebind_module_imports(self.module_scope, module.body)
        # The last top-level import statement: where fixes add an import.
        self.last_import: Optional[cst.SimpleStatementLine] = None
        for stmt in module.body:
            if isinstance(stmt, cst.SimpleStatementLine) and any(
                isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
            ):
                self.last_import = stmt
        self.scope = self.module_scope
        self.imported_modules: List[str] = []  # every module imported anywhere, in order
        self._class_stack: List[cst.ClassDef] = []
        self._function_stack: List[cst.FunctionDef] = []
        self.env_assignments: List[EnvAssignment] = []
        self._class_scopes: Dict[int, Scope] = {}
        self._pending_bodies: Dict[int, Scope] = {}
        self._resolve_cache: Dict[tuple, Optional[Resolved]] = {}
        self._scope_of_def: Dict[int, Scope] = {}

    # -- hooks -----------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        self._resolve_cache.clear()
        _bind_import(self.scope, node)
        for alias in node.names:
            full = dotted_name(alias.name)
            if full:
                self.imported_modules.append(full)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._resolve_cache.clear()
        _bind_import(self.scope, node)
        module = import_from_module(node)
        if module:
            self.imported_modules.append(module)
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    if isinstance(alias.name, cst.Name):
                        self.imported_modules.append(f"{module}.{alias.name.value}")

    # A def/class body gets its own scope, entered only when the walk reaches the body:
    # decorators, default values, annotations and base classes belong to the enclosing scope.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._resolve_cache.clear()
        scope = Scope("function", self.scope, node)
        self.scope.names[node.name.value] = Binding(function=node, scope=scope)
        if self._class_stack and self.scope.kind == "class":
            scope.class_name = self._class_stack[-1].name.value
        params = node.params
        for param in (
            list(params.params)
            + list(params.kwonly_params)
            + list(params.posonly_params)
            + [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        ):
            scope.names[param.name.value] = Binding(opaque=True)
        self._pending_bodies[id(node.body)] = scope
        self._scope_of_def[id(node)] = scope
        self._function_stack.append(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._leave_def(node)
        self._function_stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._resolve_cache.clear()
        outer = self.scope
        scope = Scope("class", outer, node)
        outer.names[node.name.value] = Binding(klass=node, scope=outer)
        self._class_scopes[id(node)] = scope
        self._pending_bodies[id(node.body)] = scope
        self._scope_of_def[id(node)] = scope
        self._class_stack.append(node)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._leave_def(node)
        self._class_stack.pop()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._enter_body(node)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._enter_body(node)

    def _enter_body(self, node: cst.CSTNode) -> None:
        scope = self._pending_bodies.pop(id(node), None)
        if scope is not None:
            self.scope = scope

    def _leave_def(self, node: cst.CSTNode) -> None:
        scope = self._scope_of_def.pop(id(node))
        self._pending_bodies.pop(id(node.body), None)
        self.scope = scope.parent or self.module_scope

    def visit_Lambda(self, node: cst.Lambda) -> None:
        scope = Scope("function", self.scope, node)
        for param in node.params.params:
            scope.names[param.name.value] = Binding(opaque=True)
        self.scope = scope

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self.scope = self.scope.parent or self.module_scope

    # Comprehensions have their own scope in Python 3; their loop variables shadow outer names.
    def _enter_comprehension(self, node: cst.CSTNode) -> None:
        self.scope = Scope("function", self.scope, node)
        # The element is written first but evaluated with the loop variables bound.
        comp_for = getattr(node, "for_in", None)
        while comp_for is not None:
            self._bind_target(comp_for.target, None)
            comp_for = comp_for.inner_for_in

    def _leave_comprehension(self, node: cst.CSTNode) -> None:
        self.scope = self.scope.parent or self.module_scope

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _enter_comprehension
    leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave_comprehension

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None and isinstance(node.name.name, cst.Name):
            self._bind_target(node.name.name, None)

    # Assignments bind when the walk leaves them: the right-hand side is evaluated first, so
    # in `x = layer(x)` the `x` on the right is still the previous value.
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Subscript):
                self._note_environ_subscript(target.target, node.value, node)

    def leave_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("setdefault", "putenv") and len(node.args) >= 2:
            owner = self.qualified_name(func)
            if owner in ("os.environ.setdefault", "os.putenv"):
                key = _string_literal(node.args[0].value)
                if key is not None:
                    self.env_assignments.append(
                        EnvAssignment(key, _string_literal(node.args[1].value), node, self.scope.kind == "module")
                    )

    def _note_environ_subscript(self, target: cst.Subscript, value: cst.BaseExpression, node: cst.Assign) -> None:
        if self.qualified_name(target.value) != "os.environ" or len(target.slice) != 1:
            return
        index = target.slice[0].slice
        if isinstance(index, cst.Index):
            key = _string_literal(index.value)
            if key is not None:
                self.env_assignments.append(
                    EnvAssignment(key, _string_literal(value), node, self.scope.kind == "module")
                )

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_target(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target, None)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, None)

    def leave_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and self.scope.kind == "function":
            self.scope.returns.append(node.value)

    def _bind_target(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression]) -> None:
        self._resolve_cache.clear()
        if isinstance(target, cst.Name):
            previous = self.scope.names.get(target.value)
            if value is None:
                self.scope.names[target.value] = Binding(opaque=True)
            else:
                self.scope.names[target.value] = Binding(value=value, scope=self.scope, previous=previous)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, None)

    # -- queries -----------------------------------------------------------------------------

    @property
    def current_class(self) -> Optional[cst.ClassDef]:
        return self._class_stack[-1] if self._class_stack else None

    @property
    def current_function(self) -> Optional[cst.FunctionDef]:
        return self._function_stack[-1] if self._function_stack else None

    def resolve(self, node: cst.CSTNode, scope: Optional[Scope] = None) -> Optional[Resolved]:
        """Canonical name of a Name/Attribute chain whose head is an imported name."""
        # Every rule asks about the same Call node in turn: remember the answer until a binding
        # changes.
        key = (id(node), id(scope or self.scope))
        if key in self._resolve_cache:
            return self._resolve_cache[key]
        dotted = dotted_name(node)
        result = None if dotted is None else self.resolve_dotted(dotted, scope)
        self._resolve_cache[key] = result
        return result

    def resolve_dotted(self, dotted: str, scope: Optional[Scope] = None) -> Optional[Resolved]:
        head, _, rest = dotted.partition(".")
        scope = scope or self.scope
        binding = scope.lookup(head)
        if binding is None:
            star = self._star_module_for(scope)
            if star is None:
                return None
            qualified = f"{star}.{dotted}"
        elif binding.imported is not None:
            qualified = binding.imported + ("." + rest if rest else "")
        else:
            return None
        return canonicalize(qualified)

    def _star_module_for(self, scope: Scope) -> Optional[str]:
        # ``from keras.layers import *``: unbound names may come from there (Keras modules only).
        module_scope = scope.module_scope()
        for module in reversed(module_scope.star_modules):
            if canonicalize(module).origin is not None:
                return module
        return None

    def keras_name(self, node: cst.CSTNode, scope: Optional[Scope] = None) -> Optional[str]:
        """The canonical ``keras.…`` name if the expression is a Keras 3 symbol, else None."""
        resolved = self.resolve(node, scope)
        if resolved is not None and resolved.is_keras3:
            return resolved.canonical
        return None

    def qualified_name(self, node: cst.CSTNode, scope: Optional[Scope] = None) -> Optional[str]:
        resolved = self.resolve(node, scope)
        return resolved.canonical if resolved is not None else None

    def call_name(self, call: cst.Call, scope: Optional[Scope] = None) -> Optional[str]:
        """Canonical name of what a call calls (Keras 3 names only for Keras symbols)."""
        resolved = self.resolve(call.func, scope)
        if resolved is None:
            return None
        if resolved.origin is not None and not resolved.is_keras3:
            return None
        return resolved.canonical

    # -- classes -------------------------------------------------------------------------------

    def class_bases(self, node: cst.ClassDef, scope: Optional[Scope] = None, depth: int = 0) -> List[str]:
        """Canonical names of the Keras (or other imported) classes a class derives from,
        following user-defined base classes in the same file."""
        if depth > 8:
            return []
        scope = scope or self._scope_of_class(node)
        result: List[str] = []
        for base in node.bases:
            if base.keyword is not None:
                continue
            resolved = self.resolve(base.value, scope)
            if resolved is not None:
                if resolved.origin is None or resolved.is_keras3:
                    result.append(resolved.canonical)
                continue
            dotted = dotted_name(base.value)
            if dotted and "." not in dotted:
                binding = scope.lookup(dotted)
                if binding is not None and binding.klass is not None:
                    result.extend(self.class_bases(binding.klass, binding.scope, depth + 1))
        return result

    def _scope_of_class(self, node: cst.ClassDef) -> Scope:
        inner = self._class_scopes.get(id(node))
        return inner.parent if inner is not None and inner.parent is not None else self.module_scope

    def is_keras_subclass(self, node: cst.ClassDef, kind: str) -> bool:
        """kind: "model", "layer" (models are layers too) or "callback"."""
        for base in self.class_bases(node):
            if kind == "model" and base in MODEL_CLASSES:
                return True
            if kind == "layer" and (base in MODEL_CLASSES or base.startswith("keras.layers.")):
                return True
            if kind == "callback" and base.startswith("keras.callbacks."):
                return True
        return False

    # -- values --------------------------------------------------------------------------------

    def assigned_value(
        self, name: cst.Name, scope: Optional[Scope] = None, shadow: Optional[Shadow] = None
    ) -> Optional[Tuple[cst.BaseExpression, Scope, Shadow]]:
        """The expression last assigned to ``name`` where it is read, the scope to read that
        expression in, and the shadow map to read it with; None when not a simple assignment."""
        scope = scope or self.scope
        shadow = shadow or {}
        binding = shadow[name.value] if name.value in shadow else scope.lookup(name.value)
        if binding is None or binding.value is None or binding.scope is None:
            return None
        return binding.value, binding.scope, {**shadow, name.value: binding.previous}

    def value_type(
        self,
        node: cst.BaseExpression,
        scope: Optional[Scope] = None,
        depth: int = 0,
        shadow: Optional[Shadow] = None,
    ) -> Optional[str]:
        """What an expression evaluates to, as a canonical class name, when we can tell:
        "keras.Sequential", "keras.Model" (also for subclasses), "keras.layers.LSTM", …
        Calls to other imported callables give "<callable>()" (e.g. "tensorflow.ragged.constant()")."""
        if depth > 12:
            return None
        scope = scope or self.scope
        shadow = shadow or {}
        if isinstance(node, cst.Call):
            name = self.call_name(node, scope)
            if name is not None:
                if name in _MODEL_FACTORIES:
                    return "keras.Model"
                if name.startswith("keras.") and _looks_like_class(name):
                    return name
                return name + "()"
            dotted = dotted_name(node.func)
            if dotted and "." not in dotted:
                binding = scope.lookup(dotted)
                if binding is not None:
                    if binding.klass is not None:
                        return self._instance_of_user_class(binding.klass, binding.scope)
                    if binding.function is not None and binding.scope is not None:
                        for returned in binding.scope.returns:
                            kind = self.value_type(returned, binding.scope, depth + 1)
                            if kind is not None:
                                return kind
            return None
        if isinstance(node, cst.Name):
            assigned = self.assigned_value(node, scope, shadow)
            if assigned is None:
                return None
            value, value_scope, inner = assigned
            return self.value_type(value, value_scope, depth + 1, inner)
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            # self.model inside a Keras callback is the model being trained.
            if node.value.value == "self" and node.attr.value == "model":
                klass = self._enclosing_class_of(scope)
                if klass is not None and self.is_keras_subclass(klass, "callback"):
                    return "keras.Model"
        return None

    def _instance_of_user_class(self, klass: cst.ClassDef, scope: Optional[Scope]) -> Optional[str]:
        bases = self.class_bases(klass, scope)
        for base in bases:
            if base in MODEL_CLASSES:
                return "keras.Model"
        for base in bases:
            if base.startswith("keras.") and _looks_like_class(base):
                return base
        return None

    def _enclosing_class_of(self, scope: Scope) -> Optional[cst.ClassDef]:
        s: Optional[Scope] = scope
        while s is not None:
            if s.kind == "class" and isinstance(s.node, cst.ClassDef):
                return s.node
            s = s.parent
        return None

    def is_keras_model(self, node: cst.BaseExpression) -> bool:
        return self.value_type(node) in MODEL_CLASSES


def _string_literal(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _looks_like_class(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return bool(last) and last[0].isupper()
