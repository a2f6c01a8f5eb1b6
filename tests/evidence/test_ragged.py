"""Family 3, ragged tensors: KRS301-KRS303, and RAG-1 on both sides of keras 3.9."""

from harness import assert_quoted, cached

INNER_RAGGED = "Cannot index into an inner ragged dimension."


def test_krs301_ragged_input_runs_on_keras2_fails_in_gru_on_keras3():
    k2 = cached("KRS301.py", keras="2").ok()
    k3 = cached("KRS301.py").ok()
    assert k2.value("model", "output")
    assert k3.value("input", "ragged") is True  # accepted since 3.9 ...
    assert_quoted("KRS301", k3.error("model"), INNER_RAGGED)  # ... but the RNN cannot consume it


def test_krs301_ragged_input_rejected_on_jax():
    jax3 = cached("KRS301.py", backend="jax").ok()
    assert_quoted("KRS301", jax3.error("input"), "ValueError: `ragged=True` is not supported with the jax backend")


def test_krs301_rag1_input_ragged_typeerror_below_3_9():
    old = cached("KRS301.py", old="3.8.0").ok()
    assert old["keras_version"] == "3.8.0"
    assert_quoted("KRS301", old.error("input"), "TypeError: Input() got an unexpected keyword argument 'ragged'")


def test_krs301_rag1_input_ragged_accepted_from_3_9():
    for version in ("3.11.0", None):  # None: 3.15.1
        k3 = cached("KRS301.py", old=version).ok()
        assert k3.value("input", "ragged") is True, k3.label
        assert_quoted("KRS301", k3.error("model"), INNER_RAGGED)


def test_krs302_textvectorization_ragged():
    k2 = cached("KRS302.py", keras="2").ok()
    k3 = cached("KRS302.py").ok()
    jax3 = cached("KRS302.py", backend="jax").ok()
    assert k2.value("model", "output") == [3, 3]
    assert k3.value("vectorize", "type") == "RaggedTensor"
    assert_quoted("KRS302", k3.error("model"), INNER_RAGGED)
    assert_quoted("KRS302", jax3.error("vectorize"), "ValueError: `ragged=True` can only be used with the TensorFlow backend.")


def test_krs303_ragged_batch_into_model_and_padding_guidance():
    k2 = cached("KRS303.py", keras="2").ok()
    k3 = cached("KRS303.py").ok()
    assert k2.value("predict", "shape") == [2, 1] and k2.value("fit", "loss")
    assert_quoted("KRS303", k3.error("predict"), INNER_RAGGED)
    assert_quoted("KRS303", k3.error("fit"), INNER_RAGGED)
    assert k3.value("padded", "shape") == [2, 1]  # the guidance (pad + mask_zero) runs
