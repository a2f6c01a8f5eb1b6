"""KRS102: keyword arguments Keras 2 accepted that Keras 3 rejects or ignores (OPT-1, OPT-2, LAY-4..9, CB-1)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..rule import FIX_SAFE, Rule, RuleDoc, keyword_arg, without_args
from ._api_table import table, versions_line

# Reported by other rules: KRS201 owns batch_input_shape / batch_size on layers.
_OWNED_ELSEWHERE = frozenset({"batch_input_shape", "batch_size"})


class RemovedKeywordArgument(Rule):
    code = "KRS102"
    name = "removed-keyword-argument"
    summary = "A keyword argument Keras 2 accepted that Keras 3 rejects (`lr=`, `weights=`, `time_major=`, `fused=`) or silently ignores (`decay=`)."
    fix_safety = FIX_SAFE
    doc = RuleDoc(
        what="""
            Flags keyword arguments on Keras classes and functions that Keras 2 accepted and Keras 3
            rejects or ignores. The table is generated: Keras 2's accepted set is the signature plus
            what its base `Layer` (`allowed_kwargs`) and legacy `Optimizer` validate; each
            candidate was confirmed by constructing the Keras 3 class with it. `batch_input_shape=`
            / `batch_size=` are KRS201.
        """,
        why="""
            Most are a hard error at construction:

                ValueError: Argument(s) not recognized: {'lr': 0.01}
                ValueError: Unrecognized keyword arguments passed to Dense: {'weights': [...]}
                ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': True}

            `decay=` on an optimizer is worse: it only warns (`UserWarning: Argument decay is no
            longer supported and will be ignored.`) and the learning rate silently stops decaying.
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
            and `TensorBoard(write_grads=)` are deleted. Everything else (`weights=`, `causal=`,
            `virtual_batch_size=`, ...) is reported with guidance only.
        """,
        sources=(
            "keras3_lint/data/api_table.json `kwargs` (generated: " + versions_line() + ")",
            "Checked: keras 3.15.1 `keras.optimizers.Adam(lr=0.01)` -> ValueError: Argument(s) not recognized: {'lr': 0.01}",
            "Checked: keras 3.15.1 `keras.optimizers.SGD(decay=1e-6)` -> UserWarning: Argument `decay` is no longer supported and will be ignored.",
        ),
        facts=("OPT-1", "OPT-2", "LAY-4", "LAY-5", "LAY-6", "LAY-7", "CB-1"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not any(a.keyword is not None for a in node.args):
            return
        name = self.ctx.call_name(node)
        if name is None or not name.startswith("keras."):
            return
        entries = table()["kwargs"].get(name[len("keras."):])
        if not entries:
            return
        for arg in node.args:
            if arg.keyword is None:
                continue
            keyword = arg.keyword.value
            entry = entries.get(keyword)
            if entry is None or keyword in _OWNED_ELSEWHERE or entry["outcome"] not in ("rejected", "ignored"):
                continue
            short = name.rsplit(".", 1)[-1]
            if entry["outcome"] == "ignored":
                message = f"`{keyword}=` is silently ignored by Keras 3 `{short}` ({entry['detail']})"
            else:
                message = f"`{keyword}=` is rejected by Keras 3 `{short}` ({entry['detail'].replace(': 1}', ': ...}')})"
            if entry.get("note"):
                message += f"; {entry['note']}"
            self.report(arg, message, fix=self._fix(node, arg, entry))

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
