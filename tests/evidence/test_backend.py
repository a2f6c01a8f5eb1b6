"""Family 6, backend-agnostic custom code: KRS601-KRS607 on tf_keras 2.21 and keras 3.15.1 (TF, JAX)."""

import re
from concurrent.futures import ThreadPoolExecutor

from harness import assert_quoted, cached, close, fixed

KERAS_TENSOR = (
    "ValueError: A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a symbolic "
    "placeholder for a shape and dtype, used when constructing Keras Functional models or Keras Functions. You can "
    "only use it as input to a Keras layer or a Keras operation (from the namespaces `keras.layers` and `keras.ops`)."
)
ERROR_REPR = "'str' object has no attribute '_error_repr'"
NO_NUMPY = "AttributeError: 'jaxlib._jax.ArrayImpl' object has no attribute 'numpy'"


def _runs(*calls):
    """`cached(program, keras, backend)` for each call, two subprocesses at a time (each test
    needs several runs, and `--dist loadfile` keeps this file on one worker)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda call: cached(*call).ok(), calls))


def _one_line(error: str) -> str:
    """Keras's "Exception encountered when calling X.call()", a blank line, then the bold cause:
    joined on one line without the bold codes, as the rules' docs quote it."""
    return re.sub(r"\x1b\[[0-9;]*m", "", error).replace("\n\n", " ", 1)


def test_krs601_tf_op_on_keras_tensor_rejected_and_keras_ops_fix_builds_same_model():
    path = fixed("KRS601.py", "KRS601")
    k2, k3, fixed_tf, fixed_jax = _runs(
        ("KRS601.py", "2"), ("KRS601.py", "3"), (path, "3", "tensorflow"), (path, "3", "jax")
    )
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    for name in ("state", "squeeze"):
        assert_quoted("KRS601", k3.error(name), KERAS_TENSOR)
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    assert "tf.concat(" not in source and "tf.squeeze(" not in source and "tf.reduce_sum(" not in source
    # Safe fix: the same weights, output shapes and outputs as Keras 2, on TF and on JAX.
    for backend, tol, after in (("tensorflow", 1e-5, fixed_tf), ("jax", 1e-4, fixed_jax)):
        for name in ("state", "squeeze"):
            assert after.value(name, "weight_shapes") == k2.value(name, "weight_shapes"), (backend, name)
            assert after.value(name, "output_shapes") == k2.value(name, "output_shapes"), (backend, name)
            for got, want in zip(after.value(name, "outputs"), k2.value(name, "outputs")):
                assert close(got, want, tol=tol), (backend, name)


def test_krs602_tf_variable_attribute_not_tracked_or_trained_on_keras3():
    k2, k3 = _runs(("KRS602.py", "2"), ("KRS602.py", "3"))
    for name in ("build", "init"):
        # Keras 2 tracks and trains the tf.Variable; Keras 3 silently does neither.
        assert k2.value(name, "trainable_weights") == 1 and k3.value(name, "trainable_weights") == 0, name
        assert k2.value(name, "model_trainable_weights") == 1 and k3.value(name, "model_trainable_weights") == 0
        assert k2.value(name, "variable_changed") is True and k3.value(name, "variable_changed") is False
        k3_loss = k3.value(name, "loss")
        assert close(k3_loss[0], k2.value(name, "loss")[0]) and close(k3_loss[0], k3_loss[-1], tol=1e-6)
        assert not close(k2.value(name, "loss")[0], k2.value(name, "loss")[-1])
        assert k2.value(name, "warnings") == []
        warning = "\n".join(k3.value(name, "warnings"))
        assert_quoted("KRS602", "UserWarning: " + warning, "UserWarning: The model does not have any trainable weights.")


def test_krs603_python_if_on_tensor_fails_when_keras3_traces_call():
    k2, tf3, jax3 = _runs(("KRS603.py", "2"), ("KRS603.py", "3"), ("KRS603.py", "3", "jax"))
    assert k2.value("functional", "prediction") and k2.value("fit", "loss")
    assert jax3["backend"] == "jax"
    # Eager calls on concrete arrays still work in Keras 3 (this hides the problem) ...
    for k3 in (tf3, jax3):
        assert close(k3.value("eager", "value"), k2.value("eager", "value"))
    # ... building a functional model or fit() does not.
    functional = tf3.error("functional")
    assert functional.startswith("OperatorNotAllowedInGraphError: ")
    for fragment in (
        "Exception encountered when calling MyLayer.call().",
        "Could not automatically infer the output shape / dtype of 'my_layer' (of type MyLayer).",
        "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed.",
    ):
        assert_quoted("KRS603", functional, fragment)
    assert_quoted("KRS603", tf3.error("fit"), "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed.")
    jax_error = _one_line(jax3.error("functional"))
    assert_quoted("KRS603", jax_error, "AttributeError: Exception encountered when calling MyLayer.call(). " + ERROR_REPR)
    assert ERROR_REPR in jax3.error("fit")


