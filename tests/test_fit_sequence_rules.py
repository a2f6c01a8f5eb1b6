"""Targeted checks for KRS729 (removed fit/compile arguments) and KRS730 (PyDataset subclasses
without super().__init__) beyond the fixtures."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from keras3_lint.config import Settings
from keras3_lint.diagnostics import SAFE, UNSAFE
from keras3_lint.fixer import fix_text
from keras3_lint.runner import check_text


def lint(code, source):
    return check_text(textwrap.dedent(source), Settings(root="."), frozenset({code}))


def fixed(code, source, unsafe=True):
    text = textwrap.dedent(source)
    outcome = fix_text(text, lambda t: check_text(t, Settings(root="."), frozenset({code})), unsafe_fixes=unsafe)
    assert outcome.refused == []
    cst.parse_module(outcome.text)
    return outcome.text


MODEL = """
    import keras
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
"""


# -- KRS729 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, applicability",
    [
        ("model.fit(x, y, workers=4)", UNSAFE),
        ("model.fit(x, y, workers=1)", SAFE),
        ("model.fit(x, y, use_multiprocessing=True)", UNSAFE),
        ("model.predict(x, use_multiprocessing=False)", SAFE),
        ("model.evaluate(x, y, max_queue_size=10)", SAFE),
        ("model.evaluate(x, y, max_queue_size=n)", UNSAFE),
        ("model.train_on_batch(x, y, reset_metrics=True)", SAFE),
        ("model.train_on_batch(x, y, reset_metrics=False)", UNSAFE),
        ("model.test_on_batch(x, y, reset_metrics=flag)", UNSAFE),
        ("model.compile('sgd', 'mse', sample_weight_mode='temporal')", SAFE),
        ("model.compile('sgd', 'mse', experimental_run_tf_function=False)", SAFE),
        ("model.compile('sgd', 'mse', distribute=None)", SAFE),
        ("model.compile('sgd', 'mse', distribute=strategy)", UNSAFE),
        ("model.compile('sgd', 'mse', target_tensors=[t])", UNSAFE),
    ],
)
def test_removed_arguments_and_fix_safety(call, applicability):
    found = lint("KRS729", MODEL + "    " + call + "\n")
    assert len(found) == 1
    assert found[0].fix is not None and found[0].fix.applicability == applicability


def test_every_removed_argument_of_one_call_is_reported_and_removed():
    source = MODEL + "    model.fit(x, y, workers=4, epochs=2, use_multiprocessing=True, max_queue_size=20,)\n"
    assert len(lint("KRS729", source)) == 3
    assert fixed("KRS729", source).endswith("model.fit(x, y, epochs=2,)\n")
    # Without --unsafe-fixes nothing changes: all three drop a non-default loader setting.
    assert fixed("KRS729", source, unsafe=False) == textwrap.dedent(source)


def test_keras_receivers_of_every_kind():
    source = """
        import tensorflow as tf
        from keras.models import load_model

        loaded = load_model("m.keras")
        loaded.fit(x, workers=2)

        class Net(tf.keras.Model):
            def call(self, inputs):
                return inputs

        Net().compile(sample_weight_mode="temporal")
    """
    assert [d.row for d in lint("KRS729", source)] == [6, 12]


def test_generator_methods_report_the_method_and_the_arguments_once_each():
    # KRS103 owns the method (its rename is withheld), KRS729 the two arguments.
    source = MODEL + "    model.fit_generator(gen, workers=4, use_multiprocessing=True)\n"
    assert [d.message.split("=")[0] for d in lint("KRS729", source)] == ["`workers", "`use_multiprocessing"]
    assert len(lint("KRS103", source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        """
        import tf_keras
        model = tf_keras.Sequential([tf_keras.layers.Dense(1)])
        model.fit(x, y, workers=4)
        model.compile(sample_weight_mode="temporal")
        """,
        """
        from sklearn.ensemble import RandomForestClassifier
        clf = RandomForestClassifier()
        clf.fit(x, y, workers=4)
        """,
        """
        import keras
        def train(model):
            model.fit(x, y, workers=4)
        """,
        """
        import keras
        layer = keras.layers.Dense(1)
        layer.fit(x, workers=4)
        """,
    ],
)
def test_unknown_or_non_keras3_receivers_are_not_flagged(source):
    assert lint("KRS729", source) == []


# -- KRS730 -------------------------------------------------------------------------------------


def test_fix_never_forwards_kwargs():
    # Forwarding would let keywords the class swallowed reach PyDataset.__init__ (a TypeError
    # for unknown ones): not behaviour-preserving, so the safe fix is always the bare call.
    source = """
        import keras

        class Data(keras.utils.Sequence):
            def __init__(self, x, **kw):
                self.x = x
    """
    result = fixed("KRS730", source, unsafe=False)
    assert "        super().__init__()\n        self.x = x\n" in result
    assert "__init__(**kw)" not in result


def test_kwargs_used_for_something_else_are_not_forwarded():
    source = """
        import keras

        class Data(keras.utils.PyDataset):
            def __init__(self, x, **kwargs):
                self.x = x
                self.augment = kwargs.pop("augment", False)
    """
    result = fixed("KRS730", source, unsafe=False)
    assert "        super().__init__()\n        self.x = x\n" in result


def test_nested_class_keeps_its_indentation():
    source = """
        import keras

        def make():
            class Data(keras.utils.PyDataset):
                def __init__(self, x):
                    self.x = x
            return Data
    """
    assert "            super().__init__()\n            self.x = x\n" in fixed("KRS730", source, unsafe=False)


@pytest.mark.parametrize(
    "source",
    [
        # super() would reach a user constructor with another signature.
        """
        import keras

        class Base(keras.utils.Sequence):
            def __init__(self, items):
                super().__init__()
                self.items = items

        class Child(Base):
            def __init__(self):
                self.items = []
        """,
        # One-line body.
        """
        import keras

        class Data(keras.utils.Sequence):
            def __init__(self): self.n = 0
        """,
        # Multiple inheritance: super() goes to the mixin first.
        """
        import keras

        class Mixin:
            pass

        class Data(Mixin, keras.utils.Sequence):
            def __init__(self):
                self.n = 0
        """,
    ],
)
def test_reported_without_a_fix_when_super_is_not_pydataset(source):
    found = lint("KRS730", source)
    assert len(found) == 1 and found[0].fix is None


@pytest.mark.parametrize(
    "body",
    [
        "super().__init__(**kwargs)",
        "super(Data, self).__init__()",
        "keras.utils.Sequence.__init__(self)",
        "if kwargs:\n                    super().__init__(**kwargs)",
    ],
)
def test_a_super_call_anywhere_in_init_is_enough(body):
    source = f"""
        import keras

        class Data(keras.utils.Sequence):
            def __init__(self, **kwargs):
                {body}
    """
    assert lint("KRS730", source) == []


def test_only_keras3_sequences():
    source = """
        import tf_keras
        from tensorflow.python.keras.utils.data_utils import Sequence

        class A(tf_keras.utils.Sequence):
            def __init__(self):
                self.n = 0

        class B(Sequence):
            def __init__(self):
                self.n = 0
    """
    assert lint("KRS730", source) == []
