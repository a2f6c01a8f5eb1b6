"""KRS732 on tensorflow 2.21.0 / keras 3.15.1: string comparisons of versions give the wrong answer."""

from harness import cached, findings, fixed, run


def test_krs732_version_strings_compare_wrong_on_two_digit_minors():
    k3 = cached("KRS732.py").ok()
    assert k3["tf_version"] == "2.21.0" and k3["keras_version"] == "3.15.1"
    assert k3.error("tf_assert") == "AssertionError: "
    assert k3.value("keras_compare", "new_keras") is False
    assert k3.value("parsed", "tf") is True and k3.value("parsed", "keras") is True
    found = findings("KRS732.py", "KRS732")
    assert [f["location"]["row"] for f in found] == [10, 12]
    assert "'2.21.0' >= '2.4'` is False" in found[0]["message"]
    # The unsafe fix compares parsed versions (`packaging` comes with keras and tensorflow).
    after = run(fixed("KRS732.py", "KRS732")).ok()
    assert after.value("tf_assert")["ok"] is True
    assert after.value("keras_compare", "new_keras") is True
