"""KRS728 on tensor input: the old `.astype("float32")` fix broke working code (a Keras 3 tensor has
no `.astype`); the real break is a tensor without `num_classes`, which the rule now reports."""

from harness import assert_quoted, findings, run


def test_krs728_tensor_result_is_float32_has_no_astype_and_needs_num_classes():
    k2 = run("tensor_to_categorical_krs728.py", keras="2").ok()
    k3 = run("tensor_to_categorical_krs728.py").ok()
    assert k2.value("with_classes", "dtype") == "float32"
    assert k3.value("with_classes", "dtype") == "float32"  # nothing to convert on Keras 3
    assert k3.value("with_classes", "type") == "EagerTensor"
    assert "has no attribute 'astype'" in k3.error("astype")  # why the fix may not touch tensors
    assert k2.value("without_classes", "shape") == [3, 3]
    assert_quoted("KRS728", k3.error("without_classes"), "ValueError: Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")
    found = findings("tensor_to_categorical_krs728.py", "KRS728")
    # Only the call without num_classes, and no fix offered on a tensor.
    assert [(f["location"]["row"], f["fix"]) for f in found] == [(15, None)]
