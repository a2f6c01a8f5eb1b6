"""The engine's own tree walk must reach every statement and expression LibCST's visitor reaches,
in the same (source) order, and must not choke on deep nesting."""

from __future__ import annotations

import glob
import os

import libcst as cst

from keras3_lint.engine import _Dispatcher, _TOKEN_FIELDS
from keras3_lint.resolver import Resolver

SAMPLE = '''
import tensorflow as tf

@decorator(tf.keras.layers.Dense)
def f(a: int = tf.keras.backend.floatx(), *args, b=lambda x: x + 1, **kw) -> tf.Tensor:
    """Doc."""
    x = [i for i in range(3) if i] + {k: v for k, v in kw.items()}
    y = a if tf.keras.layers.LSTM else b
    with tf.device("/cpu:0") as d, open("f") as g:
        try:
            return tf.keras.Sequential([tf.keras.layers.Dense(1)])
        except (ValueError, TypeError) as e:
            raise RuntimeError(f"{e!r:>10}") from e
        finally:
            del x
    async def inner():
        await tf.keras.ops.add(1, 2)
    global G
    assert a, "msg"
    while True:
        break
    match a:
        case {"k": [1, *rest]}:
            pass

@tf.function
class C(tf.keras.Model, metaclass=type):
    z: int = 3
    def call(self, inputs):
        return inputs[..., 1:2, ::3]
'''


class _Recorder:
    """Records the interesting (non-token) nodes in visit order, for both walkers."""

    def __init__(self):
        self.seen = []


def _interesting(node):
    return not isinstance(
        node,
        (
            cst.BaseParenthesizableWhitespace, cst.Comma, cst.LeftParen, cst.RightParen,
            cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
            cst.RightCurlyBrace, cst.Dot, cst.Semicolon, cst.Colon, cst.AssignEqual,
            cst.EmptyLine, cst.Comment, cst.Newline, cst.TrailingWhitespace, cst.ImportStar,
            cst.Asynchronous, cst.ParenthesizedWhitespace, cst.SimpleWhitespace,
        ),
    ) and type(node).__name__ not in ("Annotation",)


def _libcst_order(module):
    order = []

    class V(cst.CSTVisitor):
        def on_visit(self, node):
            order.append(node)
            return True

    module.visit(V())
    return [n for n in order if _interesting(n)]


def _our_order(module):
    order = []
    dispatcher = _Dispatcher(Resolver(module), [])
    original = dispatcher._visit

    class Everything(dict):
        def get(self, name, default=None):
            return [order.append] + list(original.get(name, []))

    dispatcher._visit = Everything()
    dispatcher.walk(module)
    return [n for n in order if _interesting(n)]


def test_walk_reaches_the_same_nodes_as_libcst():
    module = cst.parse_module(SAMPLE)
    ours = _our_order(module)
    theirs = _libcst_order(module)
    assert {id(n) for n in ours} >= {id(n) for n in theirs}


def test_walk_keeps_source_order_for_statements_and_calls():
    module = cst.parse_module(SAMPLE)
    ours = [n for n in _our_order(module) if isinstance(n, (cst.Call, cst.BaseStatement, cst.BaseSmallStatement))]
    theirs = [n for n in _libcst_order(module) if isinstance(n, (cst.Call, cst.BaseStatement, cst.BaseSmallStatement))]
    assert [id(n) for n in ours] == [id(n) for n in theirs]


def test_walk_on_the_package_itself_matches_libcst():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for path in sorted(glob.glob(os.path.join(root, "keras3_lint", "**", "*.py"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            module = cst.parse_module(handle.read())
        ours = {id(n) for n in _our_order(module)}
        assert ours >= {id(n) for n in _libcst_order(module)}, path


def test_deep_nesting_does_not_recurse():
    depth = 400
    source = "import keras\nx = " + "(" * 50 + "keras.layers.Dense(1)" + ")" * 50 + "\n"
    source += "y = " + " + ".join(["keras.ops.add(1, 2)"] * depth) + "\n"
    module = cst.parse_module(source)
    assert len(_our_order(module)) > depth


def test_token_fields_hold_no_statements_or_expressions():
    module = cst.parse_module(SAMPLE)
    for node in _libcst_order(module):
        for name in _TOKEN_FIELDS:
            value = getattr(node, name, None)
            values = value if isinstance(value, (list, tuple)) else [value]
            for v in values:
                assert not isinstance(v, (cst.BaseExpression, cst.BaseStatement, cst.BaseSmallStatement)), (type(node).__name__, name)
