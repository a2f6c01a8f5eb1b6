"""KRS504: several ``fit`` calls share NumPy's global RNG for shuffling on JAX (RNG-4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

import libcst as cst

from ..rule import FIX_UNSAFE, Rule, RuleDoc, keyword_arg
from ._seeds import ALL_SEEDING, NUMPY_SEEDING, StatementTracker, first_seed_literal, keras_callable

_RESEEDS = NUMPY_SEEDING | {"keras.utils.set_random_seed"}
# Keras utilities that return a tf.data.Dataset.
_DATASET_FACTORIES = ("_dataset_from_directory", "timeseries_dataset_from_array", "_dataset_from_array")
# ImageDataGenerator / TimeseriesGenerator iterators (Keras 2 Sequences).
_ITERATOR_METHODS = frozenset({"flow", "flow_from_directory", "flow_from_dataframe"})


def _is_generator_function(function: cst.FunctionDef) -> bool:
    """A `def` whose own body (not a nested def or lambda) yields."""
    stack: List[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Yield,)):
            return True
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        stack.extend(node.children)
    return False


@dataclass
class _Fit:
    order: int
    call: cst.Call
    statement: Optional[cst.SimpleStatementLine]
    reference: Optional[str]
    import_text: Optional[str]


class JaxFitShuffleNumpyRng(Rule):
    code = "KRS504"
    name = "jax-fit-shuffle-numpy-rng"
    summary = "On JAX, `fit()` shuffles NumPy arrays with NumPy's global RNG: a second `fit` in the same script shuffles differently unless you reseed before it."
    fix_safety = FIX_UNSAFE
    severity = "warning"
    backends = ("jax",)
    doc = RuleDoc(
        what="""
            (Off with `reproducible = false` in the configuration.)
            Flags the second and later `.fit(...)` calls on Keras models in one file when JAX is
            a target backend (configured, `import jax`, or `KERAS_BACKEND="jax"` in the file),
            unless the call passes `shuffle=False` (such calls are not counted at all), its
            data is not arrays (a `tf.data` pipeline, also one built over several statements
            such as `ds = ds.shuffle(...).batch(...)`; a `*_dataset_from_directory` dataset; a
            generator or `iter(...)`; an `ImageDataGenerator.flow*` iterator; an instance of a
            `PyDataset`/`Sequence` subclass), or `np.random.seed(...)` /
            `keras.utils.set_random_seed(...)` is called between it and the previous counted
            `fit`. Order is source order: a `fit` inside a loop is not counted twice.
        """,
        why="""
            On the JAX backend Keras 3 shuffles in-memory arrays with `np.random.permutation`
            (`keras/src/trainers/data_adapters/array_data_adapter.py`), which consumes NumPy's
            global RNG. A script that seeds once and then trains two models (say a Sequential
            and the equivalent subclass) gives the second `fit` a different shuffle order, so
            the two loss histories differ on JAX although they are identical on the TensorFlow
            backend and in tf_keras (there `tf.data` shuffles). No error is raised.
            (The NumPy backend cannot train at all: `NotImplementedError: fit not implemented
            for NumPy backend.`)
        """,
        bad="""
            keras.utils.set_random_seed(42)
            seq_model.fit(x, y, epochs=5)
            sub_model.fit(x, y, epochs=5)
        """,
        good="""
            keras.utils.set_random_seed(42)
            seq_model.fit(x, y, epochs=5)
            keras.utils.set_random_seed(42)
            sub_model.fit(x, y, epochs=5)
        """,
        fix="""
            **Unsafe.** Inserts `keras.utils.set_random_seed(<seed>)` on its own line before the
            statement, when the `fit` call is the whole statement or the value of a simple
            one-target assignment (`history = model.fit(...)`). The seed is the integer literal
            of the file's first global seeding call (`keras.utils.set_random_seed`,
            `np.random.seed`, `tf.random.set_seed` or `random.seed`) that has one, else 0.
            The reseed also resets Python's `random` and TensorFlow's global seed, so anything
            constructed after it (e.g. unseeded layers of a later model) gets other random
            values than before. The call is spelled through the file's imports; an import is
            added when nothing reaches it and the `fit` comes after the last top-level import.
        """,
        sources=(
            "KERAS3_FACTS RNG-4",
            "keras-team/keras#20577",
            "Checked: keras 3.15.1 with KERAS_BACKEND=numpy: `fit` raises `NotImplementedError: fit not implemented for NumPy backend.`, so only JAX is affected",
            "Checked: keras 3.15.1 `trainers/data_adapters`: only the array adapter draws from `np.random` (`np.random.permutation`); `shuffle=` is ignored (with a warning) for tf.data datasets and generators, and `PyDataset` batches are shuffled with Python's `random.shuffle`",
        ),
        facts=("RNG-4",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._tracker = StatementTracker(ctx)
        self._order = 0
        self._fits: List[_Fit] = []
        self._reseeds: List[int] = []
        self._seed: Optional[int] = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._tracker.visit(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._order += 1
        name = self.ctx.qualified_name(node.func)
        if name in ALL_SEEDING and self._seed is None:
            self._seed = first_seed_literal(self.ctx, node)
        if name in _RESEEDS:
            self._reseeds.append(self._order)
            return
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "fit"):
            return
        if not self.ctx.resolver.is_keras_model(func.value):
            return
        shuffle = keyword_arg(node, "shuffle")
        if shuffle is not None and isinstance(shuffle.value, cst.Name) and shuffle.value.value == "False":
            return
        if self._not_arrays(self._data_arg(node)):
            return
        statement = self._tracker.own_statement(node)
        reference = import_text = None
        if statement is not None:
            reference, import_text = keras_callable(self.ctx, "keras.utils.set_random_seed", func, self._tracker)
        self._fits.append(_Fit(self._order, node, statement, reference, import_text))

    @staticmethod
    def _data_arg(node: cst.Call) -> Optional[cst.BaseExpression]:
        arg = keyword_arg(node, "x")
        if arg is None and node.args and node.args[0].keyword is None and not node.args[0].star:
            arg = node.args[0]
        return arg.value if arg is not None else None

    def _not_arrays(self, node: Optional[cst.BaseExpression]) -> bool:
        """Data that `fit` does not shuffle with NumPy's RNG: a `tf.data` pipeline (Keras ignores
        `shuffle=` for it), a generator or iterator (ignored too), an `ImageDataGenerator.flow*`
        iterator or a `PyDataset`/`Sequence` instance (shuffled with Python's `random`), also
        when built over several statements (`ds = ds.shuffle(...).batch(...)`)."""
        return self._data_kind(node, self.ctx.scope, None, 0)

    def _data_kind(self, node, scope, own: Optional[Tuple[str, object]], depth: int) -> bool:
        if node is None or depth > 12:
            return False
        if isinstance(node, cst.GeneratorExp):
            return True
        if isinstance(node, cst.Name):
            binding = scope.lookup(node.value)
            if own is not None and own[0] == node.value:
                binding = own[1]  # `ds = ds.batch(...)`: the right-hand `ds` is the previous one
            if binding is None:
                return False
            if binding.klass is not None:
                return False
            if binding.value is None or binding.value is node:
                return False
            return self._data_kind(binding.value, binding.scope or scope, (node.value, binding.previous), depth + 1)
        while isinstance(node, cst.Call):
            func = node.func
            name = self.ctx.resolver.qualified_name(func, scope)
            if name is not None:
                return name.startswith("tensorflow.data.") or name.endswith(_DATASET_FACTORIES)
            if isinstance(func, cst.Name):
                binding = scope.lookup(func.value)
                if binding is None:
                    return func.value == "iter"
                if binding.function is not None:
                    return _is_generator_function(binding.function)
                return self._is_sequence_class(func, scope)
            if not isinstance(func, cst.Attribute):
                return False
            if func.attr.value in _ITERATOR_METHODS:
                return True  # ImageDataGenerator.flow(...) and friends: a Sequence
            node = func.value
            if isinstance(node, cst.Name):
                return self._data_kind(node, scope, own, depth + 1)
        return False

    def _is_sequence_class(self, func: cst.BaseExpression, scope) -> bool:
        """A class of this file that subclasses `keras.utils.Sequence` / `PyDataset`."""
        if not isinstance(func, cst.Name):
            return False
        binding = scope.lookup(func.value)
        if binding is None or binding.klass is None:
            return False
        for base in binding.klass.bases:
            resolved = self.ctx.resolver.resolve(base.value)
            if resolved is not None and resolved.canonical in ("keras.utils.PyDataset", "keras.utils.Sequence"):
                return True
        return False

    def finish(self) -> None:
        if "jax" not in self.ctx.targets or len(self._fits) < 2 or self.ctx.settings.reproducible is False:
            return
        seed = self._seed if self._seed is not None else 0
        for previous, fit in zip(self._fits, self._fits[1:]):
            if any(previous.order < r < fit.order for r in self._reseeds):
                continue
            fix = None
            if fit.statement is not None and fit.reference is not None:
                call_text = f"{fit.reference}({seed})"
                fix = self.unsafe_fix(f"Insert `{call_text}` before this `fit`")
                fix.insert_before(fit.statement, call_text + "\n")
                if fit.import_text is not None:
                    self.ctx.add_import(fix, fit.import_text)
            self.report(
                fit.call,
                "On JAX, `fit()` shuffles NumPy arrays with NumPy's global RNG, so this `fit` sees "
                "another shuffle order than the previous one after the same seeding; call "
                "`keras.utils.set_random_seed(...)` (or `np.random.seed(...)`) before it, or pass "
                "`shuffle=False`",
                fix=fix,
            )
