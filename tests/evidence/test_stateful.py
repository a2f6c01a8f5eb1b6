"""Family 2, stateful RNNs: KRS201-KRS204 on tf_keras 2.21 and keras 3.15.1."""

from harness import assert_quoted, cached, close, fixed, run

PROGRAMS = ("char", "small", "rnn")


def test_krs201_batch_input_shape_rejected_and_fixed_same_shapes():
    k2 = cached("KRS201.py", keras="2").ok()
    k3 = cached("KRS201.py").ok()
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    assert_quoted("KRS201", k3.error("char"), "ValueError: Unrecognized keyword arguments passed to Embedding: {'batch_input_shape': [1, None]}")
    assert_quoted("KRS201", k3.error("small"), "ValueError: Unrecognized keyword arguments passed to Dense: {'batch_size': 8}")
    k3.error("rnn")
    after = run(fixed("KRS201.py", "KRS201")).ok()  # safe fix: same batch shapes, same outputs
    for name in PROGRAMS:
        assert after.value(name, "batch_shape") == k2.value(name, "batch_shape"), name
        assert close(after.value(name, "output"), k2.value(name, "output")), name


def test_krs202_model_reset_states_removed_and_loop_resets_like_keras2():
    k2 = cached("KRS202.py", keras="2").ok()
    k3 = cached("KRS202.py").ok()
    assert not close(k2["first"], k2["second"])  # the state is carried
    assert close(k2.value("reset", "after_reset"), k2["first"])
    assert_quoted("KRS202", k3.error("reset"), "AttributeError: 'Sequential' object has no attribute 'reset_states'")
    after = run(fixed("KRS202.py", "KRS202")).ok()
    assert close(after.value("reset", "after_reset"), k2.value("reset", "after_reset"))
    assert close(after["second"], k2["second"])


def test_krs203_stateful_state_not_carried_on_jax():
    k2 = cached("KRS203.py", keras="2").ok()
    tf3 = cached("KRS203.py").ok()
    jax3 = cached("KRS203.py", backend="jax").ok()
    assert jax3["backend"] == "jax"
    # Keras 2 and Keras 3 on TensorFlow carry the state from one predict() to the next ...
    assert not close(k2["predict_1"], k2["predict_2"])
    assert close(tf3["predict_1"], k2["predict_1"]) and close(tf3["predict_2"], k2["predict_2"])
    assert any(abs(v) > 1e-4 for v in tf3["state_after_predict"][0])
    # ... Keras 3 on JAX does not: identical predictions, the state stays zero through fit().
    assert close(jax3["predict_1"], k2["predict_1"], tol=1e-4)
    assert close(jax3["predict_1"], jax3["predict_2"], tol=0)
    assert all(v == 0 for v in jax3["state_after_predict"][0])
    assert all(v == 0 for v in jax3.value("fit", "state_after_fit")[0])
    assert any(abs(v) > 1e-4 for v in k2.value("fit", "state_after_fit")[0])


def test_krs204_dynamic_batch_fails_fit_and_drop_remainder_trains_like_keras2():
    k2 = cached("KRS204.py", keras="2").ok()
    k3 = cached("KRS204.py").ok()
    assert_quoted(
        "KRS204",
        k3.error("fit"),
        "enters the loop with shape (1, 16), but has shape (None, 16) after one iteration. "
        "To allow the shape to vary across iterations, use the `shape_invariants` argument of tf.while_loop",
    )
    after = run(fixed("KRS204.py", "KRS204")).ok()
    # batch(1) drops nothing, so the unsafe fix trains exactly like Keras 2 here.
    assert close(after.value("fit", "loss"), k2.value("fit", "loss"), tol=1e-5)
