"""keras3_lint.values: the literal tail of a built path, read where the rules read it.

Each snippet marks the expression to ask about with ``probe(EXPR)``; a probe visitor sharing the
engine's single visit with the resolver records what ``text_value`` says at that point (the use is
the probe call, as the saving rules pass their call).
"""

from __future__ import annotations

import textwrap
from typing import List, Optional

import libcst as cst
import pytest

from keras3_lint.engine import _Dispatcher
from keras3_lint.resolver import Resolver
from keras3_lint.values import TextValue, text_value


class _Probe:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.seen: List[Optional[TextValue]] = []

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "probe":
            self.seen.append(text_value(self.resolver, node.args[0].value, node))


def probe_all(source: str) -> List[Optional[TextValue]]:
    module = cst.parse_module(textwrap.dedent(source))
    resolver = Resolver(module)
    visitor = _Probe(resolver)
    module.visit(_Dispatcher(resolver, [visitor]))
    assert visitor.seen, "the snippet has no probe(...)"
    return visitor.seen


def probe(source: str) -> Optional[TextValue]:
    return probe_all(source)[-1]


def summary(value: Optional[TextValue]):
    """(tail, complete, certain), or None for nothing known."""
    if value is None:
        return None
    if value.options:
        return ("options", tuple(summary(o) for o in value.options), value.certain)
    return (value.tail, value.complete, value.certain)


@pytest.mark.parametrize(
    "source, expected",
    [
        ('probe("my_model")', ("my_model", True, True)),
        ('probe("models/" "final")', ("models/final", True, True)),
        ('probe(f"{out}/model")', ("/model", False, True)),
        ('probe(f"{out}/model.{{epoch}}.h5")', ("/model.{epoch}.h5", False, True)),
        ('probe(rf"{out}\\model")', ("\\model", False, True)),
        ('probe(f"{out}")', None),
        ('probe(f"{out}/{name}")', None),
        ('probe(f"{out!r}.h5")', (".h5", False, True)),
        ('probe("%s/model" % out)', ("/model", False, True)),
        ('probe("%s/model_%d" % (out, 3))', ("0", False, True)),  # a number: one digit stands for it
        ('probe("%s/w-%03d.h5" % (out, 3))', ("0.h5", False, True)),
        ('probe("%s/model_%s" % (out, name))', None),
        ('probe(f"{out}/w-{epoch:04d}.h5")', ("0.h5", False, True)),
        ('probe(f"{out}/w-{epoch:{width}d}.h5")', (".h5", False, True)),
        ('probe("{}/w-{:02d}.h5".format(out, epoch))', ("0.h5", False, True)),
        ('probe("{}/model_{:d}".format(out, epoch))', ("0", False, True)),
        ('probe("%s/model_%%" % out)', ("/model_%", False, True)),
        ('probe("{}/model".format(out))', ("/model", False, True)),
        ('probe("{out}/model.h5".format(out=out))', ("/model.h5", False, True)),
        ('probe("{}/{}".format(out, name))', None),
        ('probe("model{{x}}".format())', ("model{x}", True, True)),
        ('probe(out + "/model")', ("/model", False, True)),
        ('probe("a/" + "model")', ("a/model", True, True)),
        ('probe(out + name)', None),
        ("import os\nprobe(os.path.join(out, 'model'))", ("/model", False, True)),
        ("import os\nprobe(os.path.join('out', 'model'))", ("out/model", True, True)),
        ("import os\nprobe(os.path.join(out, name))", None),
        ("from os.path import join\nprobe(join(out, 'm.h5'))", ("/m.h5", False, True)),
        ("import tensorflow as tf\nprobe(tf.io.gfile.join(out, 'model'))", ("/model", False, True)),
        ("import pathlib\nprobe(pathlib.Path(out) / 'model')", ("/model", False, True)),
        ("from pathlib import Path\nprobe(Path('out') / 'model.keras')", ("out/model.keras", True, True)),
        ("from pathlib import Path\nprobe(Path(out).joinpath('runs', 'model'))", ("/model", False, True)),
        ("from pathlib import Path\nprobe(Path(out, 'model').with_suffix('.h5'))", (".h5", False, True)),
        ("from pathlib import Path\nprobe(str(Path(out) / 'model'))", ("/model", False, True)),
        ("from pathlib import Path\nprobe((Path(out) / 'model').resolve())", ("/model", False, True)),
        ("import os\nprobe(os.path.abspath(os.path.join(out, 'model')))", ("/model", False, True)),
        ("probe(input('path? '))", None),
        ("probe(args.model_dir)", None),
        ("probe(get_path())", None),
        ("probe(7)", None),
    ],
)
def test_builders(source, expected):
    assert summary(probe(source)) == expected


