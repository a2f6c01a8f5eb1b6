"""KRS102: keyword arguments Keras 2 accepted that Keras 3 rejects or ignores (OPT-1, OPT-2, LAY-4..9, CB-1)."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Dict, Optional, Tuple

import libcst as cst

from ..rule import FIX_SAFE_AND_UNSAFE, Rule, RuleDoc, keyword_arg, without_args
from ._api_table import table, versions_line
from ._saving import literal_bool
from .krs729_removed_fit_arguments import _REMOVED as _FIT_ARGUMENTS_OWNED

# Reported by other rules: KRS201 owns batch_input_shape / batch_size on layers (not on
# `TensorBoard(batch_size=)`, which is this rule's).
_OWNED_BY_KRS201 = frozenset({"batch_input_shape", "batch_size"})
_PROBE = "keras3_lint_probe"  # the generator's stand-in for the caller's keyword in `error`

# Keras 2 spellings with a provably identical Keras 3 fix, read from tf_keras 2.21's source and
# checked by tests/evidence/test_keras2_kwargs_fixes.py: (path, keyword) -> (fix, replacement,
# why). "drop": tf_keras accepted the keyword and ignored it; "rename": tf_keras mapped it to
# the Keras 3 name.
_TENSORBOARD_IGNORED = (
    "tf_keras 2.21 `TensorBoard._validate_kwargs` accepts it and only logs that it is ignored "
    "(so did Keras 2.3's TF 2 TensorBoard)"
)
_KERAS2_FIXES: Dict[Tuple[str, str], Tuple[str, str, str]] = {
    **{
        ("callbacks.TensorBoard", keyword): ("drop", "", _TENSORBOARD_IGNORED)
        for keyword in ("batch_size", "write_grads", "embeddings_data", "embeddings_layer_names")
    },
    **{
        (f"{module}.image_dataset_from_directory", "smart_resize"): (
            "rename",
            "crop_to_aspect_ratio",
            "tf_keras 2.21 passes `smart_resize` on as `crop_to_aspect_ratio`, which Keras 3 "
            "takes with the same cropping resize",
        )
        for module in ("utils", "preprocessing")
    },
}

# Layers whose weights are [kernel, bias] (tf_keras 2.21 and Keras 3 `get_weights()` order):
# their `weights=` becomes Constant initializers (the unsafe fix of `_weights_fix`).
_KERNEL_BIAS_LAYERS = frozenset(
    f"layers.{name}" for name in (
        "Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
        "Convolution1D", "Convolution2D", "Convolution3D", "Convolution2DTranspose", "Convolution3DTranspose",
    )
)

# What to do where no fix is offered, by keyword (else a generic sentence).
_ADVICE = {
    "weights": (
        "create the layer without `weights=`, add it to the model (or call it once) so it is "
        "built, then call `layer.set_weights(...)` with the same arrays"
    ),
    "causal": "pass `use_causal_mask=True` when calling the layer (tf_keras 2.21 names it the replacement)",
    "input_shape": "put `keras.Input(shape=...)` first instead",
    "input_dim": "put `keras.Input(shape=(input_dim,))` first instead",
    "activity_regularizer": "add a `keras.layers.ActivityRegularization` layer after this one",
    "dynamic": "remove it (Keras 3 layers take no `dynamic=`; `compile(run_eagerly=True)` runs the model eagerly)",
    "period": "use `save_freq=` (in batches, or \"epoch\")",
    "smart_resize": "keep only `crop_to_aspect_ratio=`, which is what `smart_resize=` meant",
    "time_major": "transpose the input to batch-major (`keras.ops.transpose`) and drop the argument",
}


@lru_cache(maxsize=1)
def _method_names() -> frozenset:
    return frozenset(name for methods in table()["signatures"]["methods"].values() for name in methods)


class RemovedKeywordArgument(Rule):
    code = "KRS102"
    name = "removed-keyword-argument"
    summary = "A keyword argument Keras 3 rejects (`lr=`, `weights=`, `time_major=`, `TensorBoard(batch_size=)`, a typo such as `montior=`) or silently ignores (`decay=`)."
    fix_safety = FIX_SAFE_AND_UNSAFE
    doc = RuleDoc(
        what="""
            Flags keyword arguments on Keras classes and functions that Keras 2 accepted and Keras 3
            rejects or ignores. The table is generated: Keras 2's accepted set is the signature plus
            what its base `Layer` (`allowed_kwargs`) and legacy `Optimizer` validate; each
            candidate was confirmed by constructing the Keras 3 class with it. `batch_input_shape=`
            / `batch_size=` on layers are KRS201.

            Beyond the Keras 2 names, any keyword the Keras 3 signature does not take is
            reported, on every resolved Keras callable (constructors of layers, callbacks,
            optimizers, losses, metrics, `keras.Input`, `keras.utils` functions, ...) and on the
            main methods of resolved models and recurrent layers (`fit`, `evaluate`, `predict`,
            `compile`, `*_on_batch`, `save_weights`, `summary`, `reset_states`, ...): typos
            (`montior=`, with a "did you mean"), Keras 1 names (`nb_epoch=`, `init=`,
            `border_mode=`, `output_dim=`), `reset_states(states=)`. The accepted names are
            generated from keras 3.15.1 (`signatures` in the table): the named parameters along
            the `**kwargs` chain plus what the bases read out of `**kwargs`, kept only where
            constructing (or calling) the real object with an unknown keyword raises; a callable
            that swallows unknown keywords (`LambdaCallback`, `Model(...)`, `Model.save`) is
            never checked. The `fit`/`compile` arguments KRS729 owns are left to it.
        """,
        why="""
            Most are a hard error at construction:

                ValueError: Argument(s) not recognized: {'lr': 0.01}
                ValueError: Unrecognized keyword arguments passed to Dense: {'weights': [...]}
                ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': True}

            `decay=` on an optimizer is worse: it only warns (`UserWarning: Argument decay is no
            longer supported and will be ignored.`) and the learning rate silently stops decaying.

            Keywords the Keras 3 signature lacks fail with the error the table records, e.g.:

                TypeError: EarlyStopping.__init__() got an unexpected keyword argument 'montior'
                TypeError: TensorBoard.__init__() got an unexpected keyword argument 'batch_size'
                TypeError: RNN.reset_states() got an unexpected keyword argument 'states'
                TypeError: to_categorical() got an unexpected keyword argument 'dtype'

            tf_keras 2.21 took `TensorBoard(batch_size=)`, `reset_states(states=)` and
            `to_categorical(dtype=)`; a typo such as `montior=` failed there too.
        """,
        bad="""
            opt = keras.optimizers.SGD(lr=0.01, decay=1e-6)
        """,
        good="""
            opt = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6))
        """,
        fix="""
            **Safe** renames/removals where Keras 3 and tf_keras behave identically: `lr=` ->
            `learning_rate=`; `decay=d` -> `learning_rate=InverseTimeDecay(lr, decay_steps=1,
            decay_rate=d)` (numerically identical to Keras 2's `lr / (1 + d * iterations)`,
            verified; needs an explicit learning rate in the call); `time_major=False`, `fused=`
            and `TensorBoard(write_grads=)` are deleted. Keras 2 spellings tf_keras 2.21 accepted
            and ignored or renamed, read from its source: `TensorBoard(batch_size=,
            write_grads=, embeddings_data=, embeddings_layer_names=)` are deleted (tf_keras's
            `TensorBoard._validate_kwargs` only logs that they are ignored; Keras 2.3 on TF 2
            ignored them too; tf_keras 2.21 itself raises `ValueError: The truth value of an
            array ...` for a NumPy `embeddings_data`); `image_dataset_from_directory(smart_resize=)` becomes
            `crop_to_aspect_ratio=` (tf_keras pops `smart_resize` into `crop_to_aspect_ratio`;
            both packages then call the same `smart_resize` image function). Everything else
            (`weights=`, `causal=`, `virtual_batch_size=`, keywords the signature lacks) is
            reported with "no automatic fix" and what to do instead: for `weights=`, build the
            layer without it, add it to the model, then `layer.set_weights(...)`. **Unsafe**,
            for `weights=` on `Dense` and the `Conv*D`/`Conv*DTranspose` layers (whose weights are
            `[kernel, bias]`, or `[kernel]` with `use_bias=False`) given as a two-element list or
            a name: `kernel_initializer=keras.initializers.Constant(W[0]),
            bias_initializer=keras.initializers.Constant(W[1])`, the same initial weights as
            Keras 2's (checked by the evidence tier). Unlike `weights=`, a `Constant` broadcasts
            arrays of the wrong shape instead of failing, and a saved model's config carries the
            arrays.
        """,
        sources=(
            "keras3_lint/data/api_table.json `kwargs` (generated: " + versions_line() + ")",
            "Checked: keras 3.15.1 `keras.optimizers.Adam(lr=0.01)` -> ValueError: Argument(s) not recognized: {'lr': 0.01}",
            "Checked: keras 3.15.1 `keras.optimizers.SGD(decay=1e-6)` -> UserWarning: Argument `decay` is no longer supported and will be ignored.",
            "Checked: tf_keras 2.21 `tf_keras/src/callbacks.py` `TensorBoard._validate_kwargs` (warns and ignores `write_grads`, `batch_size`, `embeddings_layer_names`, `embeddings_data`), `tf_keras/src/utils/image_dataset.py` (`crop_to_aspect_ratio = kwargs.pop(\"smart_resize\")`); keras 2.3.1 `keras/callbacks/tensorboard_v2.py` ignores the same four on TF 2",
            "Checked: tf_keras 2.21 `TensorBoard(...)` with and without the four keywords stores the same state; keras 3.15.1 `crop_to_aspect_ratio=True` gives tf_keras's `smart_resize=True` images (tests/evidence/test_keras2_fixes_krs102_krs103.py)",
            "Checked: keras 3.15.1 `keras.callbacks.EarlyStopping(montior=...)` -> TypeError: EarlyStopping.__init__() got an unexpected keyword argument 'montior' (tests/evidence/test_api.py, which also checks every constructed signature's error against the package)",
        ),
        facts=("OPT-1", "OPT-2", "LAY-4", "LAY-5", "LAY-6", "LAY-7", "CB-1", "SURF-3"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not any(a.keyword is not None for a in node.args):
            return
        name = self.ctx.call_name(node)
        if name is None or not name.startswith("keras."):
            self._check_method(node)
            return
        path = name[len("keras."):]
        entries = table()["kwargs"].get(path) or {}
        for arg in node.args:
            if arg.keyword is None:
                continue
            keyword = arg.keyword.value
            entry = entries.get(keyword)
            if (keyword in _OWNED_BY_KRS201 and path.startswith("layers.")) or (
                    entry is not None and entry["outcome"] not in ("rejected", "ignored")):
                continue
            signature = self._callable_signature(node, path)
            if entry is None:
                self._check_signature(arg, signature, name.rsplit(".", 1)[-1], node, path)
                continue
            if entry["detail"].startswith("(from the signature") and signature is not None:
                entry = dict(entry, detail=signature["error"].replace(_PROBE, keyword))
            short = name.rsplit(".", 1)[-1]
            if entry["outcome"] == "ignored":
                message = f"`{keyword}=` is silently ignored by Keras 3 `{short}` ({entry['detail']})"
            else:
                message = f"`{keyword}=` is rejected by Keras 3 `{short}` ({entry['detail'].replace(': 1}', ': ...}')})"
            fix = self._keras2_fix(node, arg, path) or self._fix(node, arg, entry)
            weights_fix = self._weights_fix(node, arg, path) if fix is None and keyword == "weights" else None
            if weights_fix is not None:
                fix = weights_fix
                message += (
                    "; the fix passes the arrays as `Constant` kernel and bias initializers, which give "
                    "the layer the same initial weights"
                )
            elif fix is not None:
                message += f"; {entry['note'] or _KERAS2_FIXES[(path, keyword)][2]}"
            else:
                message += f"; no automatic fix: {entry['note'] or _advice(keyword)}"
            self.report(arg, message, fix=fix)

    # -- SURF-3: any keyword the Keras 3 signature does not take -------------------------------
    def _callable_signature(self, node: cst.Call, path: str) -> Optional[Dict]:
        signature = table()["signatures"]["callables"].get(path)
        if signature is not None and signature.get("not_via_tf_keras"):
            resolved = self.ctx.resolver.resolve(node.func)
            if resolved is None or resolved.origin != "keras":
                return None  # through tf.keras the name is another object
        return signature

    def _check_method(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Attribute) or node.func.attr.value not in _method_names():
            return  # cheap test first: most calls are not to a checked method
        method = node.func.attr.value
        owner = self._owner(node.func.value)
        if owner is None:
            return
        signature = table()["signatures"]["methods"].get(owner, {}).get(method)
        if signature is None:
            return
        owned = _FIT_ARGUMENTS_OWNED.get(method, ()) if owner in ("Model", "Sequential") else ()
        label = f"{owner.rsplit('.', 1)[-1]}.{method}"
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value not in owned:
                self._check_signature(arg, signature, label)

    def _owner(self, receiver: cst.BaseExpression) -> Optional[str]:
        kind = self.ctx.resolver.value_type(receiver)
        if kind is None or not kind.startswith("keras."):
            return None
        owner = kind[len("keras."):]
        return owner if owner in table()["signatures"]["methods"] else None

    def _check_signature(
        self, arg: cst.Arg, signature: Optional[Dict], label: str, call: Optional[cst.Call] = None, path: str = ""
    ) -> None:
        keyword = arg.keyword.value
        if signature is None or keyword in signature["accepts"]:
            return
        error = signature["error"].replace(_PROBE, keyword)
        message = f"`{keyword}=` is not an argument of Keras 3 `{label}` ({error})"
        fix = None if call is None else self._keras2_fix(call, arg, path)
        if fix is not None:
            self.report(arg, f"{message}; {_KERAS2_FIXES[(path, keyword)][2]}", fix=fix)
            return
        close = difflib.get_close_matches(keyword, signature["accepts"], n=1, cutoff=0.8)
        if close:
            message += f"; no automatic fix: did you mean `{close[0]}=`?"
        else:
            message += f"; no automatic fix: {_advice(keyword)}"
        self.report(arg, message)

    def _keras2_fix(self, call: cst.Call, arg: cst.Arg, path: str):
        """The fix of a Keras 2 spelling listed in ``_KERAS2_FIXES`` (always safe: identical on
        Keras 3 and on tf_keras 2.21), or None."""
        known = _KERAS2_FIXES.get((path, arg.keyword.value))
        if known is None:
            return None
        kind, replacement, _ = known
        if kind == "drop":
            return self.safe_fix(f"Remove `{arg.keyword.value}=`").replace(call, without_args(call, [arg]))
        if keyword_arg(call, replacement) is not None:
            return None  # both spellings given: the user has to choose
        return self.safe_fix(f"Rename to `{replacement}=`").replace(arg.keyword, replacement)

    def _weights_fix(self, call: cst.Call, arg: cst.Arg, path: str):
        """``Dense(..., weights=W)`` -> ``kernel_initializer=Constant(W[0]),
        bias_initializer=Constant(W[1])`` (unsafe), for layers whose weights are [kernel, bias]."""
        if path not in _KERNEL_BIAS_LAYERS:
            return None
        if keyword_arg(call, "kernel_initializer") is not None or keyword_arg(call, "bias_initializer") is not None:
            return None
        use_bias = keyword_arg(call, "use_bias")
        bias = True if use_bias is None else literal_bool(use_bias)
        if bias is None:
            return None  # not a literal: how many arrays `weights=` holds is unknown
        count = 2 if bias else 1
        value = arg.value
        if isinstance(value, (cst.List, cst.Tuple)):
            if len(value.elements) != count or any(isinstance(e, cst.StarredElement) for e in value.elements):
                return None
            parts = [self.ctx.code_for(e.value) for e in value.elements]
        elif isinstance(value, (cst.Name, cst.Attribute, cst.Subscript)):
            text = self.ctx.code_for(value)
            parts = [f"{text}[{i}]" for i in range(count)]
        else:
            return None  # a call or other expression would be evaluated once per array
        constant = self.ctx.keras_reference("keras.initializers.Constant", like=call.func)
        import_text = None
        if constant is None:
            constant, import_text = self.ctx.module_import_for("keras.initializers.Constant")
            if constant is None:
                return None
        keywords = ("kernel_initializer", "bias_initializer")[:count]
        new_args = [
            cst.Arg(
                value=cst.parse_expression(f"{constant}({part})"),
                keyword=cst.Name(keyword),
                equal=arg.equal,
                comma=arg.comma if i == count - 1 else cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
            )
            for i, (keyword, part) in enumerate(zip(keywords, parts))
        ]
        args = []
        for existing in call.args:
            args.extend(new_args if existing is arg else [existing])
        fix = self.unsafe_fix("Pass the arrays as Constant initializers").replace(call, call.with_changes(args=args))
        if import_text is not None:
            self.ctx.add_import(fix, import_text, at=call)
        return fix

    def _fix(self, call: cst.Call, arg: cst.Arg, entry) -> Optional[object]:
        if not entry.get("automatic") or entry.get("fix") == "none":
            return None
        make = self.safe_fix if entry["fix"] == "safe" else self.unsafe_fix
        replacement = entry["replacement"]
        keyword = arg.keyword.value
        if replacement == "drop":
            return make(f"Remove `{keyword}=`").replace(call, without_args(call, [arg]))
        if replacement == "drop-if-false":
            if isinstance(arg.value, cst.Name) and arg.value.value == "False":
                return make(f"Remove `{keyword}=False`").replace(call, without_args(call, [arg]))
            return None
        if replacement == "schedule":
            return self._decay_fix(call, arg, make)
        if keyword_arg(call, replacement) is not None:
            return None
        return make(f"Rename to `{replacement}=`").replace(arg.keyword, replacement)

    def _decay_fix(self, call: cst.Call, decay: cst.Arg, make):
        rate = keyword_arg(call, "learning_rate") or keyword_arg(call, "lr")
        if rate is None and call.args and call.args[0].keyword is None and call.args[0].star == "":
            rate = call.args[0]
        if rate is None:
            return None
        schedule = self.ctx.keras_reference("keras.optimizers.schedules.InverseTimeDecay", like=call.func)
        if schedule is None:
            return None
        text = (
            f"{schedule}({self.ctx.code_for(rate.value)}, decay_steps=1, "
            f"decay_rate={self.ctx.code_for(decay.value)})"
        )
        new_rate = cst.Arg(
            value=cst.parse_expression(text),
            keyword=None if rate.keyword is None else cst.Name("learning_rate"),
            equal=rate.equal,
            comma=rate.comma,
        )
        args = [new_rate if a is rate else a for a in call.args]
        new_call = without_args(call.with_changes(args=args), [decay])
        return make("Replace `decay=` with an `InverseTimeDecay` learning-rate schedule").replace(call, new_call)


def _advice(keyword: str) -> str:
    return _ADVICE.get(keyword) or (
        f"remove `{keyword}=`, and if it mattered, do what it did another way (see the Keras 3 "
        "documentation of this callable)"
    )
