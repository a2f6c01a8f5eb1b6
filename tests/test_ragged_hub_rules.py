"""Targeted checks for the ragged-tensor (KRS30x) and TF Hub (KRS40x) rules beyond the fixtures."""

from __future__ import annotations

import textwrap

import pytest

from keras3_lint.config import Settings
from keras3_lint.docs import render_rule
from keras3_lint.registry import rule_by_code
from keras3_lint.runner import check_text

CODES = ("KRS301", "KRS302", "KRS303", "KRS401", "KRS402", "KRS403")


def lint(code: str, source: str):
    return [(d.row, d.column, d.code) for d in check_text(textwrap.dedent(source), Settings(root="."), frozenset({code}))]


@pytest.mark.parametrize("code", CODES)
def test_rule_metadata_and_docs(code):
    rule = rule_by_code(code)
    assert rule is not None
    assert rule.fix_safety == "none"
    assert rule.doc.facts and rule.doc.sources
    page = render_rule(rule)
    assert f"# {code} `{rule.name}`" in page


@pytest.mark.parametrize(
    "code, quote",
    [
        ("KRS301", "TypeError: Input() got an unexpected keyword argument 'ragged'"),
        ("KRS302", "Cannot index into an inner ragged dimension."),
        ("KRS303", "ValueError: Exception encountered when calling GRU.call(). Cannot index into an inner ragged dimension."),
        ("KRS401", "ValueError: Only instances of `keras.Layer` can be added to a Sequential model."),
        ("KRS402", "A KerasTensor cannot be used as input to a TensorFlow function"),
    ],
)
def test_docs_quote_the_keras3_error(code, quote):
    assert quote in rule_by_code(code).doc.why


def test_relative_hub_module_is_not_tensorflow_hub():
    source = """
        import keras
        from . import hub
        from .models import KerasLayer
        m = keras.Sequential([hub.KerasLayer("x"), KerasLayer("y")])
    """
    assert lint("KRS401", source) == []


def test_hub_layer_in_sequential_inside_tf_keras_legacy_alias():
    source = """
        import tf_keras as keras
        import tensorflow_hub as hub
        m = keras.Sequential([hub.KerasLayer("x")])
    """
    assert lint("KRS401", source) == []


def test_hub_layer_in_model_and_method_of_non_keras_class():
    source = """
        import keras
        import tensorflow_hub as hub

        class Plain:
            def __init__(self):
                self.h = hub.KerasLayer("x")

        class Net(keras.Model):
            h = hub.KerasLayer("class attribute, not self")

            def __init__(self):
                super().__init__()
                self.h = hub.KerasLayer("x")
    """
    assert lint("KRS403", source) == [(14, 18, "KRS403")]


def test_ragged_into_non_model_receiver_and_unknown_receiver():
    source = """
        import tensorflow as tf

        def run(model):
            model.fit(tf.ragged.constant([[1], [2, 3]]))
    """
    assert lint("KRS303", source) == []


def test_ragged_through_module_variable_into_function():
    source = """
        import keras
        import tensorflow as tf
        X = tf.ragged.constant([[1], [2, 3]])
        model = keras.Sequential([keras.layers.Embedding(10, 4), keras.layers.GRU(4)])

        def train():
            model.fit(X)
    """
    assert lint("KRS303", source) == [(8, 15, "KRS303")]


def test_text_vectorization_ragged_output_directly_into_model():
    source = """
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Embedding(10, 4), keras.layers.GRU(4)])
        model.predict(keras.layers.TextVectorization(ragged=True)(["a b"]))
    """
    assert lint("KRS303", source) == [(4, 15, "KRS303")]
