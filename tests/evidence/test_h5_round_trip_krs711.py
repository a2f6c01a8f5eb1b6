"""KRS711 on tf_keras 2.21.0 / keras 3.15.1: a compiled model does not survive an .h5 round trip
on Keras 3 (training the reloaded model fails, or loading fails); `.keras` does."""

from harness import cached, findings, fixed, run


def test_krs711_h5_round_trip_fails_on_keras3_and_keras_file_trains():
    k2 = cached("KRS711.py", keras="2").ok()
    for name in ("custom_loss", "string_loss"):
        assert k2.value(name)["ok"] is True, name
    k3 = cached("KRS711.py").ok()
    assert k3.error("custom_loss").startswith("ValueError: Unknown variable")
    assert "This optimizer can only be called for the variables it was originally built with" in k3.error("custom_loss")
    assert "Could not deserialize 'keras.metrics.mse'" in k3.error("string_loss")
    found = findings("KRS711.py", "KRS711")
    assert [f["location"]["row"] for f in found] == [21, 28]
    after = fixed("KRS711.py", "KRS711")
    with open(after, encoding="utf-8") as handle:
        text = handle.read()
    assert "loss.h5" not in text and text.count("loss.keras") == 4
    for keras in ("3", "2"):  # tf_keras 2.21 reads and writes .keras too
        done = run(after, keras=keras).ok()
        for name in ("custom_loss", "string_loss"):
            assert done.value(name)["ok"] is True, (keras, name)
