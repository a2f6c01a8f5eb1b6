"""Shared facts and helpers for the randomness rules (KRS501-KRS505). Defines no rule.

Facts checked against keras 3.15.1 (``inspect.signature`` of every name in
``keras.initializers`` and ``keras.random``, and ``keras.initializers.get(name)`` for string
identifiers); ``tf.keras.initializers`` exposes exactly the same names.
"""

from __future__ import annotations

import zlib
from typing import Dict, List, Optional, Tuple

import libcst as cst

from ..project import ALL_SEEDING, FULL_SEEDING, NUMPY_SEEDING, TF_ONLY_SEEDING  # noqa: F401 (the project index looks for them in every file)
from ..rule import keyword_arg

# Random initializer -> (class name, position of `seed` among the positional parameters).
# Not random: Zeros, Ones, Constant, Identity(Initializer), STFT(Initializer).
_RANDOM_CLASSES: Dict[str, int] = {
    "GlorotNormal": 0,
    "GlorotUniform": 0,
    "HeNormal": 0,
    "HeUniform": 0,
    "LecunNormal": 0,
    "LecunUniform": 0,
    "Orthogonal": 1,  # (gain=1.0, seed=None)
    "RandomNormal": 2,  # (mean=0.0, stddev=0.05, seed=None)
    "RandomUniform": 2,  # (minval=-0.05, maxval=0.05, seed=None)
    "TruncatedNormal": 2,  # (mean=0.0, stddev=0.05, seed=None)
    "VarianceScaling": 3,  # (scale=1.0, mode='fan_in', distribution='truncated_normal', seed=None)
}
_ALIASES = {
    "OrthogonalInitializer": "Orthogonal",
    "glorot_normal": "GlorotNormal",
    "glorot_uniform": "GlorotUniform",
    "he_normal": "HeNormal",
    "he_uniform": "HeUniform",
    "lecun_normal": "LecunNormal",
    "lecun_uniform": "LecunUniform",
    "orthogonal": "Orthogonal",
    "random_normal": "RandomNormal",
    "random_uniform": "RandomUniform",
    "truncated_normal": "TruncatedNormal",
    "variance_scaling": "VarianceScaling",
}

# keras.initializers.X (callable) -> class name
RANDOM_INITIALIZERS: Dict[str, str] = {
    **{f"keras.initializers.{name}": name for name in _RANDOM_CLASSES},
    **{f"keras.initializers.{alias}": name for alias, name in _ALIASES.items()},
}

# String identifiers `keras.initializers.get()` turns into a random initializer.
STRING_INITIALIZERS: Dict[str, str] = {
    **{name: name for name in _RANDOM_CLASSES},
    **_ALIASES,
    "uniform": "RandomUniform",
    "normal": "RandomNormal",
}

# keras.random ops and the position of `seed` among their positional parameters.
KERAS_RANDOM_OPS: Dict[str, int] = {
    "beta": 4,  # (shape, alpha, beta, dtype=None, seed=None)
    "binomial": 4,  # (shape, counts, probabilities, dtype=None, seed=None)
    "categorical": 3,  # (logits, num_samples, dtype='int32', seed=None)
    "dropout": 3,  # (inputs, rate, noise_shape=None, seed=None)
    "gamma": 3,  # (shape, alpha, dtype=None, seed=None)
    "normal": 4,  # (shape, mean=0.0, stddev=1.0, dtype=None, seed=None)
    "randint": 4,  # (shape, minval, maxval, dtype='int32', seed=None)
    "shuffle": 2,  # (x, axis=0, seed=None)
    "truncated_normal": 4,
    "uniform": 4,  # (shape, minval=0.0, maxval=1.0, dtype=None, seed=None)
}


