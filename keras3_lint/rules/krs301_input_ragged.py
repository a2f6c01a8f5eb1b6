"""KRS301: ``ragged=True`` on ``keras.Input`` / ``keras.layers.InputLayer`` (RAG-1)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..rule import ALL_BACKENDS, FIX_NONE, Rule, RuleDoc, keyword_arg

_INPUTS = {"keras.Input": "Input", "keras.layers.InputLayer": "InputLayer"}


def ragged_requested(arg: Optional[cst.Arg]) -> bool:
    """``ragged=`` is given and is not literally ``False`` / ``None`` (a variable counts)."""
    if arg is None:
        return False
    value = arg.value
    return not (isinstance(value, cst.Name) and value.value in ("False", "None"))


class InputRagged(Rule):
    code = "KRS301"
    name = "input-ragged"
    summary = "`ragged=True` on `Input`/`InputLayer`: rejected or ignored by Keras < 3.9, partial and TensorFlow-only on >= 3.9; pad the input instead."
    fix_safety = FIX_NONE
    backends = ALL_BACKENDS  # the hazard is in the Keras 3 API itself, whatever the backend
    doc = RuleDoc(
        what="""
            Flags `ragged=True` (or any `ragged=` value that is not literally `False`/`None`;
            on Keras < 3.9 any `ragged=` on `Input`) passed to `keras.Input(...)` or `keras.layers.InputLayer(...)`, in every Keras 3
            spelling (`tf.keras.Input`, `tf.keras.layers.Input`, `from keras.layers import
            InputLayer`, …). `tf_keras` code is Keras 2 on purpose and is not flagged.
        """,
        why="""
            Keras 3.0 – 3.8 has no ragged inputs. `keras.Input` rejects the keyword:

                TypeError: Input() got an unexpected keyword argument 'ragged'

            while `InputLayer(..., ragged=True)` swallows it silently (its `**kwargs` are never
            checked), so the model builds and then fails on the first ragged batch.

            Keras >= 3.9 accepts `ragged=True` again, but ragged support is partial and
            TensorFlow-only. On JAX, PyTorch or NumPy:

                ValueError: `ragged=True` is not supported with the jax backend

            and on TensorFlow, recurrent layers cannot consume ragged sequences (with or without
            `ragged=True` on the input):

                ValueError: Exception encountered when calling GRU.call(). Cannot index into an inner ragged dimension.

            A ragged input only works for the few layers that handle `tf.RaggedTensor`
            themselves; the usual Keras 2 use (token ids into `Embedding` → `GRU`/`LSTM`) breaks.
        """,
        bad="""
            inputs = tf.keras.Input(shape=[None], dtype="int32", ragged=True)
            x = tf.keras.layers.Embedding(vocab_size, 128)(inputs)
            x = tf.keras.layers.GRU(128)(x)
        """,
        good="""
            inputs = tf.keras.Input(shape=[None], dtype="int32")
            x = tf.keras.layers.Embedding(vocab_size, 128, mask_zero=True)(inputs)
            x = tf.keras.layers.GRU(128)(x)
            # and feed padded batches: ragged.to_tensor(), pad_sequences(...),
            # or TextVectorization(output_sequence_length=N)
        """,
        fix="""
            **None.** Drop `ragged=True`, feed padded (dense) batches (`x.to_tensor()`,
            `keras.utils.pad_sequences`, `TextVectorization(output_sequence_length=N)`) and add
            `mask_zero=True` to the `Embedding` so padding is masked. Removing the keyword alone
            would be a safe rewrite on Keras < 3.9 only, and is not enough on its own: the data
            must be padded too, so this rule only reports. The message depends on the Keras
            version the code runs on (`keras-version`, the project's pins, else the newest):
            below 3.9 it is the hard `TypeError` (or the silent drop on `InputLayer`), from 3.9 on
            the partial-support warning.
        """,
        sources=(
            "keras-team/keras#19646 (fchollet: \"Keras 3 does not support Ragged tensors at this time\")",
            "keras-team/keras#20757 (ragged inputs accepted again from keras 3.9.0)",
            "keras-team/keras#20073 (maintainer: only partial ragged support, TensorFlow-only)",
            "tensorflow/tensorflow#62332",
            "tensorflow/docs#2302",
            "Checked: keras 3.8.0 (wheel on PYTHONPATH, TF backend) raises `TypeError: Input() got an unexpected keyword argument 'ragged'` (also for `ragged=False`) and accepts `InputLayer(ragged=True)` silently; keras 3.15.1 accepts both on TensorFlow and raises `ValueError: ragged=True is not supported with the jax backend` on JAX",
        ),
        facts=("RAG-1", "RAG-2"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        if name not in _INPUTS:
            return
        ragged = keyword_arg(node, "ragged")
        old_input = name == "keras.Input" and ragged is not None and self.ctx.keras_version < (3, 9)
        if not ragged_requested(ragged) and not old_input:  # Keras < 3.9 rejects even `ragged=False`
            return
        what = _INPUTS[name]
        value = self.ctx.code_for(ragged.value)
        version = ".".join(str(p) for p in self.ctx.keras_version[:2])
        if self.ctx.keras_version < (3, 9):
            if what == "Input":
                message = (
                    f"`ragged={value}` on `Input` fails on Keras {version} (< 3.9): `TypeError: Input() got an "
                    "unexpected keyword argument 'ragged'`; remove it and feed padded batches with "
                    "`mask_zero=True`"
                )
            else:
                message = (
                    f"`ragged={value}` on `InputLayer` is silently ignored by Keras {version} (< 3.9), and the "
                    "model fails on the first ragged batch; remove it and feed padded batches with `mask_zero=True`"
                )
            self.report(ragged, message)
            return
        self.report(
            ragged,
            f"`ragged={value}` on `{what}`: Keras >= 3.9 accepts it, but ragged support is "
            "partial and TensorFlow-only, and RNNs on ragged input fail (`Cannot index into an "
            "inner ragged dimension.`); feed padded batches with `mask_zero=True` instead "
            "(Keras < 3.9 rejects it: `TypeError: Input() got an unexpected keyword argument 'ragged'`)",
        )
