"""Generated: every K.* -> keras.ops.* mapping of the table, checked on the real packages.

One case per mapping of the `[backend_ops]` section (keras3_lint/data/api_overrides.toml). For
each sample call of the mapping's input kind (scripts/backend_ops_check.py: the required
arguments only, so that Keras 2's defaults are exercised, then positional and keyword spellings),
`from keras import backend as K; result = K.<f>(...)` is fixed by keras3-lint itself (KRS106,
`--unsafe-fixes`), and the fixed program's result on Keras 3.15.1 (TensorFlow backend) must equal
`tf_keras.backend.<f>(...)` in dtype, shape and values (random draws: in dtype, shape and
distribution). A mapping the generator found to differ must get no fix at all.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
try:
    import backend_ops_check as check
finally:
    sys.path.pop(0)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

with open(os.path.join(ROOT, "keras3_lint", "data", "api_overrides.toml"), "rb") as handle:
    MAPPINGS = tomllib.load(handle)["backend_ops"]
with open(os.path.join(ROOT, "keras3_lint", "data", "api_table.json"), encoding="utf-8") as handle:
    TABLE = json.load(handle)["symbols"]


def _fixed(source: str) -> str:
    from keras3_lint.config import Settings
    from keras3_lint.fixer import fix_text
    from keras3_lint.runner import check_text

    enabled = frozenset({"KRS106"})
    return fix_text(source, lambda text: check_text(text, Settings(), enabled, "m.py"), unsafe_fixes=True).text


@pytest.fixture(scope="module")
def k2_backend():
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import tf_keras

    return tf_keras.backend


@pytest.mark.parametrize("name", sorted(MAPPINGS))
def test_backend_mapping_gives_keras2_results(name, k2_backend):
    entry = TABLE[f"backend.{name}"]
    spec = MAPPINGS[name]
    for args in check.SAMPLES[spec["inputs"]]:
        source = f"from keras import backend as K\nresult = K.{name}({args})\n"
        fixed = _fixed(source)
        if entry.get("ops_call") is None:
            assert fixed == source, f"{name}: the generator found a difference, yet a fix was applied:\n{fixed}"
            assert "differs" in entry["note"]
            continue
        assert f"K.{name}" not in fixed, f"no fix for {source}"
        expected = eval(f"K.{name}({args})", dict(check.namespace(), K=k2_backend))  # noqa: S307
        namespace = check.namespace()
        exec(compile(fixed, "fixed.py", "exec"), namespace)  # noqa: S102 - the fixed sample program
        distribution = entry["ops_call"].get("compare") == check.DISTRIBUTION  # random draws
        problem = check._compare(check._value(expected), check._value(namespace["result"]), distribution=distribution)
        assert problem is None, f"{textwrap.indent(fixed, '    ')}\n  vs tf_keras K.{name}({args}): {problem}"


def test_the_old_mappings_that_broke_programs_are_corrected(k2_backend):
    # issue 10: `K.argmax(x)` -> `keras.ops.argmax(x)` (int32, flattened) and
    # `K.expand_dims(x)` -> `keras.ops.expand_dims(x)` (TypeError: no default axis).
    import keras

    x = check.namespace()["x"]
    with pytest.raises(TypeError):
        keras.ops.expand_dims(x)
    assert str(keras.ops.argmax(x).dtype) != str(k2_backend.argmax(x).dtype)
    assert _fixed("from keras import backend as K\ny = K.argmax(x)\n").endswith('keras.ops.cast(keras.ops.argmax(x, axis=-1), "int64")\n')
    assert _fixed("from keras import backend as K\ny = K.expand_dims(x)\n").endswith("keras.ops.expand_dims(x, axis=-1)\n")


# -- tf.* -> keras.ops.* (keras3_lint/rules/_tf_to_ops.py, the KRS601/KRS604 fixes) ----------------

# Keras op -> sample calls of the TF op (source text over the names below).
TF_SAMPLES = {
    "concatenate": ["[x, y], 0", "[x, y], axis=1", "values=[x, y], axis=-1", "[xi, xi], 0"],
    "stack": ["[x, y]", "[x, y], axis=1", "values=[x, y], axis=-1"],
    "squeeze": ["x1", "x1, axis=-1", "x1, [0, 2]"],
    "expand_dims": ["x, 0", "x, axis=-1", "input=x, axis=1"],
    "sum": ["x", "x, 1", "x, axis=0, keepdims=True", "xi", "xi, 0"],
    "max": ["x", "x, 1", "x, axis=0, keepdims=True", "xi"],
    "min": ["x", "x, 1", "x, axis=0, keepdims=True", "xi"],
    "prod": ["x", "x, 1", "x, axis=0, keepdims=True", "xi"],
    "any": ["b", "b, 0", "b, axis=1, keepdims=True"],
    "all": ["b", "b, 0", "b, axis=1, keepdims=True"],
    "logsumexp": ["x", "x, 1", "x, axis=0, keepdims=True"],
    "reshape": ["x, (3, 2)", "x, shape=(-1,)", "tensor=x3, shape=(6, 4)"],
    "transpose": ["x3", "x3, perm=(0, 2, 1)", "x3, (2, 0, 1)"],
    "matmul": ["x, yt", "a=x, b=yt", "xi, xit", "x3, x3t"],
    "tile": ["x, (2, 1)", "x, multiples=[1, 2]"],
    "cast": ["x, 'int32'", "x, tf.int32", "x, dtype='float16'", "x, tf.bool"],
    "relu": ["x"], "softplus": ["x"], "elu": ["x"], "sigmoid": ["x"], "tanh": ["x"], "exp": ["x"],
    "abs": ["x", "xi"], "square": ["x", "xi"], "log": ["p"], "sqrt": ["p"],
    "softmax": ["x", "x, axis=0", "logits=x, axis=-1"],
    "add": ["x, y", "xi, xi", "x, y[0]"], "subtract": ["x, y", "xi, xi"], "multiply": ["x, y", "xi, xi"],
    "maximum": ["x, y", "xi, xi"], "minimum": ["x, y", "xi, xi"], "power": ["p, y", "xi, 2"],
    "ones_like": ["x", "x, dtype='int32'"], "zeros_like": ["x", "x, dtype='int32'"],
    "clip": ["x, -0.5, 0.5", "t=x, clip_value_min=-1.0, clip_value_max=1.0"],
    "one_hot": ["ii, 5", "indices=ii, depth=3"],
    "einsum": ["'ij,jk->ik', x, yt", "'bij->bji', x3"],
}


def _tf_namespace():
    import numpy as np
    import tensorflow as tf

    names = check.namespace()
    names.update(
        tf=tf,
        x1=tf.constant(np.array([[[1.0], [2.0], [-3.0]]], dtype="float32")),
        xit=tf.transpose(names["xi"]),
        b=tf.constant([[True, False, True], [True, True, False]]),
        ii=tf.constant([0, 2, 4, 7], dtype="int32"),
    )
    return names


def _tf_table():
    from keras3_lint.rules._tf_to_ops import TF_TO_KERAS_OPS

    return TF_TO_KERAS_OPS


@pytest.mark.parametrize("tf_name", sorted(_tf_table()))
def test_tf_op_mapping_gives_tf_results(tf_name):
    import keras
    import libcst as cst

    from keras3_lint.rules._tf_to_ops import rewrite_call

    mapping = _tf_table()[tf_name]
    samples = TF_SAMPLES[mapping.keras_op]
    for args in samples:
        source = f"tf.{tf_name[len('tensorflow.'):]}({args})"
        new = rewrite_call(cst.parse_expression(source), mapping, f"keras.ops.{mapping.keras_op}")
        assert new is not None, f"no rewrite for {source}"
        rewritten = cst.Module([]).code_for_node(new)
        expected = eval(source, _tf_namespace())  # noqa: S307 - our own sample text
        got = eval(rewritten, dict(_tf_namespace(), keras=keras))  # noqa: S307
        problem = check._compare(expected, got)
        assert problem is None, f"{source} vs {rewritten}: {problem}"


def test_shape_rewrite_works_inside_a_traced_layer_with_an_unknown_batch():
    # The VAE sampling function: K.shape(z)[0] of a batch that is unknown while the layer traces.
    import numpy as np
    import keras

    fixed = _fixed("from keras import backend as K\ndef scale(z):\n    return z * K.cast(K.shape(z)[0], 'float32')\n")
    assert "keras.ops.convert_to_tensor(keras.ops.shape(z))[0]" in fixed, fixed
    namespace = {}
    exec(compile(fixed, "fixed.py", "exec"), namespace)  # noqa: S102 - the fixed sample program
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Lambda(namespace["scale"], output_shape=(3,))(inputs))
    model.compile(loss="mse", optimizer="sgd")
    model.fit(np.ones((8, 3), "float32"), np.ones((8, 3), "float32"), batch_size=4, epochs=1, verbose=0)
    assert np.allclose(model.predict(np.ones((5, 3), "float32"), batch_size=5, verbose=0), 5.0)
    # A symbolic Keras tensor gets no rewrite: its batch dimension is None.
    assert "K.shape(activation)" in _fixed("from keras import backend as K\nactivation = model.output\ns = K.shape(activation)\n")
