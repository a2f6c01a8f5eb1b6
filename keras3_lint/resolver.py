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

Aliases made by assignment act like imports (``keras = tf.keras``, ``KL = keras.layers``, at
module or function level), and an ``except ImportError:`` fallback does not undo what its ``try``
body imported.

It also tracks just enough about values to answer "is this expression a Keras model?" for the
common shapes of real code: assignments from Keras constructors and loaders (``load_model``,
``clone_model``, ``model_from_json``, ``X.from_config``), instances of classes that subclass
Keras classes, results of functions that return such values, parameters annotated with a Keras
class, ``self.<attr>`` when every assignment of it in the class gives the same Keras type, class
attributes, and ``self.model`` inside Keras callbacks. With a project index (``project.py``) the
same questions reach into the other checked files: functions, classes, aliases and constants of
the modules a file imports. Unknown stays unknown: rules only fire on resolved names.

Facts behind the tables: KERAS3_FACTS.md section 0 (checked against TF 2.21, keras 3.15.1,
tf_keras 2.21): ``tf.keras`` and ``tf.compat.v1.keras`` resolve to Keras 3 (``keras._tf_keras``);
``tf_keras`` and ``tensorflow.python.keras`` are Keras 2 code bases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

if TYPE_CHECKING:  # pragma: no cover
    from .project import ProjectView

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
    # Memoised (a pure function of the string, asked for the same names in every file).
    found = _CANONICALIZED.get(qualified)
    if found is None:
        found = _canonicalize(qualified)
        if len(_CANONICALIZED) >= 200_000:
            _CANONICALIZED.clear()
        _CANONICALIZED[qualified] = found
    return found


_CANONICALIZED: Dict[str, "Resolved"] = {}


def _canonicalize(qualified: str) -> Resolved:
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
    annotation: Optional[cst.BaseExpression] = None  # a parameter's annotation (read in ``scope``)
    # `a, b = make()`: the call and the name's position (the binding stays opaque for readers of
    # ``value``; only ``value_type`` looks through it, at the tuple the call returns).
    unpacked: Optional[Tuple[cst.Call, int]] = None


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


def _bind_import(
    scope: Scope,
    node: Union[cst.Import, cst.ImportFrom],
    package: Optional[str] = None,
    keep_imports: bool = False,
) -> None:
    """Bind the names an import statement defines. ``package``: the dotted package of the file
    (from the project index), so ``from .models import f`` binds ``pkg.models.f``; without it a
    relative import is an unknown local module. ``keep_imports``: an ``except ImportError``
    fallback, which must not replace what the ``try`` body imported."""

    def bind(local: str, binding: Binding) -> None:
        if keep_imports:
            existing = scope.names.get(local)
            if existing is not None and existing.imported is not None:
                return
        scope.names[local] = binding

    if isinstance(node, cst.Import):
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bind(alias.asname.name.value, Binding(imported=full))
            else:
                top = full.split(".")[0]
                bind(top, Binding(imported=top))
        return
    module = import_from_module(node)
    if module is None and node.relative and package is not None:
        module = absolute_module(package, len(node.relative), dotted_name(node.module) if node.module else None)
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
            bind(local, Binding(opaque=True))  # relative import outside a known package: a local module
        else:
            bind(local, Binding(imported=f"{module}.{name}"))


def absolute_module(package: str, level: int, module: Optional[str]) -> Optional[str]:
    """``from ..a import b`` in package ``p.q`` -> ``p.a`` (None when it climbs above the top)."""
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


