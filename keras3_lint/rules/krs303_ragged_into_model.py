"""KRS303: a ragged tensor passed to a Keras model call, ``fit``, ``predict``, … (RAG-2)."""

from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst

from ..resolver import MODEL_CLASSES, Scope, Shadow
from ..rule import ALL_BACKENDS, FIX_NONE, Rule, RuleDoc, is_true, keyword_arg
from .krs302_textvectorization_ragged import is_text_vectorization

# tf.ragged functions whose result is a RaggedTensor whatever their input (checked against
# dir(tf.ragged) in TF 2.21). boolean_mask / map_flat_values can return dense tensors, and
# row_splits_to_segment_ids / segment_ids_to_row_splits always do.
_RAGGED_FUNCTIONS = frozenset(
    "tensorflow.ragged." + name
    for name in ("constant", "range", "stack", "cross", "cross_hashed", "stack_dynamic_partitions")
)
_RAGGED_FACTORY_PREFIX = "tensorflow.RaggedTensor.from_"

_MODEL_METHODS = frozenset(
    {"fit", "predict", "evaluate", "train_on_batch", "predict_on_batch", "test_on_batch"}
)




class RaggedIntoModel(Rule):
    code = "KRS303"
    name = "ragged-into-model"
    summary = "A `tf.RaggedTensor` fed to a Keras 3 model (`model(x)`, `fit`, `predict`, …) fails in RNN and Dense layers; pad it with `.to_tensor()` first."
    fix_safety = FIX_NONE
    backends = ALL_BACKENDS  # the hazard is in the Keras 3 API itself, whatever the backend
    doc = RuleDoc(
        what="""
            Flags a ragged tensor passed to a Keras model: a direct call `model(x)` or
            `model.fit`, `predict`, `evaluate`, `train_on_batch`, `predict_on_batch` and
            `test_on_batch`, as any argument (also inside a list, tuple or dict of inputs).
            Ragged values are `tf.ragged.constant/range/stack/cross/cross_hashed/
            stack_dynamic_partitions(...)`, `tf.RaggedTensor.from_*(...)`, and the output of a
            `TextVectorization(ragged=True)` layer, either written in the call or reached through
            a variable assigned to one of them (the assignment visible at that point of the code).
            The model must resolve to a Keras 3 model (`keras.Sequential(...)`, `keras.Model(...)`,
            a subclass, `load_model(...)`, …); `tf_keras` models handle ragged tensors and are not
            flagged. A value padded first (`tf.ragged.constant(...).to_tensor()`,
            `model(x.to_tensor())`) is fine.
        """,
        why="""
            Keras 3 supports ragged tensors only partially, and only on TensorFlow. Feeding one
            to a model whose first layers are `Embedding` → `GRU`/`LSTM` (the Keras 2 text
            pipeline) fails in every entry point, with or without `Input(ragged=True)`:

                ValueError: Exception encountered when calling GRU.call(). Cannot index into an inner ragged dimension.

            A `Dense` layer fed a ragged batch fails as well (`Shapes used to initialize
            variables must be fully-defined (no None dimensions)`). tf_keras ran the same code.
        """,
        bad="""
            X = tf.ragged.constant([[1, 2, 3], [4, 5]])
            model = tf.keras.Sequential([
                tf.keras.layers.Embedding(10, 16),
                tf.keras.layers.GRU(32),
                tf.keras.layers.Dense(1),
            ])
            model.fit(X, y)
        """,
        good="""
            X = tf.ragged.constant([[1, 2, 3], [4, 5]]).to_tensor()  # pads with 0
            model = tf.keras.Sequential([
                tf.keras.layers.Embedding(10, 16, mask_zero=True),
                tf.keras.layers.GRU(32),
                tf.keras.layers.Dense(1),
            ])
            model.fit(X, y)
        """,
        fix="""
            **None.** Pad the data before it reaches the model (`x.to_tensor()`,
            `keras.utils.pad_sequences`, `TextVectorization(output_sequence_length=N)`) and add
            `mask_zero=True` to the `Embedding` so the padding is ignored. Padding changes what
            the model sees (and, on keras < 3.12, how masked metrics are computed: see SEQ-1),
            so it is left to a human.
        """,
        sources=(
            "keras-team/keras#20073 (maintainer: only partial ragged support, TensorFlow-only)",
            "tensorflow/tensorflow#62332",
            "keras-team/keras#19646",
            "tensorflow/docs#2302",
            "Checked: keras 3.15.1 on TensorFlow raises the GRU error above for `tf.ragged.constant` and `tf.RaggedTensor.from_row_lengths` inputs in `__call__`, `fit`, `predict`, `evaluate`, `train_on_batch`, `predict_on_batch` and `test_on_batch`, for Sequential and functional models; `.to_tensor()` first runs",
        ),
        facts=("RAG-2",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        target = self._model_entry(node)
        if target is None:
            return
        for value in _argument_values(node):
            if self._is_ragged(value, self.ctx.scope, {}, 0):
                self.report(
                    value,
                    f"ragged tensor passed to {target}: Keras 3 supports ragged tensors only "
                    "partially (TensorFlow only) and RNN layers fail on them (`ValueError: Exception "
                    "encountered when calling GRU.call(). Cannot index into an inner ragged "
                    "dimension.`); pad it first (`.to_tensor()`) and use `Embedding(..., mask_zero=True)`",
                )

    def _model_entry(self, node: cst.Call) -> Optional[str]:
        """"`model.fit()`" / "a Keras model call" when the call feeds a Keras 3 model."""
        func = node.func
        resolver = self.ctx.resolver
        if isinstance(func, cst.Attribute) and func.attr.value in _MODEL_METHODS:
            if resolver.is_keras_model(func.value):
                return f"`{func.attr.value}()` of a Keras model"
            return None
        if isinstance(func, (cst.Name, cst.Attribute, cst.Call)) and resolver.value_type(func) in MODEL_CLASSES:
            return "a Keras model call"
        return None

    def _is_ragged(self, value: cst.BaseExpression, scope: Scope, shadow: Shadow, depth: int) -> bool:
        if depth > 8:
            return False
        resolver = self.ctx.resolver
        if isinstance(value, cst.Name):
            assigned = resolver.assigned_value(value, scope, shadow)
            return assigned is not None and self._is_ragged(*assigned, depth + 1)
        if not isinstance(value, cst.Call):
            return False
        name = resolver.call_name(value, scope)
        if name is not None:
            if name in _RAGGED_FUNCTIONS or name.startswith(_RAGGED_FACTORY_PREFIX):
                return True
            return False
        # A TextVectorization(ragged=True) layer applied to text.
        layer = value.func
        if isinstance(layer, cst.Name):
            assigned = resolver.assigned_value(layer, scope, shadow)
            if assigned is None:
                return False
            layer, scope, _ = assigned
        if isinstance(layer, cst.Call) and is_text_vectorization(resolver.call_name(layer, scope)):
            ragged = keyword_arg(layer, "ragged")
            return ragged is not None and is_true(ragged.value)
        return False


def _argument_values(call: cst.Call) -> Iterator[cst.BaseExpression]:
    """Every argument value, and the elements of list/tuple/dict literals one level down
    (multi-input models take ``[a, b]`` or ``{"name": a}``)."""
    for arg in call.args:
        value = arg.value
        if isinstance(value, (cst.List, cst.Tuple)):
            for element in value.elements:
                if isinstance(element, cst.Element):
                    yield element.value
        elif isinstance(value, cst.Dict):
            for element in value.elements:
                if isinstance(element, cst.DictElement):
                    yield element.value
        else:
            yield value
