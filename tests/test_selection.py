"""Rule selection: opt-in rules (KRS804) are enabled only by their exact code."""

from __future__ import annotations

import json

import pytest

from cli_support import run, write
from keras3_lint.registry import all_rules, rule_codes
from keras3_lint.selection import OPT_IN, enabled_codes

CODES = rule_codes()
TF_KERAS_FILE = "import tf_keras\nimport tensorflow as tf\n\nlayer = tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))\n"


@pytest.mark.parametrize(
    "select, ignore, extend, enabled",
    [
        (None, (), (), False),  # the default (KRS)
        (["ALL"], (), (), False),
        (["KRS"], (), (), False),
        (["KRS8"], (), (), False),
        (["KRS80"], (), (), False),
        (["KRS804"], (), (), True),
        (None, (), ["KRS804"], True),
        (None, (), ["KRS8"], False),
        (["KRS804"], ["KRS804"], (), False),  # equal specificity: ignore wins
        (["KRS804"], ["KRS8"], (), True),  # the more specific selector wins
        (["KRS804"], ["ALL"], (), True),
    ],
)
def test_opt_in_rule_needs_its_exact_code(select, ignore, extend, enabled):
    assert ("KRS804" in enabled_codes(CODES, select, ignore, extend)) is enabled


def test_prefixes_still_select_every_other_rule():
    for selector in (None, ["ALL"], ["KRS"], ["KRS8"]):
        found = enabled_codes(CODES, selector)
        assert {"KRS801", "KRS802", "KRS803"} <= found
        assert found.isdisjoint(OPT_IN)
    assert enabled_codes(CODES, ["ALL"]) == set(CODES) - OPT_IN


def test_opt_in_list_matches_the_rule_classes():
    assert {rule.code for rule in all_rules() if rule.opt_in} == set(OPT_IN) == {"KRS804"}


def test_cli_and_config_enable_krs804_only_by_name(tmp_path):
    write(tmp_path / "m.py", TF_KERAS_FILE)

    def codes(*args):
        proc = run("m.py", "--output-format", "json", "--no-cache", *args, cwd=tmp_path)
        return {f["code"] for f in json.loads(proc.stdout)}

    assert "KRS804" not in codes()
    assert "KRS804" not in codes("--select", "ALL")
    assert "KRS804" in codes("--select", "KRS804")
    assert codes("--extend-select", "KRS804") >= {"KRS804", "KRS201"}
    write(tmp_path / "pyproject.toml", '[tool.keras3-lint]\nextend-select = ["KRS804"]\n')
    assert codes() >= {"KRS804", "KRS201"}
