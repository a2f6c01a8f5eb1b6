"""KRS103 (`get_updates` overrides, `_make_*_function`) and KRS729 (loader arguments of
`fit_generator`) on tf_keras 2.21 and keras 3.15.1: the hazards, and the combined fixes."""

from concurrent.futures import ThreadPoolExecutor

from harness import assert_quoted, cached, close, findings, fixed

PROGRAM = "recall_routes.py"


def runs(*specs):
    with ThreadPoolExecutor(2) as pool:
        return [r.ok() for r in pool.map(lambda spec: cached(*spec), specs)]


def test_recall_routes_hazards_and_fixes():
    k2, k3 = runs((PROGRAM, "2"), (PROGRAM, "3"))
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    # Keras 3 trains without ever calling the override (it would raise): the update rule is lost.
    assert k3.value("get_updates", "calls") == 0 and len(k3.value("get_updates", "loss")) == 1
    assert_quoted("KRS103", k3.error("make_predict_function"), "AttributeError: 'Sequential' object has no attribute '_make_predict_function'")
    assert "'Sequential' object has no attribute 'fit_generator'" in k3.error("fit_generator")
    assert len(k2.value("fit_generator", "loss")) == 2

    krs103 = sorted((f["location"]["row"], f["fix"] is None) for f in findings(PROGRAM, "KRS103"))
    assert krs103 == [(13, True), (40, True), (43, True)]  # the def, the private call, fit_generator (rename withheld)
    assert sorted(f["location"]["row"] for f in findings(PROGRAM, "KRS729")) == [43, 43]

    after = fixed(PROGRAM, "KRS103,KRS729")
    with open(after, encoding="utf-8") as handle:
        assert "model.fit(batches(), steps_per_epoch=2, epochs=2, verbose=0)" in handle.read()
    fixed3, fixed2 = runs((after, "3"), (after, "2"))
    for run in (fixed3, fixed2):
        assert close(run.value("fit_generator", "loss"), k2.value("fit_generator", "loss")), run.label
        assert close(run.value("fit_generator", "kernel"), k2.value("fit_generator", "kernel")), run.label
