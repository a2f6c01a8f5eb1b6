"""KRS112 on keras 3.15.1 / tf_keras 2.21.0: NumPy integers (and floats Keras 2 truncated) as layer
sizes fail on Keras 3; the `int(...)` fix builds the layers Keras 2 built, on both."""

import pytest
from harness import KERAS2, assert_quoted, cached, close, findings, fixed, run

HAZARDS = {
    "dense_np_max": "ValueError: Received an invalid value for `units`, expected a positive integer",
    "dense_method": "ValueError: Received an invalid value for `units`, expected a positive integer",
    "dense_prod": "ValueError: Received an invalid value for `units`, expected a positive integer",
    "dense_int32": "ValueError: Received an invalid value for `units`, expected a positive integer",
    "dense_float": "ValueError: Received an invalid value for `units`, expected a positive integer",
    "lstm": "output_size must be an integer.",
    "gru": "ValueError: state_size must be an integer",
    "simple_rnn": "ValueError: state_size must be an integer",
    "embedding": "ValueError: `input_dim` must be a positive integer",
    "multi_head_attention": "ValueError: Received an invalid value for argument `num_heads`, expected a positive integer",
    "group_normalization": "ValueError: Received an invalid value for argument `groups`, expected a positive integer",
    "upsampling1d": "TypeError: Expected an integer value for `size`",
    "conv_float": "Found invalid dimension '4.0'",
}
SHAPES = {
    "dense_np_max": [None, 46],
    "dense_method": [None, 46],
    "dense_prod": [None, 4],
    "dense_int32": [None, 3],
    "dense_float": [None, 4],
    "lstm": [None, 4],
    "gru": [None, 4],
    "simple_rnn": [None, 4],
    "embedding": [None, 3, 4],
    "multi_head_attention": [None, 3, 4],
    "group_normalization": [None, 3, 4],
    "upsampling1d": [None, 4, 3],
    "conv_float": [None, 4, 4, 4],
}


@pytest.fixture(scope="module")
def sizes():
    return {
        "k2": cached("KRS112.py", keras="2").ok(),
        "k3": cached("KRS112.py").ok(),
        "fixed": run(fixed("KRS112.py", "KRS112")).ok(),
        "fixed_k2": run(fixed("KRS112.py", "KRS112"), keras="2").ok(),
    }


def test_numpy_sizes_built_by_keras2_fail_on_keras3(sizes):
    k2, k3 = sizes["k2"], sizes["k3"]
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras", KERAS2
    for name, fragment in HAZARDS.items():
        assert k2.value(name, "output_shape") == SHAPES[name], name
        if name == "conv_float":
            assert fragment in k3.error(name)
        else:
            assert_quoted("KRS112", k3.error(name), fragment)
    assert "units=46" in k3.error("dense_np_max")
    # The control: a NumPy int `filters` works on both, and KRS112 leaves it alone.
    assert k3.value("conv_numpy", "output_shape") == k2.value("conv_numpy", "output_shape") == [None, 4, 4, 4]
    rows = sorted({f["location"]["row"] for f in findings("KRS112.py", "KRS112")})
    assert len(rows) == len(HAZARDS)  # one line per hazard step (embedding: two findings on one line)
    assert len(findings("KRS112.py", "KRS112")) == len(HAZARDS) + 2  # + output_dim, + key_dim


def test_int_fix_builds_the_keras2_layers_on_both(sizes):
    k2, after, after_k2 = sizes["k2"], sizes["fixed"], sizes["fixed_k2"]
    for name in HAZARDS:
        assert after.value(name, "output_shape") == SHAPES[name], name
        assert close(after.value(name, "output"), k2.value(name, "output")), name
        assert close(after_k2.value(name, "output"), k2.value(name, "output")), name
