"""Routes the resolver follows inside one file (issue 9, routes 1 and 2): aliases made by
assignment, imports under ``try/except ImportError`` and ``if``, and objects whose type is set
elsewhere (``self.<attr>`` assigned in another method, class attributes, annotated parameters,
``from_config``/``clone_model``/``model_from_json``). Each route has look-alikes that must stay
unknown."""

from __future__ import annotations

import textwrap

import pytest

from test_resolver import only, probe

from keras3_lint.runner import check_text
from keras3_lint.config import Settings

# ---------------------------------------------------------------------------------------------
# Route 1: aliases by assignment

ALIASES = [
    ("keras=tf.keras", "import tensorflow as tf\nkeras = tf.keras\nprobe(keras.layers.LSTM)", "keras.layers.LSTM", "tf.keras"),
    ("K=tf.keras.backend", "import tensorflow as tf\nK = tf.keras.backend\nprobe(K.get_session)", "keras.backend.get_session", "tf.keras"),
    ("layers=tf.keras.layers", "import tensorflow as tf\nlayers = tf.keras.layers\nprobe(layers.Dense)", "keras.layers.Dense", "tf.keras"),
    ("KL=keras.layers", "import keras\nKL = keras.layers\nprobe(KL.Dense)", "keras.layers.Dense", "keras"),
    ("chain", "import tensorflow as tf\nkeras = tf.keras\nKL = keras.layers\nprobe(KL.GRU)", "keras.layers.GRU", "tf.keras"),
    ("class-alias", "from tensorflow import keras\nDense = keras.layers.Dense\nprobe(Dense)", "keras.layers.Dense", "tf.keras"),
    ("tf_keras-alias-keeps-origin", "import tf_keras\nkeras = tf_keras\nprobe(keras.layers.LSTM)", "keras.layers.LSTM", "tf_keras"),
    (
        "function-level",
        "import tensorflow as tf\ndef f():\n    layers = tf.keras.layers\n    probe(layers.LSTM)\n",
        "keras.layers.LSTM",
        "tf.keras",
    ),
    (
        "module-alias-below-function",
        "import tensorflow as tf\ndef f():\n    probe(keras.layers.LSTM)\nkeras = tf.keras\n",
        "keras.layers.LSTM",
        "tf.keras",
    ),
    (
        "self-referencing-alias",
        "from tensorflow.keras import layers\nlayers = layers\nprobe(layers.LSTM)",
        "keras.layers.LSTM",
        "tf.keras",
    ),
]


@pytest.mark.parametrize("source, canonical, origin", [a[1:] for a in ALIASES], ids=[a[0] for a in ALIASES])
def test_alias_by_assignment(source, canonical, origin):
    found = only(source)
    assert (found.canonical, found.origin) == (canonical, origin)


NOT_ALIASES = [
    ("keras=something_else", "import tensorflow as tf\nkeras = something_else\nprobe(keras.layers.LSTM)"),
    ("keras=call", "import tensorflow as tf\nkeras = tf.keras.Sequential()\nprobe(keras.layers)"),
    ("alias-then-rebound", "import tensorflow as tf\nkeras = tf.keras\nkeras = make()\nprobe(keras.layers.LSTM)"),
    ("parameter-shadows-alias", "import tensorflow as tf\nkeras = tf.keras\ndef f(keras):\n    probe(keras.layers.LSTM)\n"),
    ("self-reference-without-previous", "layers = layers\nprobe(layers.LSTM)"),
    ("alias-of-a-local-object", "import tensorflow as tf\nm = tf.keras.Sequential()\nL = m.layers\nprobe(L.Dense)"),
]


@pytest.mark.parametrize("source", [a[1] for a in NOT_ALIASES], ids=[a[0] for a in NOT_ALIASES])
def test_not_an_alias(source):
    found = only(source)
    assert not found.is_keras3


def test_except_import_error_fallback_does_not_undo_the_import():
    found = only(
        """
        try:
            import keras
        except ImportError:
            keras = None
        probe(keras.layers.LSTM)
        """
    )
    assert (found.canonical, found.origin) == ("keras.layers.LSTM", "keras")


def test_other_exception_handler_does_rebind():
    found = only("try:\n    import keras\nexcept ValueError:\n    keras = None\nprobe(keras.layers.LSTM)\n")
    assert found.canonical is None


def test_if_else_imports_both_resolve():
    first, second = probe(
        """
        import os
        if os.environ.get("LEGACY"):
            from tensorflow.keras import layers
            probe(layers.Dense)
        else:
            from keras import layers
            probe(layers.Dense)
        """
    )
    assert (first.canonical, first.origin) == ("keras.layers.Dense", "tf.keras")
    assert (second.canonical, second.origin) == ("keras.layers.Dense", "keras")


# ---------------------------------------------------------------------------------------------
# Route 2: objects whose type is set elsewhere (one file)

