"""KRS204: ``dataset.batch(n)`` without ``drop_remainder=True`` in a file with a stateful RNN
(STATEFUL-3)."""

from __future__ import annotations

from typing import List, Optional, Set, Tuple

import libcst as cst

from ..resolver import Scope, Shadow
from ..rule import FIX_UNSAFE, Rule, RuleDoc, is_true, keyword_arg
from .krs203_stateful_rnn_on_jax import stateful_true_arg

# tf.data.Dataset static constructors and the tf.data dataset classes (checked against
# `dir(tf.data.Dataset)` of TensorFlow 2.21).
_DATASET_CONSTRUCTORS = frozenset(
    {
        "tensorflow.data.Dataset." + name
        for name in (
            "choose_from_datasets", "counter", "from_generator", "from_tensor_slices", "from_tensors",
            "list_files", "load", "random", "range", "sample_from_datasets", "zip",
        )
    }
    | {
        "tensorflow.data.TFRecordDataset",
        "tensorflow.data.TextLineDataset",
        "tensorflow.data.FixedLengthRecordDataset",
    }
)
# tf.data.Dataset methods that return a dataset.
_DATASET_METHODS = frozenset(
    {
        "apply", "batch", "bucket_by_sequence_length", "cache", "concatenate", "enumerate", "filter",
        "flat_map", "group_by_window", "ignore_errors", "interleave", "map", "padded_batch",
        "prefetch", "ragged_batch", "rebatch", "rejection_resample", "repeat", "scan", "shard",
        "shuffle", "skip", "snapshot", "sparse_batch", "take", "take_while", "unbatch", "unique",
        "window", "with_options",
    }
)
# Batching methods and the position of `drop_remainder` among their positional parameters
# (`batch(batch_size, drop_remainder=False, ...)`, `padded_batch(batch_size, padded_shapes=None,
# padding_values=None, drop_remainder=False, ...)`).
_BATCH_METHODS = {"batch": 1, "padded_batch": 3}
_COMPAT_PREFIXES = ("tensorflow.compat.v1.", "tensorflow.compat.v2.")

MISSING, FALSE, OK = "missing", "false", "ok"


