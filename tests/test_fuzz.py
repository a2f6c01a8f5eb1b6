"""Fuzzing: generated Python programs with Keras imports go through lint -> fix (unsafe fixes
too) -> re-parse without an exception, and the fixed text always parses.

A few dozen examples in the normal suite (derandomized, a few seconds); set
``KERAS3_LINT_FUZZ_EXAMPLES=2000`` for a real run (random seeds, many more examples).
"""

from __future__ import annotations

import os

import libcst as cst
import pytest

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from keras3_lint.config import Settings  # noqa: E402
from keras3_lint.fixer import fix_text  # noqa: E402
from keras3_lint.registry import all_codes  # noqa: E402
from keras3_lint.runner import check_text, enabled_for  # noqa: E402

EXAMPLES = int(os.environ.get("KERAS3_LINT_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(
    max_examples=EXAMPLES or 25,
    deadline=None,
    derandomize=not EXAMPLES,
    database=None,
    suppress_health_check=list(HealthCheck),
)

SETTINGS = Settings(root=".", backends=("tensorflow", "jax", "torch"))
ENABLED = enabled_for(SETTINGS, all_codes(), select=("ALL",))

# Prefixes: how real files reach Keras, plus lines every family of rules reacts to, so the
# generated code sits next to findings that have fixes.
PREFIXES = [
    "import keras\n",
    "import tensorflow as tf\nfrom tensorflow import keras\n",
    "from tensorflow.keras import layers, models\nimport tensorflow as tf\n",
    "import keras\nm = keras.Sequential([keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))])\n",
    "import tensorflow as tf\ntf.random.set_seed(1)\nx = tf.keras.layers.Dense(3, kernel_initializer='glorot_uniform')\n",
    "import os\nimport keras\nos.environ['TF_USE_LEGACY_KERAS'] = '1'\nmodel = keras.models.load_model('m')\nmodel.save('out')\n",
    "import tensorflow_hub as hub\nimport tensorflow as tf\nm = tf.keras.Sequential([hub.KerasLayer('u')])\n",
]


def lint(text):
    return check_text(text, SETTINGS, ENABLED, "fuzz.py")


def parses(text: str) -> bool:
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    return True


def roundtrip(prefix: str, program: str) -> None:
    # the findings before the generated code, and after it (an import after arbitrary code)
    for text in (prefix + program, program + "\n" + prefix):
        lint(text)
        before = parses(text)
        outcome = fix_text(text, lint, unsafe_fixes=True)
        if before:
            assert parses(outcome.text), (text, outcome.text)
            lint(outcome.text)  # lints without an exception too
        else:
            assert outcome.text == text  # nothing is fixed in a file that does not parse


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), program=hypothesmith.from_grammar())
def test_generated_programs_from_grammar(prefix, program):
    roundtrip(prefix, program)


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), node=hypothesmith.from_node())
def test_generated_programs_from_node(prefix, node):
    roundtrip(prefix, node)
