"""KRS203: ``stateful=True`` on a Keras recurrent layer when the code may run on JAX (STATEFUL-4)."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from ..rule import FIX_NONE, Context, Rule, RuleDoc, is_true, keyword_arg

# Keras 3 layers whose constructor takes `stateful=` (checked against keras 3.15.1; the
# `Bidirectional` wrapper takes no `stateful=` in Keras 2 or 3, it is stateful through the layer
# it wraps, which is what gets flagged).
RECURRENT_LAYERS = frozenset(
    {
        "keras.layers.LSTM",
        "keras.layers.GRU",
        "keras.layers.SimpleRNN",
        "keras.layers.RNN",
        "keras.layers.ConvLSTM1D",
        "keras.layers.ConvLSTM2D",
        "keras.layers.ConvLSTM3D",
    }
)


def recurrent_layer_name(ctx: Context, call: cst.Call) -> Optional[str]:
    """The canonical Keras 3 recurrent layer a call constructs (also through a user subclass
    defined in the same file), else None. ``tf_keras`` (Keras 2 on purpose) gives None."""
    name = ctx.call_name(call)
    if name is not None:
        return name if name in RECURRENT_LAYERS else None
    if isinstance(call.func, cst.Name):
        binding = ctx.scope.lookup(call.func.value)
        if binding is not None and binding.klass is not None:
            for base in ctx.resolver.class_bases(binding.klass, binding.scope):
                if base in RECURRENT_LAYERS:
                    return base
    return None


def stateful_true_arg(ctx: Context, call: cst.Call) -> Optional[cst.Arg]:
    """The literal ``stateful=True`` argument of a Keras recurrent layer constructor, else None."""
    arg = keyword_arg(call, "stateful")
    if arg is None or not is_true(arg.value):
        return None
    if recurrent_layer_name(ctx, call) is None:
        return None
    return arg


class StatefulRnnOnJax(Rule):
    code = "KRS203"
    name = "stateful-rnn-on-jax"
    summary = "A `stateful=True` RNN does not carry its state through `predict()`/`fit()` on the JAX backend of Keras 3."
    fix_safety = FIX_NONE
    backends = ("jax",)
    doc = RuleDoc(
        what="""
            Flags `stateful=True` (the literal) on a Keras recurrent layer (`LSTM`, `GRU`,
            `SimpleRNN`, `RNN`, `ConvLSTM1D/2D/3D`, also inside `Bidirectional(...)` and through
            a subclass of one of them defined in the same file) when JAX is one of the file's
            target backends: configured with `backends = [..., "jax"]`, selected in the file with
            `os.environ["KERAS_BACKEND"] = "jax"`, or implied by an `import jax`. Files that only
            target TensorFlow are not flagged, and neither is `tf_keras` (Keras 2 on purpose).
        """,
        why="""
            Nothing fails. On the JAX backend Keras 3 runs `predict()`, `predict_on_batch()` and
            `fit()` as pure functions and does not write the recurrent state back into the layer:
            two identical `predict()` calls return identical outputs and `layer.states[0]` is
            still all zeros afterwards. Only eager `model(x)` calls carry the state. Code
            written for Keras 2 (or Keras 3 on TensorFlow, where the state is carried) that
            generates text character by character or trains on consecutive windows therefore
            silently loses its memory between batches.
        """,
        bad="""
            import os
            os.environ["KERAS_BACKEND"] = "jax"
            import keras

            model = keras.Sequential([
                keras.Input(batch_shape=(1, None, 39)),
                keras.layers.GRU(128, return_sequences=True, stateful=True),
                keras.layers.Dense(39, activation="softmax"),
            ])
            for x in chunks:
                probs = model.predict(x)  # state is reset on every call on JAX
        """,
        good="""
            import os
            os.environ["KERAS_BACKEND"] = "tensorflow"  # stateful RNNs carry state here
            import keras

            # ... or, on JAX, keep the state yourself: build the model with
            # return_state=True and pass it back in with initial_state=.
        """,
        fix="""
            **None** (guidance only). Run stateful models on the TensorFlow backend, call the
            model eagerly (`model(x)`) instead of `predict()`, or manage the state explicitly
            with `return_state=True` and `initial_state=`.
        """,
        sources=(
            "KERAS3_FACTS STATEFUL-4 (own verification; no upstream issue found)",
            "Checked: keras 3.15.1 with KERAS_BACKEND=jax (jax 0.10.2): two `predict()` calls of a stateful LSTM give identical outputs and `states[0]` stays zero; two eager `model(x)` calls differ",
            "Checked: `Bidirectional(..., stateful=True)` is rejected by keras 3.15.1 (`ValueError: Unrecognized keyword arguments passed to Bidirectional`) and by tf_keras 2.21 (`TypeError: Keyword argument not understood: stateful`)",
        ),
        facts=("STATEFUL-4",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._candidates: List[tuple] = []

    def visit_Call(self, node: cst.Call) -> None:
        arg = stateful_true_arg(self.ctx, node)
        if arg is not None:
            self._candidates.append((arg, recurrent_layer_name(self.ctx, node)))

    def finish(self) -> None:
        if "jax" not in self.ctx.targets:
            return
        for arg, name in self._candidates:
            layer = name.rsplit(".", 1)[-1]
            self.report(
                arg,
                f"`{layer}(stateful=True)` does not carry its state through `predict()`/`fit()` on "
                f"the JAX backend of Keras 3 (silently reset on every call); use the TensorFlow "
                f"backend or pass the state explicitly with `initial_state=`",
            )