def is_import_fallback(handler: cst.ExceptHandler) -> bool:
    """``except ImportError:`` / ``except (ImportError, ...)`` / ``except ModuleNotFoundError``."""
    kind = handler.type
    names = [e.value for e in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
    return any(dotted_name(n) in ("ImportError", "ModuleNotFoundError") for n in names if n is not None)


def _prebind_module_imports(
    scope: Scope, body: Sequence[cst.CSTNode], package: Optional[str] = None, keep_imports: bool = False
) -> None:
    """Module-level imports (also inside module-level if/try/with) are bound before the visit, and
    so are module-level aliases of dotted names (``keras = tf.keras``): a function body runs after
    the module has executed, whatever the order of the definitions."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    _bind_import(scope, small, package, keep_imports)
                elif isinstance(small, cst.Assign) and _is_dotted(small.value):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            name = target.target.value
                            if keep_imports and name in scope.names:
                                continue
                            scope.names[name] = Binding(value=small.value, scope=scope, previous=scope.names.get(name))
        elif isinstance(stmt, (cst.If, cst.Try, cst.With)) or type(stmt).__name__ == "TryStar":
            _prebind_module_imports(scope, _body_of(stmt), package, keep_imports)
            for handler in getattr(stmt, "handlers", ()) or ():
                if isinstance(handler.body, cst.IndentedBlock):
                    fallback = keep_imports or is_import_fallback(handler)
                    _prebind_module_imports(scope, handler.body.body, package, fallback)
            for block in _blocks_of(stmt, handlers=False)[1:]:
                _prebind_module_imports(scope, block, package, keep_imports)


def _is_dotted(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name):
        return node.value not in ("None", "True", "False")
    return isinstance(node, cst.Attribute) and dotted_name(node) is not None


def _body_of(stmt: cst.CSTNode) -> Sequence[cst.CSTNode]:
    body = getattr(stmt, "body", None)
    return body.body if isinstance(body, cst.IndentedBlock) else ()


def _blocks_of(stmt: cst.CSTNode, handlers: bool = True) -> List[Sequence[cst.CSTNode]]:
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
    for handler in (getattr(stmt, "handlers", ()) or ()) if handlers else ():
        if isinstance(handler.body, cst.IndentedBlock):
            blocks.append(handler.body.body)
    return blocks


# ---------------------------------------------------------------------------------------------
# The resolver: visitor hooks (called by the engine around the rules' hooks) and queries.


class Resolver:
    """Visit hooks maintain the scope stack; queries answer at the current point of the visit."""

    def __init__(self, module: cst.Module, project: Optional["ProjectView"] = None) -> None:
        # What the rest of the project says (other files' functions, classes, aliases); None
        # when only this file is known (flake8, stdin, unit tests).
        self.project = project
        package = project.package if project is not None else None
        self.package = package
        self.module_scope = Scope("module", None, module)
        _prebind_module_imports(self.module_scope, module.body, package)
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
        self._function_scopes: Dict[int, Scope] = {}  # every def visited so far -> its scope
        self._attribute_tables: Dict[int, Dict[str, List[Tuple[Optional[cst.BaseExpression], Optional[cst.CSTNode]]]]] = {}
        self._import_fallback = 0  # depth of `except ImportError:` handlers being visited
        self._module_defs: Optional[Dict[str, cst.FunctionDef]] = None
        self._locals_memo: Dict[int, Optional[Dict[str, List[Optional[cst.BaseExpression]]]]] = {}

    # -- hooks -----------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        self._resolve_cache.clear()
        _bind_import(self.scope, node, self.package, self._import_fallback > 0)
        for alias in node.names:
            full = dotted_name(alias.name)
            if full:
                self.imported_modules.append(full)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._resolve_cache.clear()
        _bind_import(self.scope, node, self.package, self._import_fallback > 0)
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
            annotation = param.annotation.annotation if param.annotation is not None else None
            scope.names[param.name.value] = Binding(opaque=True, annotation=annotation, scope=self.scope)
        self._pending_bodies[id(node.body)] = scope
        self._scope_of_def[id(node)] = scope
        self._function_scopes[id(node)] = scope
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
        if is_import_fallback(node):
            self._import_fallback += 1

    def leave_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if is_import_fallback(node):
            self._import_fallback -= 1

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
            if self._import_fallback and previous is not None and previous.imported is not None:
                return  # `except ImportError: keras = None` does not undo the `try` body's import
            if value is None:
                self.scope.names[target.value] = Binding(opaque=True)
            else:
                self.scope.names[target.value] = Binding(value=value, scope=self.scope, previous=previous)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for position, element in enumerate(target.elements):
                self._bind_target(element.value, None)
                if isinstance(value, cst.Call) and isinstance(element.value, cst.Name) and not any(
                    isinstance(e, cst.StarredElement) for e in target.elements
                ):
                    binding = self.scope.names.get(element.value.value)
                    if binding is not None and binding.opaque:
                        binding.unpacked, binding.scope = (value, position), self.scope
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

    def resolve_dotted(
        self, dotted: str, scope: Optional[Scope] = None, binding: Optional[Binding] = None, depth: int = 0
    ) -> Optional[Resolved]:
        """``binding``: what the head name means, when the caller already knows (an alias's
        previous meaning in ``layers = layers``)."""
        head, _, rest = dotted.partition(".")
        scope = scope or self.scope
        if binding is None:
            binding = scope.lookup(head)
        if binding is None:
            star = self._star_module_for(scope, head)
            if star is None:
                return None
            qualified = f"{star}.{dotted}"
        elif binding.imported is not None:
            qualified = binding.imported + ("." + rest if rest else "")
        elif binding.value is not None and binding.scope is not None and depth < 8:
            # An alias by assignment (`keras = tf.keras`, `KL = keras.layers`) acts like an import.
            target = dotted_name(binding.value) if _is_dotted(binding.value) else None
            if target is None:
                return None
            target_head = target.partition(".")[0]
            previous = binding.previous if target_head == head else None
            if target_head == head and previous is None:
                return None
            base = self.resolve_dotted(target, binding.scope, previous, depth + 1)
            if base is None:
                return None
            qualified = base.qualified + ("." + rest if rest else "")
        else:
            return None
        resolved = canonicalize(qualified)
        if self.project is not None and depth == 0 and resolved.origin is None:
            # A project module that re-exports a name (`from compat import keras`).
            expanded = self.project.expand(qualified)
            if expanded != qualified:
                return canonicalize(expanded)
        return resolved

    def _star_module_for(self, scope: Scope, name: Optional[str] = None) -> Optional[str]:
        # ``from rl.util import *``: a project module that defines ``name`` (its summary says so).
        # ``from keras.layers import *``: unbound names may come from there (Keras modules only).
        module_scope = scope.module_scope()
        if self.project is not None and name is not None and not name.startswith("_"):
            for module in reversed(module_scope.star_modules):
                if canonicalize(module).origin is None and self.project.defines(module, name):
                    return module
        for module in reversed(module_scope.star_modules):
            if canonicalize(module).origin is not None:
                return module
        return None

    def project_constant(self, node: cst.CSTNode, scope: Optional[Scope] = None) -> Optional[str]:
        """The string a module-level constant of another checked file holds, for a name imported
        from it (``from config import SAVE_PATH``; ``config.SAVE_PATH``). None without a project
        index (flake8, stdin) or when the constant is unknown."""
        if self.project is None:
            return None
        resolved = self.resolve(node, scope)
        if resolved is None or resolved.origin is not None:
            return None
        return self.project.constant(resolved.qualified)

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
                if resolved.origin is None and self.project is not None:
                    inherited = self.project.class_bases(resolved.qualified)
                    if inherited:  # a Keras subclass defined in another project file
                        result.extend(inherited)
                        continue
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
                kind = keras_call_type(name)
                if kind is not None:
                    return kind
                if self.project is not None and not name.startswith("keras."):
                    # a function or class of another project file
                    kind = self.project.call_type(name)
                    if kind is not None:
                        return kind
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
                elif dotted in self._later_functions():
                    # A module-level builder defined below the function that calls it.
                    return self._unvisited_result_type(self._later_functions()[dotted], depth)
            elif isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name) and node.func.value.value == "self":
                return self._method_result_type(scope, node.func.attr.value, depth)
            return None
        if isinstance(node, cst.Name):
            assigned = self.assigned_value(node, scope, shadow)
            if assigned is None:
                binding = shadow[node.value] if node.value in shadow else scope.lookup(node.value)
                if binding is not None and binding.unpacked is not None and binding.scope is not None:
                    return self._element_type(*binding.unpacked, binding.scope, depth + 1)
                if binding is not None and binding.annotation is not None and binding.scope is not None:
                    return self.annotation_type(binding.annotation, binding.scope)
                return None
            value, value_scope, inner = assigned
            return self.value_type(value, value_scope, depth + 1, inner)
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            klass = self._enclosing_class_of(scope)
            if klass is None:
                return None
            # self.model inside a Keras callback is the model being trained.
            if node.attr.value == "model" and self.is_keras_subclass(klass, "callback"):
                return "keras.Model"
            return self._attribute_type(klass, node.attr.value, depth)
        return None

    def annotation_type(self, annotation: cst.BaseExpression, scope: Optional[Scope] = None) -> Optional[str]:
        """The Keras class a parameter annotation names: ``keras.Model``, ``tf.keras.Sequential``,
        ``Optional[layers.LSTM]``, ``keras.Model | None``, or a Keras subclass of the project."""
        scope = scope or self.scope
        if isinstance(annotation, cst.Subscript) and dotted_name(annotation.value) in ("Optional", "typing.Optional"):
            if len(annotation.slice) == 1 and isinstance(annotation.slice[0].slice, cst.Index):
                return self.annotation_type(annotation.slice[0].slice.value, scope)
            return None
        if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
            sides = [annotation.left, annotation.right]
            kept = [side for side in sides if not (isinstance(side, cst.Name) and side.value == "None")]
            return self.annotation_type(kept[0], scope) if len(kept) == 1 else None
        if not _is_dotted(annotation):
            return None
        resolved = self.resolve(annotation, scope)
        if resolved is not None:
            if resolved.is_keras3 and _looks_like_class(resolved.canonical):
                return resolved.canonical
            if resolved.origin is None and self.project is not None:
                return self.project.call_type(resolved.qualified)
            return None
        binding = scope.lookup(dotted_name(annotation) or "")
        if binding is not None and binding.klass is not None:
            return self._instance_of_user_class(binding.klass, binding.scope)
        return None

    # -- attributes of `self` ------------------------------------------------------------------

    def _attribute_type(self, klass: cst.ClassDef, attr: str, depth: int) -> Optional[str]:
        """The Keras type of ``self.<attr>`` when every assignment of it in the class (class body
        or any method) gives the same one. A method not visited yet makes it unknown: its local
        names are not bound yet."""
        entries = self._attribute_table(klass).get(attr)
        if not entries:
            return self._inherited_attribute_type(klass, attr, depth)
        kinds = set()
        for value, owner in entries:
            if value is None:
                return None  # augmented, unpacked, ...: unknown
            if isinstance(value, cst.Name) and value.value == "None":
                continue  # `self.model = None` until it is built: calling a method on None fails anyway
            if owner is None:
                value_scope = self._class_scopes.get(id(klass))
            else:
                value_scope = self._function_scopes.get(id(owner))
            if value_scope is None and isinstance(owner, cst.FunctionDef):
                # A method not visited yet: a call of an outer name reads the same there.
                value_scope = self._outer_scope_for(klass, owner, value)
            if value_scope is None:
                return None
            kind = self.value_type(value, value_scope, depth + 1)
            if kind is None or not kind.startswith("keras.") or kind.endswith("()"):
                return None
            kinds.add(kind)
        return common_type(kinds)

    def _element_type(self, call: cst.Call, position: int, scope: Scope, depth: int) -> Optional[str]:
        """The Keras type of element ``position`` of the tuple a call returns (``model, enc, dec =
        create_model()``): a function of this file, a method of ``self``'s class, or a function
        of another project file."""
        if depth > 12:
            return None
        name = self.call_name(call, scope)
        if name is not None:
            if self.project is not None and not name.startswith("keras."):
                return self.project.element_type(name, position)
            return None
        func = call.func
        if isinstance(func, cst.Name):
            binding = scope.lookup(func.value)
            if binding is not None and binding.function is not None and binding.scope is not None:
                inner = self._function_scopes.get(id(binding.function))
                if inner is not None:
                    return self._returned_type(inner.returns, inner, depth, position)
            elif binding is None and func.value in self._later_functions():
                return self._unvisited_result_type(self._later_functions()[func.value], depth, position)
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            return self._method_result_type(scope, func.attr.value, depth, position)
        return None

    def _returned_type(
        self, returns: Sequence[cst.BaseExpression], scope: Scope, depth: int, position: Optional[int] = None
    ) -> Optional[str]:
        """One Keras type for every return value (or element ``position`` of every returned
        tuple); None when one of them is unknown or not a Keras object."""
        kinds = set()
        for returned in returns:
            if position is not None:
                if not isinstance(returned, cst.Tuple) or position >= len(returned.elements) or any(
                    isinstance(e, cst.StarredElement) for e in returned.elements
                ):
                    return None
                returned = returned.elements[position].value
            kind = self.value_type(returned, scope, depth + 1)
            if kind is None or not kind.startswith("keras.") or kind.endswith("()"):
                return None
            kinds.add(kind)
        return common_type(kinds)

    def _method_result_type(self, scope: Scope, method_name: str, depth: int, position: Optional[int] = None) -> Optional[str]:
        """What ``self.<method>(...)`` returns, for a method defined in the class itself (a
        builder: ``self.model = self.build_model(...)``)."""
        klass = self._enclosing_class_of(scope)
        if klass is None or depth > 12:
            return None
        method = _method_named(klass, method_name)
        if method is None:
            return None
        inner = self._function_scopes.get(id(method))
        if inner is not None:
            return self._returned_type(inner.returns, inner, depth + 1, position)
        # Not visited yet (a builder defined below ``__init__``): read its returns in the class's
        # enclosing scope, when each is a call of an outer name or a local assigned once from one.
        outer = self._class_scopes.get(id(klass))
        if outer is None or outer.parent is None:
            return None
        return self._unvisited_result_type(method, depth, position, outer.parent)

    def _outer_scope_for(self, klass: cst.ClassDef, method: cst.FunctionDef, value: cst.BaseExpression) -> Optional[Scope]:
        inner = self._class_scopes.get(id(klass))
        if inner is None or inner.parent is None or not isinstance(value, cst.Call) or not _is_dotted(value.func):
            return None
        head = (dotted_name(value.func) or "").partition(".")[0]
        if id(method) not in self._locals_memo:
            self._locals_memo[id(method)] = _method_locals(method)
        local = self._locals_memo[id(method)]
        return None if local is None or head in local or head == "self" else inner.parent

    def _unvisited_result_type(
        self, function: cst.FunctionDef, depth: int, position: Optional[int] = None, outer: Optional[Scope] = None
    ) -> Optional[str]:
        returns = _unvisited_returns(function)
        if not returns:
            return None
        return self._returned_type(returns, outer or self.module_scope, depth + 1, position)

    def _later_functions(self) -> Dict[str, cst.FunctionDef]:
        """Module-level defs whose name is bound only by that one def (read before the walk
        reaches them)."""
        if self._module_defs is None:
            defs: Dict[str, List[cst.FunctionDef]] = {}
            others: set = set()
            _module_level_names(self.module_scope.node.body, defs, others, top=True)
            self._module_defs = {n: d[0] for n, d in defs.items() if len(d) == 1 and n not in others}
        return self._module_defs

    def _inherited_attribute_type(self, klass: cst.ClassDef, attr: str, depth: int) -> Optional[str]:
        """``self.<attr>`` assigned only in a base class: one of this file (visited so far) or of
        another project file (``self.optimizer = RMSprop(...)`` in ``Agent.__init__``)."""
        if depth > 8:
            return None
        scope = self._scope_of_class(klass)
        for base in klass.bases:
            if base.keyword is not None:
                continue
            dotted = dotted_name(base.value)
            if not dotted:
                continue
            binding = scope.lookup(dotted) if "." not in dotted else None
            if binding is not None and binding.klass is not None:
                kind = self._attribute_type(binding.klass, attr, depth + 1)
            else:
                resolved = self.resolve(base.value, scope)
                if resolved is None or resolved.origin is not None or self.project is None:
                    continue
                kind = self.project.attribute_type(resolved.qualified, attr)
            if kind is not None:
                return kind
        return None

    def _attribute_table(self, klass: cst.ClassDef) -> Dict[str, List[Tuple[Optional[cst.BaseExpression], Optional[cst.CSTNode]]]]:
        table = self._attribute_tables.get(id(klass))
        if table is None:
            table = collect_attributes(klass)
            self._attribute_tables[id(klass)] = table
        return table

    def _instance_of_user_class(self, klass: cst.ClassDef, scope: Optional[Scope]) -> Optional[str]:
        return instance_type(self.class_bases(klass, scope))

    def _enclosing_class_of(self, scope: Scope) -> Optional[cst.ClassDef]:
        s: Optional[Scope] = scope
        while s is not None:
            if s.kind == "class" and isinstance(s.node, cst.ClassDef):
                return s.node
            s = s.parent
        return None

    def is_keras_model(self, node: cst.BaseExpression) -> bool:
        return self.value_type(node) in MODEL_CLASSES


def keras_call_type(name: str) -> Optional[str]:
    """What calling the canonical Keras 3 name ``name`` returns, when it is a Keras object:
    a class's instance, a loaded/cloned/deserialized model, ``X.from_config(...)``."""
    if not name.startswith("keras."):
        return None
    if name in _MODEL_FACTORIES:
        return "keras.Model"
    owner, _, method = name.rpartition(".")
    if method == "from_config" and _looks_like_class(owner):
        return owner
    if _looks_like_class(name):
        return name
    return None


def common_type(kinds: "set") -> Optional[str]:
    """One type for several values: the same one, or "keras.Model" for models of both kinds."""
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds and all(k in MODEL_CLASSES for k in kinds):
        return "keras.Model"
    return None


AttributeTable = Dict[str, List[Tuple[Optional[cst.BaseExpression], Optional[cst.CSTNode]]]]


def collect_attributes(klass: cst.ClassDef) -> AttributeTable:
    """Every assignment of a class attribute (class body) or of ``self.<attr>`` (in any method):
    attr -> [(value or None when unknown, the method or None for the class body)]."""
    table: AttributeTable = {}
    body = klass.body.body if isinstance(klass.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            table.setdefault(target.target.value, []).append((small.value, None))
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
                    table.setdefault(small.target.value, []).append((small.value, None))
        elif isinstance(stmt, cst.FunctionDef):
            params = list(stmt.params.posonly_params) + list(stmt.params.params)
            if params and not any(dotted_name(d.decorator) == "staticmethod" for d in stmt.decorators):
                _collect_self_assignments(stmt.body, params[0].name.value, stmt, table)
    return table


def _collect_self_assignments(block: cst.CSTNode, self_name: str, method: cst.FunctionDef, table: AttributeTable) -> None:
    """Statements only (no expressions), skipping nested defs and classes."""
    if isinstance(block, cst.SimpleStatementSuite):
        for small in block.body:
            _note_self_assignment(small, self_name, method, table)
        return
    if not isinstance(block, cst.IndentedBlock):
        return
    for stmt in block.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                _note_self_assignment(small, self_name, method, table)
        elif not isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            _collect_compound(stmt, self_name, method, table)


def _collect_compound(stmt: cst.CSTNode, self_name: str, method: cst.FunctionDef, table: AttributeTable) -> None:
    for field_name in ("body", "orelse", "finalbody"):
        child = getattr(stmt, field_name, None)
        if isinstance(child, (cst.Else, cst.Finally)):
            child = child.body
        if isinstance(child, cst.If):  # elif
            _collect_compound(child, self_name, method, table)
        elif child is not None:
            _collect_self_assignments(child, self_name, method, table)
    for handler in getattr(stmt, "handlers", ()) or ():
        _collect_self_assignments(handler.body, self_name, method, table)


def _self_attr(node: cst.BaseExpression, self_name: str) -> Optional[str]:
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == self_name:
        return node.attr.value
    return None


def _note_self_assignment(small: cst.CSTNode, self_name: str, method: cst.FunctionDef, table: AttributeTable) -> None:
    if isinstance(small, cst.Assign):
        for target in small.targets:
            attr = _self_attr(target.target, self_name)
            if attr is not None:
                table.setdefault(attr, []).append((small.value, method))
            elif isinstance(target.target, (cst.Tuple, cst.List)):
                for element in target.target.elements:
                    inner = _self_attr(element.value, self_name)
                    if inner is not None:
                        table.setdefault(inner, []).append((None, method))
    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        attr = _self_attr(small.target, self_name)
        if attr is not None:
            value = small.value if isinstance(small, cst.AnnAssign) else None
            table.setdefault(attr, []).append((value, method))


def _method_named(klass: cst.ClassDef, name: str) -> Optional[cst.FunctionDef]:
    body = klass.body.body if isinstance(klass.body, cst.IndentedBlock) else ()
    found = [stmt for stmt in body if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name]
    return found[-1] if found else None


def _method_locals(method: cst.FunctionDef) -> Optional[Dict[str, List[Optional[cst.BaseExpression]]]]:
    """Every name a def binds (parameters, assignments, loops, with, nested defs) -> the values
    of its simple assignments (None for other bindings); None when it imports or declares
    global/nonlocal names (then leave it to the walk)."""
    local: Dict[str, List[Optional[cst.BaseExpression]]] = {}
    params = method.params
    for param in list(params.params) + list(params.kwonly_params) + list(params.posonly_params):
        local.setdefault(param.name.value, []).append(None)
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            local.setdefault(star.name.value, []).append(None)
    stack: List[cst.CSTNode] = [method.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Assign):
            for target in node.targets:
                simple = isinstance(target.target, cst.Name)
                for name in _names_bound(target.target):
                    local.setdefault(name, []).append(node.value if simple else None)
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr)):
            for name in _names_bound(node.target):
                local.setdefault(name, []).append(None)
        elif isinstance(node, cst.AsName):
            for name in _names_bound(node.name):
                local.setdefault(name, []).append(None)
        elif isinstance(node, (cst.Import, cst.ImportFrom, cst.Global, cst.Nonlocal)):
            return None
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            local.setdefault(node.name.value, []).append(None)
            continue
        if isinstance(node, cst.Lambda):
            continue
        stack.extend(node.children)
    return local


