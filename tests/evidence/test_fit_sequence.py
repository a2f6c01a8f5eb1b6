"""Removed fit/compile arguments and Sequence subclasses: KRS729 and KRS730.

tf_keras 2.21 (Keras 2) against keras 3.15.1 (TensorFlow backend). Each program runs under Keras 2,
under Keras 3, and after keras3-lint's own fixer (`--fix --unsafe-fixes --select CODE`) under Keras 3.
"""

from concurrent.futures import ThreadPoolExecutor

from harness import assert_quoted, cached, close, fixed

K2, K3 = "2", "3"
_ATTRIBUTES = {"workers": 1, "use_multiprocessing": False, "max_queue_size": 10}
_WARNING = (
    "UserWarning: Your `PyDataset` class should call `super().__init__(**kwargs)` in its constructor. "
    "`**kwargs` can include `workers`, `use_multiprocessing`, `max_queue_size`. "
    "Do not pass these arguments to `fit()`, as they will be ignored."
)


def runs(*specs):
    """`cached(program, keras)` for each (program, keras) pair, two processes at a time."""
    with ThreadPoolExecutor(2) as pool:
        return [r.ok() for r in pool.map(lambda spec: cached(*spec), specs)]


def test_krs729_removed_fit_arguments_fail_fix_trains_like_keras2():
    after = fixed("KRS729.py", "KRS729")
    k2, k3, fixed3 = runs(("KRS729.py", K2), ("KRS729.py", K3), (after, K3))
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    # Keras 2 runs every call.
    for name in ("fit", "evaluate", "train_on_batch", "compile"):
        k2.value(name)
    # Keras 3 fails at each call, with the messages KRS729's docs quote.
    assert_quoted("KRS729", k3.error("fit"), "TypeError: TensorFlowTrainer.fit() got an unexpected keyword argument 'workers'")
    assert_quoted("KRS729", k3.error("evaluate"), "ValueError: Arguments not recognized: {'workers': 2}")
    assert_quoted(
        "KRS729",
        k3.error("train_on_batch"),
        "TypeError: TensorFlowTrainer.train_on_batch() got an unexpected keyword argument 'reset_metrics'",
    )
    assert_quoted("KRS729", k3.error("compile"), "TypeError: Trainer.compile() got an unexpected keyword argument 'sample_weight_mode'")
    # Fixed (arguments deleted): same losses and weights as Keras 2.
    assert close(fixed3.value("fit", "loss"), k2.value("fit", "loss"))
    assert close(fixed3.value("fit", "kernel"), k2.value("fit", "kernel"))
    assert close(fixed3.value("evaluate", "loss"), k2.value("evaluate", "loss"))
    # reset_metrics=True was tf_keras's default; Keras 3 resets at every call: same [loss, mae].
    for key in ("first", "second"):
        assert close(fixed3.value("train_on_batch", key), k2.value("train_on_batch", key)), key
    # sample_weight_mode="temporal": Keras 3 applies the 2-D sample weights per timestep unasked.
    assert close(fixed3.value("compile", "loss"), k2.value("compile", "loss"))
    assert close(fixed3.value("compile", "evaluate"), k2.value("compile", "evaluate"))


def test_krs730_sequence_without_super_init_warns_fix_silences_same_history():
    after = fixed("KRS730.py", "KRS730")
    k2, k3, fixed3 = runs(("KRS730.py", K2), ("KRS730.py", K3), (after, K3))
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    # Keras 2: no constructor to call, no warning, no worker attributes on the Sequence.
    assert k2.value("fit", "warnings") == []
    assert k2.value("fit", "attributes") == {name: None for name in _ATTRIBUTES}
    # Keras 3: the UserWarning KRS730's docs quote, then the fallback attributes; training unchanged.
    observed = k3.value("fit", "warnings")
    assert len(observed) == 1
    assert_quoted("KRS730", observed[0], _WARNING)
    assert k3.value("fit", "attributes") == _ATTRIBUTES
    assert close(k3.value("fit", "loss"), k2.value("fit", "loss"))
    # Fixed (super().__init__() first): no warning, the same attributes, the Keras 2 history.
    assert fixed3.value("fit", "warnings") == []
    assert fixed3.value("fit", "attributes") == _ATTRIBUTES
    assert close(fixed3.value("fit", "loss"), k2.value("fit", "loss"))