TYPES = [
    (
        "self.model-from-init-parameter-annotated",
        """
        import keras
        class Trainer:
            def __init__(self, model: keras.Model):
                self.model = model
            def train(self):
                probe(self.model)
        """,
        "keras.Model",
    ),
    (
        "self.actor-from-builder",
        """
        import tensorflow as tf
        def build_actor():
            return tf.keras.Sequential([tf.keras.layers.Dense(2)])
        class Agent:
            def __init__(self):
                self.actor = build_actor()
            def act(self):
                probe(self.actor)
        """,
        "keras.Sequential",
    ),
    (
        "self.attr-assigned-in-two-methods-same-type",
        """
        from tensorflow import keras
        class A:
            def __init__(self):
                self.net = keras.Sequential()
            def reset(self):
                if True:
                    self.net = keras.models.load_model("m.keras")
            def go(self):
                probe(self.net)
        """,
        "keras.Model",
    ),
    (
        "None-until-built",
        """
        import keras
        class Trainer:
            model = None
            def __init__(self):
                self.model = None
            def build(self):
                self.model = keras.Sequential()
            def train(self):
                probe(self.model)
        """,
        "keras.Sequential",
    ),
    ("class-attribute", "import keras\nclass A:\n    opt = keras.optimizers.Adam()\n    def f(self):\n        probe(self.opt)\n", "keras.optimizers.Adam"),
    ("annotated-parameter", "import tensorflow as tf\ndef f(m: tf.keras.Model):\n    probe(m)\n", "keras.Model"),
    ("annotated-sequential", "from keras.models import Sequential\ndef f(m: Sequential):\n    probe(m)\n", "keras.Sequential"),
    ("annotated-optional", "from typing import Optional\nimport keras\ndef f(m: Optional[keras.Model] = None):\n    probe(m)\n", "keras.Model"),
    ("annotated-union-none", "import keras\ndef f(m: keras.Model | None = None):\n    probe(m)\n", "keras.Model"),
    ("annotated-layer", "from keras import layers\ndef f(l: layers.LSTM):\n    probe(l)\n", "keras.layers.LSTM"),
    ("annotated-user-subclass", "import keras\nclass Net(keras.Model):\n    pass\ndef f(n: Net):\n    probe(n)\n", "keras.Model"),
    ("clone_model", "import keras\nm = keras.models.clone_model(other)\nprobe(m)", "keras.Model"),
    ("Model.from_config", "import keras\nm = keras.Model.from_config(cfg)\nprobe(m)", "keras.Model"),
    ("Sequential.from_config", "from tensorflow import keras\nm = keras.Sequential.from_config(cfg)\nprobe(m)", "keras.Sequential"),
    ("model_from_json", "from tensorflow.keras.models import model_from_json\nm = model_from_json(s)\nprobe(m)", "keras.Model"),
    ("via-alias", "import tensorflow as tf\nkeras = tf.keras\nm = keras.Sequential()\nprobe(m)", "keras.Sequential"),
    (
        "tuple-unpacked-factory",
        """
        import keras
        def create_model():
            model = keras.Sequential()
            encoder = keras.Model(i, o)
            return model, encoder, None
        model, encoder, decoder = create_model()
        probe(model)
        """,
        "keras.Sequential",
    ),
    (
        "parenthesized-tuple-unpacking",
        """
        from tensorflow import keras
        def build():
            return keras.Model(i, o), keras.optimizers.Adam()
        (model, opt) = build()
        probe(opt)
        """,
        "keras.optimizers.Adam",
    ),
    (
        "self-builder-defined-below-init",
        """
        from tensorflow import keras
        class Classifier:
            def __init__(self, shape):
                self.model = self.build_model(shape)
                probe(self.model)
            def build_model(self, shape):
                inputs = keras.Input(shape)
                model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
                return model
        """,
        "keras.Model",
    ),
    (
        "self-builder-defined-above",
        """
        import keras
        class Agent:
            def network(self):
                return keras.Sequential()
            def __init__(self):
                self.model = self.network()
            def save(self, path):
                probe(self.model)
        """,
        "keras.Sequential",
    ),
    (
        "attribute-set-in-a-method-not-visited-yet",
        """
        import keras
        class Agent:
            def reset(self):
                probe(self.target)
            def compile(self):
                self.target = keras.models.clone_model(self.model)
        """,
        "keras.Model",
    ),
    (
        "attribute-set-in-a-base-class",
        """
        from keras.optimizers import RMSprop
        class Agent:
            def __init__(self, lr):
                self.rms_optimizer = RMSprop(learning_rate=lr)
        class Actor(Agent):
            def optimizer(self, loss, params):
                probe(self.rms_optimizer)
        """,
        "keras.optimizers.RMSprop",
    ),
    (
        "module-builder-defined-below-its-caller",
        """
        import keras
        def main():
            model, head = create_model()
            probe(model)
        def create_model():
            model = keras.Sequential()
            return model, keras.Model(i, o)
        """,
        "keras.Sequential",
    ),
]


@pytest.mark.parametrize("source, kind", [t[1:] for t in TYPES], ids=[t[0] for t in TYPES])
def test_value_type_route(source, kind):
    assert only(textwrap.dedent(source)).value_type == kind


