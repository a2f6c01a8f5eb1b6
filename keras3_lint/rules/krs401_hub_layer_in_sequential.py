"""KRS401: ``hub.KerasLayer`` inside a Keras 3 ``Sequential`` model (HUB-1).

Also holds the helpers the other TF Hub rules (KRS402, KRS403) share.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..resolver import Resolver, Scope
from ..rule import ALL_BACKENDS, FIX_NONE, Rule, RuleDoc, keyword_arg

# What `tensorflow_hub.KerasLayer` is called in every import spelling (the class lives in
# tensorflow_hub.keras_layer; `hub.KerasLayer is hub.keras_layer.KerasLayer`).
HUB_KERAS_LAYER = frozenset({"tensorflow_hub.KerasLayer", "tensorflow_hub.keras_layer.KerasLayer"})

HUB_GUIDANCE = (
    "for inference use `keras.layers.TFSMLayer(path, call_endpoint=\"serving_default\")`; to "
    "fine-tune, stay on tf_keras (`TF_USE_LEGACY_KERAS=1`, every import through `tf.keras`) or "
    "use a KerasHub model"
)

HUB_FIX_TEXT = """
    **None** (report only). The right replacement depends on what the hub model is for:

    - **Inference only** (the hub layer is frozen): download or point at the SavedModel and use
      `keras.layers.TFSMLayer(path, call_endpoint="serving_default")`, a real Keras 3 layer that
      works in `Sequential`, functional and subclassed models. It is not trainable-through,
      and its output may be a dict keyed by the signature's output names.
    - **Fine-tuning** (`trainable=True`): stay on Keras 2: install `tf_keras`, set
      `TF_USE_LEGACY_KERAS=1` before TensorFlow first touches `tf.keras`, and write *every*
      Keras import as `tf.keras` (a file that also imports `keras` mixes two Keras versions), or
      move to the equivalent KerasHub (`keras_hub`) Keras 3 model.
"""

HUB_SOURCES = (
    "tensorflow/tensorflow#65419",
    "tensorflow/tensorflow#63085",
    "keras-team/keras#20648",
    "mrdbourke/tensorflow-deep-learning#668",
)


def is_hub_layer_call(node: cst.BaseExpression, resolver: Resolver, scope: Optional[Scope] = None) -> bool:
    """``hub.KerasLayer(...)`` with ``hub`` imported from ``tensorflow_hub`` (any spelling)."""
    return isinstance(node, cst.Call) and resolver.call_name(node, scope) in HUB_KERAS_LAYER


def hub_layer_of(node: cst.BaseExpression, resolver: Resolver, scope: Optional[Scope] = None) -> Optional[cst.Call]:
    """The ``hub.KerasLayer(...)`` call an expression is, or names through a variable."""
    scope = scope or resolver.scope
    if is_hub_layer_call(node, resolver, scope):
        return node  # type: ignore[return-value]
    if isinstance(node, cst.Name):
        binding = scope.lookup(node.value)
        if binding is not None and binding.value is not None and binding.value is not node:
            if is_hub_layer_call(binding.value, resolver, binding.scope):
                return binding.value  # type: ignore[return-value]
    return None


class HubLayerInSequential(Rule):
    code = "KRS401"
    name = "hub-layer-in-sequential"
    summary = "`hub.KerasLayer` is a tf_keras (Keras 2) layer: a Keras 3 `Sequential` rejects it; use `keras.layers.TFSMLayer` or stay on tf_keras."
    fix_safety = FIX_NONE
    backends = ALL_BACKENDS  # the hazard is in the Keras 3 API itself, whatever the backend
    doc = RuleDoc(
        what="""
            Flags a `tensorflow_hub.KerasLayer(...)` (however `tensorflow_hub` is imported) that
            is an element of the layer list of a Keras 3 `Sequential([...])`, or that is passed
            to `.add()` of a Keras 3 `Sequential` model, written in place or through a variable
            that holds it. A module of your own that happens to be called `hub` is not
            `tensorflow_hub` and is not flagged, and neither is a `tf_keras.Sequential`
            (`tensorflow_hub` is built on tf_keras, so the two work together).
        """,
        why="""
            `tensorflow_hub` 0.16 builds `KerasLayer` on `tf_keras`, the Keras 2 code base, so a
            hub layer is not a Keras 3 `keras.Layer`. Under TensorFlow >= 2.16, `tf.keras` is
            Keras 3 and the model is rejected while it is built:

                ValueError: Only instances of `keras.Layer` can be added to a Sequential model. Received: <tensorflow_hub.keras_layer.KerasLayer object at 0x...> (of type <class 'tensorflow_hub.keras_layer.KerasLayer'>)
        """,
        bad="""
            import tensorflow as tf
            import tensorflow_hub as hub

            model = tf.keras.Sequential([
                hub.KerasLayer(handle, input_shape=[], dtype=tf.string),
                tf.keras.layers.Dense(1),
            ])
        """,
        good="""
            import keras

            model = keras.Sequential([
                keras.Input(shape=(), dtype="string"),
                keras.layers.TFSMLayer(saved_model_dir, call_endpoint="serving_default"),
                keras.layers.Dense(1),
            ])
            # or, to fine-tune the hub model: TF_USE_LEGACY_KERAS=1 and tf.keras everywhere
        """,
        fix=HUB_FIX_TEXT,
        sources=HUB_SOURCES
        + (
            "Checked: keras 3.15.1 + tensorflow_hub 0.16.1 raise the error above for `tf.keras.Sequential([hub.KerasLayer(...)])` and for `keras.Sequential().add(hub.KerasLayer(...))`; `tf_keras.Sequential([hub.KerasLayer(...)])` builds and runs; `keras.layers.TFSMLayer` works in a Keras 3 Sequential",
        ),
        facts=("HUB-1",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        resolver = self.ctx.resolver
        if self.ctx.call_name(node) == "keras.Sequential":
            layers = node.args[0] if node.args and node.args[0].keyword is None else keyword_arg(node, "layers")
            if layers is not None and isinstance(layers.value, (cst.List, cst.Tuple)):
                for element in layers.value.elements:
                    if isinstance(element, cst.Element) and hub_layer_of(element.value, resolver) is not None:
                        self._report(element.value, "in the layer list of a Keras 3 `Sequential`")
            return
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "add"
            and node.args
            and resolver.value_type(func.value) == "keras.Sequential"
        ):
            layer = node.args[0] if node.args[0].keyword is None else keyword_arg(node, "layer")
            if layer is not None and hub_layer_of(layer.value, resolver) is not None:
                self._report(layer.value, "passed to `.add()` of a Keras 3 `Sequential`")

    def _report(self, node: cst.BaseExpression, where: str) -> None:
        self.report(
            node,
            f"`hub.KerasLayer` {where}: hub layers are tf_keras (Keras 2) layers, so Keras 3 raises "
            "\"ValueError: Only instances of `keras.Layer` can be added to a Sequential model.\"; "
            + HUB_GUIDANCE,
        )
