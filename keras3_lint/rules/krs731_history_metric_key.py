"""KRS731: ``history.history['acc']`` and other Keras 2.0-2.2 names of logged metrics (KeyError)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import libcst as cst

from ..rule import FIX_SAFE_AND_UNSAFE, Rule, RuleDoc, keyword_arg, string_value

# Keras 2.0-2.2 logged a compile metric string under another name (keras 2.2.4
# `engine/training.py`: 'acc'/'accuracy' -> suffix 'acc'; any other string -> the `__name__` of
# `metrics.get(s)`, and `metrics.py` has `mae = MAE = mean_absolute_error` etc.). Keras >= 2.3,
# tf.keras 2.x and Keras 3 log the string itself.
_LEGACY = {
    "acc": "acc",
    "accuracy": "acc",
    "mae": "mean_absolute_error",
    "MAE": "mean_absolute_error",
    "mse": "mean_squared_error",
    "MSE": "mean_squared_error",
    "mape": "mean_absolute_percentage_error",
    "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "MSLE": "mean_squared_logarithmic_error",
}
_OLD_KEYS = frozenset(_LEGACY.values()) | {"accuracy"}
_ACCURACY_KEYS = frozenset({"acc", "accuracy"})

# keras 3.15.1 `keras.metrics` functions: each is logged under its own name (`__name__` equals the
# attribute's name for every one of them).
_METRIC_FUNCTIONS = frozenset(
    {
        "binary_accuracy", "binary_crossentropy", "binary_focal_crossentropy", "categorical_accuracy",
        "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge", "hinge", "huber",
        "kl_divergence", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_error", "mean_squared_logarithmic_error", "poisson", "sparse_categorical_accuracy",
        "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy", "squared_hinge",
        "top_k_categorical_accuracy",
    }
)
_ACCURACY_FUNCTIONS = frozenset({"binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"})
_ACCURACY_CLASSES = frozenset({"Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy"})
# The direction keras 3.15.1 gives a compiled metric string (`compile_utils.get_metric(s)._direction`):
# a `monitor=` callback in mode 'auto' finds it by the logged name. Other strings: not known here.
_UP_STRINGS = frozenset(
    {
        "acc", "accuracy", "auc", "binary_accuracy", "binary_io_u", "categorical_accuracy", "concordance_correlation",
        "cosine_similarity", "f1_score", "f_beta_score", "pearson_correlation", "precision", "r2_score", "recall",
        "sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy", "top_k_categorical_accuracy",
    }
)
_DOWN_STRINGS = frozenset(
    {
        "MAE", "MAPE", "MSE", "MSLE", "bce", "binary_crossentropy", "categorical_crossentropy", "categorical_hinge",
        "hinge", "kl_divergence", "log_cosh_error", "mae", "mape", "mean_absolute_error",
        "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error", "mse", "msle",
        "poisson", "root_mean_squared_error", "sparse_categorical_crossentropy", "squared_hinge",
    }
)
# `keras.metrics` functions that are not losses: keras 3.15.1 wraps them in a `MeanMetricWrapper`
# with no direction (the others are losses: "down").
_UNDIRECTED_FUNCTIONS = frozenset(
    {"binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy",
     "top_k_categorical_accuracy"}
)
_NO_DIRECTION = "none"  # Keras 3 has no direction for the metric: mode='auto' raises ValueError
# Callbacks with `monitor=`: (index of `monitor`, of `mode`, of `save_best_only`) as positional
# arguments, alike in keras 2.2.4, tf_keras 2.21 and keras 3.15.1.
_MONITOR_CALLBACKS = {
    "keras.callbacks.EarlyStopping": (0, 4, None),
    "keras.callbacks.ModelCheckpoint": (1, 5, 3),
    "keras.callbacks.ReduceLROnPlateau": (0, 4, None),
}
# What each does on Keras 3 when the monitored key is not logged and `mode` is 'min'/'max'.
_MISSING_KEY_EFFECT = {
    "keras.callbacks.EarlyStopping": "only warns each epoch and never stops training",
    "keras.callbacks.ModelCheckpoint": "only warns and saves the model every epoch instead of the best one",
    "keras.callbacks.ReduceLROnPlateau": "only warns each epoch and never reduces the learning rate",
}
# Callbacks that log the learning rate: as 'lr' in Keras 2 (tf_keras 2.21 too), 'learning_rate' in Keras 3.
_LR_CALLBACKS = frozenset({"keras.callbacks.ReduceLROnPlateau", "keras.callbacks.LearningRateScheduler"})


@dataclass(frozen=True)
class _Metric:
    name: Optional[str]  # the key Keras 3 logs; None: an auto-named object ("auc", "auc_1", ...)
    stem: str  # the name, or the prefix every auto-name starts with
    legacy: Optional[str]  # the key Keras 2.0-2.2 logged for the same spelling
    accuracy: bool
    direction: Optional[str] = None  # Keras 3's: "up", "down", _NO_DIRECTION; None: not known here


@dataclass(frozen=True)
class _MonitorIssue:
    """What a `monitor=` key does on Keras 3 under one `fit`."""

    effect: str  # what happens, for the message
    reason: str  # why
    key: Optional[str]  # the key to monitor (the same one when only `mode` is wrong); None: no fix
    mode: Optional[str]  # the `mode=` to add, or None
    safe: bool


def _keras2_auto_mode(key: str) -> Optional[str]:
    """The direction every Keras 2 callback chose for ``key`` in mode 'auto', when they agree
    (keras 2.2.4: 'acc' in the key -> max; tf_keras 2.21 EarlyStopping: ends with acc/accuracy/auc,
    ModelCheckpoint: 'acc' in it or starts with 'fmeasure', ReduceLROnPlateau: 'acc' in it)."""
    if key.endswith(("acc", "accuracy")):
        return "max"
    if "acc" in key or key.endswith("auc") or key.startswith("fmeasure"):
        return None
    return "min"


def _split(key: str) -> Tuple[str, str]:
    return ("val_", key[4:]) if key.startswith("val_") else ("", key)


def _candidate_key(node: cst.BaseExpression) -> bool:
    """A string literal naming what this rule looks for (cheap test before any lookup)."""
    if not isinstance(node, cst.SimpleString):
        return False
    base = _split(node.value[len(node.prefix) + len(node.quote):-len(node.quote)])[1]
    return base == "lr" or base in _OLD_KEYS


def _snake(name: str) -> str:
    """keras 3.15.1 `keras.src.utils.naming.to_snake_case` (names of metric functions)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class HistoryMetricKey(Rule):
    code = "KRS731"
    name = "history-metric-key"
    summary = "`history.history['acc']` / `EarlyStopping(monitor='val_acc')` (or `'val_mean_absolute_error'`, `'lr'`): a Keras 2.0-2.2 name of a logged metric; Keras 3 logs it under the name given in `compile`: KeyError, or a callback that raises or never triggers."
    fix_safety = FIX_SAFE_AND_UNSAFE
    doc = RuleDoc(
        what="""
            Flags a string key read from the `.history` dict of the `History` returned by
            `model.fit(...)` / `fit_generator(...)` (`history.history['acc']`,
            `h = history.history; h['val_acc']`, `.get('acc')`), when `model` is a
            `Sequential` or single-output functional model of this file (or one returned by a
            function of this file) and the `compile(metrics=[...])` that governs the `fit` is
            found and fully known (strings, `keras.metrics` functions, metric objects, functions
            of the file), and the key is a Keras 2.0-2.2 name that Keras 3 does not log: `acc`
            for `metrics=["accuracy"]`, `mean_absolute_error` for `metrics=["mae"]` (likewise
            `mse`, `mape`, `msle`), each with or without `val_`; `acc`/`accuracy` when the one
            accuracy metric is logged under another name (`binary_accuracy`); and `lr` when a
            `ReduceLROnPlateau` or `LearningRateScheduler` callback logs the learning rate.
            Silent when the metrics are not literal, the model has several outputs or a
            subclass `train_step`, or a callback of unknown type may write the key. In a
            notebook, `history` assigned by `model.fit` in an earlier cell counts.

            Also flags the `monitor=` string of an `EarlyStopping`, `ModelCheckpoint` or
            `ReduceLROnPlateau` that reaches such a `fit` (in its `callbacks=[...]` list, or
            bound to a name in it; when it reaches several fits, all must agree): the same
            Keras 2.0-2.2 keys, and, in mode `'auto'` (the default), a key that Keras 3 logs
            but cannot give a direction to: a `keras.metrics` accuracy function
            (`metrics=[binary_accuracy]` with `monitor='val_binary_accuracy'`) or a metric
            function of the file; in mode `'auto'` also a key no compiled metric logs on any
            Keras (Keras 2 only warned; reported without a fix). A `ModelCheckpoint` with an
            explicit `mode` and without `save_best_only=True` does not use the key and is not
            flagged.
        """,
        why="""
            Keras 2.0-2.2 (and TF 1.x `tf.keras`) logged `metrics=["accuracy"]` as `acc` and
            `metrics=["mae"]` as `mean_absolute_error`. Keras 3 (like Keras >= 2.3 and
            tf_keras) logs a metric string exactly as written, so the book-era plotting code
            fails:

                KeyError: 'acc'
                KeyError: 'val_mean_absolute_error'

            `ReduceLROnPlateau` and `LearningRateScheduler` log `learning_rate` in Keras 3
            (`lr` in Keras 2, tf_keras included): `history.history['lr']` is `KeyError: 'lr'`.

            A callback's `monitor=` key: in mode `'auto'` Keras 2 chose the direction from the
            name (`'acc'` in it: maximize, else minimize); Keras 3 asks the compiled metric of
            that name, and when there is none (the key is not logged) or it has no direction
            (a metric function), every one of the three callbacks fails at the end of the
            first epoch:

                ValueError: ModelCheckpoint callback received monitor=val_acc, but Keras isn't able to automatically determine whether that metric should be maximized or minimized

            With `mode='max'`/`'min'` and a key that is not logged, Keras 3 only warns:
            `EarlyStopping` never stops training, `ReduceLROnPlateau` never lowers the
            learning rate, `ModelCheckpoint(save_best_only=True)` saves every epoch.
        """,
        bad="""
            model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
            history = model.fit(x, y, validation_data=(xv, yv))
            plt.plot(history.history["val_mean_absolute_error"])
        """,
        good="""
            model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
            history = model.fit(x, y, validation_data=(xv, yv))
            plt.plot(history.history["val_mae"])
        """,
        fix="""
            **Safe** for metric keys: rewrites the key to the name Keras 3 logs, keeping the
            quotes and the `val_` prefix (`'acc'` -> `'accuracy'`, `'val_mean_absolute_error'`
            -> `'val_mae'`, `'acc'` -> `'binary_accuracy'` when that is the only accuracy
            metric). tf_keras 2.21 logs the same name, and the old key raised KeyError on
            both, so no program that ran changes. No fix when the metric's Keras 3 name is an
            auto-name (`keras.metrics.BinaryAccuracy()` without `name=`: `binary_accuracy`,
            `binary_accuracy_1`, ...). **Unsafe** for `'lr'` -> `'learning_rate'`: right on
            Keras 3, but tf_keras still logs `lr`.

            `monitor=` keys get the same rename (**safe**: the key is logged on Keras 3 and
            tf_keras 2.21, whose mode-'auto' direction for it is Keras 2's), plus
            `mode='max'` when the monitored metric has no direction on Keras 3 and its name
            ends in `acc`/`accuracy` (**safe**: every Keras 2 maximized such a name), or
            `mode='min'` when the name has neither `acc`, a final `auc` nor a leading
            `fmeasure` (**unsafe**: Keras 2's choice, check that lower is better). No fix when
            Keras 2 versions disagree on the name's direction.
        """,
        sources=(
            "Checked: keras 3.15.1 and tf_keras 2.21.0, Sequential fit with validation: `metrics=['accuracy']` -> keys `accuracy`, `val_accuracy`; `['acc']` -> `acc`; `['mae']` -> `mae`, `val_mae`; `['mean_absolute_error']` -> `mean_absolute_error`; `['MAE']` -> `MAE`; `[keras.metrics.binary_accuracy]` -> `binary_accuracy` (tests/evidence/test_history_keys_krs731.py)",
            "Checked (source): keras 2.2.4 `keras/engine/training.py` `handle_metrics`: `if metric in ('accuracy', 'acc'): suffix = 'acc'`, else `metric_name = metric_fn.__name__` with `metrics.get('mae') is mean_absolute_error` (`keras/metrics.py`: `mae = MAE = mean_absolute_error`); likewise 2.0.8 and 2.1.6; history keys are `'val_' + n` of `metrics_names`",
            "Checked (source): keras 2.3.1 `keras/engine/training_utils.py` `get_metric_name`: `if isinstance(metric, six.string_types): return metric`; keras 3.15.1 `keras/src/trainers/compile_utils.py` `get_metric`: `if isinstance(identifier, str): metric_name = identifier`",
            "Checked: keras 3.15.1 `ReduceLROnPlateau` / `LearningRateScheduler` log `learning_rate`; tf_keras 2.21.0 logs `lr` (`tf_keras/src/callbacks.py`: `logs['lr'] = ...`)",
            "Checked: keras 3.15.1 auto-names metric objects uniquely per process (`AUC()` after two others -> `auc_2`); tf_keras 2.21.0 does not",
            "Checked: keras 3.15.1 `EarlyStopping`/`ModelCheckpoint`/`ReduceLROnPlateau` in mode 'auto' with `monitor='val_acc'` under `metrics=['accuracy']`, or `monitor='val_binary_accuracy'` under `metrics=[keras.metrics.binary_accuracy]` -> `ValueError: ... isn't able to automatically determine whether that metric should be maximized or minimized` (`keras/src/callbacks/monitor_callback.py` `_set_monitor_op`: the compiled metric's `_direction`); with `mode='max'` -> `UserWarning: Early stopping conditioned on metric `val_acc` which is not available`, training runs every epoch; `ReduceLROnPlateau` keeps the learning rate; tf_keras 2.21.0 maximizes both (tests/evidence/test_history_keys_krs731.py)",
            "Checked: keras 3.15.1 `compile_utils.get_metric(...)._direction`: metric strings as in `_UP_STRINGS`/`_DOWN_STRINGS`; `keras.metrics` accuracy functions none (a `MeanMetricWrapper` of a non-loss), the other functions 'down'",
            "Checked (source): keras 2.2.4 `keras/callbacks.py` mode 'auto': `if 'acc' in self.monitor` -> `np.greater` (ModelCheckpoint also `startswith('fmeasure')`), else `np.less`, in ModelCheckpoint, EarlyStopping and ReduceLROnPlateau; tf_keras 2.21.0 `callbacks.py`: EarlyStopping `endswith('acc'|'accuracy'|'auc')`, ModelCheckpoint `'acc' in` or `startswith('fmeasure')`, ReduceLROnPlateau `'acc' in`",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._blocks: List[int] = []  # ids of the enclosing statement blocks
        # id(binding of a model name) -> its `compile` calls so far, with the block path of each.
        self._compiles: Dict[int, List[Tuple[Tuple[int, ...], cst.Call]]] = {}
        # id(fit call) -> (model binding, number of its compiles before the fit, block path)
        self._fits: Dict[int, Tuple[object, int, Tuple[int, ...]]] = {}
        # id(def) -> for each `return NAME`: (binding, compiles before it, block path)
        self._returns: Dict[int, List[Tuple[object, int, Tuple[int, ...]]]] = {}
        # id(callback call) -> (call, canonical class, monitor string, its issue under each fit it reaches)
        self._monitors: Dict[int, Tuple[cst.Call, str, cst.SimpleString, List[Optional[_MonitorIssue]]]] = {}

    # -- blocks (for "does this compile surely run before the fit?") -------------------------

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._blocks.append(id(node))

    def leave_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._blocks.pop()

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._blocks.append(id(node))

    def leave_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._blocks.pop()

    # -- collecting compile / fit / return ---------------------------------------------------

    def visit_Return(self, node: cst.Return) -> None:
        function = self.ctx.resolver.current_function
        if function is None or not isinstance(node.value, cst.Name):
            return
        binding = self.ctx.resolver.scope.lookup(node.value.value)
        if binding is not None:
            count = len(self._compiles.get(id(binding), ()))
            self._returns.setdefault(id(function), []).append((binding, count, tuple(self._blocks)))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method == "get" and node.args:
            key = node.args[0].value
            if _candidate_key(key) and self._history_fit(func.value) is not None:
                self._check(key, func.value)
            return
        if method == "compile" and isinstance(func.value, cst.Name):
            binding = self.ctx.resolver.scope.lookup(func.value.value)
            if binding is not None:
                self._compiles.setdefault(id(binding), []).append((tuple(self._blocks), node))
        elif method in ("fit", "fit_generator"):
            self._note_fit(node)
            self._note_monitors(node)

    def _note_fit(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            binding = self.ctx.resolver.scope.lookup(func.value.value)
            if binding is not None:
                count = len(self._compiles.get(id(binding), ()))
                self._fits[id(node)] = (binding, count, tuple(self._blocks))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        key = node.slice[0].slice.value
        if _candidate_key(key) and isinstance(node.value, (cst.Attribute, cst.Name)):
            if self._history_fit(node.value) is not None:
                self._check(key, node.value)

    # -- the History object ------------------------------------------------------------------

    def _history_fit(self, node: cst.BaseExpression, scope=None) -> Optional[cst.Call]:
        """The fit call whose History's `.history` dict ``node`` is: `h.history`,
        `model.fit(...).history`, or a name assigned one of these."""
        resolver = self.ctx.resolver
        if isinstance(node, cst.Name):
            assigned = resolver.assigned_value(node, scope)
            if assigned is None or not isinstance(assigned[0], cst.Attribute):
                return None
            node, scope = assigned[0], assigned[1]
        if not isinstance(node, cst.Attribute) or node.attr.value != "history":
            return None
        owner = node.value
        if isinstance(owner, cst.Name):
            assigned = resolver.assigned_value(owner, scope)
            if assigned is None:
                return None
            owner = assigned[0]
        if isinstance(owner, cst.Call) and scope is None and id(owner) not in self._fits:
            # `model.fit(...).history[...]`: the subscript is visited before the call in it.
            if isinstance(owner.func, cst.Attribute) and owner.func.attr.value in ("fit", "fit_generator"):
                self._note_fit(owner)
        if isinstance(owner, cst.Call) and id(owner) in self._fits:
            return owner
        return None

    # -- the check ---------------------------------------------------------------------------

    def _check(self, key_node: cst.SimpleString, history: cst.BaseExpression) -> None:
        key = string_value(key_node)
        if key is None:
            return
        prefix, base = _split(key)
        fit = self._history_fit(history)
        assert fit is not None
        if not self._plain_model(fit):
            return
        callbacks = self._callbacks(fit)
        if callbacks is None:
            return
        outcomes = [self._outcome(metrics, base, callbacks) for metrics in self._governing_metrics(fit)]
        if not outcomes or any(outcome is None for outcome in outcomes):
            return
        targets = {target for _, target in outcomes}
        target = targets.pop() if len(targets) == 1 else None
        reason = outcomes[0][0]
        message = f"`KeyError: '{key}'` on Keras 3: {reason}"
        fix = None
        if target is not None:
            new_key = prefix + target
            message += f"; read '{new_key}'"
            quote = key_node.quote
            text = key_node.value
            if text == key_node.prefix + quote + key + quote:
                new = key_node.prefix + quote + new_key + quote
                if base == "lr":
                    fix = self.unsafe_fix(f"Read '{new_key}' (tf_keras 2.21 still logs '{key}')").replace(key_node, new)
                else:
                    fix = self.safe_fix(f"Read '{new_key}' (the key Keras 3 and tf_keras 2.21 log)").replace(key_node, new)
        self.report(key_node, message, fix=fix)

    def _outcome(self, metrics: Optional[List[_Metric]], base: str, callbacks: List[str]) -> Optional[Tuple[str, Optional[str]]]:
        """(why the key is missing, the key to read or None) under one compile; None when the
        key may exist or nothing proves it missing."""
        if metrics is None:
            return None
        names = {m.name for m in metrics if m.name is not None}
        if base in names or base == "loss" or any(base.startswith(m.stem) for m in metrics if m.name is None):
            return None
        if base == "lr":
            if not any(c in _LR_CALLBACKS for c in callbacks):
                return None
            return "Keras 3's `ReduceLROnPlateau` / `LearningRateScheduler` log the learning rate as 'learning_rate' (Keras 2: 'lr')", "learning_rate"
        renamed = [m for m in metrics if m.legacy == base and m.name != base]
        if renamed:
            targets = {m.name for m in renamed}
            spelled = renamed[0].name
            if len(targets) == 1 and spelled is not None:
                return f"Keras 2.0-2.2 logged `metrics=['{spelled}']` as '{base}', Keras 3 logs it as '{spelled}'", spelled
            return None
        if base in _ACCURACY_KEYS:
            accuracy = [m for m in metrics if m.accuracy]
            if len(accuracy) != 1:
                return None
            only = accuracy[0]
            if only.name is None:
                return f"the accuracy metric is logged under its object's auto-name ('{only.stem}', '{only.stem}_1', ...); give it `name=`", None
            return f"the only accuracy metric of `compile` is logged as '{only.name}'", only.name
        return None

    # -- `monitor=` of the callbacks a fit gets ---------------------------------------------

    def _note_monitors(self, fit: cst.Call) -> None:
        """For each `EarlyStopping` / `ModelCheckpoint` / `ReduceLROnPlateau` of the fit (in its
        `callbacks=` list, or bound to names in it), what its `monitor=` key does under this fit."""
        arg = keyword_arg(fit, "callbacks")
        if arg is None or id(fit) not in self._fits:
            return
        resolver = self.ctx.resolver
        value, scope = arg.value, None
        if isinstance(value, cst.Name):
            assigned = resolver.assigned_value(value)
            if assigned is None:
                return
            value, scope = assigned[0], assigned[1]
        if not isinstance(value, (cst.List, cst.Tuple)):
            return
        for element in value.elements:
            call, call_scope = element.value, scope
            if isinstance(call, cst.Name):
                assigned = resolver.assigned_value(call, scope)
                if assigned is None:
                    continue
                call, call_scope = assigned[0], assigned[1]
            if not isinstance(call, cst.Call):
                continue
            kind = resolver.call_name(call, call_scope)
            if kind not in _MONITOR_CALLBACKS:
                continue
            monitor = self._positional_or_keyword(call, "monitor", _MONITOR_CALLBACKS[kind][0])
            if monitor is None or not isinstance(monitor.value, cst.SimpleString):
                continue
            entry = self._monitors.setdefault(id(call), (call, kind, monitor.value, []))
            entry[3].append(self._monitor_issue(fit, call, kind, monitor.value))

    @staticmethod
    def _positional_or_keyword(call: cst.Call, name: str, index: Optional[int]) -> Optional[cst.Arg]:
        found = keyword_arg(call, name)
        if found is None and index is not None:
            positional = [a for a in call.args if a.keyword is None and not a.star]
            found = positional[index] if len(positional) > index else None
        return found

    def _monitor_issue(self, fit: cst.Call, call: cst.Call, kind: str, key_node: cst.SimpleString) -> Optional[_MonitorIssue]:
        key = string_value(key_node)
        if key is None or any(a.star for a in call.args) or not self._plain_model(fit):
            return None
        _, mode_index, best_index = _MONITOR_CALLBACKS[kind]
        mode_arg = self._positional_or_keyword(call, "mode", mode_index)
        mode = "auto" if mode_arg is None else string_value(mode_arg.value)
        if mode not in ("auto", "min", "max"):
            return None
        callbacks = self._callbacks(fit)
        if callbacks is None:
            return None
        issues = {self._issue(metrics, key, kind, call, mode, best_index, callbacks) for metrics in self._governing_metrics(fit)}
        return issues.pop() if len(issues) == 1 else None

    def _issue(self, metrics, key: str, kind: str, call: cst.Call, mode: str, best_index, callbacks) -> Optional[_MonitorIssue]:
        prefix, base = _split(key)
        if metrics is None or base in ("loss", "lr", "learning_rate"):
            return None
        if any(m.name is None and base.startswith(m.stem) for m in metrics):
            return None
        callback = kind.rpartition(".")[2]
        crash = (
            f"raises `ValueError: {callback} callback received monitor={key}, but Keras isn't able to automatically "
            "determine whether that metric should be maximized or minimized` at the end of the first epoch"
        )
        logged = [m for m in metrics if m.name == base]
        if logged:
            # The key is logged; in mode 'auto' Keras 3 asks the metric for its direction.
            if mode != "auto" or any(m.direction != _NO_DIRECTION for m in logged):
                return None
            wanted = _keras2_auto_mode(key)
            reason = f"the metric logged as '{base}' has no direction in Keras 3 (a metric function); Keras 2 chose mode='{wanted}' for this name" if wanted else f"the metric logged as '{base}' has no direction in Keras 3 (a metric function), and Keras 2 versions disagree on this name's mode"
            return _MonitorIssue(crash, reason, key if wanted else None, wanted, wanted == "max")
        outcome = self._outcome(metrics, base, callbacks)
        if outcome is None:
            if mode != "auto" or any(c in _LR_CALLBACKS for c in callbacks):
                return None  # Keras 2 warned alike; or a key the callbacks log
            # Not logged on Keras 2 either: it warned and the callback never acted.
            reason = f"no compiled metric is logged as '{base}' (Keras 2 only warned that '{key}' was not available); monitor a key that `compile` logs"
            return _MonitorIssue(crash, reason, None, None, False)
        reason, target = outcome
        if mode == "auto":
            effect = crash
        else:
            if kind == "keras.callbacks.ModelCheckpoint":
                best = self._positional_or_keyword(call, "save_best_only", best_index)
                if best is None or not (isinstance(best.value, cst.Name) and best.value.value == "True"):
                    return None  # not saving the best one: the monitored value is not used
            effect = _MISSING_KEY_EFFECT[kind]
        if target is None:
            return _MonitorIssue(effect, reason, None, None, False)
        add_mode = None
        if mode == "auto" and any(m.direction == _NO_DIRECTION for m in metrics if m.name == target):
            add_mode = _keras2_auto_mode(key)
            if add_mode != "max":
                return _MonitorIssue(effect, reason, None, None, False)
        return _MonitorIssue(effect, reason, prefix + target, add_mode, True)

    def finish(self) -> None:
        for call, kind, key_node, issues in self._monitors.values():
            if not issues or any(issue is None for issue in issues) or len(set(issues)) != 1:
                continue
            self._report_monitor(call, kind, key_node, issues[0])

    def _report_monitor(self, call: cst.Call, kind: str, key_node: cst.SimpleString, issue: _MonitorIssue) -> None:
        key = string_value(key_node)
        callback = kind.rpartition(".")[2]
        if issue.key == key:
            message = f"`{callback}(monitor='{key}')` in mode 'auto': Keras 3 {issue.effect}: {issue.reason}"
        else:
            message = f"`{callback}(monitor='{key}')`: Keras 3 logs no '{key}' and {issue.effect}: {issue.reason}"
        fix = None
        quote = key_node.quote
        plain = key_node.value == key_node.prefix + quote + key + quote
        if issue.key is not None and plain:
            new = key_node.prefix + quote + issue.key + quote
            todo = [] if issue.key == key else [f"monitor '{issue.key}'"]
            if issue.mode is not None:
                todo.append(f"pass mode='{issue.mode}'")
            message += ("; " + " and ".join(todo)) if todo else ""
            fix = self._monitor_fix(call, key_node, new, issue, quote)
        self.report(key_node, message, fix=fix)

    def _monitor_fix(self, call: cst.Call, key_node: cst.SimpleString, new: str, issue: _MonitorIssue, quote: str):
        what = f"Monitor {new}" if issue.mode is None else f"Monitor {new} with mode={quote}{issue.mode}{quote}"
        why = " (Keras 2's choice in mode 'auto')" if issue.mode is not None else " (the key Keras 3 and tf_keras 2.21 log)"
        fix = (self.safe_fix if issue.safe else self.unsafe_fix)(what + why)
        if issue.mode is None:
            return fix.replace(key_node, new)
        mode_text = f"mode={quote}{issue.mode}{quote}"
        args = list(call.args)
        index = next(i for i, a in enumerate(args) if a.value is key_node)
        if any(a.keyword is None for a in args[index + 1:]):
            if new != key_node.value:
                fix.replace(key_node, new)
            return fix.insert_after(args[-1].value, ", " + mode_text)
        return fix.replace(key_node, f"{new}, {mode_text}")

    # -- the model, its compile and its callbacks --------------------------------------------

    def _governing_metrics(self, fit: cst.Call) -> List[Optional[List[_Metric]]]:
        """The metrics of each `compile` that may be the last one before ``fit``: walking back
        from the fit, every compile up to the first one that surely ran (its block encloses
        the fit); then those of the function that built the model."""
        binding, count, path = self._fits[id(fit)]
        candidates, sure = self._candidates(binding, count, path)
        if not sure:
            value = getattr(binding, "value", None)
            function = self._local_function(value, getattr(binding, "scope", None))
            if function is not None:
                returns = self._returns.get(id(function.function), [])
                for inner_binding, inner_count, inner_path in returns:
                    found, inner_sure = self._candidates(inner_binding, inner_count, inner_path)
                    candidates.extend(found)
                    sure = sure or inner_sure
                if not returns:
                    return []
        return [self._metrics(call) for call in candidates]

    def _candidates(self, binding, count: int, path: Tuple[int, ...]) -> Tuple[List[cst.Call], bool]:
        found: List[cst.Call] = []
        for compile_path, call in reversed(self._compiles.get(id(binding), [])[:count]):
            found.append(call)
            if path[: len(compile_path)] == compile_path:
                return found, True
        return found, False

    def _local_function(self, value, scope):
        """The binding of the function of this file that ``value`` calls (its ``scope`` is the
        function's own, with the returned expressions)."""
        if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Name) or scope is None:
            return None
        binding = scope.lookup(value.func.value)
        return binding if binding is not None and binding.function is not None and binding.scope is not None else None

    def _plain_model(self, fit: cst.Call) -> bool:
        """A `Sequential` or single-output functional model, not a subclass with its own
        `train_step` (whose logs are whatever it returns)."""
        binding = self._fits[id(fit)][0]
        return self._plain_value(getattr(binding, "value", None), getattr(binding, "scope", None), 0)

    def _plain_value(self, value, scope, depth: int) -> bool:
        if depth > 4 or not isinstance(value, cst.Call) or scope is None:
            return False
        resolver = self.ctx.resolver
        name = resolver.call_name(value, scope)
        if name == "keras.Sequential":
            return True
        if name == "keras.Model":
            return self._single_output(value, scope)
        function = self._local_function(value, scope)
        if function is None:
            return False
        function_scope = function.scope
        returns = function_scope.returns
        if not returns:
            return False
        for returned in returns:
            if not isinstance(returned, cst.Name):
                return False
            assigned = resolver.assigned_value(returned, function_scope)
            if assigned is None or not self._plain_value(assigned[0], assigned[1], depth + 1):
                return False
        return True

    def _single_output(self, call: cst.Call, scope) -> bool:
        outputs = keyword_arg(call, "outputs")
        if outputs is None:
            positional = [a for a in call.args if a.keyword is None and not a.star]
            outputs = positional[1] if len(positional) > 1 else None
        if outputs is None:
            return False
        value = outputs.value
        for _ in range(4):
            if isinstance(value, (cst.List, cst.Tuple)):
                if len(value.elements) != 1 or isinstance(value.elements[0], cst.StarredElement):
                    return False
                value = value.elements[0].value
                continue
            if isinstance(value, cst.Name):
                assigned = self.ctx.resolver.assigned_value(value, scope)
                if assigned is None:
                    return False
                value, scope = assigned[0], assigned[1]
                continue
            break
        # `Dense(1)(x)`: a Keras layer called on a tensor gives one output.
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Call):
            layer = self.ctx.resolver.call_name(value.func, scope)
            return layer is not None and layer.startswith("keras.layers.")
        return False

    def _callbacks(self, fit: cst.Call) -> Optional[List[str]]:
        """Canonical names of the fit's callbacks; None when one may be anything (it could log
        the key itself)."""
        arg = keyword_arg(fit, "callbacks")
        if arg is None:
            positional = [a for a in fit.args if a.keyword is None]
            if any(a.star for a in fit.args) or (fit.func.attr.value == "fit" and len(positional) > 5):
                return None
            return []
        value = arg.value
        scope = None
        if isinstance(value, cst.Name):
            assigned = self.ctx.resolver.assigned_value(value)
            if assigned is None:
                return None
            value, scope = assigned[0], assigned[1]
        if not isinstance(value, (cst.List, cst.Tuple)):
            return None
        names = []
        for element in value.elements:
            if isinstance(element, cst.StarredElement):
                return None
            kind = self.ctx.resolver.value_type(element.value, scope)
            if kind is None or not kind.startswith("keras.callbacks."):
                return None
            names.append(kind)
        return names

    # -- metrics of a compile call -----------------------------------------------------------

    def _metrics(self, call: cst.Call) -> Optional[List[_Metric]]:
        """Every metric a single-output `compile` logs; None when one is not known or the loss
        says several outputs."""
        if any(a.star for a in call.args):
            return None
        positional = [a for a in call.args if a.keyword is None]
        if len(positional) > 2:
            return None  # the third positional argument is `metrics` in Keras 2, `loss_weights` in Keras 3
        loss = keyword_arg(call, "loss") or (positional[1] if len(positional) > 1 else None)
        if loss is not None and isinstance(loss.value, (cst.Dict, cst.List, cst.Tuple)):
            return None  # per-output losses: several outputs, prefixed keys
        found: List[_Metric] = []
        for name in ("metrics", "weighted_metrics"):
            arg = keyword_arg(call, name)
            if arg is None or (isinstance(arg.value, cst.Name) and arg.value.value == "None"):
                continue
            value = arg.value
            scope = None
            if isinstance(value, cst.Name):
                assigned = self.ctx.resolver.assigned_value(value)
                if assigned is None:
                    return None
                value, scope = assigned[0], assigned[1]
            if not isinstance(value, (cst.List, cst.Tuple)):
                return None
            for element in value.elements:
                if isinstance(element, cst.StarredElement):
                    return None
                metric = self._metric(element.value, scope)
                if metric is None:
                    return None
                found.append(metric)
        return found

    def _metric(self, node: cst.BaseExpression, scope) -> Optional[_Metric]:
        text = string_value(node)
        if text is not None:
            accuracy = text in _ACCURACY_KEYS or text in _ACCURACY_FUNCTIONS
            direction = "up" if text in _UP_STRINGS else "down" if text in _DOWN_STRINGS else None
            return _Metric(text, text, _LEGACY.get(text, text), accuracy, direction)
        resolver = self.ctx.resolver
        if isinstance(node, cst.Call):
            name = resolver.call_name(node, scope)
            if name is None or not name.startswith("keras.metrics."):
                return None
            klass = name.rpartition(".")[2]
            given = keyword_arg(node, "name")
            accuracy = klass in _ACCURACY_CLASSES
            if given is not None:
                text = string_value(given.value)
                return None if text is None else _Metric(text, text, text, accuracy, "up" if accuracy else None)
            if not klass[:1].isupper():
                return None
            return _Metric(None, _snake(klass), None, accuracy, "up" if accuracy else None)
        resolved = resolver.resolve(node, scope)
        if resolved is not None:
            if not resolved.is_keras3:
                return None
            function = resolved.canonical.rpartition(".")[2]
            if resolved.canonical.startswith("keras.metrics.") and function in _METRIC_FUNCTIONS:
                direction = _NO_DIRECTION if function in _UNDIRECTED_FUNCTIONS else "down"
                return _Metric(function, function, function, function in _ACCURACY_FUNCTIONS, direction)
            return None
        if isinstance(node, cst.Name):
            binding = (scope or resolver.scope).lookup(node.value)
            if binding is not None and binding.function is not None:
                snake = _snake(node.value)
                return _Metric(snake, snake, node.value, False, _NO_DIRECTION)
        return None