def _own_returns(method: cst.FunctionDef) -> Optional[List[cst.BaseExpression]]:
    returns: List[cst.BaseExpression] = []
    stack: List[cst.CSTNode] = [method.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Return):
            if node.value is None:
                return None
            returns.append(node.value)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        stack.extend(node.children)
    return returns


def _unvisited_returns(method: cst.FunctionDef) -> List[cst.BaseExpression]:
    """The return values of a def not visited yet, each rewritten to a call that reads only
    names from outside the def (a local assigned once is replaced by its value); [] when one
    return is anything else (its local names are not bound yet)."""
    local = _method_locals(method)
    returns = _own_returns(method)
    if local is None or not returns:
        return []
    rewritten: List[cst.BaseExpression] = []
    for value in returns:
        if isinstance(value, cst.Tuple) and any(isinstance(e, cst.StarredElement) for e in value.elements):
            return []
        items = [e.value for e in value.elements] if isinstance(value, cst.Tuple) else [value]
        out = []
        for item in items:
            if isinstance(item, cst.Name) and len(local.get(item.value, ())) == 1:
                item = local[item.value][0] or item
            if not isinstance(item, cst.Call) or not _is_dotted(item.func):
                return []
            head = (dotted_name(item.func) or "").partition(".")[0]
            if head in local or head == "self":
                return []
            out.append(item)
        if isinstance(value, cst.Tuple):
            rewritten.append(value.with_changes(elements=[e.with_changes(value=v) for e, v in zip(value.elements, out)]))
        else:
            rewritten.append(out[0])
    return rewritten


