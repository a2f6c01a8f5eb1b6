"""KRS103: methods and attributes Keras 3 removed from models, layers, metrics and optimizers (FIT-1, FIT-5, OPT-3, OPT-6, SURF-2)."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from ..resolver import MODEL_CLASSES
from ..rule import FIX_SAFE_AND_UNSAFE, HIGH, MEDIUM, Rule, RuleDoc, keyword_arg
from ._api_table import table, versions_line
from ._sequential_output import SequentialOutput
from ._receivers import (
    NON_KERAS_LIBRARIES,
    defined_names_of_assign,
    file_uses_keras,
    is_unknown_receiver,
    medium_owner,
    named_like_optimizer,
    owner_of_type,
    self_owner,
)

# Names reported on a receiver of unknown type (confidence "medium"). Candidates are the table's
# names that no Keras 3 model, layer, metric, optimizer, loss or callback has; a candidate is on
# only where its precision on public Keras 2 code (scripts/measure_receivers.py, reviewed
# findings in scripts/data/receivers_review.json) is >= 95 %. See the rule doc for the figures.
MEDIUM_NAMES = frozenset({"fit_generator", "evaluate_generator", "predict_generator", "predict_classes", "lr"})

# Private Keras 2.3 model methods that serving code called by hand (`model._make_predict_function()`
# before a Flask app's threads predict). Not in the generated table (tf_keras 2.21 lacks them too):
# checked statically in the keras 2.3.1 wheel (keras/engine/training.py `def _make_predict_function`),
# and keras 3.15.1 / tf_keras 2.21 `Sequential()._make_predict_function()` -> AttributeError.
_PRIVATE_NOTE = (
    "a private Keras 2.3 method, gone in tf_keras 2.21 too; Keras 3 builds the function on the "
    "first call: delete the call"
)
PRIVATE_MODEL_METHODS = {
    f"Model.{name}": {"fix": "none", "replacement": "", "note": _PRIVATE_NOTE}
    for name in ("_make_predict_function", "_make_train_function", "_make_test_function")
}
_PRIVATE_NAMES = frozenset(key.split(".", 1)[1] for key in PRIVATE_MODEL_METHODS)
# What to write instead, where no fix is offered (Keras 2.3's own definitions, see _report_predict).
_ADVICE = {
    "predict_classes": (
        "write `model.predict(x, verbose=0).argmax(axis=-1)` if the output has several units "
        "(softmax), `(model.predict(x, verbose=0) > 0.5).astype(\"int32\")` if it has one "
        "(sigmoid), as Keras 2 did"
    ),
    "predict_proba": "write `model.predict(x, verbose=0)`, as Keras 2 did",
}
_GET_UPDATES_NOTE = (
    "Keras 3 optimizers never call `get_updates`: training uses `apply_gradients` / "
    "`update_step`, so this override is silently ignored; port it to `update_step(self, "
    "gradient, variable, learning_rate)`"
)


class RemovedMethod(Rule):
    code = "KRS103"
    name = "removed-model-method"
    summary = "A method or attribute Keras 3 removed from a Keras model, layer, metric or optimizer (`fit_generator`, `predict_classes`, `optimizer.lr`, `metric.reset_states()`, ...)."
    fix_safety = FIX_SAFE_AND_UNSAFE
    doc = RuleDoc(
        what="""
            Flags removed methods and attributes on receivers the resolver knows are Keras objects:
            models (`keras.Sequential(...)`, `keras.Model(...)`, `load_model(...)`, subclasses,
            `self.model` in callbacks, `self` inside a `keras.Model` subclass), `<model>.optimizer`
            and optimizer instances, metrics (`keras.metrics.Mean()`, subclasses of
            `keras.metrics.Metric`), RNN and other layer instances. The list is generated
            (public attributes of tf_keras 2.21's classes missing from Keras 3's classes and
            compiled instances) plus `predict_classes` / `predict_proba` (gone since TF 2.6).
            Losses and callbacks lost no public method (checked: `dir()` of tf_keras 2.21's
            `Loss` / `Callback` minus Keras 3.15.1's is empty).

            **Receivers of unknown type** (confidence `medium`): in a file that imports `keras`
            or `tensorflow` (and not `tf_keras`), `x.fit_generator(...)`,
            `x.evaluate_generator(...)`, `x.predict_generator(...)`, `x.predict_classes(...)` and
            `<...>optimizer.lr` / `opt.lr` are reported even when the resolver cannot tell what
            `x` is (a model built in another file, a parameter, `self.model` of a trainer class),
            because only Keras 2 objects have these names. Not when `x` is a module or class, an
            instance of a class of the file, the result of a call into a known non-Keras library
            (scikit-learn, XGBoost, PyTorch, `joblib.load`, ...), nor when the file itself
            defines the name (`def fit_generator`, `self.fit_generator = ...`); `.lr` only on a
            receiver named like an optimizer (`args.lr` is a hyperparameter).

            Measured on 67 public Keras 2 repositories (4,421 files, `scripts/measure_receivers.py`,
            every finding reviewed): `fit_generator` 56/57 true (the false one: a project class
            with its own `fit_generator` in another file), `optimizer.lr` 27/27, the other
            generator / `predict_classes` names 6/6 (judged with `fit_generator` as one API).
            Other Keras-2-only names stay **off** on unknown receivers and are reported only on
            proven Keras objects: `reset_states` 7/9 (other libraries' metric objects; recurrent
            layers keep it), `predict_proba` 2/5 (project and scikit-learn-style classes),
            `minimize` 1/3 (TF1 optimizers), `get_updates`, `get_output_at`, `updates` (too
            few findings to measure).

            **Keras 2 optimizer subclasses**: a `def get_updates(self, loss, params)` method in a
            class deriving from a Keras 3 optimizer (`keras.optimizers.Optimizer`,
            `tf.keras.optimizers.Adam`, ..., also through the file's or the project's own base
            classes) is reported at the `def`: Keras 3 never calls it, so the override is dead
            code and training runs the base class's `update_step`; `super().get_updates(...)` in
            such a class is reported too (AttributeError). When the base cannot be resolved (a
            class factory's `class NewOptimizer(BaseOptimizer)`, a base imported from a wrapper
            package) the `def` is reported `medium` only with Keras 2's signature
            `get_updates(self, loss, params)` (or `params, loss`) in a file that imports keras or
            tensorflow: 14/14 such defs in the measured repositories (`grep -rn "def
            get_updates(self"` over /work/scratch/measure/repos and H4/repos, each reviewed)
            were Keras optimizer subclasses.

            **Private Keras 2.3 model methods** `_make_predict_function()`,
            `_make_train_function()`, `_make_test_function()` (serving code called them before
            sharing a model across threads) are reported on proven models; on unknown receivers
            they stay off (6 distinct `_make_predict_function` calls in the measured
            repositories, all true, below the 10 needed to turn a name on).

            `reset_states()` is split: on a model it is KRS202 (the fix loops over the layers);
            on a metric it is reported here with a safe fix; recurrent layers keep it.
        """,
        why="""
                AttributeError: 'Sequential' object has no attribute 'fit_generator'
                AttributeError: 'SGD' object has no attribute 'lr'
                AttributeError: 'Mean' object has no attribute 'reset_states'
                AttributeError: 'Sequential' object has no attribute '_make_predict_function'
                AttributeError: 'Sequential' object has no attribute 'predict_classes'

            A `get_updates` override in an optimizer subclass raises nothing: Keras 3 trains
            with the base class's `update_step` and the custom update rule is silently lost.
        """,
        bad="""
            model.fit_generator(gen, steps_per_epoch=100, epochs=5)
            model.optimizer.lr = 1e-4
            train_loss = keras.metrics.Mean()
            train_loss.reset_states()
        """,
        good="""
            model.fit(gen, steps_per_epoch=100, epochs=5)
            model.optimizer.learning_rate = 1e-4
            train_loss = keras.metrics.Mean()
            train_loss.reset_state()
        """,
        fix="""
            **Safe**: `fit_generator` / `evaluate_generator` become `fit` / `evaluate` (same
            arguments) when the call passes none of `workers=`, `use_multiprocessing=`,
            `max_queue_size=` (Keras 3 rejects those; move them to a `PyDataset`);
            `optimizer.lr` becomes `optimizer.learning_rate`; `metric.reset_states()` becomes
            `metric.reset_state()`. All of these spellings work in tf_keras 2.21 too.
            **Unsafe**: `predict_generator` -> `predict`, because Keras 3 requires the
            generator to yield tuples (`(x,)`), where Keras 2 also took bare arrays; and every
            fix of a `medium` finding (the receiver's type is a guess).
            **`predict_classes` / `predict_proba`** (Keras 2.3's `Sequential` methods, gone
            from tf_keras since TF 2.6): both called `predict(x, batch_size, verbose)` with
            `verbose=0` by default; `predict_proba` returned it unchanged, `predict_classes`
            returned `proba.argmax(axis=-1)` when `proba.shape[-1] > 1`, else
            `(proba > 0.5).astype('int32')`. So `predict_proba(...)` becomes
            `predict(..., verbose=0)` (safe, on proven models), and `predict_classes(...)`
            becomes `predict(..., verbose=0).argmax(axis=-1)` or `(predict(..., verbose=0) >
            0.5).astype("int32")` (safe) where the output width is read from the source: the
            model is bound once by `m = Sequential([...])` / `Sequential()` in the same block
            as the call, its layers are the list and the `m.add(LAYER)` statements of that block
            before the call (none under an `if` or loop, no `m.pop()`, the model not passed to
            a function of the file), and the last width-setting layer is `Dense(units)` (also
            inside `TimeDistributed`, followed only by `Activation`, `Dropout`, normalization
            layers) with `units` an integer literal, a name bound once to one, or `len()` of a
            string or list literal. A softmax output whose width is not known (`Dense(n,
            activation="softmax")`) gets the `argmax` rewrite as an unsafe fix (a 1-unit
            softmax would differ); anything else is reported with both formulas. `predict`
            returns a NumPy array on every backend and in tf_keras 2.21, so the fixed code runs
            on both (evidence tier).
            `minimize`, `get_updates`, ... are reported only. So are the
            `_make_*_function()` calls: the statement can simply be deleted, but a deletion may
            leave an empty block, so no fix is offered. A `fit_generator(..., workers=4)` keeps
            its name until KRS729 removed the loader arguments; then the rename applies.

            Note: *assigning* `model.optimizer.lr = v` raises nothing on Keras 3; it sets an
            unrelated attribute and training goes on at the old rate (measured by the evidence
            tier), which is why `optimizer.lr` is reported wherever it appears.
        """,
        sources=(
            "keras3_lint/data/api_table.json `methods` (generated: " + versions_line() + ")",
            "Checked: keras 3.15.1 `keras.Sequential().fit_generator` -> AttributeError: 'Sequential' object has no attribute 'fit_generator'",
            "Checked: keras 3.15.1 `keras.optimizers.SGD().lr` -> AttributeError: 'SGD' object has no attribute 'lr'",
            "Checked: keras 3.15.1 `keras.metrics.Mean().reset_states()` -> AttributeError: 'Mean' object has no attribute 'reset_states'; tf_keras 2.21 `Mean` has both `reset_states` and `reset_state` (tests/evidence/test_receivers.py)",
            "Checked: keras 3.15.1: a `keras.optimizers.SGD` subclass whose `get_updates` raises trains through `fit` without calling it (0 calls); a `keras.optimizers.Optimizer` subclass with only `get_updates` fails in `fit` with NotImplementedError (the base `update_step`); neither class has `get_updates`",
            "Checked: keras 3.15.1 and tf_keras 2.21 `Sequential()._make_predict_function()` -> AttributeError: 'Sequential' object has no attribute '_make_predict_function' (likewise `_make_train_function`, `_make_test_function`); keras 2.3.1 wheel `keras/engine/training.py` defines all three",
            "Precision of the unknown-receiver route: scripts/measure_receivers.py (repositories and commits listed there)",
            "Checked: keras 2.3.1 wheel `keras/engine/sequential.py` `predict_classes(self, x, batch_size=32, verbose=0)`: `proba = self.predict(x, batch_size=batch_size, verbose=verbose)`, `argmax(axis=-1)` if `proba.shape[-1] > 1` else `(proba > 0.5).astype('int32')`; `predict_proba` returns `self.predict(x, batch_size, verbose)`",
            "Checked: keras 3.15.1 (TensorFlow and JAX) and tf_keras 2.21: the rewritten calls equal that definition applied to `predict`'s output, which is a `numpy.ndarray` (tests/evidence/test_keras2_fixes_krs102_krs103.py)",
        ),
        facts=("FIT-1", "FIT-5", "OPT-3", "OPT-6", "OPT-7", "LAY-13", "SURF-2"),
    )

    # The names of the unknown-receiver route (scripts/measure_receivers.py widens it to measure).
    medium_names = MEDIUM_NAMES

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._calls: Dict[int, cst.Call] = {}
        self._in_import = 0
        self._defined: set = set()  # names the file defines (def NAME, self.NAME = ...)
        # Findings decided in finish(), once the file's own definitions are known:
        # (node, name, table class, confidence).
        self._deferred: List[Tuple[cst.Attribute, str, str, str]] = []
        # Enclosing classes and functions, innermost last: a `def` directly in a class is a method.
        self._frames: List[cst.CSTNode] = []
        # Classes of unknown bases with a Keras 2 `get_updates(self, loss, params)` override.
        self._medium_optimizers: set = set()
        self._outputs = SequentialOutput(ctx.module)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._frames.append(node)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._frames.pop()

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.pop()

    def _optimizer_class(self) -> Optional[cst.ClassDef]:
        """The innermost class when it derives from a Keras 3 optimizer (through classes of this
        file or the project too), else None."""
        klass = next((f for f in reversed(self._frames) if isinstance(f, cst.ClassDef)), None)
        if klass is None:
            return None
        bases = self.ctx.resolver.class_bases(klass)
        return klass if any(owner_of_type(b) == "Optimizer" for b in bases) else None

    # `from keras.constraints import X` holds an Attribute that is a module path, not a receiver.
    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._in_import += 1

    def leave_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._in_import -= 1

    visit_Import = visit_ImportFrom
    leave_Import = leave_ImportFrom

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):
            self._calls[id(node.func)] = node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._defined.add(node.name.value)
        is_method = bool(self._frames) and isinstance(self._frames[-1], cst.ClassDef)
        self._frames.append(node)
        if not (is_method and node.name.value == "get_updates"):
            return
        message = f"`Optimizer.get_updates` does not exist in Keras 3; no automatic fix: {_GET_UPDATES_NOTE}"
        if self._optimizer_class() is not None:
            self.report(node.name, message)
        elif _keras2_optimizer_signature(node) and self._unknown_bases(self._frames[-2], 0) and file_uses_keras(self.ctx.resolver):
            # `class NewOptimizer(BaseOptimizer)` in a class factory, or a base imported from a
            # wrapper package: the `(self, loss, params)` signature is Keras 2's optimizer API
            # (14/14 such defs in the measured repositories were Keras optimizer subclasses).
            self._medium_optimizers.add(id(self._frames[-2]))
            self.report(node.name, message + "; the base class is not known: reported because of the Keras 2 signature", confidence=MEDIUM)

    def _unknown_bases(self, klass: cst.ClassDef, depth: int) -> bool:
        """True when no base of the class is known to be anything (a parameter, a class from a
        project package), or a class of this file whose bases are such."""
        resolver = self.ctx.resolver
        if depth > 8 or not klass.bases:
            return False
        for base in klass.bases:
            if base.keyword is not None:
                continue
            resolved = resolver.resolve(base.value)
            if resolved is not None:
                if resolved.is_keras3 or resolved.qualified.split(".", 1)[0] in NON_KERAS_LIBRARIES:
                    return False
                continue
            if not isinstance(base.value, cst.Name):
                return False
            binding = resolver.scope.lookup(base.value.value)
            if binding is None or binding.imported is not None or binding.function is not None:
                return False
            if binding.klass is not None and not self._unknown_bases(binding.klass, depth + 1):
                return False
        return True

    def visit_Assign(self, node: cst.Assign) -> None:
        self._defined.update(defined_names_of_assign(t.target for t in node.targets))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._defined.update(defined_names_of_assign((node.target,)))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = node.attr.value
        data = table()
        if (name not in data["method_names"] and name not in _PRIVATE_NAMES) or self._in_import:
            return
        resolver = self.ctx.resolver
        receiver = node.value
        owner = self._owner(receiver)
        if owner is None and name == "get_updates" and _is_super_call(receiver):
            # `super().get_updates(...)`: the base optimizer has no such method any more.
            message = (
                "`Optimizer.get_updates` does not exist in Keras 3 (AttributeError); no automatic fix: "
                "Keras 3 optimizers update variables in `update_step` / `apply_gradients`: port the "
                "override to `update_step(self, gradient, variable, learning_rate)`"
            )
            klass = self._optimizer_class()
            if klass is not None:
                self.report(node, message)
            else:
                klass = next((f for f in reversed(self._frames) if isinstance(f, cst.ClassDef)), None)
                if klass is not None and id(klass) in self._medium_optimizers:
                    self.report(node, message + "; the base class is not known: reported because of the Keras 2 `get_updates(self, loss, params)` override", confidence=MEDIUM)
            return
        if owner is None:
            owner = self_owner(resolver, receiver)
            if owner is not None:
                # `self.name` in a Keras subclass: unless the class itself defines `name`.
                if self._entry(owner, name) is not None and not self._is_krs202(owner, name):
                    self._deferred.append((node, name, owner, HIGH))
            elif name in self.medium_names and is_unknown_receiver(resolver, receiver) and (
                name != "lr" or named_like_optimizer(receiver)
            ):
                guess = medium_owner(data["methods"], name)
                if guess is not None:
                    self._deferred.append((node, name, guess, MEDIUM))
            return
        entry = self._entry(owner, name)
        if entry is None or self._is_krs202(owner, name):
            return
        if name in ("predict_classes", "predict_proba") and owner in ("Model", "Sequential"):
            self._report_predict(node, owner, name, entry)
            return
        fix = self._fix(node, entry)
        self.report(node, self._message(owner, name, entry, fix), fix=fix)

    def finish(self) -> None:
        if not self._deferred:
            return
        uses_keras = file_uses_keras(self.ctx.resolver)
        for node, name, owner, confidence in self._deferred:
            if name in self._defined:
                continue  # the file's own class has it: not evidence of a Keras 2 object
            entry = self._entry(owner, name)
            if confidence == MEDIUM and not uses_keras:
                continue
            fix = self._fix(node, entry, guessed=confidence == MEDIUM)
            message = self._message(owner, name, entry, fix)
            if confidence == MEDIUM:
                message += (
                    "; the receiver's type is not known: reported because only Keras 2 objects "
                    f"have `{name}`"
                )
            self.report(node, message, fix=fix, confidence=confidence)

    @staticmethod
    def _is_krs202(owner: str, name: str) -> bool:
        return name == "reset_states" and owner in ("Model", "Sequential")

    @staticmethod
    def _entry(owner: str, name: str):
        methods = table()["methods"]
        entry = methods.get(f"{owner}.{name}") or PRIVATE_MODEL_METHODS.get(f"{owner}.{name}")
        if entry is None and owner == "Sequential":
            entry = methods.get(f"Model.{name}") or PRIVATE_MODEL_METHODS.get(f"Model.{name}")
        return entry

    @staticmethod
    def _message(owner: str, name: str, entry, fix=None) -> str:
        kind = "Model" if owner in ("Model", "Sequential") else owner
        message = f"`{kind}.{name}` does not exist in Keras 3 (AttributeError)"
        if fix is not None:
            if entry.get("replacement"):
                message += f"; use `.{entry['replacement']}`"
            if entry.get("note"):
                message += f" ({entry['note']})"
            return message
        if entry.get("drop_blockers"):
            blockers = ", ".join(f"`{b}=`" for b in entry["drop_blockers"])
            return message + (
                f"; no automatic fix while the call passes {blockers} (see KRS729): remove them, "
                f"then use `.{entry['replacement']}`"
            )
        advice = _ADVICE.get(name) or entry.get("note") or (f"use `.{entry['replacement']}`" if entry.get("replacement") else "")
        return message + "; no automatic fix: " + (
            advice or f"Keras 3 `{kind}` has no such attribute; rewrite this use by hand"
        )

    # -- predict_classes / predict_proba: Keras 2.3 `Sequential` methods over `predict` --------
    def _report_predict(self, node: cst.Attribute, owner: str, name: str, entry) -> None:
        """keras 2.3.1 `keras/engine/sequential.py` (tf.keras 2.5 alike): both call
        `self.predict(x, batch_size, verbose)` with `verbose=0` by default; `predict_proba`
        returns it as is, `predict_classes` takes `argmax(axis=-1)` when the output's last axis
        is wider than 1, else `(proba > 0.5).astype('int32')`."""
        call = self._calls.get(id(node))
        head = f"`Model.{name}` does not exist in Keras 3 (AttributeError)"
        if call is None or any(a.star for a in call.args):
            self.report(node, f"{head}; no automatic fix: {_ADVICE.get(name) or entry['note']}")
            return
        predict = _predict_call(call)
        if name == "predict_proba":
            fix = self.safe_fix("Use `.predict` (with Keras 2's `verbose=0`)").replace(call, predict)
            self.report(node, f"{head}; Keras 2's `predict_proba` returned `predict(x)` unchanged", fix=fix)
            return
        output = self._outputs.output(self.ctx, node.value, call) if owner == "Sequential" else None
        code = self.ctx.module.code_for_node(predict)
        argmax = cst.parse_expression(f"{code}.argmax(axis=-1)")
        threshold = cst.parse_expression(f'({code} > 0.5).astype("int32")')
        if output is not None and isinstance(output.width, int) and output.width > 1:
            why = f"the model's output has {output.width} units: Keras 2 returned `predict(x).argmax(axis=-1)`"
            fix = self.safe_fix("Use `.predict(...).argmax(axis=-1)`").replace(call, argmax)
        elif output is not None and output.width == 1:
            why = "the model's output has 1 unit: Keras 2 returned `(predict(x) > 0.5).astype(\"int32\")`"
            fix = self.safe_fix("Use `(.predict(...) > 0.5).astype(\"int32\")`").replace(call, threshold)
        elif output is not None and output.width in (None, "len") and output.activation == "softmax":
            why = (
                "the model ends in a softmax layer whose width is not known: Keras 2 returned "
                "`predict(x).argmax(axis=-1)` unless it had 1 unit"
            )
            fix = self.unsafe_fix("Use `.predict(...).argmax(axis=-1)`").replace(call, argmax)
        else:
            self.report(node, f"{head}; no automatic fix (the model's output layer is not known here): {_ADVICE[name]}")
            return
        self.report(node, f"{head}; {why}", fix=fix)

    def _fix(self, node: cst.Attribute, entry, guessed: bool = False):
        if entry.get("fix") == "none":
            return None
        call = self._calls.get(id(node))
        blockers = [b for b in entry.get("drop_blockers", ()) if call is not None and keyword_arg(call, b) is not None]
        if blockers:
            return None
        make = self.safe_fix if entry["fix"] == "safe" and not guessed else self.unsafe_fix
        return make(f"Use `.{entry['replacement']}`").replace(node.attr, entry["replacement"])

    def _owner(self, receiver: cst.BaseExpression) -> Optional[str]:
        """The table class (``Model``, ``Sequential``, ``Metric``, ``LSTM``, ...) of a receiver
        the resolver proves is a Keras object, or None."""
        resolver = self.ctx.resolver
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "optimizer":
            return "Optimizer" if resolver.value_type(receiver.value) in MODEL_CLASSES else None
        kind = resolver.value_type(receiver)
        return None if kind is None else owner_of_type(kind)


def _keras2_optimizer_signature(node: cst.FunctionDef) -> bool:
    names = [p.name.value for p in node.params.params]
    return names in (["self", "loss", "params"], ["self", "params", "loss"])


def _is_super_call(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "super"


def _predict_call(call: cst.Call) -> cst.Call:
    """``model.predict(<the same arguments>)``, with ``verbose=0`` added where Keras 2's
    ``predict_classes`` / ``predict_proba`` default applied (positional order is the same:
    ``x, batch_size, verbose``)."""
    args = list(call.args)
    positional = [a for a in args if a.keyword is None]
    has_verbose = len(positional) >= 3 or any(a.keyword is not None and a.keyword.value == "verbose" for a in args)
    if not has_verbose:
        verbose = cst.Arg(
            value=cst.Integer("0"),
            keyword=cst.Name("verbose"),
            equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
        )
        if args:
            # `x, verbose=0` on the last argument's line; a trailing comma moves to `verbose=0,`.
            verbose = verbose.with_changes(comma=args[-1].comma)
            args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(verbose)
    return call.with_changes(func=call.func.with_changes(attr=cst.Name("predict")), args=args)
