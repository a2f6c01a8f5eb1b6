"""KRS734 on tf_keras 2.21.0 / keras 3.15.1: Keras 3 checks the rank of a model's input."""

from harness import cached, findings


def test_krs734_rank_mismatch_builds_on_keras2_and_raises_on_keras3():
    k2 = cached("KRS734.py", keras="2").ok()
    assert k2.value("embedding_product", "shape") == [3, 3, 4]
    assert k2.value("flat_input", "shape") == [10]
    k3 = cached("KRS734.py").ok()
    for name in ("embedding_product", "flat_input"):
        assert k3.error(name).startswith("ValueError"), name
        assert "is incompatible with the layer: expected shape=" in k3.error(name), name
    assert k3.value("flattened", "shape") == [3, 3, 4]  # what the message advises works
    found = findings("KRS734.py", "KRS734")
    assert [f["location"]["row"] for f in found] == [16, 21]