class StatefulBatchWithoutDropRemainder(Rule):
    code = "KRS204"
    name = "stateful-batch-without-drop-remainder"
    summary = "`dataset.batch(n)` without `drop_remainder=True` feeds a stateful RNN a dynamic batch size, which Keras 3 on TensorFlow rejects at `fit()`."
    fix_safety = FIX_UNSAFE
    backends = ("tensorflow",)
    doc = RuleDoc(
        what="""
            Flags `.batch(...)` and `.padded_batch(...)` on a `tf.data` dataset (a chain that
            starts at `tf.data.Dataset.from_tensor_slices(...)`, `tf.data.Dataset.range(...)`,
            `tf.data.TFRecordDataset(...)`, …, or a variable or function result built from one,
            including `ds = ds.map(...)` re-assignments) without `drop_remainder=True`, in a file
            that also constructs a stateful Keras recurrent layer (a literal `stateful=True` on
            `LSTM`, `GRU`, `SimpleRNN`, `RNN` or `ConvLSTM1D/2D/3D`). Batching inside a
            `flat_map(lambda w: w.batch(n))` (a window, not the dataset fed to the model) and
            datasets the linter cannot trace are not flagged.
        """,
        why="""
            Without `drop_remainder=True` the dataset's batch dimension is `None`. A stateful
            RNN needs a static batch size, and on the TensorFlow backend Keras 3 fails at
            `fit()` (tf_keras trained the same code fine):

                ValueError: Exception encountered when calling GRU.call(). Input tensor `.../gru_1_1/ReadVariableOp:0` enters the loop with shape (1, 16), but has shape (None, 16) after one iteration. To allow the shape to vary across iterations, use the `shape_invariants` argument of tf.while_loop ...

            A stateful layer whose model has no static batch size raises `When using
            stateful=True in a RNN, the batch size must be static. Found dynamic batch size:
            sequence.shape=(None, 5, 3)`. The JAX backend trains the same code (its batches
            arrive as concrete NumPy arrays), so only TensorFlow targets are affected.
        """,
        bad="""
            ds = tf.data.Dataset.from_tensor_slices(encoded).window(101, shift=100, drop_remainder=True)
            ds = ds.flat_map(lambda w: w.batch(101)).batch(1)
            model = tf.keras.Sequential([
                tf.keras.Input(batch_shape=(1, None)),
                tf.keras.layers.Embedding(39, 16),
                tf.keras.layers.GRU(128, return_sequences=True, stateful=True),
            ])
            model.fit(ds.map(split_input_target), epochs=10)
        """,
        good="""
            ds = ds.flat_map(lambda w: w.batch(101)).batch(1, drop_remainder=True)
        """,
        fix="""
            **Unsafe.** The fix adds `drop_remainder=True` to the call (or turns a literal
            `drop_remainder=False` into `True`). A final partial batch is dropped, so the model
            sees slightly fewer examples per epoch (none when the dataset size is a multiple of
            the batch size, as with `batch(1)`). The link between this `.batch()` and the
            stateful model is a heuristic (same file), so check that the dataset feeds it.
        """,
        sources=(
            "KERAS3_FACTS STATEFUL-3 (handson-ml3 ch16 stateful char-RNN)",
            "Checked: keras 3.15.1 on TensorFlow 2.21: a stateful GRU fitted on `ds.batch(1)` (element spec (None, None, 3)) raises the ValueError above; with `drop_remainder=True` (element spec (1, None, 3)) it trains; on JAX 0.10.2 both train",
        ),
        facts=("STATEFUL-3",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._stateful = False
        self._candidates: List[Tuple[cst.Call, str, Optional[cst.Arg]]] = []

    # -- datasets ------------------------------------------------------------------------------

    def _is_dataset(
        self,
        node: cst.BaseExpression,
        scope: Scope,
        seen: Set[int],
        shadow: Optional[Shadow] = None,
    ) -> bool:
        """Whether an expression is a tf.data dataset. Inside the right-hand side of
        `ds = ds.map(f)`, `ds` means the previous binding (``shadow``)."""
        if len(seen) > 32:
            return False
        shadow = shadow or {}
        if isinstance(node, cst.Call):
            func = node.func
            qualified = self.ctx.resolver.qualified_name(func, scope)
            if qualified is not None:
                for prefix in _COMPAT_PREFIXES:
                    if qualified.startswith(prefix):
                        qualified = "tensorflow." + qualified[len(prefix):]
                return qualified in _DATASET_CONSTRUCTORS
            if isinstance(func, cst.Attribute):
                return func.attr.value in _DATASET_METHODS and self._is_dataset(func.value, scope, seen, shadow)
            if isinstance(func, cst.Name):
                binding = scope.lookup(func.value)
                if binding is not None and binding.function is not None and binding.scope is not None:
                    if id(binding) in seen:
                        return False
                    seen.add(id(binding))
                    return any(self._is_dataset(r, binding.scope, seen) for r in binding.scope.returns)
            return False
        if isinstance(node, cst.Name):
            assigned = self.ctx.resolver.assigned_value(node, scope, shadow)
            if assigned is None or id(assigned[0]) in seen:
                return False
            seen.add(id(assigned[0]))
            value, value_scope, inner = assigned
            return self._is_dataset(value, value_scope, seen, inner)
        return False

    # -- batches and stateful layers -----------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        if not self._stateful and stateful_true_arg(self.ctx, node) is not None:
            self._stateful = True
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in _BATCH_METHODS):
            return
        if not node.args or any(a.star for a in node.args):
            return
        state, arg = self._drop_remainder(node, _BATCH_METHODS[func.attr.value])
        if state == OK:
            return
        if not self._is_dataset(func.value, self.ctx.scope, set()):
            return
        self._candidates.append((node, state, arg))

    @staticmethod
    def _drop_remainder(call: cst.Call, position: int) -> Tuple[str, Optional[cst.Arg]]:
        arg = keyword_arg(call, "drop_remainder")
        if arg is None:
            positional = [a for a in call.args if a.keyword is None]
            if len(positional) > position:
                arg = positional[position]
        if arg is None:
            return MISSING, None
        if isinstance(arg.value, cst.Name) and arg.value.value == "False":
            return FALSE, arg
        if is_true(arg.value):
            return OK, arg
        return OK, arg  # a variable or expression: the author decides

    def finish(self) -> None:
        if not self._stateful or "tensorflow" not in self.ctx.targets:
            return
        for call, state, arg in self._candidates:
            method = call.func.attr.value
            fix = self.unsafe_fix("Add `drop_remainder=True` (drops a final partial batch)")
            if state == FALSE:
                fix.replace(arg.value, "True")
                said = "`drop_remainder=False`"
            else:
                fix.insert_after(call.args[-1], ", drop_remainder=True")
                said = "no `drop_remainder=True`"
            self.report(
                call.func.attr,
                f"`.{method}()` with {said} gives the dataset a dynamic batch size, but this file "
                f"has a stateful RNN, which needs a static one: Keras 3 on TensorFlow fails at "
                f"`fit()` (`ValueError: ... enters the loop with shape (1, ...), but has shape "
                f"(None, ...) after one iteration`); pass `drop_remainder=True`",
                fix=fix,
            )