def _module_level_names(body: Sequence[cst.CSTNode], defs: Dict[str, List[cst.FunctionDef]], others: set, top: bool) -> None:
    """Top-level defs (into ``defs``) and every other name the module's statements bind, also
    inside if/try/with/for blocks (into ``others``); not inside defs or classes."""
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            (defs.setdefault(stmt.name.value, []).append(stmt) if top else others.add(stmt.name.value))
        elif isinstance(stmt, cst.ClassDef):
            others.add(stmt.name.value)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        others.update(_names_bound(target.target))
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    others.update(_names_bound(small.target))
                elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                            others.add(alias.asname.name.value)
                        else:
                            others.add((dotted_name(alias.name) or "").partition(".")[0])
        else:
            if isinstance(stmt, cst.For):
                others.update(_names_bound(stmt.target))
            for block in _blocks_of(stmt):
                _module_level_names(block, defs, others, top=False)


def _names_bound(target: cst.CSTNode) -> List[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names_bound(e.value)]
    if isinstance(target, cst.StarredElement):
        return _names_bound(target.value)
    return []


def _string_literal(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def instance_type(bases: Sequence[str]) -> Optional[str]:
    """What an instance of a class with these (canonical) bases is: "keras.Model" for models,
    else its first Keras class base; None when no base is a Keras class."""
    for base in bases:
        if base in MODEL_CLASSES:
            return "keras.Model"
    for base in bases:
        if base.startswith("keras.") and _looks_like_class(base):
            return base
    return None


def _looks_like_class(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return bool(last) and last[0].isupper()
