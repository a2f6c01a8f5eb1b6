"""KRS708: ``load_model("*.h5")`` of a Keras 2 model with RNN layers (``time_major``, LOAD-4)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc, keyword_arg
from ._saving import H5_EXTENSIONS, LOAD_MODEL, PathCollector

_RNN = frozenset(
    "keras.layers." + n
    for n in ("LSTM", "GRU", "SimpleRNN", "Bidirectional", "RNN", "CuDNNLSTM", "CuDNNGRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")
)
_HINTS = ("lstm", "gru", "rnn")


class LoadKeras2H5Rnn(PathCollector, Rule):
    code = "KRS708"
    name = "load-keras2-h5-rnn"
    summary = "Keras 2 `.h5` models with LSTM/GRU/SimpleRNN layers do not load in Keras 3 (`time_major`); pass shim classes in `custom_objects`."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `keras.models.load_model(path)` of an `.h5`/`.hdf5` path without
            `custom_objects=` when there is evidence that the model holds recurrent layers: the
            file uses `LSTM`, `GRU`, `SimpleRNN`, `RNN` or `Bidirectional`, or the file name
            says `lstm`/`gru`/`rnn`. Paths this file writes itself are Keras 3 files and skipped.
        """,
        why="""
            Keras 2 stored `time_major: false` in every recurrent layer's config; Keras 3 removed
            the option and rejects the key, even with `compile=False`:

                ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': False}
        """,
        bad="""
            model = keras.models.load_model("keras2_lstm.h5")
        """,
        good="""
            class LSTM(keras.layers.LSTM):
                def __init__(self, *args, time_major=False, **kwargs):
                    super().__init__(*args, **kwargs)

            model = keras.models.load_model("keras2_lstm.h5", custom_objects={"LSTM": LSTM}, compile=False)
        """,
        fix="""
            **None.** Define a subclass per recurrent layer type that accepts and drops
            `time_major` and pass it in `custom_objects` (verified to load a Keras 2 LSTM `.h5`
            with identical outputs), or rebuild the model in code and `load_weights("….h5")`,
            which works.
        """,
        sources=(
            "keras-team/keras#20750 (fchollet: the option was removed; the file references it)",
            "keras-team/keras#19898",
            "appeler/ethnicolr#101",
            "Checked: keras 3.15.1 `load_model` of tf_keras 2.21 `.h5` files with LSTM, GRU, SimpleRNN and Bidirectional(LSTM) raises the ValueError quoted above; the shim loads them (KERAS3_FACTS LOAD-4)",
        ),
        facts=("LOAD-4",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._uses_rnn = False

    def visit_Name(self, node: cst.Name) -> None:
        if not self._uses_rnn and node.value in ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "CuDNNLSTM", "CuDNNGRU"):
            self._uses_rnn = self.ctx.keras_name(node) in _RNN

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self._uses_rnn and node.attr.value in ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "CuDNNLSTM", "CuDNNGRU"):
            self._uses_rnn = self.ctx.keras_name(node) in _RNN

    def finish(self) -> None:
        for found in self.calls_of(LOAD_MODEL):
            info = found.info
            if info is None or found.arg is None or keyword_arg(found.call, "custom_objects") is not None:
                continue
            if len([a for a in found.call.args if a.keyword is None]) >= 2:  # custom_objects positional
                continue
            if info.ends_with(H5_EXTENSIONS) is not True or self.written_here(info):
                continue
            named = any(h in info.tail.lower() for h in _HINTS)
            if not (self._uses_rnn or named):
                continue
            self.report(
                found.call,
                "A Keras 2 `.h5` with LSTM/GRU/SimpleRNN layers does not load in Keras 3 (`ValueError: "
                "Unrecognized keyword arguments passed to LSTM: {'time_major': False}`); pass subclasses that "
                "drop `time_major` in `custom_objects`, or rebuild the model and `load_weights()`",
            )
