"""KRS504's look-alikes: on JAX, only array data makes `fit` draw from NumPy's global RNG."""

from harness import findings, run


def test_krs504_only_array_fits_consume_numpys_rng_on_jax():
    jax3 = run("data_fit_rng_krs504.py", backend="jax").ok()
    assert jax3["backend"] == "jax"
    assert jax3["arrays"] != jax3["fresh"]  # np.random.permutation: the hazard
    for data in ("dataset", "generator", "pydataset"):
        assert jax3[data] == jax3["fresh"], data  # shuffle= ignored, or Python's random
    # So KRS504 reports none of the later fits: the first counted fit is the arrays one.
    assert findings("data_fit_rng_krs504.py", "KRS504", backends=("jax",)) == []
