"""The K.* -> keras.ops.* mappings: derive each call rewrite from the real signatures and keep it
only when it computes what Keras 2 computed.

Used by scripts/generate_api_table.py (``check_backend_ops``) and by the generated evidence test
tests/evidence/test_ops_mappings.py, which share ``SAMPLES`` and ``namespace()``. A mapping comes
from the ``[backend_ops]`` section of keras3_lint/data/api_overrides.toml:

    argmax = { op = "ops.argmax", inputs = "argreduce" }

and becomes an ``ops_call`` recipe (see keras3_lint/rules/_backend_ops.py): parameters paired by
name, or by position for the required ones (``K.maximum(x, y)`` -> ``ops.maximum(x1, x2)``);
defaults that differ passed explicitly; a ``cast`` where the result dtype differs. Every sample
call of the mapping's input kind (required arguments only, positional, keywords) is then run as
``tf_keras.backend.<f>(...)`` and as the rewritten Keras 3 call (TensorFlow backend): same dtype,
same shape, same values (exact for integers and booleans, 1e-6 otherwise), or no fix.
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, List, Optional, Tuple

# Input kind -> argument lists (source text over the names of `namespace()`).
SAMPLES: Dict[str, List[str]] = {
    "unary": ["x", "x=x", "x3"],
    "unary_pos": ["p", "x=p"],
    "rounding": ["r", "x=r"],
    "like": ["x", "x, dtype='int32'", "x=x, dtype='float16'"],
    "reduce": ["x", "x, 1", "x, axis=0", "x, axis=1, keepdims=True", "x, -1, True", "x3, axis=(0, 2)"],
    "argreduce": ["x", "x, 0", "x, axis=0", "x3", "x=x, axis=1"],
    "binary": ["x, y", "x=x, y=y", "x, 0.5"],
    "concat": ["[x, y]", "[x, y], 0", "[x, y], axis=-1", "tensors=[x3, x3]"],
    "reduce_int": ["x", "x, 1", "x, axis=0", "x, axis=1, keepdims=True", "xi", "xi, 0", "x3, axis=(0, 2)"],
    "matmul": ["x, yt", "x=x, y=yt", "x3, w", "x3, x3t"],
    "expand": ["x", "x, 0", "x, axis=1", "x3"],
    "transpose": ["x", "x3", "x=x3"],
    "normalize": ["x", "tiny", "x, axis=1", "tiny, axis=-1", "x, 0", "zero, axis=1", "x3, axis=-1"],
    "shape": ["x", "x3", "x=x"],
    "clip": ["x, -0.5, 0.5", "x, min_value=0.0, max_value=1.0"],
    "axis_op": ["x", "x, 0", "x, axis=1", "x3"],
    "stack": ["[x, y]", "[x, y], 1", "[x, y], axis=-1"],
    "tile": ["x, (2, 1)", "x, n=[1, 2]"],
    "reshape": ["x, (3, 2)", "x, shape=(-1,)"],
    "variable": ["v", "[1, 2]", "3", "v, dtype='float64'", "value=x, name='w'"],
    "cast": ["x, 'int32'", "x, dtype='float16'", "b, 'float32'", "xi, x.dtype", "x=xi, dtype='float32'", "b, xi.dtype"],
    "power": ["p, 2", "x, 3", "p, 0.5", "x=p, a=3", "xi, 2"],
    "permute": ["x, (1, 0)", "x3, (0, 2, 1)", "x=x3, pattern=[2, 0, 1]"],
    # Random draws: compared in distribution (see `_compare`), on samples large enough for that.
    "random_normal": ["(1000, 400)", "(1000, 400), 2.0, 0.5", "shape=(1000, 400), mean=-1.0, stddev=3.0",
                      "(1000, 400), dtype='float16'", "(1000, 400), seed=7"],
    "random_uniform": ["(1000, 400)", "(1000, 400), -2.0, 3.0", "shape=(1000, 400), minval=5.0, maxval=6.0",
                       "(1000, 400), dtype='float16'", "(1000, 400), seed=7"],
}
# Mappings whose results are random: equal dtype and shape, and the same distribution (mean,
# standard deviation, 1st and 99th percentiles within 5 % of the standard deviation).
DISTRIBUTION = "distribution"
_SAME_DISTRIBUTION = "same dtypes and shapes, and the same distribution (mean, standard deviation, 1st and 99th percentiles within 5 % of the standard deviation)"


def namespace() -> Dict[str, Any]:
    """Sample inputs: float32 tensors of Keras 2's kind (tf.Tensor), for both calls."""
    import numpy as np
    import tensorflow as tf

    x = np.array([[1.0, -2.0, 0.5], [3.0, 4.5, -0.25]], dtype="float32")
    y = np.array([[0.5, 2.0, -1.0], [1.0, -4.5, 2.0]], dtype="float32")
    x3 = np.arange(24, dtype="float32").reshape(2, 3, 4) / 7.0 - 1.0
    return {
        "x": tf.constant(x),
        "y": tf.constant(y),
        "yt": tf.constant(y.T),
        "x3": tf.constant(x3),
        "x3t": tf.constant(x3.transpose(0, 2, 1)),
        "w": tf.constant(np.arange(8, dtype="float32").reshape(4, 2)),
        "xi": tf.constant([[3, -1, 7], [2, 5, 0]], dtype="int32"),
        "p": tf.constant(x * x + 0.5),
        "r": tf.constant([[0.5, 1.5, 2.5], [-0.5, -1.5, 3.7]], dtype="float32"),
        "tiny": tf.constant(x * 1e-8),
        "zero": tf.zeros((2, 3)),
        "b": tf.constant([[True, False, True], [False, False, True]]),
        "v": np.arange(3.0),  # float64 NumPy: K.variable makes it floatx
    }


