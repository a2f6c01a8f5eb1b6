"""Routes added from the real-code recall measurement: `get_updates` overrides in Keras optimizer
subclasses, the private `_make_*_function` model methods (KRS103), and the loader arguments of
the `*_generator` methods (KRS729), whose fix lets KRS103's rename apply."""

from __future__ import annotations

import pytest

from keras3_lint.config import Settings
from keras3_lint.fixer import fix_text
from keras3_lint.rules.krs103_removed_method import MEDIUM_NAMES
from keras3_lint.runner import check_text


def lint(text, codes=("KRS103",)):
    return check_text(text, Settings(root="."), frozenset(codes))


@pytest.mark.parametrize(
    "base",
    ["keras.optimizers.Optimizer", "keras.optimizers.SGD", "tf.keras.optimizers.Optimizer", "tf.keras.optimizers.Adam"],
)
def test_get_updates_override_in_a_keras_optimizer_is_reported_at_the_def(base):
    text = f"import keras\nimport tensorflow as tf\nclass Opt({base}):\n    def get_updates(self, loss, params):\n        return super().get_updates(loss, params)\n"
    found = lint(text)
    assert [(d.row, d.confidence) for d in found] == [(4, "high"), (5, "high")]  # the def and the super() call
    assert "never call `get_updates`" in found[0].message and all(d.fix is None for d in found)


def test_get_updates_through_a_user_base_class_and_super_call_elsewhere():
    text = (
        "from tensorflow import keras\n"
        "class Base(keras.optimizers.Adam):\n    pass\n"
        "class Mine(Base):\n"
        "    def get_updates(self, loss, params):\n        return []\n"
        "    def other(self, loss, params):\n        return super().get_updates(loss, params)\n"
    )
    assert [d.row for d in lint(text)] == [5, 8]


@pytest.mark.parametrize(
    "base",
    ["object", "keras.layers.Layer", "keras.Model", "tf_keras.optimizers.Optimizer", "Unknown"],
)
def test_get_updates_outside_keras3_optimizers_is_silent(base):
    text = f"import keras\nimport tf_keras\nclass Opt({base}):\n    def get_updates(self, loss, params):\n        return super().get_updates(loss, params)\n"
    assert lint(text) == []


def test_get_updates_with_keras2_signature_and_unknown_base_is_medium():
    text = (
        "import tensorflow as tf\nfrom wrapper.backend import keras as wk\n"
        "def extend(BaseOptimizer):\n"
        "    class NewOptimizer(BaseOptimizer):\n"
        "        def get_updates(self, loss, params):\n"
        "            return super(NewOptimizer, self).get_updates(loss, params)\n"
        "    return NewOptimizer\n"
        "class Ada(wk.optimizers.Optimizer):\n    def get_updates(self, params, loss):\n        return []\n"
    )
    assert [(d.row, d.confidence) for d in lint(text)] == [(5, "medium"), (6, "medium"), (9, "medium")]


@pytest.mark.parametrize(
    "text",
    [
        "import keras\ndef f(Base):\n    class O(Base):\n        def get_updates(self, loss):\n            pass\n",  # other signature
        "def f(Base):\n    class O(Base):\n        def get_updates(self, loss, params):\n            pass\n",  # no keras import
        "import keras\nimport torch\nclass O(torch.optim.SGD):\n    def get_updates(self, loss, params):\n        pass\n",
        "import keras\nclass Plain:\n    def get_updates(self, loss, params):\n        pass\n",  # no base
    ],
)
def test_get_updates_signature_route_gates(text):
    assert lint(text) == []


def test_nested_function_named_get_updates_is_not_a_method():
    text = "import keras\nclass Opt(keras.optimizers.SGD):\n    def build(self, v):\n        def get_updates(loss, params):\n            return []\n"
    assert lint(text) == []


@pytest.mark.parametrize("name", ["_make_predict_function", "_make_train_function", "_make_test_function"])
def test_private_make_function_on_a_proven_model(name):
    text = f"from keras.models import load_model\nmodel = load_model('m.h5')\nmodel.{name}()\n"
    found = lint(text)
    assert [(d.row, d.confidence) for d in found] == [(3, "high")]
    assert f"`Model.{name}` does not exist in Keras 3 (AttributeError)" in found[0].message
    assert found[0].fix is None  # deleting a statement may leave an empty block: reported only


def test_private_make_function_stays_off_on_unknown_receivers():
    # 6 distinct `_make_predict_function` calls in the measured repositories (< 10): not enabled.
    assert "_make_predict_function" not in MEDIUM_NAMES
    assert lint("import keras\ndef serve(m):\n    m._make_predict_function()\n") == []


GEN = "import keras\nmodel = keras.Sequential()\n"


@pytest.mark.parametrize("method,target", [("fit_generator", "fit"), ("evaluate_generator", "evaluate"), ("predict_generator", "predict")])
def test_loader_arguments_of_generator_methods(method, target):
    found = lint(GEN + f"model.{method}(gen, workers=4, use_multiprocessing=True, max_queue_size=20)\n", ("KRS729",))
    assert [d.message.split("=")[0] for d in found] == ["`workers", "`use_multiprocessing", "`max_queue_size"]
    assert all(f"Keras 3 `Model.{target}`, which replaces `{method}`" in d.message for d in found)


def test_generator_arguments_on_unknown_receiver_are_medium_and_gated():
    text = "import keras\ndef train(m):\n    m.fit_generator(gen, workers=4)\n"
    assert [d.confidence for d in lint(text, ("KRS729",))] == ["medium"]
    # The file defines its own fit_generator; tf_keras on purpose; a non-generator `fit`.
    assert lint(text + "class T:\n    def fit_generator(self, gen, workers=1):\n        pass\n", ("KRS729",)) == []
    assert lint(text.replace("import keras", "import keras\nimport tf_keras"), ("KRS729",)) == []
    assert lint("import keras\ndef train(m):\n    m.fit(gen, workers=4)\n", ("KRS729",)) == []


@pytest.mark.parametrize(
    "call,unsafe,expected",
    [
        ("model.fit_generator(gen, epochs=2, workers=1, use_multiprocessing=False)", False, "model.fit(gen, epochs=2)"),
        ("model.fit_generator(gen, epochs=2, workers=4)", False, "model.fit_generator(gen, epochs=2, workers=4)"),
        ("model.fit_generator(gen, epochs=2, workers=4)", True, "model.fit(gen, epochs=2)"),
        ("model.evaluate_generator(gen, max_queue_size=10)", False, "model.evaluate(gen)"),
    ],
)
def test_krs729_then_krs103_fixes_converge(call, unsafe, expected):
    outcome = fix_text(GEN + call + "\n", lambda t: lint(t, ("KRS103", "KRS729")), unsafe_fixes=unsafe)
    assert outcome.text == GEN + expected + "\n"
