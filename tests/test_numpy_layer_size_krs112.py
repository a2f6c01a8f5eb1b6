"""KRS112: NumPy scalars as Keras layer sizes; the message quotes the Keras 3 error, the safe fix
wraps the argument in `int(...)` (not where `int` is rebound), and names bound by an earlier
notebook cell count."""

from __future__ import annotations

from keras3_lint.config import Settings
from keras3_lint.notebook import fix_notebook_text, read_notebook
from keras3_lint.runner import check_text

from test_notebooks import lint, notebook

CODE = frozenset({"KRS112"})
HEAD = "import numpy as np\nfrom keras.datasets import reuters\nfrom keras.layers import Dense, Embedding, MultiHeadAttention\n"


def found(source: str):
    return check_text(HEAD + source, Settings(), CODE, "x.py")


def test_message_quotes_the_error_and_names_the_fix():
    (only,) = found("(x, y), _ = reuters.load_data()\nnum_classes = np.max(y) + 1\nlayer = Dense(num_classes)\n")
    assert only.row == 6
    assert "`units` of `Dense` is a NumPy scalar" in only.message
    assert "ValueError: Received an invalid value for `units`, expected a positive integer" in only.message
    assert "pass `int(num_classes)`" in only.message
    assert only.fix is not None


def test_error_names_the_argument_that_fails():
    messages = [f.message for f in found("a = MultiHeadAttention(2, key_dim=np.int64(4))\nb = Embedding(9, np.int64(3))\n")]
    assert len(messages) == 2
    assert "argument `key_dim`, expected a positive integer" in messages[0]
    assert "`output_dim` must be a positive integer" in messages[1]


def test_no_fix_where_int_is_rebound():
    (only,) = found("int = float\nlayer = Dense(np.int64(3))\n")
    assert only.fix is None


def test_array_receivers_must_be_provable():
    source = (
        "(x, y), _ = reuters.load_data()\n"
        "a = Dense(y.max())\n"  # an array from load_data
        "b = Dense(np.asarray([1, 2]).max())\n"
        "y = [1, 2]\n"  # rebound to a list: `.max()` is not known any more
        "c = Dense(y.max())\n"
        "for x in range(3):\n"
        "    d = Dense(x.max())\n"
    )
    assert [f.row for f in found(source)] == [5, 6]


def test_name_bound_in_an_earlier_notebook_cell():
    text = notebook([HEAD, "(x, y), _ = reuters.load_data()\n", "n = np.max(y) + 1\n"], ["model = Dense(n)\n"])
    assert [f.code for f in lint(text, select=("KRS112",))] == ["KRS112"]
    outcome = fix_notebook_text(text, Settings(), CODE, unsafe_fixes=False, path="nb.ipynb")
    cells = [c.text for c in read_notebook(outcome.text).cells]
    assert cells[-1] == "model = Dense(int(n))\n"


def test_parameter_judged_by_the_calls_of_its_function():
    source = (
        "def create_network(n_dense=6, num_classes=1, *, width=16):\n"
        "    return Dense(width), Dense(num_classes)\n"
        "(x, y), _ = reuters.load_data()\n"
        "num_classes = np.max(y) + 1\n"
        "a = create_network(num_classes=10)\n"  # a Python int: nothing yet
        "b = create_network(3, num_classes)\n"  # positional NumPy scalar
        "c = create_network(num_classes=num_classes)\n"  # reported once
    )
    (only,) = found(source)
    assert (only.row, only.column) == (5, 32)  # `Dense(num_classes)`, not `Dense(width)`
    assert "when `create_network(..., num_classes)` passes it" in only.message
    assert only.fix is not None


def test_parameter_rebound_in_the_body_is_not_judged_by_the_calls():
    source = (
        "def build(n):\n"
        "    for n in range(1, 3):\n"
        "        layer = Dense(n)\n"
        "    return layer\n"
        "build(np.int64(4))\n"
    )
    assert found(source) == []