def pair_parameters(k_function: Any, target: Any) -> Tuple[List[str], List[List[Any]], Dict[str, str]]:
    """(Keras 2 parameter names, [k2, keras3, positional] pairs, keras3 name -> Keras 2 default
    where it differs from Keras 3's)."""
    k_sig = inspect.signature(k_function).parameters
    o_sig = inspect.signature(target).parameters
    k_names = list(k_sig)
    o_names = list(o_sig)
    pairs: List[List[Any]] = []
    defaults: Dict[str, str] = {}
    for index, name in enumerate(k_names):
        k_param = k_sig[name]
        if name in o_sig:
            o_name = name
        elif k_param.default is inspect.Parameter.empty and index < len(o_names) and o_names[index] not in k_sig:
            o_name = o_names[index]  # a required parameter renamed: x, y -> x1, x2
        else:
            continue  # no Keras 3 counterpart (`name=`): calls passing it are not rewritten
        positional = k_param.default is inspect.Parameter.empty and o_names.index(o_name) == index
        pairs.append([name, o_name, positional])
        o_default = o_sig[o_name].default
        if k_param.default is not inspect.Parameter.empty and (o_default is inspect.Parameter.empty or o_default != k_param.default):
            defaults[o_name] = repr(k_param.default)
    return k_names, pairs, defaults


def _compare(expected: Any, got: Any, distribution: bool = False) -> Optional[str]:
    """None when equal in dtype, shape and values (or, for random draws, in distribution); else
    what differs."""
    import numpy as np

    if isinstance(expected, tuple) or isinstance(got, tuple):
        return None if expected == got and type(expected) is type(got) else f"{expected!r} != {got!r}"
    e_dtype = str(getattr(getattr(expected, "dtype", None), "name", getattr(expected, "dtype", None)))
    g_dtype = str(getattr(getattr(got, "dtype", None), "name", getattr(got, "dtype", None)))
    e, g = np.asarray(expected), np.asarray(got)
    if e_dtype != g_dtype:
        return f"dtype {e_dtype} != {g_dtype}"
    if e.shape != g.shape:
        return f"shape {e.shape} != {g.shape}"
    if distribution:
        e, g = e.astype("float64"), g.astype("float64")
        spread = max(float(e.std()), 1e-12)
        checks = {"mean": abs(e.mean() - g.mean()), "std": abs(e.std() - g.std()),
                  "1st percentile": abs(np.percentile(e, 1) - np.percentile(g, 1)),
                  "99th percentile": abs(np.percentile(e, 99) - np.percentile(g, 99))}
        checks = {name: gap <= 0.05 * spread for name, gap in checks.items()}
        wrong = [name for name, ok in checks.items() if not ok]
        return None if not wrong else f"distribution differs ({', '.join(wrong)})"
    if e.dtype.kind in "biu":
        same = bool(np.array_equal(e, g))
    else:
        same = bool(np.allclose(e, g, atol=1e-6, rtol=1e-6, equal_nan=True))
    return None if same else "values differ"


def _value(result: Any) -> Any:
    """Variables compare by their value."""
    if hasattr(result, "numpy") and hasattr(result, "assign"):
        return result.value() if hasattr(result, "value") and callable(result.value) else result
    if type(result).__name__ == "Variable":
        return result.value
    return result


