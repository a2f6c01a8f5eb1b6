"""KRS403: ``self.x = hub.KerasLayer(...)`` in a Keras 3 Layer/Model subclass (HUB-3, silent)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..rule import ALL_BACKENDS, FIX_NONE, Rule, RuleDoc, is_true, keyword_arg
from .krs401_hub_layer_in_sequential import HUB_FIX_TEXT, HUB_GUIDANCE, HUB_SOURCES, hub_layer_of


class HubLayerInSubclassFrozen(Rule):
    code = "KRS403"
    name = "hub-layer-in-subclass-frozen"
    summary = "A `hub.KerasLayer` held by a Keras 3 Layer/Model subclass is not tracked: its weights never train and are not saved, silently."
    fix_safety = FIX_NONE
    backends = ALL_BACKENDS  # the hazard is in the Keras 3 API itself, whatever the backend
    doc = RuleDoc(
        what="""
            Flags `self.<attr> = hub.KerasLayer(...)` (also through a variable holding the hub
            layer) inside a class that subclasses a Keras 3 `Model` or `Layer`, directly or
            through other classes of the same file. The usual "fix" snippets for KRS401/KRS402
            recommend exactly this, often with `trainable=True`. Subclasses of `tf_keras.Model`
            / `tf_keras.layers.Layer` track hub layers and are not flagged.
        """,
        why="""
            Nothing fails, which is the problem. `tensorflow_hub` 0.16 builds `KerasLayer` on
            `tf_keras` (Keras 2), and Keras 3 only tracks Keras 3 layers and variables assigned to
            its attributes. The model builds, `fit` runs, and the hub weights are simply not part
            of it:

            - `model.trainable_weights` lists only the Keras 3 layers' weights (2 for a hub
              layer + `Dense`, where tf_keras lists 3);
            - with `trainable=True` the hub weights are unchanged after `fit`: fine-tuning
              silently does not happen;
            - the hub weights are not in `model.weights`, so they are not saved with the model.

            Wrapping the hub layer in a `Lambda` instead is frozen the same way.
        """,
        bad="""
            class Classifier(tf.keras.Model):
                def __init__(self):
                    super().__init__()
                    self.encoder = hub.KerasLayer(encoder_handle, trainable=True)
                    self.head = tf.keras.layers.Dense(1)

                def call(self, x):
                    return self.head(self.encoder(x))
        """,
        good="""
            # inference: a real Keras 3 layer (not trainable-through)
            class Classifier(keras.Model):
                def __init__(self):
                    super().__init__()
                    self.encoder = keras.layers.TFSMLayer(saved_model_dir, call_endpoint="serving_default")
                    self.head = keras.layers.Dense(1)

            # fine-tuning: TF_USE_LEGACY_KERAS=1 with every import through tf.keras (tf_keras),
            # or the equivalent KerasHub model
        """,
        fix=HUB_FIX_TEXT,
        sources=HUB_SOURCES
        + (
            "Checked: keras 3.15.1 + tensorflow_hub 0.16.1, a `keras.Model` subclass holding `hub.KerasLayer(path, trainable=True)` and a `Dense`: `trainable_weights` = 2 and the hub weight is unchanged after `fit`; a `keras.layers.Layer` subclass also has 2; the same `tf_keras.Model` subclass has 3 and updates the hub weight",
        ),
        facts=("HUB-3",),
    )

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check(node.target, node.value)

    def _check(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self"):
            return
        resolver = self.ctx.resolver
        klass = resolver.current_class
        if klass is None or resolver.current_function is None or not resolver.is_keras_subclass(klass, "layer"):
            return
        hub_call = hub_layer_of(value, resolver)
        if hub_call is None:
            return
        self.report(value, self._message(target.attr.value, hub_call))

    @staticmethod
    def _message(attr: str, hub_call: cst.Call) -> str:
        trainable: Optional[cst.Arg] = keyword_arg(hub_call, "trainable")
        if trainable is not None and is_true(trainable.value):
            effect = "`trainable=True` silently has no effect: the hub weights never train"
        else:
            effect = "the hub weights are missing from the model's `weights` (never trained, never saved)"
        return (
            f"`self.{attr} = hub.KerasLayer(...)` in a Keras 3 Layer/Model subclass: hub layers are "
            f"tf_keras (Keras 2) layers that Keras 3 does not track, so {effect}; " + HUB_GUIDANCE
        )
