"""Every rule program is flagged by its own rule (the program shows that rule's pattern)."""

import os

import pytest

from harness import PROGRAMS, findings


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(PROGRAMS) if n.startswith("KRS") and n.endswith(".py")))
def test_program_is_flagged_by_its_rule(name):
    from keras3_lint.registry import rule_by_code

    code = name[:-3]
    rule = rule_by_code(code)
    assert rule is not None, f"programs/{name}: {code} is not a rule"
    # Rules for other backends only (e.g. JAX) fire when the code targets that backend.
    backends = () if "tensorflow" in rule.backends else tuple(rule.backends[:1])
    assert findings(name, code, backends), f"keras3-lint does not report {code} on programs/{name}"
