"""Fixes use only names bound where they edit, or add the import before the edit themselves.

A notebook runs its cells in order, so an import in a later cell (or, in a script, below the
edited statement) does not exist yet when the edited code runs: `Context.keras_reference` skips
such bindings and `Context.add_import(..., at=node)` puts a new import before the edited
top-level statement when the module's last import comes after it."""

from __future__ import annotations

import textwrap

from keras3_lint.config import Settings
from keras3_lint.notebook import fix_notebook_text, read_notebook
from keras3_lint.fixer import fix_text
from keras3_lint.runner import check_text

from test_notebooks import notebook

LAYERS = "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import LSTM, Dense\n"
MODEL = "model = Sequential([LSTM(4, batch_input_shape=(1, 10, 3), stateful=True), Dense(1)])\n"


def fix_py(source: str, code: str = "KRS201") -> str:
    source = textwrap.dedent(source)
    enabled = frozenset({code})
    return fix_text(source, lambda text: check_text(text, Settings(), enabled, "x.py"), unsafe_fixes=True).text


def fix_nb(*cells, code: str = "KRS201"):
    outcome = fix_notebook_text(notebook(*cells), Settings(), frozenset({code}), unsafe_fixes=True, path="nb.ipynb")
    return [c.text for c in read_notebook(outcome.text).cells]


def test_notebook_import_in_a_later_cell_is_not_used_the_import_goes_into_the_edited_cell():
    cells = fix_nb([LAYERS], [MODEL], ["from tensorflow.keras.layers import Input\n", "print(Input)\n"])
    assert cells == [
        LAYERS,
        "from tensorflow.keras import Input\n"
        "model = Sequential([Input(batch_shape=(1, 10, 3)), LSTM(4, stateful=True), Dense(1)])\n",
        "from tensorflow.keras.layers import Input\nprint(Input)\n",
    ]


def test_notebook_reference_through_a_later_cells_module_import_is_not_used():
    # `tf` is imported only in the last cell: `tf.keras.Input` would be a NameError in cell 2.
    cells = fix_nb([LAYERS], [MODEL], ["import tensorflow as tf\n"])
    assert cells[1].startswith("from tensorflow.keras import Input\nmodel = Sequential([Input(batch_shape=")


def test_notebook_earlier_cell_binding_is_used():
    cells = fix_nb(["import tensorflow as tf\n" + LAYERS], [MODEL])
    assert cells[1] == "model = Sequential([tf.keras.Input(batch_shape=(1, 10, 3)), LSTM(4, stateful=True), Dense(1)])\n"


def test_import_next_to_an_earlier_cells_imports_when_they_come_first():
    cells = fix_nb([LAYERS], [MODEL], ["print(model)\n"])
    assert cells[0] == LAYERS.replace("\nfrom tensorflow.keras.layers", "\nfrom tensorflow.keras import Input\nfrom tensorflow.keras.layers")
    assert cells[1] == "model = Sequential([Input(batch_shape=(1, 10, 3)), LSTM(4, stateful=True), Dense(1)])\n"


def test_name_bound_to_something_else_blocks_the_import():
    cells = fix_nb(["Input = 3\n" + LAYERS], [MODEL])
    assert cells[1] == MODEL  # `Input` is not free: no fix rather than a shadowing import


def test_py_only_import_below_the_edit():
    fixed = fix_py(
        """\
        import tensorflow.keras.layers as L
        import tensorflow.keras.models as M

        model = M.Sequential([L.LSTM(4, batch_input_shape=(1, 10, 3), stateful=True), L.Dense(1)])

        from tensorflow.keras import Input
        """
    )
    assert fixed == textwrap.dedent(
        """\
        import tensorflow.keras.layers as L
        import tensorflow.keras.models as M

        from tensorflow.keras import Input
        model = M.Sequential([Input(batch_shape=(1, 10, 3)), L.LSTM(4, stateful=True), L.Dense(1)])

        from tensorflow.keras import Input
        """
    )
    compile(fixed, "x.py", "exec")


def test_py_model_add_before_the_same_statement_comes_after_the_import():
    fixed = fix_py(
        """\
        from tensorflow.keras.models import Sequential
        model = Sequential()
        from tensorflow.keras.layers import LSTM
        model.add(LSTM(4, batch_input_shape=(1, 10, 3)))
        from tensorflow.keras.layers import Dense
        """
    )
    lines = fixed.splitlines()
    assert lines[3:6] == [
        "from tensorflow.keras import Input",
        "model.add(Input(batch_shape=(1, 10, 3)))",
        "model.add(LSTM(4))",
    ]


