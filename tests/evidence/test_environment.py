"""Family 8, environment: KRS801-KRS803."""

from harness import assert_quoted, cached, close, fixed, run


def test_krs801_late_legacy_flag_ignored_fix_gives_keras2():
    k2 = cached("KRS801.py", keras="2").ok()  # the flag already set in the environment
    k3 = cached("KRS801.py").ok()
    assert k2["dense_module"].startswith("tf_keras.")
    assert k3["dense_module"].startswith("keras.src.")  # the in-file flag was ignored
    assert_quoted("KRS801", k3.error("keras2_code"), "ValueError: Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': ")
    after = run(fixed("KRS801.py", "KRS801")).ok()
    assert after["dense_module"].startswith("tf_keras.")
    assert close(after.value("keras2_code", "output"), k2.value("keras2_code", "output"), tol=0)


def test_krs802_legacy_flag_with_import_keras_mixes_versions_fix_is_consistent():
    k3 = cached("KRS802.py").ok()
    assert k3["keras_module"].startswith("keras.src.") and k3["isinstance"] is False
    assert_quoted(
        "KRS802",
        k3.error("mixed"),
        "ValueError: Only instances of `keras.Layer` can be added to a Sequential model. "
        "Received: <tf_keras.src.layers.core.dense.Dense object at 0x",
    )
    after = run(fixed("KRS802.py", "KRS802")).ok()
    assert after["keras_module"].startswith("tf_keras.") and after["isinstance"] is True
    assert after.value("mixed", "output")


def test_krs803_backend_set_after_import_ignored_fix_selects_it():
    k3 = run("KRS803.py", backend=None).ok()
    assert k3["backend"] == "tensorflow"
    assert "tensorflow" in k3["output_type"]
    after = run(fixed("KRS803.py", "KRS803"), backend=None).ok()
    assert after["backend"] == "jax"
    assert "jax" in after["output_type"]
