"""Family 5, randomness: KRS501-KRS505."""

import pytest

from harness import assert_quoted, cached, close, fixed, run


@pytest.mark.parametrize("code", ["KRS501", "KRS502"])
def test_unseeded_initializer_depends_on_construction_order_on_keras3(code):
    program = f"{code}.py"
    k2 = cached(program, keras="2").ok()
    k3 = cached(program).ok()
    jax3 = cached(program, backend="jax").ok()
    # Keras 2 draws the seed at build time: constructing a Dropout first changes nothing.
    assert close(k2["plain"], k2["after_dropout"], tol=0)
    # Keras 3 draws it at construction: the same layer gets other weights, on both backends.
    assert close(k3["plain"], k2["plain"], tol=0)
    assert not close(k3["plain"], k3["after_dropout"])
    assert not close(jax3["plain"], jax3["after_dropout"])
    path = fixed(program, code)
    for backend in ("tensorflow", "jax"):
        after = cached(path, backend=backend).ok()
        assert close(after["plain"], after["after_dropout"], tol=0), backend
    # Seeded initializers are bit-identical between tf_keras and Keras 3 on TensorFlow (RNG-3).
    assert close(cached(path).ok()["plain"], cached(path, keras="2").ok()["plain"], tol=0)


def test_krs503_tf_seed_alone_not_reproducible_fix_seeds_everything():
    k2 = [run("KRS503.py", keras="2").ok() for _ in range(2)]
    k3 = [run("KRS503.py").ok() for _ in range(2)]
    # TF and NumPy draws repeat, the layer weights do not (in tf_keras 2.21 either).
    for pair in (k2, k3):
        assert close(pair[0]["tf_draw"], pair[1]["tf_draw"], tol=0)
        assert not close(pair[0]["kernel"], pair[1]["kernel"])
    path = fixed("KRS503.py", "KRS503")
    after = [run(path).ok() for _ in range(2)]
    assert close(after[0]["kernel"], after[1]["kernel"], tol=0)
    # keras.utils.set_random_seed also seeds TF and NumPy exactly as the replaced calls did.
    for key in ("tf_draw", "np_draw"):
        assert close(after[0][key], k3[0][key], tol=0), key
        assert close(after[0][key], k2[0][key], tol=0), key
    # And the fixed program gives tf_keras 2.21's weights (RNG-3).
    assert close(run(path, keras="2").ok()["kernel"], after[0]["kernel"], tol=0)


def test_krs504_second_fit_shuffles_differently_on_jax_reseed_fixes_it():
    k2 = cached("KRS504.py", keras="2").ok()
    tf3 = cached("KRS504.py").ok()
    jax3 = cached("KRS504.py", backend="jax").ok()
    assert close(k2["first"], k2["second"], tol=0)
    assert close(tf3["first"], tf3["second"], tol=0)
    assert not close(jax3["first"], jax3["second"])
    after = run(fixed("KRS504.py", "KRS504", ("jax",)), backend="jax").ok()
    assert close(after["first"], after["second"], tol=0)
    assert close(after["first"], jax3["first"], tol=0)  # the first fit is untouched


def test_krs505_unseeded_random_in_call_fails_on_jax():
    k2 = cached("KRS505.py", keras="2").ok()
    tf3 = cached("KRS505.py").ok()
    jax3 = cached("KRS505.py", backend="jax").ok()
    assert k2.value("tf_random", "loss") and tf3.value("tf_random", "loss") and tf3.value("keras_random", "loss")
    assert_quoted("KRS505", jax3.error("tf_random"), "'str' object has no attribute '_error_repr'")
    assert_quoted(
        "KRS505", jax3.error("keras_random"), "[JAX RNG] When tracing a JAX function, you should only use seeded random ops"
    )
    assert jax3.value("seeded", "loss")  # the guidance: a SeedGenerator attribute
