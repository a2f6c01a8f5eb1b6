"""KRS103 on metrics (SURF-2) and on receivers of unknown type, on tf_keras 2.21 and keras 3.15.1."""

from concurrent.futures import ThreadPoolExecutor

from harness import assert_quoted, cached, close, findings, fixed

K2, K3 = "2", "3"


def runs(*specs):
    with ThreadPoolExecutor(2) as pool:
        return [r.ok() for r in pool.map(lambda spec: cached(*spec), specs)]


def test_metric_reset_states_fails_on_keras3_and_reset_state_works_on_both():
    after = fixed("receivers_metric.py", "KRS103")
    k2, k3, fixed3, fixed2 = runs(
        ("receivers_metric.py", K2), ("receivers_metric.py", K3), (after, K3), (after, K2)
    )
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    assert_quoted("KRS103", k3.error("reset_states"), "AttributeError: 'Mean' object has no attribute 'reset_states'")
    assert "'Total' object has no attribute 'reset_states'" in k3.error("subclass_self")
    # Keras 2: reset_states() zeroes the metric (5.0 alone after the reset, accuracy 0/1).
    assert close(k2.value("reset_states", "after"), [5.0, 0.0])
    assert close(k2.value("subclass_self", "total"), 4.0)
    # The safe fix (reset_state) gives the same numbers on Keras 3 and on tf_keras.
    for run in (fixed3, fixed2):
        assert close(run.value("reset_states", "before"), k2.value("reset_states", "before")), run.label
        assert close(run.value("reset_states", "after"), k2.value("reset_states", "after")), run.label
        assert close(run.value("subclass_self", "total"), 4.0), run.label
    found = findings("receivers_metric.py", "KRS103")
    assert {f["fix"]["applicability"] for f in found} == {"safe"} and len(found) == 3


def test_unknown_receiver_fit_generator_fails_and_is_reported_medium():
    found = findings("receivers_medium.py", "KRS103")
    assert sorted((f["location"]["row"], f["confidence"]) for f in found) == [(22, "medium"), (26, "medium")]
    after = fixed("receivers_medium.py", "KRS103")  # medium fixes are unsafe: --unsafe-fixes
    k2, k3, fixed3, fixed2 = runs(("receivers_medium.py", K2), ("receivers_medium.py", K3), (after, K3), (after, K2))
    assert_quoted("KRS103", k3.error("fit_generator"), "AttributeError: 'Sequential' object has no attribute 'fit_generator'")
    assert "'SGD' object has no attribute 'lr'" in k3.error("optimizer_lr")
    assert close(k2.value("optimizer_lr", "learning_rate"), 0.01)
    for run in (fixed3, fixed2):
        assert close(run.value("fit_generator", "loss"), k2.value("fit_generator", "loss"), tol=1e-5), run.label
        assert close(run.value("fit_generator", "kernel"), k2.value("fit_generator", "kernel"), tol=1e-5), run.label
        assert close(run.value("optimizer_lr", "learning_rate"), 0.01), run.label