def run_case(k2_backend: Any, name: str, args: str, ops_call: Dict[str, Any]) -> Optional[str]:
    """None when ``K.name(args)`` (tf_keras) and its rewrite (keras 3) agree; else why not."""
    import keras

    from keras3_lint.rules._backend_ops import rewrite_source

    rewritten = rewrite_source(f"K.{name}({args})", ops_call)
    if rewritten is None:
        return f"K.{name}({args}): no rewrite"
    env = namespace()
    expected = eval(f"K.{name}({args})", dict(env, K=k2_backend))  # noqa: S307 - our own sample text
    got = eval(rewritten, dict(env, keras=keras))  # noqa: S307
    if isinstance(expected, tuple):
        got = got if isinstance(got, tuple) else None
    problem = _compare(_value(expected), _value(got), distribution=ops_call.get("compare") == DISTRIBUTION)
    return None if problem is None else f"K.{name}({args}) vs {rewritten}: {problem}"


def ops_call_for(name: str, spec: Dict[str, Any], k2_backend: Any, keras: Any) -> Dict[str, Any]:
    """The rewrite recipe for one mapping, before checking."""
    k_function = getattr(k2_backend, name)
    recipe: Dict[str, Any] = {"k_params": list(inspect.signature(k_function).parameters)}
    if "template" in spec:
        recipe.update(template=spec["template"], params=[[p, p, True] for p in recipe["k_params"]])
        if spec.get("tensors_only"):
            recipe["tensors_only"] = True
        return recipe
    target: Any = keras
    for part in spec["op"].split("."):
        target = getattr(target, part)
    k_names, pairs, defaults = pair_parameters(k_function, target)
    defaults.update(spec.get("defaults", {}))
    recipe.update(op=spec["op"], params=pairs, defaults=defaults, extra=dict(spec.get("extra", {})))
    if spec.get("compare"):
        recipe["compare"] = spec["compare"]
    # Result dtype: Keras 2's for the required-arguments call, where Keras 3's differs.
    probe = run_case(k2_backend, name, SAMPLES[spec["inputs"]][0], recipe)
    if probe is not None and "dtype" in probe and "cast" not in spec:
        expected = probe.split("dtype ", 1)[1].split(" != ")[0]
        recipe["cast"] = expected
    elif spec.get("cast"):
        recipe["cast"] = spec["cast"]
    # Same name, same parameters, same defaults and dtype: `from keras.backend import mean` may
    # become `from keras.ops import mean` (the rest of the file calls it the same way).
    recipe["drop_in"] = (
        spec["op"].rpartition(".")[2] == name
        and [k for k, o, _ in pairs if k == o] == k_names
        and not recipe["defaults"] and not recipe["extra"] and not recipe.get("cast")
    )
    return recipe


def _differences(recipe: Dict[str, Any]) -> str:
    """What the rewrite adds, for the message: "with axis=-1, cast to int64"."""
    parts = [f"{k}={v}" for k, v in recipe.get("defaults", {}).items()]
    parts += [f"{k}={v}" for k, v in recipe.get("extra", {}).items()]
    text = "with " + ", ".join(parts) if parts else ""
    if recipe.get("cast"):
        text += (", " if text else "") + f"cast to {recipe['cast']}"
    return text.replace("{keras}", "keras")


def check_backend_ops(overrides: Dict[str, Any], k2_backend: Any, keras: Any, k2: Dict[str, Any], k3: Dict[str, Any]) -> Dict[str, Any]:
    """``backend.<name>`` -> table fields (replacement, automatic, ops_call, checked)."""
    result: Dict[str, Any] = {}
    for name, spec in sorted(overrides.get("backend_ops", {}).items()):
        if f"backend.{name}" not in k2:
            continue
        target = spec.get("op", "")
        if target and target not in k3:
            continue
        recipe = ops_call_for(name, spec, k2_backend, keras)
        problems = [p for p in (run_case(k2_backend, name, args, recipe) for args in SAMPLES[spec["inputs"]]) if p]
        identical = not problems
        shown = f"keras.{target}" if target else spec["template"].replace("{x}", "x").replace("{keras}", "keras")
        result[name] = {
            "replacement": target if identical else "",
            "automatic": identical,
            "identical": identical,
            "works_on_keras2": bool(target) and target in k2,
            "ops_call": recipe if identical else None,
            "checked": (
                f"{spec['inputs']}: tf_keras.backend.{name} vs its rewrite to {shown} on "
                f"{len(SAMPLES[spec['inputs']])} sample calls: " + ((_SAME_DISTRIBUTION if spec.get("compare") == DISTRIBUTION else "same values, dtypes and shapes") if identical else "; ".join(problems))
            ),
            "note": _differences(recipe) if target else f"use `{shown}`",
        }
        if not identical:
            result[name]["note"] = f"`{shown}` differs for some inputs ({problems[0]}): rewrite by hand"
    return result