def test_krs604_tf_ops_in_call_and_lambda_fail_on_jax_keras_ops_fix_matches_tf():
    path = fixed("KRS604.py", "KRS604", ("jax",))
    k2, tf3, jax3, after = _runs(
        ("KRS604.py", "2"), ("KRS604.py", "3"), ("KRS604.py", "3", "jax"), (path, "3", "jax")
    )
    assert jax3["backend"] == "jax"
    # The TF ops run under Keras 2 and on Keras 3's TensorFlow backend ...
    for name, key in (("layer", "prediction"), ("lambda_predict", "prediction"), ("lambda_fit", "loss")):
        assert close(tf3.value(name, key), k2.value(name, key)), name
    # ... and fail on JAX.
    layer = _one_line(jax3.error("layer"))
    assert_quoted("KRS604", layer, "AttributeError: Exception encountered when calling D.call(). " + ERROR_REPR)
    assert_quoted("KRS604", jax3.error("lambda_predict"), ERROR_REPR)
    assert_quoted(
        "KRS604",
        jax3.error("lambda_fit"),
        "RuntimeError: Unable to automatically build the model. Please build it yourself before calling fit/evaluate/predict.",
    )
    # Safe fix: keras.ops runs on JAX and gives the TensorFlow version's numbers.
    assert after["backend"] == "jax"
    for name, key in (("layer", "prediction"), ("lambda_predict", "prediction"), ("lambda_fit", "loss"), ("lambda_fit", "kernel")):
        assert close(after.value(name, key), k2.value(name, key), tol=1e-4), (name, key)


def test_krs605_tf_train_step_fails_on_jax_and_reports_zero_loss_on_tf():
    k2, tf3, jax3 = _runs(("KRS605.py", "2"), ("KRS605.py", "3"), ("KRS605.py", "3", "jax"))
    assert jax3["backend"] == "jax"
    assert_quoted("KRS605", jax3.error("fit"), "TypeError: M.train_step() takes 2 positional arguments but 3 were given")
    # The TensorFlow backend runs it and trains the same weights as Keras 2 ...
    assert close(tf3.value("fit", "kernel"), k2.value("fit", "kernel"))
    assert all(v > 0.01 for v in k2.value("fit", "loss"))
    # ... but the returned {"loss": ...} is replaced by the never-updated compiled `loss` tracker.
    assert tf3.value("fit", "loss") == [0.0, 0.0]


def test_krs606_compiled_metrics_shim_reports_mean_prediction_as_loss():
    path = fixed("KRS606.py", "KRS606")
    k2, k3, fixed3 = _runs(("KRS606.py", "2"), ("KRS606.py", "3"), (path, "3"))
    fit2, fit3 = k2.value("fit"), k3.value("fit")
    assert close(fit2["mean_y_pred"], fit3["mean_y_pred"]) and not close(fit3["mean_y_pred"], fit3["true_mse"], tol=1e-3)
    # Keras 2 reports the loss; Keras 3 silently reports mean(y_pred). Metrics and weights agree.
    assert close(fit2["loss"][0], fit2["true_mse"])
    assert close(fit3["loss"][0], fit3["mean_y_pred"])
    assert not close(fit3["loss"][1], fit2["loss"][1], tol=1e-3)
    assert close(fit3["mae"], fit2["mae"]) and close(fit3["mae"][0], fit3["true_mae"])
    assert close(fit3["kernel"], fit2["kernel"])
    assert fit2["warnings"] == []
    assert_quoted(
        "KRS606",
        "UserWarning: " + "\n".join(fit3["warnings"]),
        "UserWarning: `model.compiled_loss()` is deprecated. Instead, use `model.compute_loss(x, y, y_pred, sample_weight, training)`.",
    )
    # Unsafe fix (compiled_loss -> compute_loss): same training, no compiled_loss warning, but the
    # reported loss stays mean(y_pred) until the loss tracker is updated by hand (as the docs say).
    after = fixed3.value("fit")
    assert close(after["kernel"], fit2["kernel"]) and close(after["mae"], fit2["mae"])
    assert close(after["loss"], fit3["loss"])
    assert not any("compiled_loss" in w for w in after["warnings"])
    assert any("compiled_metrics" in w for w in after["warnings"])


def test_krs607_numpy_on_keras_output_fails_on_jax_convert_to_numpy_fix_same_values():
    path = fixed("KRS607.py", "KRS607", ("jax",))
    k2, tf3, jax3, after = _runs(
        ("KRS607.py", "2"), ("KRS607.py", "3"), ("KRS607.py", "3", "jax"), (path, "3", "jax")
    )
    assert jax3["backend"] == "jax"
    for name in ("model", "layer"):
        assert close(tf3.value(name, "value"), k2.value(name, "value")), name
        assert_quoted("KRS607", jax3.error(name), NO_NUMPY)
    assert after["backend"] == "jax"
    for name in ("model", "layer"):
        assert close(after.value(name, "value"), tf3.value(name, "value")), name
