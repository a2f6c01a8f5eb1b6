"""Fixes that add names run: a notebook whose import comes in a later cell, fixed by KRS201, runs
its cells in order on Keras 3 (the fix used to insert `Input(...)` before `Input` was imported:
NameError)."""

from __future__ import annotations

import os
import tempfile

from harness import run

from keras3_lint.config import Settings
from keras3_lint.notebook import fix_notebook_text, read_notebook

import json

CELLS = [
    "import numpy as np\nfrom tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import LSTM, Dense\n",
    "model = Sequential([LSTM(4, batch_input_shape=(1, 10, 3), stateful=True), Dense(1)])\n"
    "out = model.predict(np.ones((1, 10, 3), 'float32'), verbose=0)\n",
    "from tensorflow.keras.layers import Input\nfrom _evidence import record\nrecord('shape', list(out.shape))\n"
    "record('batch_shape', list(model.inputs[0].shape))\n",
]


def _notebook(cells) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c} for c in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    })


def _run_cells(cells, keras="3"):
    """Runs the code cells in order in one namespace, as a kernel does."""
    folder = tempfile.mkdtemp(prefix="k3l-evidence-nb-")
    path = os.path.join(folder, "cells.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(cells))
    return run(path, keras=keras)


def test_krs201_fix_in_a_notebook_imports_input_before_the_cell_that_uses_it():
    k2 = _run_cells(CELLS, keras="2").ok()
    before = _run_cells(CELLS)
    assert before.returncode != 0 and "Unrecognized keyword arguments passed to LSTM" in before.stderr
    outcome = fix_notebook_text(_notebook(CELLS), Settings(), frozenset({"KRS201"}), path="nb.ipynb")
    fixed = [cell.text for cell in read_notebook(outcome.text).cells]
    assert fixed[1].startswith("from tensorflow.keras import Input\n")  # safe fix, in the edited cell
    after = _run_cells(fixed).ok()
    assert after["shape"] == k2["shape"] == [1, 1]
    assert after["batch_shape"] == k2["batch_shape"] == [1, 10, 3]
