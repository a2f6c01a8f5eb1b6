"""KRS804: the parts of a project that still run on Keras 2 (off by default; issue 9, route 8)."""

from __future__ import annotations

import re
from typing import List, Optional

import libcst as cst

from ..resolver import dotted_name, import_from_module
from ..rule import Rule, RuleDoc
from ._environment import flag_timings, legacy_flag_assignments, masked_command

# What each finding is, for `keras3-lint report` ("still on Keras 2", by kind): the label, and
# how the rule's messages of that kind start.
KIND_IMPORT = "imports `tf_keras`"
KIND_FLAG = "sets `TF_USE_LEGACY_KERAS`"
KIND_INSTALL = "installs `tf-keras` (notebook)"
KINDS = (KIND_IMPORT, KIND_FLAG, KIND_INSTALL)
_MESSAGE_STARTS = (
    (("`import tf_keras", "`from tf_keras"), KIND_IMPORT),
    (("`TF_USE_LEGACY_KERAS=",), KIND_FLAG),
    (("The notebook installs",), KIND_INSTALL),
)

# `pip install ... tf-keras==2.16` in a masked notebook line, whose first three characters are
# gone: `!pip install` arrives as `p install`, `!conda install` as `nda install`, and
# `!python -m pip install` / `!uv pip install` keep their `pip install`.
_INSTALL_RE = re.compile(r"^\S*\s+install\s+(?P<args>.*)$|\bpip3?\s+install\s+(?P<more>.*)$")
# PEP 503 normalises `tf-keras`, `tf_keras`, `TF.Keras` to one name; extras and specifiers may follow.
_TF_KERAS_REQUIREMENT = re.compile(r"^tf[-_.]keras(?:\[[^\]]*\])?(?:[=<>!~;@].*)?$", re.IGNORECASE)


def kind_of(message: str) -> Optional[str]:
    """Which of KINDS a KRS804 message reports."""
    return next((kind for starts, kind in _MESSAGE_STARTS if message.startswith(starts)), None)


def installs_tf_keras(command_tail: str) -> bool:
    """A masked `pip install` / `conda install` line that names the tf-keras package."""
    match = _INSTALL_RE.search(command_tail)
    if match is None:
        return False
    args = match.group("args") if match.group("args") is not None else match.group("more")
    return any(_TF_KERAS_REQUIREMENT.match(token.strip("'\"")) for token in args.split())


def _tf_keras(module: Optional[str]) -> bool:
    return module is not None and (module == "tf_keras" or module.startswith("tf_keras."))


class StillOnKeras2(Rule):
    code = "KRS804"
    name = "still-on-keras-2"
    summary = "Code that still runs on Keras 2 (`tf_keras`, `TF_USE_LEGACY_KERAS`, `pip install tf-keras`): not a hazard today, the part of the migration left to do. Off by default."
    severity = "warning"
    opt_in = True
    keras3_hazard = False
    doc = RuleDoc(
        what="""
            Off by default: enable it by its exact code (`--select KRS804`,
            `--extend-select KRS804`, or `extend-select = ["KRS804"]`); `ALL` and prefixes such
            as `KRS` or `KRS8` do not enable it. `keras3-lint report` always counts its findings,
            under "Still on Keras 2", so a team can track its migration to the end.

            Flags the parts of a project that have not migrated to Keras 3:

            - `import tf_keras`, `import tf_keras as keras`, `from tf_keras[.x] import ...`;
            - a true `TF_USE_LEGACY_KERAS` (`"1"`, `"True"`, `"true"`) set at module level early
              enough to take effect (what KRS801 does not flag), including a notebook's
              `%env TF_USE_LEGACY_KERAS=1`;
            - a notebook line that installs the Keras 2 package: `!pip install tf-keras`,
              `%pip install tf_keras==2.16.0`, `!conda install tf-keras`.

            Not flagged: `tf.compat.v1.keras` (on TF 2.21 it is Keras 3, like `tf.keras`),
            `tensorflow.python.keras` (KRS108 reports it; `report` counts it here too), a flag
            set to `"0"`, a flag set too late (KRS801), `!export TF_USE_LEGACY_KERAS=1` (a
            subshell: no effect).

            In a file that runs on Keras 2 through the flag, the other rules still report the
            Keras 3 hazards of its `tf.keras` code, as the migration's to-do list, with messages
            that start "This file runs on Keras 2 through TF_USE_LEGACY_KERAS; it breaks when the
            flag goes:" (their safe fixes become unsafe: they target Keras 3). Teams that stay on
            Keras 2 on purpose set `legacy-keras = "ignore"` to drop those findings; KRS804
            itself can still be selected.
        """,
        why="""
            None of this breaks today: tf_keras 2.21 is Keras 2 and runs on TensorFlow 2.21.
            It is the code that will break when the project drops tf_keras or the flag (tf_keras
            follows TensorFlow's releases only as long as TensorFlow ships it), and it cannot use
            Keras 3 (JAX and PyTorch backends, `.keras` files). Without the flag, the same
            Keras 2 code fails on Keras 3, e.g.
            `ValueError: Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': (1, 3, 2)}`.
        """,
        bad="""
            import os
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            import tensorflow as tf
            import tf_keras

            model = tf.keras.Sequential([tf_keras.layers.Dense(1)])
        """,
        good="""
            import keras

            model = keras.Sequential([keras.layers.Dense(1)])
        """,
        fix="None: migrating is the work this rule tracks; the other rules' fixes do the mechanical part.",
        sources=(
            "https://keras.io/getting_started/ (TF_USE_LEGACY_KERAS and tf_keras)",
            "Checked (TF 2.21, keras 3.15.1, tf_keras 2.21): with the flag set before `import tensorflow`, "
            "`tf.keras.layers.Dense` is `tf_keras.src.layers.core.dense.Dense` and "
            "`tf.keras.layers.LSTM(2, batch_input_shape=(1, 3, 2), stateful=True)` builds; without it, it raises "
            "the ValueError above (tests/evidence/test_legacy.py)",
            "Checked (TF 2.21): `tf.compat.v1.keras.layers.Dense` is `keras.src.layers.core.dense.Dense` "
            "without the flag and `tf_keras.src...` with it",
        ),
        facts=("TRN-6",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._installs: List[cst.SimpleString] = []

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if _tf_keras(name):
                self.report(alias, f"`import {name}` is Keras 2 (tf_keras), not Keras 3: this code has not migrated")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_from_module(node)
        if _tf_keras(module) and node.module is not None:
            self.report(node.module, f"`from {module} import ...` is Keras 2 (tf_keras), not Keras 3: this code has not migrated")

    def visit_Expr(self, node: cst.Expr) -> None:
        # A masked notebook line is a statement of its own; only those carry FILL (cheap check).
        value = node.value
        if isinstance(value, cst.SimpleString):
            tail = masked_command(value)
            if tail is not None and installs_tf_keras(tail):
                self._installs.append(value)

    def finish(self) -> None:
        for value in self._installs:
            self.report(value, "The notebook installs tf-keras (Keras 2) for `tf.keras`: it has not migrated to Keras 3")
        module, resolver = self.ctx.module, self.ctx.resolver
        assignments = [a for a in legacy_flag_assignments(module, resolver) if a.module_level]
        if not assignments:
            return
        for timing in flag_timings(module, resolver, assignments):
            env = timing.event.env
            if timing.too_late or env is None:
                continue  # KRS801: the flag does nothing here
            self.report(
                timing.event.node,
                f"`TF_USE_LEGACY_KERAS={env.value}` makes `tf.keras` tf_keras (Keras 2) in this file: "
                f"it has not migrated to Keras 3",
            )
