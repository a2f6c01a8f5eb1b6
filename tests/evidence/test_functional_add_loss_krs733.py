"""KRS733 on tf_keras 2.21.0 / keras 3.15.1: a functional model's add_loss works on Keras 2 only."""

from harness import cached, findings, fixed, run


def test_krs733_functional_add_loss_raises_on_keras3_and_works_on_keras2():
    k2 = cached("KRS733.py", keras="2").ok()
    assert k2["keras_version"].startswith("2.")
    assert k2.value("symbolic", "losses") == 1
    for step in ("callable", "models_Model", "train"):
        assert k2.value(step)["ok"] is True, step
    assert k2.error("eager").startswith("ValueError: Expected a symbolic Tensors or a callable")  # Keras 2 too
    k3 = cached("KRS733.py").ok()
    assert k3["keras_version"] == "3.15.1"
    for step in ("symbolic", "eager", "callable", "models_Model"):
        assert k3.error(step) == "NotImplementedError: ", step
    assert k3.value("train")["ok"] is True  # the model itself trains; only add_loss is gone
    found = findings("KRS733.py", "KRS733")
    assert [f["location"]["row"] for f in found] == [18, 21, 23, 26]
    # A `lambda` (a loss with no inputs) gets no fix; the others are rebuilt through a loss layer.
    assert [f["fix"] is None for f in found] == [False, False, True, False]
    assert "no automatic fix here" in found[2]["message"]


def test_krs733_fix_trains_the_keras2_model():
    k2 = run("functional_add_loss_vae_krs733.py", keras="2").ok()
    assert k2.value("add_loss")["ok"] is True
    k3 = run("functional_add_loss_vae_krs733.py").ok()
    assert k3.error("add_loss") == "NotImplementedError: "
    after = run(fixed("functional_add_loss_vae_krs733.py", "KRS733")).ok()
    assert after.value("add_loss")["ok"] is True and after["name"] == k2["name"] == "vae"
    # Same total loss before training, same outputs, same training curve (same initial weights).
    assert abs(after.value("evaluate", "loss") - k2.value("evaluate", "loss")) < 1e-5
    assert after.value("predict", "shape") == k2.value("predict", "shape") == [8, 4]
    for got, expected in zip(after.value("fit", "losses"), k2.value("fit", "losses")):
        assert abs(got - expected) <= 1e-4 * max(1.0, abs(expected))