def test_names_follow_assignments_in_scope_module_and_closure():
    values = probe_all("""
        import os
        EXPORT = os.path.join(ROOT, "export")
        def save(model, out):
            path = os.path.join(out, "model")
            probe(path)
            probe(EXPORT)
            def inner():
                probe(path)
        name = "final"
        probe(f"{name}")
        probe(f"runs/{name}")
    """)
    assert [summary(v) for v in values] == [
        ("/model", False, True), ("/export", False, True), ("/model", False, True),
        ("final", True, True), ("runs/final", True, True),
    ]


def test_rebinding_from_the_previous_value():
    assert summary(probe("""
        import os
        path = "runs"
        path = os.path.join(path, "model.keras")
        probe(path)
    """)) == ("runs/model.keras", True, True)


def test_a_branch_the_use_may_skip_gives_options():
    value = probe("""
        path = "model.h5"
        if fmt == "tf":
            path = "saved_model"
        probe(path)
    """)
    assert summary(value) == ("options", (("saved_model", True, True), ("model.h5", True, True)), False)
    assert value.ends_with((".h5",)) is None
    assert value.lacks((".h5", ".keras"))


def test_if_else_and_try_except_give_options():
    value = probe("""
        if fmt == "tf":
            path = "saved_model"
        else:
            path = "model.keras"
        probe(path)
    """)
    assert value.options and not value.certain
    assert value.lacks((".keras",)) and value.ends_with((".keras",)) is None
    value = probe("""
        try:
            path = compute()
        except Exception:
            path = "fallback"
        probe(path)
    """)
    assert summary(value) == ("options", (("fallback", True, True), None), False)


def test_an_assignment_in_the_same_block_as_the_use_is_certain():
    values = probe_all("""
        if export:
            path = "saved_model"
            probe(path)
        for epoch in range(3):
            with scope():
                path = f"runs/{epoch}/model"
            probe(path)
        with scope():
            other = "exported"
        probe(other)
    """)
    assert [summary(v) for v in values] == [("saved_model", True, True), ("/model", False, True), ("exported", True, True)]


def test_an_assignment_only_in_a_branch_is_certain_when_nothing_came_before():
    # Without the branch the name would be unbound: when the use runs, it has this value.
    assert summary(probe("""
        if export:
            path = "saved_model"
        probe(path)
    """)) == ("saved_model", True, True)


def test_or_and_conditional_expressions_give_options():
    value = probe('probe(args.out or "saved_model")')
    assert summary(value) == ("options", (None, ("saved_model", True, True)), False)
    value = probe('probe("a.keras" if keras3 else "a")')
    assert value.lacks((".keras",)) and value.ends_with((".keras",)) is None


def test_parameter_defaults_are_one_possible_value():
    values = probe_all("""
        import os
        DEFAULT = "exports"
        def save(model, path="saved_model", folder=DEFAULT, name=None):
            probe(path)
            probe(os.path.join(folder, "m.h5"))
            probe(folder)
            probe(name)
        def save2(model, path):
            probe(path)
        def save3(model, path="saved_model"):
            for path in paths:
                probe(path)
        def save4(model, path="saved_model"):
            path = path or "other"
            probe(path)
    """)
    assert [summary(v) for v in values] == [
        ("saved_model", True, False),
        ("/m.h5", False, True),
        ("exports", True, False),
        None,
        None,
        None,
        ("options", (("saved_model", True, False), ("other", True, True)), False),
    ]


def test_tf_checkpoint_prefixes_are_marked_by_their_producer():
    values = probe_all("""
        import tensorflow as tf
        probe(tf.train.latest_checkpoint("ckpt"))
        latest = tf.train.latest_checkpoint(checkpoint_dir)
        probe(latest)
        manager = tf.train.CheckpointManager(ckpt, "ckpt", max_to_keep=3)
        probe(manager.latest_checkpoint)
    """)
    producers = [v.producer for v in values]
    assert producers == [
        "tensorflow.train.latest_checkpoint",
        "tensorflow.train.latest_checkpoint",
        "tensorflow.train.CheckpointManager().latest_checkpoint",
    ]
    assert all(v.ends_with((".h5",)) is None and not v.lacks((".h5",)) for v in values)


def test_keys_match_the_same_built_path():
    values = probe_all("""
        import os
        out = os.path.join(d, "model")
        probe(out)
        probe(out)
        probe(os.path.join(d, "model"))
        probe(os.path.join(d,"model"))
        probe(f"{d}/model")
        probe("model")
    """)
    keys = [v.key for v in values]
    assert keys[0] == keys[1] == keys[2] == keys[3] == 'code:os.path.join(d,"model")'
    assert keys[4] == 'code:f"{d}/model"'
    assert keys[5] == "=model"