NOT_TYPED = [
    (
        "self.model-sklearn",
        """
        from sklearn.linear_model import LogisticRegression
        import keras
        class Trainer:
            def __init__(self):
                self.model = LogisticRegression()
            def train(self):
                probe(self.model)
        """,
    ),
    (
        "attribute-assigned-two-types",
        """
        import keras
        class Trainer:
            def __init__(self):
                self.model = keras.Sequential()
            def swap(self):
                self.model = keras.layers.Dense(3)
            def train(self):
                probe(self.model)
        """,
    ),
    (
        "attribute-assigned-unknown-too",
        """
        import keras
        class Trainer:
            def __init__(self, other):
                self.model = keras.Sequential()
                if other:
                    self.model = other
            def train(self):
                probe(self.model)
        """,
    ),
    (
        "attribute-of-another-object",
        "import keras\nclass T:\n    def __init__(self):\n        self.model = keras.Sequential()\n\ndef f(self):\n    probe(self.model)\n",
    ),
    (
        "method-not-visited-yet",
        "import keras\nclass T:\n    def train(self):\n        probe(self.model)\n    def __init__(self):\n        m = keras.Sequential()\n        self.model = m\n",
    ),
    ("annotation-of-another-class", "import numpy as np\ndef f(m: np.ndarray):\n    probe(m)\n"),
    ("unannotated-parameter", "import keras\ndef f(model):\n    probe(model)\n"),
    ("string-annotation", "import keras\ndef f(model: 'keras.Model'):\n    probe(model)\n"),
    ("function-returning-a-non-keras-object", "import keras\ndef build():\n    return dict()\nprobe(build())"),
    ("tf_keras-from_config", "import tf_keras\nm = tf_keras.Model.from_config(c)\nprobe(m)"),
    ("unpacked-with-star", "import keras\ndef f():\n    return keras.Sequential(), 1, 2\nmodel, *rest = f()\nprobe(model)\n"),
    ("unpacked-non-tuple-return", "import keras\ndef f():\n    return keras.Sequential()\na, b = f()\nprobe(a)\n"),
    (
        "unpacked-returns-disagree",
        "import keras\ndef f(x):\n    if x:\n        return keras.Sequential(), 1\n    return dict(), 2\na, b = f(1)\nprobe(a)\n",
    ),
    ("unpacked-element-out-of-range", "import keras\ndef f():\n    return keras.Sequential(), 1\na, b, c = f()\nprobe(c)\n"),
    ("later-builder-defined-twice", "import keras\ndef main():\n    probe(build())\ndef build():\n    return keras.Sequential()\ndef build():\n    return dict()\n"),
    ("later-builder-calls-a-parameter", "import keras\ndef main():\n    probe(build(keras.Sequential))\ndef build(factory):\n    return factory()\n"),
    ("later-builder-shadows-the-keras-name", "from keras import Sequential\ndef main():\n    probe(build())\ndef build():\n    Sequential = dict\n    return Sequential()\n"),
    (
        "self-builder-returning-a-non-keras-object",
        "import keras\nclass T:\n    def __init__(self):\n        self.model = self.build()\n        probe(self.model)\n    def build(self):\n        return dict()\n",
    ),
    (
        "later-method-assigns-a-local-callable",
        "import keras\nclass A:\n    def reset(self):\n        probe(self.target)\n    def compile(self, clone_model):\n        self.target = clone_model(self.model)\n",
    ),
    (
        "base-class-attribute-not-keras",
        "import keras\nclass Base:\n    def __init__(self, solver):\n        self.opt = solver\nclass Sub(Base):\n    def f(self):\n        probe(self.opt)\n",
    ),
    (
        "subclass-overrides-the-attribute",
        "import keras\nclass Base:\n    def __init__(self):\n        self.opt = keras.optimizers.Adam()\nclass Sub(Base):\n    def __init__(self):\n        self.opt = dict()\n    def f(self):\n        probe(self.opt)\n",
    ),
]


@pytest.mark.parametrize("source", [t[1] for t in NOT_TYPED], ids=[t[0] for t in NOT_TYPED])
def test_value_type_look_alike(source):
    found = only(textwrap.dedent(source))
    assert found.value_type is None or not found.value_type.startswith("keras.")


# The rules see these routes through the resolver: KRS103 on fit_generator, KRS202 on reset_states.


def _codes(source: str, code: str):
    return [(d.row, d.code, d.confidence) for d in check_text(textwrap.dedent(source), Settings(), frozenset({code}))]


def test_krs103_fires_on_self_model_set_in_init():
    source = """
        import tensorflow as tf
        keras = tf.keras

        def build():
            return keras.Sequential([keras.layers.Dense(1)])

        class Trainer:
            def __init__(self):
                self.model = build()

            def train(self, gen):
                self.model.fit_generator(gen, steps_per_epoch=10)
        """
    assert _codes(source, "KRS103") == [(13, "KRS103", "high")]


def test_krs202_fires_on_annotated_parameter():
    source = """
        import keras

        def reset(model: keras.Model):
            model.reset_states()
        """
    assert [c[:2] for c in _codes(source, "KRS202")] == [(5, "KRS202")]
