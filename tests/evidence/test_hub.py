"""Family 4, TF Hub: KRS401-KRS403 with a tiny local SavedModel (no network)."""

from harness import assert_quoted, cached, close


def test_krs401_hub_layer_rejected_by_sequential_tfsmlayer_matches_keras2():
    k2 = cached("KRS401.py", keras="2").ok()
    k3 = cached("KRS401.py").ok()
    assert_quoted(
        "KRS401",
        k3.error("sequential"),
        "ValueError: Only instances of `keras.Layer` can be added to a Sequential model. "
        "Received: <tensorflow_hub.keras_layer.KerasLayer object at 0x",
    )
    assert close(k3.value("tfsmlayer", "output"), k2.value("sequential", "output"))


def test_krs402_hub_layer_on_keras_tensor_fails_tfsmlayer_matches_keras2():
    k2 = cached("KRS402.py", keras="2").ok()
    k3 = cached("KRS402.py").ok()
    error = k3.error("functional")
    assert error.startswith("TypeError: Exception encountered when calling layer 'keras_layer")
    assert_quoted("KRS402", error, "Binding inputs to tf.function failed due to `A KerasTensor cannot be used as input to a TensorFlow function.")
    assert close(k3.value("tfsmlayer", "output"), k2.value("functional", "output"))


def test_krs403_hub_weights_untracked_in_subclass():
    k2 = cached("KRS403.py", keras="2").ok()
    k3 = cached("KRS403.py").ok()
    assert (k2["trainable_weights"], k2["hub_weight_changed"]) == (3, True)
    assert (k3["trainable_weights"], k3["weights"], k3["hub_weight_changed"]) == (2, 2, False)
