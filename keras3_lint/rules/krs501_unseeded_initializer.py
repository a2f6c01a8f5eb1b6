"""KRS501: a random Keras initializer constructed without ``seed=`` (RNG-2, RNG-3)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..rule import FIX_UNSAFE, Rule, RuleDoc
from ._seeds import SEEDING_SCOPE, SeedPlan, reproducibility_note, unseeded_initializer


class UnseededInitializer(Rule):
    code = "KRS501"
    name = "unseeded-initializer"
    summary = "A random Keras initializer without `seed=`: its seed is drawn when the layer is constructed, so construction order changes the initial weights."
    fix_safety = FIX_UNSAFE
    severity = "warning"
    doc = RuleDoc(
        what=SEEDING_SCOPE + """
            Flags a random initializer object built without a seed (or with `seed=None`):
            `GlorotUniform`, `GlorotNormal`, `HeNormal`, `HeUniform`, `LecunNormal`,
            `LecunUniform`, `RandomNormal`, `RandomUniform`, `TruncatedNormal`,
            `VarianceScaling`, `Orthogonal` (also `OrthogonalInitializer`) and their snake_case
            aliases (`glorot_uniform()`, `he_normal()`, …), however `keras.initializers` is
            imported. `Zeros`, `Ones`, `Constant`, `Identity` and `STFT` are not random and are
            not flagged; nor is `tf_keras` (Keras 2 on purpose).
        """,
        why="""
            An unseeded Keras 3 initializer takes its seed from Python's `random` module
            (`make_default_seed()`) when the *layer is constructed*, not when it is built as in
            tf_keras 2.21. Constructing any other RNG user first (a `Dropout`, which creates a
            `SeedGenerator`), or writing the same architecture as a `Sequential` and as a
            subclass that constructs its layers in `__init__` in another order, shifts the
            initial weights of every later layer, even after `keras.utils.set_random_seed`.
            On the JAX backend even explicitly seeded initializers give different values from
            Keras 2 / the TensorFlow backend, so a seed makes runs reproducible within a
            backend, not numerically equal to the old code. There is no error message: the
            model simply starts from other weights.
        """,
        bad="""
            init = keras.initializers.HeNormal()
            dense = keras.layers.Dense(64, kernel_initializer=init)
        """,
        good="""
            init = keras.initializers.HeNormal(seed=1)
            dense = keras.layers.Dense(64, kernel_initializer=init)
        """,
        fix="""
            **Unsafe.** Adds `seed=N` (or replaces `seed=None`). Seeds are deterministic and
            unique in the file: N counts up from the largest integer literal passed as `seed=`
            anywhere in the file (0 when there is none), in source order, shared with KRS502,
            so running the fix again never reuses a seed. When a folder is checked, each file
            counts from its own block of 1000 (a stable hash of its path), so fixes in two files
            do not give same-shaped layers the same seed. The initial weights change (they
            become independent of construction order), so results change once.
        """,
        sources=(
            "KERAS3_FACTS RNG-2 (seed drawn at layer construction), RNG-3 (JAX gives other values)",
            "keras-team/keras#20216",
            "keras-team/keras#15586, keras-team/tf-keras#432 (stateless initializers in tf.keras 2.7-2.10)",
            "Checked: keras 3.15.1 `inspect.signature` of every `keras.initializers` name; the listed classes and aliases take `seed=None`, Zeros/Ones/Constant/Identity/STFT take none",
        ),
        facts=("RNG-2", "RNG-3"),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._plan = SeedPlan()
        self._found: List[Tuple[cst.Call, str, Optional[cst.Arg]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self._plan.observe(self.ctx, node)
        found = unseeded_initializer(self.ctx, node)
        if found is not None:
            self._found.append((node, found[0], found[1]))

    def finish(self) -> None:
        # Nothing to report: don't ask the project index whether the run is seeded.
        if not self._found or not self.ctx.expects_reproducible(self._plan.seeds_rngs):
            return
        note = reproducibility_note(self.ctx, self._plan.seeds_rngs)
        for call, klass, none_arg in self._found:
            seed = self._plan.seed_for(call)
            fix = self.unsafe_fix(f"Add `seed={seed}`")
            if none_arg is not None:
                fix.replace(none_arg.value, str(seed))
            else:
                self._add_seed(fix, call, seed)
            self.report(
                call,
                f"`{self.ctx.code_for(call.func)}()` without `seed=` takes its seed from Python's `random` when the layer is "
                f"constructed, so construction order (Sequential vs subclass, Dropout placement) "
                f"changes the initial weights; pass `seed=`{note}",
                fix=fix,
            )

    @staticmethod
    def _add_seed(fix, call: cst.Call, seed: int) -> None:
        args = list(call.args)
        if args and not args[-1].value.lpar and not args[-1].value.rpar:
            last = args[-1]
            comma = last.comma
            multiline = isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)
            fix.insert_after(last.value, (",\n" if multiline else ", ") + f"seed={seed}")
            return
        new_arg = cst.Arg(
            keyword=cst.Name("seed"),
            value=cst.Integer(str(seed)),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        )
        new_call = call
        if not args:
            if isinstance(call.whitespace_before_args, cst.SimpleWhitespace):
                new_call = call.with_changes(whitespace_before_args=cst.SimpleWhitespace(""))
        else:
            last = args[-1]
            if not isinstance(last.comma, cst.Comma):
                args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            else:
                new_arg = new_arg.with_changes(comma=last.comma)
                args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        fix.replace(call, new_call.with_changes(args=[*args, new_arg]))
