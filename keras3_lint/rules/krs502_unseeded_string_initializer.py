"""KRS502: a random initializer named by a string on a Keras layer (RNG-2, RNG-3)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..rule import FIX_UNSAFE, Rule, RuleDoc
from ._seeds import SEEDING_SCOPE, SeedPlan, reproducibility_note, string_initializer_args


class UnseededStringInitializer(Rule):
    code = "KRS502"
    name = "unseeded-string-initializer"
    summary = "`kernel_initializer=\"he_normal\"` (or another random initializer name) is an unseeded initializer whose seed is drawn when the layer is constructed."
    fix_safety = FIX_UNSAFE
    severity = "warning"
    doc = RuleDoc(
        what=SEEDING_SCOPE + """
            Flags a random initializer given by name to a Keras layer constructor:
            `kernel_initializer=`, `recurrent_initializer=`, `embeddings_initializer=`,
            `bias_initializer=`, `depthwise_initializer=`, `pointwise_initializer=`,
            `gamma_initializer=`, … (any `*_initializer=` keyword) set to `"he_normal"`,
            `"glorot_uniform"`, `"lecun_normal"`, `"orthogonal"`, `"random_normal"`,
            `"uniform"`, `"normal"`, `"VarianceScaling"`, … — every string that
            `keras.initializers.get()` turns into a random initializer. `"zeros"`, `"ones"` and
            `"identity"` are not random and are not flagged.
        """,
        why="""
            A string initializer becomes an unseeded initializer object, which in Keras 3 takes
            its seed from Python's `random` module when the *layer is constructed* (tf_keras
            2.21 drew it lazily at build time). Constructing another RNG user first (a
            `Dropout`), or reordering layers in a subclass's `__init__`, changes the initial
            weights of every later layer, even after `keras.utils.set_random_seed`. On the JAX
            backend explicitly seeded initializers also give other values than Keras 2, so the
            seed buys reproducibility within a backend. No error is raised.
        """,
        bad="""
            layer = keras.layers.Dense(64, activation="relu", kernel_initializer="he_normal")
        """,
        good="""
            layer = keras.layers.Dense(
                64, activation="relu", kernel_initializer=keras.initializers.HeNormal(seed=1)
            )
        """,
        fix="""
            **Unsafe.** Replaces the string with the same initializer class with a seed, e.g.
            `keras.initializers.HeNormal(seed=1)`, spelled through the file's own imports like
            the layer call (`tf.keras.initializers.…` next to `tf.keras.layers.…`); when no
            import reaches `keras.initializers` there is no fix. Seeds are deterministic and
            unique in the file: they count up from the largest integer literal passed as
            `seed=` anywhere in the file (0 when none), in source order, shared with KRS501.
            When a folder is checked, each file counts from its own block of 1000 (a stable
            hash of its path), so fixes in two files do not hand out the same seeds.
            The initial weights change once (and then no longer depend on construction order).
        """,
        sources=(
            "KERAS3_FACTS RNG-2 (seed drawn at layer construction), RNG-3 (JAX gives other values)",
            "keras-team/keras#20216",
            "Checked: keras 3.15.1 `keras.initializers.get(name)` for each listed string (including `uniform` -> RandomUniform, `normal` -> RandomNormal); every `*_initializer` keyword of `keras.layers` constructors",
        ),
        facts=("RNG-2", "RNG-3"),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._plan = SeedPlan()
        self._found: List[Tuple[cst.Arg, str, str, Optional[str]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self._plan.observe(self.ctx, node)
        for arg, text, klass in string_initializer_args(self.ctx, node):
            reference = self.ctx.keras_reference(f"keras.initializers.{klass}", like=node.func)
            self._found.append((arg, text, klass, reference))

    def finish(self) -> None:
        # Nothing to report: don't ask the project index whether the run is seeded.
        if not self._found or not self.ctx.expects_reproducible(self._plan.seeds_rngs):
            return
        note = reproducibility_note(self.ctx, self._plan.seeds_rngs)
        for arg, text, klass, reference in self._found:
            fix = None
            if reference is not None:
                seed = self._plan.seed_for(arg)
                replacement = f"{reference}(seed={seed})"
                fix = self.unsafe_fix(f"Use `{replacement}`").replace(arg.value, replacement)
            keyword = arg.keyword.value
            self.report(
                arg,
                f"`{keyword}=\"{text}\"` is an unseeded `{klass}` whose seed is drawn when the layer "
                f"is constructed, so construction order changes the initial weights; pass "
                f"`keras.initializers.{klass}(seed=...)`{note}",
                fix=fix,
            )
