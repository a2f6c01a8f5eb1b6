"""Family 5 (randomness and reproducibility): behaviour the fixture files cannot show on their own
(backend detection, whole-file conditions, seeds shared between KRS501 and KRS502, fix edge cases)."""

from __future__ import annotations

import re
import textwrap

import libcst as cst

from keras3_lint.config import Settings
from keras3_lint.fixer import fix_text
from keras3_lint.runner import check_text


def lint(text, codes, backends=("tensorflow",)):
    return check_text(textwrap.dedent(text), Settings(backends=tuple(backends)), frozenset(codes))


def fixed(text, codes, backends=("tensorflow",), unsafe=True):
    source = textwrap.dedent(text)
    outcome = fix_text(source, lambda t: check_text(t, Settings(backends=tuple(backends)), frozenset(codes)), unsafe)
    cst.parse_module(outcome.text)
    assert outcome.refused == []
    return outcome.text


def positions(diagnostics):
    return sorted((d.row, d.column, d.code) for d in diagnostics)


# -- KRS501 / KRS502 --------------------------------------------------------------------------


def test_initializer_seeds_are_unique_across_both_rules():
    text = """\
        import keras
        a = keras.layers.Dense(4, kernel_initializer="he_normal")
        b = keras.layers.Dense(4, kernel_initializer=keras.initializers.GlorotUniform())
        c = keras.layers.Dense(4, kernel_initializer="orthogonal", seed_hint=keras.random.SeedGenerator(seed=20))
        keras.utils.set_random_seed(3)
    """
    out = fixed(text, {"KRS501", "KRS502"})
    seeds = [int(s) for s in re.findall(r"\(seed=(\d+)\)", out) if s != "20"]
    assert seeds == [21, 22, 23]
    # Applying the rules one after the other never reuses a seed either.
    step = fixed(fixed(text, {"KRS501"}), {"KRS502"})
    seeds = [int(s) for s in re.findall(r"\(seed=(\d+)\)", step)]
    assert len(seeds) == len(set(seeds))


def test_initializer_fix_edge_cases():
    text = """\
        import keras
        a = keras.initializers.HeNormal( )
        b = keras.initializers.RandomNormal(0.0, (0.1))
        c = keras.initializers.RandomNormal(
            0.0,
            0.1,
        )
        d = keras.initializers.Orthogonal(1.0, None)
        e = keras.initializers.RandomNormal(**options)
        keras.utils.set_random_seed(3)
    """
    out = fixed(text, {"KRS501"})
    assert "HeNormal(seed=1)" in out
    assert "RandomNormal(0.0, (0.1), seed=2)" in out
    assert "    0.1,\n    seed=3,\n)" in out
    assert "Orthogonal(1.0, 4)" in out
    assert "RandomNormal(**options)" in out


def test_string_initializer_without_reachable_initializers_has_no_fix():
    text = """\
        from keras.layers import Dense
        layer = Dense(4, kernel_initializer="he_normal")
        np.random.seed(0)
        import numpy as np
    """
    found = lint(text, {"KRS502"})
    assert positions(found) == [(2, 18, "KRS502")]
    assert found[0].fix is None


def test_unseeded_initializers_are_only_flagged_where_the_file_seeds():
    text = """\
        import keras
        a = keras.layers.Dense(4, kernel_initializer="he_normal")
        b = keras.initializers.GlorotUniform()
    """
    assert lint(text, {"KRS501", "KRS502"}) == []
    seeded = textwrap.dedent(text) + "keras.utils.set_random_seed(1)\n"
    assert positions(lint(seeded, {"KRS501", "KRS502"})) == [(2, 27, "KRS502"), (3, 5, "KRS501")]


# -- KRS503 -----------------------------------------------------------------------------------


