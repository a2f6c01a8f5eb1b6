"""Helpers the evidence programs share (imported from PYTHONPATH; knows no Keras).

A program records named outcomes; at exit they are printed as one ``EVIDENCE {json}`` line,
which ``tests/evidence/harness.py`` parses.
"""

import atexit
import json
import os
from contextlib import contextmanager

RESULTS = {}


def record(name, value):
    RESULTS[name] = _plain(value)


@contextmanager
def step(name):
    """Runs a block; records {"ok": True, ...values} or {"ok": False, "error": "Type: message"}."""
    out = {}
    try:
        yield out
    except Exception as exc:  # the point: record what Keras raised
        RESULTS[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    else:
        RESULTS[name] = dict(_plain(out), ok=True)


def fill_weights(model, scale=0.3):
    """Deterministic, architecture-only weights, so Keras 2 and Keras 3 runs are comparable."""
    import numpy as np

    values = []
    for index, weight in enumerate(model.get_weights()):
        flat = np.sin(np.arange(weight.size, dtype="float64") * 0.37 + index) * scale
        values.append(flat.reshape(weight.shape).astype(weight.dtype))
    model.set_weights(values)


def keras_impl():
    """Which Keras answers to `tf.keras` in this process: "tf_keras" or "keras"."""
    import tensorflow as tf

    return tf.keras.layers.Dense.__module__.split(".")[0]


def _plain(value):
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if np is not None and isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "numpy") and not isinstance(value, (str, bytes)):
        value = value.numpy()
    if np is not None and (isinstance(value, np.ndarray) or type(value).__name__ in ("ArrayImpl",)):
        return np.asarray(value).tolist()
    return value


def _emit():
    print("EVIDENCE " + json.dumps(RESULTS, default=str), flush=True)


atexit.register(_emit)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
