"""KRS731 on keras 3.15.1 and tf_keras 2.21: the history keys each compile spelling gives, the
Keras 2.0-2.2 keys failing, and the fixed program reading the keys that exist."""

from harness import cached, findings, fixed, run

from keras3_lint.rules.krs731_history_metric_key import _LEGACY, _METRIC_FUNCTIONS


def test_krs731_history_keys_follow_the_compile_spelling_and_fixed_keys_work():
    k3 = cached("KRS731.py").ok()
    k2 = cached("KRS731.py", keras="2").ok()
    assert k3["impl"] == "keras" and k2["impl"] == "tf_keras"
    # The book-era keys fail on Keras 3 (and on tf_keras 2.21, which names metrics alike).
    for run_ in (k3, k2):
        assert run_.error("accuracy") == "KeyError: 'acc'"
        assert run_.error("mae") == "KeyError: 'val_mean_absolute_error'"
        assert run_.error("binary_accuracy_function") == "KeyError: 'acc'"
    assert k3.error("learning_rate") == "KeyError: 'lr'"
    assert k2.value("learning_rate", "keys") == ["loss", "lr"]
    # The rule's tables: a metric string is logged as written, a keras.metrics function under its name.
    for version in (k3, k2):
        table = version["table"]
        for spelling in _LEGACY:
            if spelling in table:
                assert table[spelling] == sorted([spelling, "loss", "val_" + spelling, "val_loss"]), spelling
        for label, keys in table.items():
            if label.startswith("fn:"):
                name = label[3:]
                assert keys == sorted([name, "loss", "val_" + name, "val_loss"]), label
    names = k3["function_names"]
    assert {f: names.get(f) for f in _METRIC_FUNCTIONS} == {f: f for f in _METRIC_FUNCTIONS}
    # Every old key is reported; the fixed program reads the keys Keras 3 logs.
    assert len(findings("KRS731.py", "KRS731")) == 5
    program = fixed("KRS731.py", "KRS731")
    f3 = run(program).ok()
    assert f3.value("accuracy", "keys") == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(f3.value("accuracy", "acc")) == 1 and len(f3.value("accuracy", "val_acc")) == 1
    assert f3.value("mae", "keys") == ["loss", "mae", "val_loss", "val_mae"]
    assert len(f3.value("mae", "val_mae")) == 1
    assert f3.value("binary_accuracy_function", "keys") == ["binary_accuracy", "loss"]
    assert f3.value("learning_rate", "keys") == ["learning_rate", "loss"]
    # The safe fixes hold on tf_keras too; the unsafe 'lr' -> 'learning_rate' does not.
    f2 = run(program, keras="2").ok()
    for name in ("accuracy", "mae", "binary_accuracy_function"):
        assert f2.value(name)["ok"]
    assert f2.error("learning_rate") == "KeyError: 'learning_rate'"


def test_krs731_monitor_keys_crash_or_go_silent_on_keras3_and_the_fix_restores_keras2_direction():
    from keras3_lint.rules.krs731_history_metric_key import (
        _DOWN_STRINGS,
        _METRIC_FUNCTIONS,
        _UNDIRECTED_FUNCTIONS,
        _UP_STRINGS,
    )

    k3 = cached("monitor_keys_krs731.py").ok()
    k2 = cached("monitor_keys_krs731.py", keras="2").ok()
    assert k3["impl"] == "keras" and k2["impl"] == "tf_keras"
    # Mode 'auto' and a key Keras 3 does not log, or a metric function's key: ValueError.
    for name, key in (("checkpoint_val_acc_auto", "val_acc"), ("checkpoint_function_auto", "val_binary_accuracy")):
        assert k3.error(name).startswith(
            f"ValueError: ModelCheckpoint callback received monitor={key}, but Keras isn't able to automatically "
            "determine whether that metric should be maximized or minimized"
        )
    # tf_keras (Keras 2) picks the direction from the name: 'acc' in it -> max.
    assert k2.value("checkpoint_val_acc_auto", "maximizes") is True
    assert k2.value("checkpoint_function_auto", "maximizes") is True
    # An explicit mode and a missing key: only a warning; EarlyStopping never stops, the LR never drops.
    stop = k3.value("early_stopping_val_acc_max")
    assert stop["epochs"] == 3 and stop["warnings"] == ["Early stopping conditioned on metric `val_acc` which is not available"]
    reduce = k3.value("reduce_lr_val_mae_min")
    assert reduce["learning_rate"] == 0.009999999776482582
    assert reduce["warnings"] == ["Learning rate reduction is conditioned on metric `val_mean_absolute_error` which is not available"]
    # The rule's direction tables are Keras 3's.
    directions = k3["directions"]
    assert {s: directions.get(s) for s in _UP_STRINGS} == {s: "up" for s in _UP_STRINGS}
    assert {s: directions.get(s) for s in _DOWN_STRINGS} == {s: "down" for s in _DOWN_STRINGS}
    assert {f for f in _METRIC_FUNCTIONS if directions["fn:" + f] is None} == _UNDIRECTED_FUNCTIONS
    assert {directions["fn:" + f] for f in _METRIC_FUNCTIONS - _UNDIRECTED_FUNCTIONS} == {"down"}
    # Every hazard is reported and fixed; the fixed callbacks behave like Keras 2's on both.
    assert len(findings("monitor_keys_krs731.py", "KRS731")) == 4
    program = fixed("monitor_keys_krs731.py", "KRS731")
    for keras in ("3", "2"):
        done = run(program, keras=keras).ok()
        for name in ("checkpoint_val_acc_auto", "checkpoint_function_auto"):
            assert done.value(name, "maximizes") is True and done.value(name, "warnings") == [], (keras, name)
        assert done.value("early_stopping_val_acc_max", "epochs") < 3, keras  # the baseline is never reached: stops early
        assert done.value("early_stopping_val_acc_max", "maximizes") is True
        reduced = done.value("reduce_lr_val_mae_min")
        assert reduced["maximizes"] is False and reduced["learning_rate"] < 0.0099 and reduced["warnings"] == []