# Where the initializer rules (KRS501, KRS502) apply: the first paragraph of their docs.
SEEDING_SCOPE = """
            Only in projects that seed their random generators (`keras.utils.set_random_seed`,
            `random.seed`, `tf.random.set_seed`, `np.random.seed`) in this file, or in another
            checked file (not a test) that imports this one, directly or through other files:
            an entry script that seeds while the layers live in other modules (a helper such as
            `seed_everything()` counts for the files that import it; a lone `np.random.seed`
            inside a function, which only fixes a data split, does not). `reproducible = true`
            turns it on for every file, `reproducible = false` off. Without any seeding, initial
            weights are random on Keras 2 and Keras 3 alike, so there is nothing to migrate. The
            flake8 plugin and `--stdin-filename` see one file: there only the file's own seeding
            counts.
"""

MAX_SEED = 2**32 - 1  # keras.utils.set_random_seed: "Seed must be between 0 and 2**32 - 1"


def int_literal(node: Optional[cst.BaseExpression]) -> Optional[int]:
    """The value of a plain, unparenthesized decimal/hex/... integer literal."""
    if isinstance(node, cst.Integer) and not node.lpar:
        value = node.evaluated_value
        return value if isinstance(value, int) else None
    return None


def is_none(node: Optional[cst.BaseExpression]) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def has_unpacking(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def positional_args(call: cst.Call) -> List[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def seed_arg(call: cst.Call, position: int) -> Optional[cst.Arg]:
    """The argument that fills the `seed` parameter (keyword, or positional at ``position``)."""
    arg = keyword_arg(call, "seed")
    if arg is not None:
        return arg
    positional = positional_args(call)
    return positional[position] if len(positional) > position else None


def unseeded(call: cst.Call, position: int) -> Tuple[bool, Optional[cst.Arg]]:
    """(no seed is given, the `seed=None` argument if one is spelled out)."""
    if has_unpacking(call):
        return False, None  # `**kwargs` may carry a seed: unknown
    arg = seed_arg(call, position)
    if arg is None:
        return True, None
    if is_none(arg.value):
        return True, arg
    return False, None


def random_initializer_class(ctx, call: cst.Call) -> Optional[str]:
    """The class name when the call constructs a Keras 3 random initializer."""
    name = ctx.call_name(call)
    return RANDOM_INITIALIZERS.get(name) if name else None


def unseeded_initializer(ctx, call: cst.Call) -> Optional[Tuple[str, Optional[cst.Arg]]]:
    """(class name, `seed=None` arg or None) for an unseeded Keras random initializer call."""
    klass = random_initializer_class(ctx, call)
    if klass is None:
        return None
    missing, none_arg = unseeded(call, _RANDOM_CLASSES[klass])
    return (klass, none_arg) if missing else None


def is_layer_constructor(name: Optional[str]) -> bool:
    if not name or not name.startswith("keras.layers."):
        return False
    return name.rsplit(".", 1)[-1][:1].isupper()


def string_initializer_args(ctx, call: cst.Call) -> List[Tuple[cst.Arg, str, str]]:
    """(arg, string, class name) for every `*_initializer="<random name>"` of a Keras layer call."""
    if not is_layer_constructor(ctx.call_name(call)):
        return []
    found = []
    for arg in call.args:
        if arg.keyword is None or not arg.keyword.value.endswith("_initializer"):
            continue
        value = arg.value
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            text = value.evaluated_value
            if isinstance(text, str) and text in STRING_INITIALIZERS:
                found.append((arg, text, STRING_INITIALIZERS[text]))
    return found


class SeedPlan:
    """Deterministic seeds for the initializers KRS501 and KRS502 seed.

    Both rules number the same slots (unseeded initializer calls and random string initializers,
    in source order) from the largest integer literal passed as ``seed=`` anywhere in the file,
    so fixes applied together, or in later runs, never give two initializers the same seed.
    In a project run, each file numbers from its own block (``file_seed_base``), so fixes in two
    files do not hand out the same seeds either (same-shaped layers would start identical).
    Feed every call to ``observe`` during the visit; ask ``seed_for`` after it.
    """

    def __init__(self) -> None:
        self.largest = 0
        self.base = 0
        self._slots: Dict[int, int] = {}
        # Unseeded initializers are only a migration hazard where the file expects reproducible
        # runs: without any seeding call, weights are random on Keras 2 and 3 alike.
        self.seeds_rngs = False

    def observe(self, ctx, call: cst.Call) -> None:
        if not self._slots and not self.base:
            self.base = file_seed_base(ctx)
        if ctx.qualified_name(call.func) in ALL_SEEDING:
            self.seeds_rngs = True
        arg = keyword_arg(call, "seed")
        if arg is not None:
            value = int_literal(arg.value)
            if value is not None and value > self.largest:
                self.largest = value
        if unseeded_initializer(ctx, call) is not None:
            self._slots.setdefault(id(call), len(self._slots))
        for string_arg, _, _ in string_initializer_args(ctx, call):
            self._slots.setdefault(id(string_arg), len(self._slots))

    def seed_for(self, node: cst.CSTNode) -> int:
        return max(self.largest, self.base) + 1 + self._slots[id(node)]


def file_seed_base(ctx) -> int:
    """0 for a file checked alone; in a project run, a block of 1000 seeds chosen by a stable hash
    of the file's path (relative to the project root)."""
    project = ctx.resolver.project
    if project is None:
        return 0
    return (zlib.crc32(project.relative_path.encode("utf-8", "surrogatepass")) % 100_000 + 1) * 1_000


class StatementTracker:
    """The simple statement line being visited, and whether the module's last top-level import
    (where ``ctx.add_import`` puts a new import) has been passed."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.statement: Optional[cst.SimpleStatementLine] = None
        self.after_last_import = False

    def visit(self, node: cst.SimpleStatementLine) -> None:
        self.statement = node
        if node is self.ctx.resolver.last_import:
            self.after_last_import = True

    def own_statement(self, call: cst.Call) -> Optional[cst.SimpleStatementLine]:
        """The statement line when ``call`` is all of it, or the value of a one-target assignment."""
        statement = self.statement
        if statement is None or len(statement.body) != 1:
            return None
        small = statement.body[0]
        if isinstance(small, cst.Expr) and small.value is call:
            return statement
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and small.value is call:
            return statement
        return None


def keras_callable(ctx, canonical: str, like: Optional[cst.CSTNode], tracker: StatementTracker):
    """(reference, import statement or None) for ``canonical`` at the current point, importing it
    next to the last top-level import when no binding reaches it and that import comes earlier
    than the current statement. (None, None) when neither works."""
    reference = ctx.keras_reference(canonical, like=like)
    if reference is not None:
        return reference, None
    if not tracker.after_last_import or tracker.statement is ctx.resolver.last_import:
        return None, None
    origin = "tf.keras" if any(m.split(".")[0] == "tensorflow" for m in ctx.resolver.imported_modules) else None
    reference, statement = ctx.import_for(canonical, origin)
    if reference is None:
        return None, None
    return reference, statement


def reproducibility_note(ctx, file_seeds: bool) -> str:
    """Why a rule that needs seeding fires in a file that does not seed: the project does."""
    if file_seeds or ctx.settings.reproducible is not None:
        return ""
    elsewhere = ctx.seeded_elsewhere()
    if not elsewhere:
        return ""
    more = f" and {len(elsewhere) - 1} more" if len(elsewhere) > 1 else ""
    return f" (the project seeds in {elsewhere[0]}{more})"


def first_seed_literal(ctx, call: cst.Call) -> Optional[int]:
    """The integer literal of a global seeding call's seed, if it is one."""
    arg = call.args[0] if len(call.args) == 1 and not call.args[0].star else keyword_arg(call, "seed")
    if arg is None:
        return None
    if arg.keyword is not None and arg.keyword.value != "seed":
        return None
    return int_literal(arg.value)
