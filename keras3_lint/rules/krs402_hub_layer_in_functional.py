"""KRS402: ``hub.KerasLayer`` called on a symbolic Keras 3 tensor (functional API, HUB-2)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..resolver import MODEL_CLASSES, Scope, Shadow
from ..rule import ALL_BACKENDS, FIX_NONE, Rule, RuleDoc
from .krs401_hub_layer_in_sequential import HUB_FIX_TEXT, HUB_GUIDANCE, HUB_SOURCES, hub_layer_of


class HubLayerInFunctional(Rule):
    code = "KRS402"
    name = "hub-layer-in-functional"
    summary = "`hub.KerasLayer` called on a Keras 3 `Input` (functional model) fails: it is a tf_keras layer; use `keras.layers.TFSMLayer` or stay on tf_keras."
    fix_safety = FIX_NONE
    backends = ALL_BACKENDS  # the hazard is in the Keras 3 API itself, whatever the backend
    doc = RuleDoc(
        what="""
            Flags a call of a `tensorflow_hub.KerasLayer` on a symbolic Keras 3 tensor while a
            functional model is built, outside any Keras `Layer`/`Model` subclass:
            `hub.KerasLayer(handle)(inputs)`, or `h = hub.KerasLayer(handle)` followed by
            `h(x)`. The input counts as symbolic when it is a Keras 3 `keras.Input(...)` or the
            output of Keras layers (or of a hub layer) applied to one, written in place or
            reached through variables. Calling a hub layer eagerly on real data
            (`embed(tf.constant(["hello"]))`) works on Keras 3 and is not flagged; neither is an
            input whose origin the linter cannot see (a function parameter), nor a `tf_keras.Input`.
            Hub layers stored on `self` inside a subclass are KRS403's business.
        """,
        why="""
            `tensorflow_hub` 0.16 builds `KerasLayer` on `tf_keras` (Keras 2). Its `call` runs a
            `tf.function` from the SavedModel, and a Keras 3 symbolic tensor cannot enter one:

                TypeError: Exception encountered when calling layer 'keras_layer' (type KerasLayer). Binding inputs to tf.function failed due to `A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a symbolic placeholder for a shape and dtype, used when constructing Keras Functional models or Keras Functions. You can only use it as input to a Keras layer or a Keras operation (from the namespaces `keras.layers` and `keras.ops`).`

            Wrapping the hub layer in a `Lambda` or a custom layer makes the model build, but the
            hub weights are then not tracked (see KRS403).
        """,
        bad="""
            text_input = tf.keras.Input(shape=(), dtype=tf.string)
            encoder = hub.KerasLayer(encoder_handle, trainable=True)
            outputs = encoder(preprocess(text_input))
            model = tf.keras.Model(text_input, outputs["pooled_output"])
        """,
        good="""
            text_input = keras.Input(shape=(), dtype="string")
            encoder = keras.layers.TFSMLayer(saved_model_dir, call_endpoint="serving_default")
            outputs = encoder(text_input)
            # to fine-tune: TF_USE_LEGACY_KERAS=1 with tf.keras everywhere, or a KerasHub model
        """,
        fix=HUB_FIX_TEXT,
        sources=HUB_SOURCES
        + (
            "Checked: keras 3.15.1 + tensorflow_hub 0.16.1 raise the error above for `hub.KerasLayer(path)(keras.Input(shape=(3,)))`; an eager call `hub.KerasLayer(path)(tf.ones((1, 3)))` works",
        ),
        facts=("HUB-2",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        klass = self.ctx.resolver.current_class
        if klass is not None and self.ctx.resolver.is_keras_subclass(klass, "layer"):
            return
        if hub_layer_of(node.func, self.ctx.resolver) is None:
            return
        if not any(self._is_symbolic(arg.value, self.ctx.scope, {}, 0) for arg in node.args):
            return
        self.report(
            node,
            "`hub.KerasLayer` called on a Keras 3 symbolic tensor: hub layers are tf_keras (Keras 2) "
            "layers, so Keras 3 raises \"TypeError: ... Binding inputs to tf.function failed due to "
            "`A KerasTensor cannot be used as input to a TensorFlow function.`\"; " + HUB_GUIDANCE,
        )

    def _is_symbolic(self, value: cst.BaseExpression, scope: Scope, shadow: Shadow, depth: int) -> bool:
        """Is this (very likely) a Keras 3 KerasTensor: an Input, or layers applied to one?"""
        if depth > 16:
            return False
        resolver = self.ctx.resolver
        if isinstance(value, cst.Name):
            assigned = resolver.assigned_value(value, scope, shadow)
            return assigned is not None and self._is_symbolic(*assigned, depth + 1)
        if isinstance(value, cst.Subscript):
            return self._is_symbolic(value.value, scope, shadow, depth + 1)
        if isinstance(value, (cst.List, cst.Tuple)):
            return any(
                isinstance(e, cst.Element) and self._is_symbolic(e.value, scope, shadow, depth + 1) for e in value.elements
            )
        if isinstance(value, cst.Dict):
            return any(
                isinstance(e, cst.DictElement) and self._is_symbolic(e.value, scope, shadow, depth + 1)
                for e in value.elements
            )
        if not isinstance(value, cst.Call):
            return False
        name = resolver.call_name(value, scope)
        if name == "keras.Input":
            return True
        functional_op = name is not None and (
            name.startswith("keras.ops.") or (name.startswith("keras.layers.") and name.rsplit(".", 1)[-1][:1].islower())
        )  # keras.ops.add(x, y), keras.layers.concatenate([a, b])
        if functional_op or self._applies_layer(value, scope, shadow):
            return any(self._is_symbolic(arg.value, scope, shadow, depth + 1) for arg in value.args)
        return False

    def _applies_layer(self, call: cst.Call, scope: Scope, shadow: Shadow) -> bool:
        """``Layer(...)(x)``, ``layer(x)`` for a Keras 3 layer/model, or a hub layer applied."""
        resolver = self.ctx.resolver
        func = call.func
        if hub_layer_of(func, resolver, scope) is not None:
            return True
        kind: Optional[str] = None
        if isinstance(func, (cst.Call, cst.Name)):
            kind = resolver.value_type(func, scope)
        if kind is None or kind.endswith("()"):
            return False
        return kind in MODEL_CLASSES or kind.startswith("keras.layers.")