def test_full_seeding_anywhere_silences_tf_seed_only():
    base = textwrap.dedent("""\
        import random
        import tensorflow as tf
        import tf_keras
        tf.random.set_seed(1)
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    """)
    assert len(lint(base.replace("import random\n", ""), {"KRS503"})) == 1
    assert lint(base + "random.seed(1)\n", {"KRS503"}) == []
    assert lint(base + "tf.keras.utils.set_random_seed(1)\n", {"KRS503"}) == []
    assert lint(base + "tf_keras.utils.set_random_seed(1)\n", {"KRS503"}) == []


def test_tf_seed_only_fix_needs_an_int_seed_and_adds_an_import_when_needed():
    text = """\
        import numpy as np
        from tensorflow.keras.layers import Dense
        np.random.seed(7)
        layer = Dense(1)
    """
    out = fixed(text, {"KRS503"}, unsafe=False)
    assert "from tensorflow.keras.utils import set_random_seed\n" in out
    assert "\nset_random_seed(7)\n" in out
    for seed in ("args.seed", "-1", "2**32", "1.5"):
        found = lint(text.replace("seed(7)", f"seed({seed})"), {"KRS503"})
        assert len(found) == 1 and found[0].fix is None, seed


def test_tf_seed_only_import_is_not_added_after_the_call():
    text = """\
        import numpy as np
        np.random.seed(7)
        from tensorflow.keras.layers import Dense
        layer = Dense(1)
    """
    found = lint(text, {"KRS503"})
    assert len(found) == 1 and found[0].fix is None


# -- KRS504 / KRS505: JAX only ----------------------------------------------------------------

TWO_FITS = """\
{header}
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.fit(np.zeros((2, 2)), np.zeros((2, 1)))
model.fit(np.zeros((2, 2)), np.zeros((2, 1)))
"""


def test_fit_shuffle_only_on_jax():
    assert lint(TWO_FITS.format(header="import os"), {"KRS504"}) == []
    assert len(lint(TWO_FITS.format(header="import os"), {"KRS504"}, backends=("jax",))) == 1
    assert len(lint(TWO_FITS.format(header="import jax"), {"KRS504"})) == 1
    header = 'import os\nos.environ["KERAS_BACKEND"] = "jax"'
    found = lint(TWO_FITS.format(header=header), {"KRS504"})
    assert positions(found) == [(7, 1, "KRS504")]


def test_fit_shuffle_fix_uses_first_seed_literal_or_zero():
    out = fixed(TWO_FITS.format(header="import jax"), {"KRS504"})
    assert out.endswith("keras.utils.set_random_seed(0)\nmodel.fit(np.zeros((2, 2)), np.zeros((2, 1)))\n")
    seeded = TWO_FITS.format(header="import jax\nimport tensorflow as tf\ntf.random.set_seed(5)")
    assert "keras.utils.set_random_seed(5)\nmodel.fit" in fixed(seeded, {"KRS504"})


LAYER = """\
{header}
import keras
class Noise(keras.layers.Layer):
    def call(self, x):
        return x + keras.random.normal(keras.ops.shape(x))
"""


def test_random_op_in_call_only_on_jax():
    assert lint(LAYER.format(header="import os"), {"KRS505"}) == []
    found = lint(LAYER.format(header="import jax"), {"KRS505"})
    assert positions(found) == [(5, 20, "KRS505")]
    assert found[0].fix is None


def test_back_to_back_seeding_is_one_site_but_separate_sites_are_each_reported():
    text = """\
        import numpy as np
        import tensorflow as tf
        np.random.seed(1)
        tf.random.set_seed(1)
        a = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        np.random.seed(2)
        b = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        np.random.seed()
        c = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    """
    assert positions(lint(text, {"KRS503"})) == [(3, 1, "KRS503"), (6, 1, "KRS503")]


def test_seeding_inside_a_data_function_is_not_reported():
    text = """\
        import numpy as np
        import tensorflow as tf

        def split(items):
            np.random.seed(0)
            np.random.shuffle(items)
            return items

        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    """
    assert lint(text, {"KRS503"}) == []