def test_edit_targets_are_the_literal_tails():
    values = probe_all("""
        import os
        from pathlib import Path
        probe(f"{d}/model")
        probe(os.path.join(d, "model"))
        probe(Path(d) / "model")
        probe("%s/model" % d)
        probe(f"{d}/model_{epoch}")
        name = "model"
        probe(f"{d}/{name}")
    """)
    assert values[4] is None  # ends in an expression: nothing to edit
    code = [cst.Module([]).code_for_node(v.literal) for v in values if v is not None]
    assert code == ['f"{d}/model"', '"model"', '"model"', '"%s/model"', '"model"']


def test_a_formatted_number_decides_the_weights_extension():
    for expr in ('"w-%d.h5" % epoch', 'f"w-{epoch:02d}.h5"', '"w-{:02d}.h5".format(epoch)'):
        value = probe(f"probe({expr})")
        assert value.ends_with((".weights.h5",)) is False and value.ends_with((".h5",)) is True, expr
    assert probe('probe("w-%s.h5" % name)').ends_with((".weights.h5",)) is None  # "%s" may be "x.weights"


def test_nothing_is_known_past_unknown_calls_and_subscripts():
    for expr in ("paths[0]", "cfg['path']", "self.path", "tempfile.mkdtemp()", "os.getcwd()"):
        value = probe(f"import os, tempfile\nprobe({expr})")
        assert value is None or (value.ends_with((".keras",)) is None and not value.lacks((".keras",))), expr


# -- the saving rules on built paths ------------------------------------------------------------

import json  # noqa: E402

from keras3_lint.config import Settings  # noqa: E402
from keras3_lint.notebook import lint_notebook_text  # noqa: E402
from keras3_lint.runner import check_text  # noqa: E402


def lint(code, source):
    return check_text(textwrap.dedent(source), Settings(root="."), frozenset({code}))


MODEL = """
    import os
    from pathlib import Path
    import tensorflow as tf
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
"""


def test_a_fully_determined_built_tail_is_high_with_a_fix_on_the_tail_literal():
    (found,) = lint("KRS701", MODEL + '    model.save(os.path.join(out_dir, "model"))\n')
    assert found.confidence == "high"
    assert found.fix.applicability == "unsafe"
    assert [e.content for e in found.fix.edits] == ['"model.keras"']


def test_one_branch_without_extension_is_medium_and_not_fixed():
    (found,) = lint("KRS701", MODEL + """
    if fmt == "keras":
        path = "model.keras"
    else:
        path = "saved_model"
    model.save(path)
    """)
    assert found.confidence == "medium" and found.fix is None
    assert "the path" in found.message
    assert lint("KRS701", MODEL + """
    path = "model.h5" if legacy else "model.keras"
    model.save(path)
    """) == []


def test_a_parameter_default_is_medium():
    (found,) = lint("KRS701", MODEL + """
    def export(path="saved_model"):
        tf.keras.models.save_model(model, path)
    """)
    assert found.confidence == "medium"
    assert lint("KRS701", MODEL + """
    def export(path):
        tf.keras.models.save_model(model, path)
    """) == []


def test_save_weights_through_a_builder_is_renamed_unsafely_with_its_load():
    (found,) = lint("KRS703", MODEL + """
    model.save_weights(os.path.join(run_dir, "w.h5"))
    model.load_weights(os.path.join(run_dir, "w.h5"))
    """)
    # A folder part: Keras 3's `.weights.h5` writer does not create it (KRS703's docs), so unsafe.
    assert found.fix.applicability == "unsafe"
    assert [e.content for e in found.fix.edits] == ['"w.weights.h5"', '"w.weights.h5"']


def test_modelcheckpoint_through_a_builder_keeps_the_safe_rename():
    (found,) = lint("KRS704", MODEL + """
    cb = tf.keras.callbacks.ModelCheckpoint(str(Path(run_dir) / "ckpt"), save_weights_only=True)
    """)
    assert found.confidence == "high" and found.fix.applicability == "safe"
    assert [e.content for e in found.fix.edits] == ['"ckpt.weights.h5"']


def test_load_weights_of_a_latest_checkpoint_variable():
    (found,) = lint("KRS706", MODEL + """
    latest = tf.train.latest_checkpoint(checkpoint_dir)
    model.load_weights(latest)
    """)
    assert "tf.train.latest_checkpoint()" in found.message and found.confidence == "high"
    (found,) = lint("KRS706", MODEL + """
    latest = tf.train.latest_checkpoint(checkpoint_dir) if resume else "w.weights.h5"
    model.load_weights(latest)
    """)
    assert found.confidence == "medium"
    assert lint("KRS706", MODEL + "    model.load_weights(tf.io.gfile.glob(pattern)[0])\n") == []


