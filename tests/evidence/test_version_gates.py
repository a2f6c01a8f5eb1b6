"""Version-gated facts on both sides of their boundary, each keras in its own environment.

RAG-1 (keras 3.9) is in test_ragged.py. SEQ-1 (keras 3.12): compiled `accuracy` counts padded
positions on 3.0-3.11 (no rule yet; replica of KERAS3_FACTS SEQ-1).
"""

from harness import cached, close


def test_seq1_masked_accuracy_counts_padding_before_3_12():
    k2 = cached("SEQ1.py", keras="2").ok()
    old = cached("SEQ1.py", old="3.11.0").ok()
    new = cached("SEQ1.py").ok()
    assert old["keras"] == "3.11.0" and new["keras"] == "3.15.1"
    for r in (k2, old, new):
        assert r["masked_accuracy"] != r["unmasked_accuracy"], r.label
        assert close(r["loss"], k2["loss"], tol=1e-5), r.label  # same training everywhere
    assert close(k2["reported_accuracy"], k2["masked_accuracy"])
    assert close(new["reported_accuracy"], new["masked_accuracy"])
    assert close(old["reported_accuracy"], old["unmasked_accuracy"])  # padding counted
