"""KRS110: ``keras.Input(shape=7)``: an int where Keras 3 needs a shape tuple (SURF-3)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..diagnostics import HIGH, MEDIUM
from ..rule import FIX_SAFE_AND_UNSAFE, Rule, RuleDoc, keyword_arg
from ..values import SURE, int_kind

# Callee -> the keywords that take the shape, and whether the first positional argument does.
_SHAPE_ARGUMENTS = {
    "keras.Input": ("shape",),
    "keras.layers.InputLayer": ("shape", "input_shape"),
}


class InputShapeInteger(Rule):
    code = "KRS110"
    name = "input-shape-integer"
    summary = "`keras.Input(shape=7)` / `InputLayer(input_shape=7)`: Keras 3 needs a tuple, `shape=(7,)`; Keras 2 read an int as a 1-tuple."
    fix_safety = FIX_SAFE_AND_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `keras.Input(...)` and `keras.layers.InputLayer(...)` whose shape (`shape=`,
            `input_shape=` or the first positional argument) is an int rather than a tuple: an
            int literal (also written `(7)`, which is not a tuple), a name assigned one,
            `len(...)`, arithmetic on those, `x.shape[1]` (an entry of an array's shape), or a
            parameter whose default is an int. The last two are reported with medium
            confidence: the type of `x` is inferred, and callers may pass a tuple. `shape=(7,)`,
            `shape=[7]` and `shape=x.shape[1:]` are tuples or lists and are fine.
        """,
        why="""
            Keras 2 (`tf.keras` before TF 2.16) turned an int shape into a 1-tuple; Keras 3
            requires an iterable and fails when the model is built:

                ValueError: Cannot convert '7' to a shape.

            `Dense(..., input_shape=7)` and `Input(batch_shape=7)` failed on Keras 2 already and
            are not flagged.
        """,
        bad="""
            inputs = tf.keras.Input(shape=7)
            layer = tf.keras.layers.InputLayer(input_shape=n_features)  # n_features = 7
        """,
        good="""
            inputs = tf.keras.Input(shape=(7,))
            layer = tf.keras.layers.InputLayer(input_shape=(n_features,))
        """,
        fix="""
            Wraps the value in a 1-tuple: `shape=7` -> `shape=(7,)`, `shape=n` -> `shape=(n,)`,
            which is what Keras 2 did with an int (`input_shape = (input_shape,)` in tf_keras's
            `InputLayer`), so the model is the same. **Safe** where the value is known to be an
            int (a literal, `len(...)`, a name assigned one); **unsafe** for `x.shape[1]`,
            whose type is inferred, and for a parameter's default.
        """,
        sources=(
            "Checked: keras 3.15.1 `tf.keras.Input(shape=7)`, `Input(shape=(7))`, `Input(shape=n)` with `n = 7`, `Input(7)`, `Input(shape=x.shape[1])`, `InputLayer(input_shape=7)` and `InputLayer(7)` raise the ValueError quoted above, where tf_keras 2.21 builds `(None, 7)`; the `(7,)` fix gives the Keras 2 outputs; `Dense(2, input_shape=7)` fails on both (tests/evidence/test_paths.py)",
            "Checked: keras 3.15.1 `keras.layers.InputLayer(shape=7)` raises the same ValueError (tf_keras 2.21 has no `shape=` there)",
            "tf_keras/src/engine/input_layer.py: `elif isinstance(input_shape, int): input_shape = (input_shape,)`",
        ),
        facts=("SURF-3",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        keywords = _SHAPE_ARGUMENTS.get(name) if name is not None else None
        if keywords is None:
            return
        arg = _shape_arg(node, keywords)
        if arg is None:
            return
        kind = int_kind(self.ctx.resolver, arg.value, node)
        if kind is None:
            return
        value = arg.value
        text = self.ctx.code_for(value.with_changes(lpar=[], rpar=[]))
        builder = self.safe_fix if kind == SURE else self.unsafe_fix
        # The edit covers the value without its parentheses: `(7)` only needs the comma.
        fix = builder(f"Pass a 1-tuple: `({text},)`").replace(value, f"{text}," if value.lpar else f"({text},)")
        keyword = f"{arg.keyword.value}=" if arg.keyword is not None else ""
        shown = text if isinstance(value, cst.Integer) else "…"
        callee = "Input" if name == "keras.Input" else "InputLayer"
        self.report(
            arg,
            f"Keras 3 `{callee}` needs a shape tuple, not an int (`ValueError: Cannot convert '{shown}' to a "
            f"shape.`); Keras 2 read `{keyword}{text}` as `({text},)`: write `{keyword}({text},)`",
            fix=fix,
            confidence=HIGH if kind == SURE else MEDIUM,
        )


def _shape_arg(call: cst.Call, keywords) -> Optional[cst.Arg]:
    for keyword in keywords:
        arg = keyword_arg(call, keyword)
        if arg is not None:
            return arg
    first = call.args[0] if call.args else None
    if first is not None and first.keyword is None and not first.star:
        return first
    return None
