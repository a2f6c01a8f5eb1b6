"""KRS106 (issues 9 and 10): the added K.* rewrites, `import keras` added where the file has none,
`set_learning_phase(0)` removed, monkeypatched backend names, and a route in every message that
comes without a fix."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from keras3_lint.config import Settings
from keras3_lint.fixer import fix_text
from keras3_lint.runner import check_text

CODES = frozenset({"KRS106"})
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def lint(text):
    return check_text(textwrap.dedent(text), Settings(), CODES)


def fixed(text):
    source = textwrap.dedent(text)
    return fix_text(source, lambda t: check_text(t, Settings(), CODES), True).text


@pytest.mark.parametrize(
    "call, rewrite",
    [
        ("K.l2_normalize(inputs, axis=1)", "keras.ops.normalize(inputs, axis=1, epsilon=1e-6)"),
        ("K.int_shape(inputs)", "tuple(inputs.shape)"),
        ("K.variable(0.5)", "keras.Variable(0.5, dtype=keras.config.floatx())"),
        ("K.cast(y_pred < 0.5, y_true.dtype)", "keras.ops.cast(y_pred < 0.5, y_true.dtype)"),
        ("K.relu(-inputs)", "keras.ops.relu(-inputs)"),
        ("K.ndim(inputs)", "len(inputs.shape)"),
    ],
)
def test_rewrite_adds_import_keras_when_the_file_has_none(call, rewrite):
    # mnist_siamese.py / antirectifier.py: `from keras import backend as K`, no `import keras`.
    source = f"""\
        from keras.models import Model
        from keras import backend as K


        def metric(y_true, y_pred, inputs):
            return {call}
        """
    text = fixed(source)
    assert f"return {rewrite}\n" in text
    if "keras." in rewrite:
        assert "\nimport keras\n" in text
    assert "K." not in text.split("def metric", 1)[1]


def test_nested_calls_are_all_rewritten():
    text = fixed("""\
        from keras import backend as K
        acc = K.mean(K.equal(y_true, K.cast(y_pred < 0.5, y_true.dtype)))
        """)
    assert text.endswith("acc = keras.ops.mean(keras.ops.equal(y_true, keras.ops.cast(y_pred < 0.5, y_true.dtype)))\n")


def test_set_learning_phase_zero_is_removed_at_top_level_only():
    source = """\
        from keras import backend as K
        K.set_learning_phase(0)  # inference
        model = build()
        if ready:
            K.set_learning_phase(0)
        K.set_learning_phase(1)
        """
    text = fixed(source)
    assert text == textwrap.dedent("""\
        from keras import backend as K
        model = build()
        if ready:
            K.set_learning_phase(0)
        K.set_learning_phase(1)
        """)
    messages = [d.message for d in lint(source)]
    assert "the unsafe fix removes the call" in messages[0]
    assert all("training=True" in m and "no automatic fix" in m for m in messages[1:])


def test_set_learning_phase_false_keyword_is_removed():
    assert fixed("import keras.backend as K\nK.set_learning_phase(value=False)\nx = 1\n") == "import keras.backend as K\nx = 1\n"


def test_relu_with_alpha_says_why_there_is_no_fix():
    (finding,) = lint("from keras import backend as K\ny = K.relu(x, alpha=0.1)\n")
    assert finding.fix is None
    assert "no automatic fix for this call: `keras.ops.relu` has no counterpart for `alpha=`" in finding.message


@pytest.mark.parametrize(
    "target",
    ["K.gradients = f", "K.gradients += f", "K.gradients: object = f", "K.gradients, K.mean = f, g", "[K.gradients, *rest] = fs"],
)
def test_assignment_targets_are_not_reported(target):
    assert lint(f"from keras import backend as K\n{target}\ny = K.gradients(loss, x)\n") == []


def test_other_backend_names_are_still_reported_in_a_patching_file():
    findings = lint("from keras import backend as K\nK.gradients = f\ny = K.placeholder(shape=(2,))\n")
    assert [f.message.split("`")[1] for f in findings] == ["keras.backend.placeholder"]


def _removed_backend_functions():
    with open(os.path.join(ROOT, "keras3_lint", "data", "api_table.json"), encoding="utf-8") as handle:
        symbols = json.load(handle)["symbols"]
    return sorted(
        path.split(".", 1)[1]
        for path, entry in symbols.items()
        if path.startswith("backend.") and "." not in path.split(".", 1)[1] and entry.get("kind") == "function"
    )


def test_every_finding_without_a_fix_says_so_and_what_to_do():
    names = _removed_backend_functions()
    assert len(names) > 100
    source = "from keras import backend as K\n" + "".join(f"r{i} = K.{name}(x)\n" for i, name in enumerate(names))
    findings = lint(source)
    assert len(findings) == len(names)
    for finding in findings:
        if finding.fix is None:
            tail = finding.message.split("; ", 1)[1]
            assert "no automatic fix" in tail, finding.message
            route = tail.split("no automatic fix", 1)[1]
            assert "most `keras.backend` functions moved" not in route and len(route) > 20, finding.message
        else:
            assert "no automatic fix" not in finding.message, finding.message


def test_gradients_message_names_gradient_tape():
    (finding,) = lint("import keras.backend as K\ng = K.gradients(loss, x)\n")
    assert finding.fix is None
    assert "no automatic fix" in finding.message and "tf.GradientTape" in finding.message and "train_step" in finding.message


def test_import_of_a_function_whose_calls_need_a_rewrite_says_how():
    findings = lint("from keras.backend import relu\ny = relu(x)\n")
    (finding,) = findings
    assert finding.fix is None
    assert "no automatic fix for the import" in finding.message and "`keras.ops.relu(...)`" in finding.message