def test_py_function_defined_above_the_imports_gets_its_own_import():
    # The function may run before the module-level imports below it (a notebook cell calling it).
    fixed = fix_py(
        """\
        import os
        def build():
            return tf.keras.Sequential([tf.keras.layers.LSTM(4, batch_input_shape=(1, 10, 3))])
        import tensorflow as tf
        """
    )
    assert "return tf.keras.Sequential([tf.keras.layers.LSTM(4, batch_input_shape" not in fixed
    assert fixed.index("from tensorflow.keras import Input\ndef build") == fixed.index("import os\n") + len("import os\n")


def test_imports_above_the_edit_are_used_as_before():
    fixed = fix_py(
        """\
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.LSTM(4, batch_input_shape=(1, 10, 3))])
        """
    )
    assert fixed == (
        "import tensorflow as tf\n"
        "model = tf.keras.Sequential([tf.keras.Input(batch_shape=(1, 10, 3)), tf.keras.layers.LSTM(4)])\n"
    )


# -- K.* -> keras.ops.* adds `import keras` where nothing reaches the Keras package ---------------


def test_backend_rewrite_adds_import_keras_when_only_the_backend_is_imported():
    fixed = fix_py(
        """\
        from keras import backend as K

        def f(x):
            return K.argmax(x) + K.sum(x)
        """,
        code="KRS106",
    )
    assert fixed == textwrap.dedent(
        """\
        import keras
        from keras import backend as K

        def f(x):
            return keras.ops.cast(keras.ops.argmax(x, axis=-1), "int64") + keras.ops.sum(x)
        """
    )


def test_backend_rewrite_in_a_notebook_imports_keras_in_the_cell_it_edits():
    cells = fix_nb(["from keras import backend as K\n"], ["y = K.expand_dims(x)\n"], ["import keras\n"], code="KRS106")
    assert cells[1] == "import keras\ny = keras.ops.expand_dims(x, axis=-1)\n"


def test_backend_rewrite_never_shadows_a_name_keras_bound_to_something_else():
    fixed = fix_py(
        """\
        from keras import backend as K
        keras = None
        y = K.mean(x)
        """,
        code="KRS106",
    )
    assert "K.mean(x)" in fixed and "import keras" not in fixed


def test_module_order_answers_do_not_depend_on_the_order_of_questions():
    import libcst as cst

    from keras3_lint.rule import ModuleOrder

    module = cst.parse_module("import a\nimport b\nx = 1\nimport c\n")
    node = module.body[2]
    order = ModuleOrder(module)
    assert order.is_after(node, 3) is False  # walks everything first
    assert order.is_after(node, 1) is True
    assert order.top_index(node, 1) is None and order.top_index(node, 3) == 2
    assert order.import_index("c") == 3 and order.import_index("x") is None


def test_no_module_import_for_a_name_the_enclosing_function_binds_later():
    # `keras` is local to f (imported below the edit): a module-level `import keras` would not
    # reach the rewritten call (UnboundLocalError), so no fix.
    fixed = fix_py(
        """\
        from keras import backend as K

        def f(x):
            y = K.argmax(x)
            import keras
            return y
        """,
        code="KRS106",
    )
    assert "y = K.argmax(x)" in fixed


def test_module_import_added_when_the_function_does_not_bind_the_name():
    fixed = fix_py(
        """\
        from keras import backend as K

        def f(x):
            y = K.argmax(x)
            return y
        """,
        code="KRS106",
    )
    assert fixed.startswith("import keras\n") and 'keras.ops.cast(keras.ops.argmax(x, axis=-1), "int64")' in fixed


def test_backend_imports_move_to_keras_ops_only_for_drop_in_functions():
    # `mean` takes the same arguments with the same defaults in keras.ops: the import may move.
    assert fix_py("from keras.backend import mean\ny = mean(x, axis=1)\n", code="KRS106") == (
        "from keras.ops import mean\ny = mean(x, axis=1)\n"
    )
    # `argmax` needs axis=-1 and an int64 cast at every call: the import is only reported.
    source = "from keras.backend import argmax\ny = argmax(x)\n"
    assert fix_py(source, code="KRS106") == source
