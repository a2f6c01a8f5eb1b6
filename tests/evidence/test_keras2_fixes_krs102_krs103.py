"""KRS103's `predict_classes` / `predict_proba` rewrites and KRS102's fixes of Keras 2 keywords
that tf_keras 2.21 ignored or renamed, on tf_keras 2.21 and keras 3.15.1 (TensorFlow and JAX)."""

from concurrent.futures import ThreadPoolExecutor

from harness import assert_quoted, cached, close, findings, fixed

K2, K3 = "2", "3"
PREDICT = "predict_classes_krs103.py"
KWARGS = "keras2_kwargs_krs102.py"


def runs(*specs):
    with ThreadPoolExecutor(2) as pool:
        return [r.ok() for r in pool.map(lambda spec: cached(*spec), specs)]


def keras2_predict_classes(proba):
    """keras 2.3.1 keras/engine/sequential.py `Sequential.predict_classes`, verbatim."""
    if proba.shape[-1] > 1:
        return proba.argmax(axis=-1)
    return (proba > 0.5).astype("int32")


def test_predict_classes_fix_equals_keras2_definition_on_every_backend():
    import numpy as np  # the evidence venv has it; the dev venv only collects this file

    found = findings(PREDICT, "KRS103")
    assert [(f["location"]["row"], f["fix"]["applicability"]) for f in found] == [
        (40, "safe"), (41, "safe"), (42, "safe"), (45, "safe")
    ]
    after = fixed(PREDICT, "KRS103")
    k2, k3, fixed3, fixed_jax, fixed2 = runs(
        (PREDICT, K2), (PREDICT, K3), (after, K3), (after, K3, "jax"), (after, K2)
    )
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    # Gone from tf_keras 2.21 too (removed in TF 2.6) and from Keras 3.
    assert "'Sequential' object has no attribute 'predict_classes'" in k2.error("predict_classes")
    assert_quoted("KRS103", k3.error("predict_classes"), "AttributeError: 'Sequential' object has no attribute 'predict_classes'")
    assert "'Sequential' object has no attribute 'predict_proba'" in k3.error("predict_proba")
    for run in (fixed3, fixed_jax, fixed2):
        for name in ("softmax", "sigmoid", "timed"):
            raw = run.value("predict", name)
            assert raw["type"] == "numpy.ndarray", (run.label, raw["type"])  # predict returns NumPy
            proba = np.asarray(raw["values"], dtype=raw["dtype"])
            expected = keras2_predict_classes(proba)
            got = run.value("predict_classes", name)
            assert got["type"] == "numpy.ndarray" and got["dtype"] == str(expected.dtype), (run.label, name, got["dtype"])
            assert got["values"] == expected.tolist(), (run.label, name)
        assert run.value("predict_proba", "softmax") == run.value("predict", "softmax"), run.label
    # The models are not degenerate: several classes and both thresholds occur.
    assert len(set(fixed3.value("predict_classes", "softmax")["values"])) > 1
    assert set(np.ravel(fixed3.value("predict_classes", "sigmoid")["values"])) == {0, 1}
    # The same weights give the same classes on Keras 2 and Keras 3.
    assert fixed2.value("predict_classes", "softmax")["values"] == fixed3.value("predict_classes", "softmax")["values"]


def test_tensorboard_keras2_keywords_were_ignored_and_dropping_them_changes_nothing():
    after = fixed(KWARGS, "KRS102")
    k2, k3, fixed3, fixed2 = runs((KWARGS, K2), (KWARGS, K3), (after, K3), (after, K2))
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    assert_quoted("KRS102", k3.error("tensorboard"), "TypeError: TensorBoard.__init__() got an unexpected keyword argument 'batch_size'")
    # tf_keras 2.21: the call with the four keywords builds the same callback as the call without.
    assert k2.value("tensorboard", "state") == k2.value("tensorboard_plain", "state")
    for run in (fixed3, fixed2):
        assert run.value("tensorboard", "state") == run.value("tensorboard_plain", "state"), run.label
    assert fixed2.value("tensorboard", "state") == k2.value("tensorboard", "state")
    # A NumPy `embeddings_data` crashed tf_keras 2.21 itself (its check takes the array's truth
    # value); without the keyword the call runs on both.
    assert "truth value of an array" in k2.error("tensorboard_array")
    for run in (fixed3, fixed2):
        assert run.value("tensorboard_array", "state")["embeddings_freq"] == 0, run.label


def test_smart_resize_is_crop_to_aspect_ratio():
    import numpy as np

    after = fixed(KWARGS, "KRS102")
    k2, k3, fixed3, fixed2 = runs((KWARGS, K2), (KWARGS, K3), (after, K3), (after, K2))
    assert "unexpected keyword argument 'smart_resize'" in k3.error("smart_resize")
    keras2 = np.asarray(k2.value("smart_resize", "images"))
    # The cropping resize matters for these images (a plain resize differs) ...
    assert not close(keras2, np.asarray(k2.value("plain_resize", "images")), tol=1e-3)
    # ... and Keras 3's crop_to_aspect_ratio gives Keras 2's smart_resize images exactly.
    for run in (fixed3, fixed2):
        assert close(np.asarray(run.value("smart_resize", "images")), keras2, tol=1e-4), run.label
        assert run.value("smart_resize", "labels") == k2.value("smart_resize", "labels")


WEIGHTS = "weights_kwarg_krs102.py"


def test_weights_kwarg_fix_builds_the_keras2_weights():
    import numpy as np

    after = fixed(WEIGHTS, "KRS102")
    k2, k3, fixed3 = runs((WEIGHTS, K2), (WEIGHTS, K3), (after, K3))
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    for name in ("dense", "conv", "no_bias"):
        assert "Unrecognized keyword arguments" in k3.error(name) and "'weights'" in k3.error(name), name
        for key in ("weights", "y"):
            expected, got = k2.value(name, key), fixed3.value(name, key)
            assert len(expected) == len(got), (name, key)
            for e, g in zip(expected, got):
                assert close(np.asarray(g), np.asarray(e), tol=1e-5), (name, key)
    assert [f["fix"] is not None for f in findings(WEIGHTS, "KRS102")] == [True, True, True]
