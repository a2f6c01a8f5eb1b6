"""KRS727: ``ConvLSTM1D/2D/3D`` without ``recurrent_activation=`` (SIL-1)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc, keyword_arg

_LAYERS = {"keras.layers.ConvLSTM1D", "keras.layers.ConvLSTM2D", "keras.layers.ConvLSTM3D"}
_POSITION = 7  # recurrent_activation is the 8th parameter in tf_keras 2.21 and keras 3.15.1


class ConvLstmRecurrentActivation(Rule):
    code = "KRS727"
    name = "convlstm-recurrent-activation"
    summary = "`ConvLSTM*D` default `recurrent_activation` changed from Keras 2's `hard_sigmoid` to `sigmoid`: numerics change silently."
    fix_safety = FIX_NONE
    severity = "warning"
    doc = RuleDoc(
        what="""
            Flags `keras.layers.ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D` calls that leave
            `recurrent_activation` at its default (neither the keyword nor the 8th positional
            argument is given).
        """,
        why="""
            The default changed from `"hard_sigmoid"` (tf_keras) to `"sigmoid"` (Keras 3) for all
            three layers. There is no error: training curves and the outputs of weights trained
            under Keras 2 change silently. Note that `"hard_sigmoid"` itself changed too: Keras 2
            computes `clip(0.2 * x + 0.5, 0, 1)`, Keras 3 `clip(x / 6 + 0.5, 0, 1)` (at x = 1:
            0.7 vs 0.667), so passing `recurrent_activation="hard_sigmoid"` does not restore the
            Keras 2 numbers either.
        """,
        bad="""
            layer = keras.layers.ConvLSTM2D(32, (3, 3), return_sequences=True)
        """,
        good="""
            layer = keras.layers.ConvLSTM2D(32, (3, 3), return_sequences=True, recurrent_activation="sigmoid")
            # or, to reproduce Keras 2 exactly, a registered function:
            # @keras.saving.register_keras_serializable()
            # def keras2_hard_sigmoid(x):
            #     return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)
        """,
        fix="""
            **None.** Decide which behaviour you want and write it down: `"sigmoid"` accepts the
            Keras 3 default; a custom `clip(0.2 * x + 0.5, 0, 1)` function reproduces Keras 2
            (needed for weights trained under Keras 2). The facts' suggested
            `recurrent_activation="hard_sigmoid"` was found not to keep the Keras 2 numerics,
            because Keras 3 redefined `hard_sigmoid`.
        """,
        sources=(
            "Checked: `inspect.signature` of ConvLSTM1D/2D/3D: recurrent_activation default `hard_sigmoid` in tf_keras 2.21.0, `sigmoid` in keras 3.15.1, 8th parameter in both",
            "Checked: hard_sigmoid([-3, -2, -1, 0, 1, 2, 3]) is [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1] in tf_keras 2.21.0 and [0, 0.167, 0.333, 0.5, 0.667, 0.833, 1] in keras 3.15.1",
        ),
        facts=("SIL-1",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        if name not in _LAYERS or keyword_arg(node, "recurrent_activation") is not None:
            return
        if any(a.star for a in node.args):
            return
        if len([a for a in node.args if a.keyword is None]) > _POSITION:
            return
        layer = name.rsplit(".", 1)[-1]
        self.report(
            node.func,
            f"`{layer}` without `recurrent_activation=`: the default changed from `hard_sigmoid` (Keras 2) to "
            "`sigmoid` (Keras 3), silently changing results; set it explicitly (Keras 3's `hard_sigmoid` is also "
            "a different function: use `clip(0.2 * x + 0.5, 0, 1)` to match Keras 2)",
        )