def test_no_finding_for_a_save_on_something_else():
    assert lint("KRS701", MODEL + """
    import numpy as np
    np.save(os.path.join(out_dir, "array"), np.zeros(2))
    frame.save(os.path.join(out_dir, "table"))
    """) == []


def notebook(*sources):
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s} for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_a_path_assigned_in_an_earlier_notebook_cell():
    text = notebook(
        "import os\nimport tensorflow as tf\nEXPORT_DIR = os.path.join('drive', 'exports')\n",
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n",
        "export_path = os.path.join(EXPORT_DIR, 'model_v1')\nmodel.save(export_path)\n",
    )
    found = lint_notebook_text(text, Settings(), frozenset({"KRS701"}), "nb.ipynb")
    assert [(d.cell, d.row, d.code, d.confidence) for d in found] == [(3, 2, "KRS701", "high")]


class _Project:
    """What the project index answers for module constants of other files."""

    def __init__(self, constants):
        self.constants = constants

    def constant(self, qualified):
        return self.constants.get(qualified)

    def expand(self, qualified):  # the resolver's question about re-exported names: none here
        return qualified


def test_a_constant_imported_from_another_project_module():
    source = textwrap.dedent("""
        import os
        import config
        from config import EXPORT_DIR, WEIGHTS
        probe(EXPORT_DIR)
        probe(os.path.join(EXPORT_DIR, "model"))
        probe(WEIGHTS)
        probe(config.EXPORT_DIR)
    """)
    module = cst.parse_module(source)
    resolver = Resolver(module)
    resolver.project = _Project({"config.EXPORT_DIR": "exports/savedmodel"})
    visitor = _Probe(resolver)
    module.visit(_Dispatcher(resolver, [visitor]))
    first, joined, unknown, attribute = visitor.seen
    assert summary(first) == ("exports/savedmodel", True, True) and first.literal is None  # not editable here
    assert summary(joined) == ("exports/savedmodel/model", True, True) and joined.literal is not None
    assert unknown is None
    assert summary(attribute) == ("exports/savedmodel", True, True)


def test_a_file_that_writes_the_h5_itself_is_not_loading_a_keras2_file():
    # `model` is a parameter of unknown type: its `.save` is not a Keras save KRS701 reports, but
    # the file writes that path, so on Keras 3 it loads a Keras 3 file.
    source = MODEL + """
    def round_trip(net, folder):
        path = os.path.join(folder, "tmp_%f.h5" % 0.5)
        net.save(path)
        return tf.keras.models.load_model(path)
    """
    assert lint("KRS707", source) == []
    assert len(lint("KRS707", source.replace("        net.save(path)\n", ""))) == 1


def test_a_parameter_default_never_gets_a_safe_rename():
    (found,) = lint("KRS703", MODEL + """
    def save(path="weights"):
        model.save_weights(path)
        model.load_weights(path)
    """)
    assert found.confidence == "medium" and found.fix.applicability == "unsafe"
    (found,) = lint("KRS704", MODEL + """
    def callback(path="ckpt"):
        return tf.keras.callbacks.ModelCheckpoint(path, save_weights_only=True)
    """)
    assert found.confidence == "medium" and found.fix.applicability == "unsafe"


def test_a_loop_assignment_may_not_run():
    value = probe("""
        path = "model.keras"
        for name in names:
            path = name
        probe(path)
    """)
    assert value.options and not value.certain
    value = probe("""
        path = "model.keras"
        for epoch in range(3):
            path = f"runs/{epoch}/model"
        probe(path)
    """)
    assert value.lacks((".keras",)) and value.ends_with((".keras",)) is None


def test_a_template_from_a_parameter_default_stays_uncertain():
    values = probe_all("""
        def save(fmt="%s/model", template="{}/model"):
            probe(fmt % out)
            probe(template.format(out))
    """)
    assert [summary(v) for v in values] == [("/model", False, False), ("/model", False, False)]


def test_every_branch_without_extension_is_high():
    (found,) = lint("KRS705", MODEL + """
    if os.path.exists("model_dir"):
        path = "model_dir"
    else:
        path = "../model_dir"
    restored = tf.keras.models.load_model(path)
    """)
    assert found.confidence == "high" and "this path" in found.message


def test_a_default_the_function_tests_is_a_mode_not_a_path():
    # Keras applications: `weights="imagenet"` never reaches `load_weights` (the elif).
    assert lint("KRS706", MODEL + """
    def backbone(weights="imagenet"):
        if weights == "imagenet":
            model.load_weights(download())
        elif weights is not None:
            model.load_weights(weights)
    """) == []
    assert summary(probe("""
        def save(model, path="saved_model"):
            if not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path))
            probe(path)
    """)) is None
