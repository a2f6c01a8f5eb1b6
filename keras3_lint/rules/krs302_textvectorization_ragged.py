"""KRS302: ``TextVectorization(ragged=True)`` (RAG-2)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..rule import ALL_BACKENDS, FIX_NONE, Rule, RuleDoc, is_true, keyword_arg


def is_text_vectorization(name: Optional[str]) -> bool:
    """``keras.layers.TextVectorization`` and its old ``experimental.preprocessing`` path."""
    return name is not None and name.startswith("keras.layers.") and name.endswith(".TextVectorization")


class TextVectorizationRagged(Rule):
    code = "KRS302"
    name = "textvectorization-ragged"
    summary = "`TextVectorization(ragged=True)` yields `tf.RaggedTensor`s that Keras 3 RNNs cannot consume, and is TensorFlow-only; use `output_sequence_length=`."
    fix_safety = FIX_NONE
    backends = ALL_BACKENDS  # the hazard is in the Keras 3 API itself, whatever the backend
    doc = RuleDoc(
        what="""
            Flags `ragged=True` passed to `keras.layers.TextVectorization(...)` (also spelled
            `tf.keras.layers.TextVectorization` or
            `tf.keras.layers.experimental.preprocessing.TextVectorization`).
        """,
        why="""
            Keras 3 still accepts `TextVectorization(ragged=True)` on the TensorFlow backend and
            still returns a `tf.RaggedTensor` of token ids. But Keras 3's ragged support is
            partial: the classic Keras 2 pipeline `TextVectorization(ragged=True)` →
            `Embedding` → `GRU`/`LSTM` now fails in `call`, `fit` and `predict`:

                ValueError: Exception encountered when calling GRU.call(). Cannot index into an inner ragged dimension.

            and on any other backend the layer cannot even be built:

                ValueError: `ragged=True` can only be used with the TensorFlow backend.

            tf_keras (Keras 2) ran the same pipeline without error.
        """,
        bad="""
            text_vec = tf.keras.layers.TextVectorization(ragged=True)
            text_vec.adapt(sentences)
            model = tf.keras.Sequential([
                tf.keras.layers.Embedding(vocab_size, 128),
                tf.keras.layers.GRU(128),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ])
            model.fit(text_vec(sentences), labels)
        """,
        good="""
            text_vec = tf.keras.layers.TextVectorization(output_sequence_length=max_length)
            text_vec.adapt(sentences)
            model = tf.keras.Sequential([
                tf.keras.layers.Embedding(vocab_size, 128, mask_zero=True),
                tf.keras.layers.GRU(128),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ])
            model.fit(text_vec(sentences), labels)
        """,
        fix="""
            **None.** Drop `ragged=True` and pad: give `output_sequence_length=N` (or leave it
            unset, which pads each batch to its longest sequence), or call `.to_tensor()` on the
            ragged output, and add `mask_zero=True` to the `Embedding` so the padding (token id 0)
            is masked. Padding changes the data the model sees, so this is left to a human. On
            keras < 3.12, masked padding also interacts with metrics (see SEQ-1 in the facts).
        """,
        sources=(
            "keras-team/keras#20073 (maintainer: only partial ragged support, TensorFlow-only)",
            "tensorflow/tensorflow#62332",
            "keras-team/keras#19646",
            "tensorflow/docs#2302",
            "Checked: keras 3.15.1 on TensorFlow returns a `tf.RaggedTensor` from `TextVectorization(ragged=True)`; feeding it to Embedding → GRU raises the error above in `__call__`, `fit` and `predict`; on JAX the constructor raises `ValueError: ragged=True can only be used with the TensorFlow backend.`",
        ),
        facts=("RAG-2",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not is_text_vectorization(self.ctx.call_name(node)):
            return
        ragged = keyword_arg(node, "ragged")
        if ragged is None or not is_true(ragged.value):
            return
        self.report(
            ragged,
            "`TextVectorization(ragged=True)` returns `tf.RaggedTensor`s: Keras 3 RNNs fail on them "
            "(`ValueError: Exception encountered when calling GRU.call(). Cannot index into an inner "
            "ragged dimension.`) and the option is TensorFlow-only; use `output_sequence_length=` "
            "and `Embedding(..., mask_zero=True)` instead",
        )
