"""KRS733 on tf_keras 2.21.0 / keras 3.15.1: a functional model's add_loss works on Keras 2 only."""

from harness import cached, findings


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
    assert all(f["fix"] is None and "no automatic fix" in f["message"] for f in found)
