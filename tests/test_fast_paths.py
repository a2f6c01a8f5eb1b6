"""Shortcuts taken for speed must answer exactly what the slow path answered."""

import pytest

from keras3_lint.config import _matches_any
from keras3_lint.project.facts import _FACT_HINT, _may_state_facts


@pytest.mark.parametrize(
    "data",
    [
        b"np.random.seed(0)", b"tf.random.set_seed (1)", b"set_random_seed\n(2)", b"seed(3)",
        b"random_seed(4)", b"a.seed", b"reseed(5)", b"my_set_seed(6)", b"os.environ['KERAS_BACKEND']",
        b"keras.config.set_backend", b"", b"seed (seed(.seed(", b"x = seed\t\t(", b".seed\x00(",
    ],
)
def test_fact_prefilter_agrees_with_the_regex(data):
    assert _may_state_facts(data) == bool(_FACT_HINT.search(data))


@pytest.mark.parametrize(
    "rel, patterns, expected",
    [
        ("a/build/x.py", ("build",), True),
        ("a/builder/x.py", ("build",), False),
        ("a/b/x.py", ("a/b",), True),
        ("a/b/x.py", ("./a/b/",), True),
        ("a/b/x.py", ("b/x.py",), False),
        ("a/venv2/x.py", ("venv*",), True),
    ],
)
def test_exclude_patterns(rel, patterns, expected):
    assert _matches_any(rel, patterns) is expected
