"""Environment rules (KRS801-KRS804): the module-level orders one fixture file cannot show, notebook
lines, and files that run on Keras 2 through TF_USE_LEGACY_KERAS."""

from __future__ import annotations

import json
import textwrap

import libcst as cst
import pytest

from keras3_lint.config import Settings
from keras3_lint.fixer import fix_text
from keras3_lint.notebook import lint_notebook_text, mask_ipython
from keras3_lint.rule import LEGACY_KERAS_NOTE
from keras3_lint.runner import check_text


def lint(code: str, text: str):
    return check_text(textwrap.dedent(text), Settings(root="."), frozenset({code}))


def positions(code: str, text: str):
    return [(d.row, d.column) for d in lint(code, text)]


def fixed(code: str, text: str) -> str:
    source = textwrap.dedent(text)
    outcome = fix_text(source, lambda t: check_text(t, Settings(root="."), frozenset({code})), unsafe_fixes=True)
    assert outcome.refused == []
    cst.parse_module(outcome.text)
    again = fix_text(outcome.text, lambda t: check_text(t, Settings(root="."), frozenset({code})), unsafe_fixes=True)
    assert again.text == outcome.text
    return outcome.text


# ---------------------------------------------------------------------------------------------
# KRS801 legacy-keras-flag-too-late


@pytest.mark.parametrize(
    "text",
    [
        # `import tensorflow` alone does not resolve tf.keras (checked: flag still selects tf_keras).
        """
        import os
        import tensorflow as tf
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        model = tf.keras.Sequential()
        """,
        # `from tensorflow import keras` returns the lazy loader untouched (checked).
        """
        import os
        from tensorflow import keras
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        model = keras.Sequential()
        """,
        # A bare `tf.keras` (no attribute of it) does not resolve it either.
        """
        import os
        import tensorflow as tf
        k = tf.keras
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        """,
        # tf.keras inside a function body does not run at import time.
        """
        import os
        import tensorflow as tf
        def build():
            return tf.keras.layers.Dense(1)
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        """,
        # Turning the flag off, or putenv (which does not update os.environ), is not this hazard.
        """
        import os
        import tensorflow as tf
        layer = tf.keras.layers.Dense(1)
        os.environ["TF_USE_LEGACY_KERAS"] = "0"
        os.environ["TF_USE_LEGACY_KERAS"] = "yes"
        os.putenv("TF_USE_LEGACY_KERAS", "1")
        """,
        # Other libraries' `environ` objects.
        """
        import tensorflow as tf
        from mylib import os
        layer = tf.keras.layers.Dense(1)
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        """,
        # tf_keras / standalone keras attribute access is not tf.keras.
        """
        import os
        import tensorflow as tf
        import tf_keras
        layer = tf_keras.layers.Dense(1)
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        x = tf.keras.layers.Dense(1)
        """,
    ],
)
def test_krs801_not_flagged(text):
    assert positions("KRS801", text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # keras.<attr> after `from tensorflow import keras` resolves tf.keras.
        (
            """
            import os
            from tensorflow import keras
            Dense = keras.layers.Dense
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            """,
            [(5, 1)],
        ),
        # Importing from the tensorflow.keras package path (checked: stays Keras 3).
        (
            """
            import os
            from tensorflow.keras.layers import Dense
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            """,
            [(4, 1)],
        ),
        (
            """
            import os
            import tensorflow.keras
            os.environ.setdefault("TF_USE_LEGACY_KERAS", "true")
            """,
            [(4, 1)],
        ),
        # After `import tensorflow` but before `from tensorflow.keras... import`: the package
        # path was fixed when tensorflow was imported (checked: Dense is keras.src...).
        (
            """
            import os
            import tensorflow as tf
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            from tensorflow.keras.layers import Dense
            """,
            [(4, 1)],
        ),
        # ... also when `import keras` imported tensorflow (checked).
        (
            """
            import os
            import keras
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            from tensorflow.keras import layers
            """,
            [(4, 1)],
        ),
        # Decorators run at import time.
        (
            """
            import os
            import tensorflow as tf
            @tf.keras.utils.register_keras_serializable()
            class Block:
                pass
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            """,
            [(7, 1)],
        ),
        # Class bodies run at import time.
        (
            """
            import os
            import tensorflow as tf
            class Config:
                layer = tf.keras.layers.Dense
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            """,
            [(6, 1)],
        ),
    ],
)
def test_krs801_flagged(text, expected):
    assert positions("KRS801", text) == expected


def test_krs801_messages_name_the_cause():
    (lazy,) = lint("KRS801", """
        import os
        import tensorflow as tf
        Dense = tf.keras.layers.Dense
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        """)
    assert "`tf.keras.layers.Dense`" in lazy.message and "silently ignored" in lazy.message
    assert lazy.fix is not None and lazy.fix.applicability == "unsafe"
    (path,) = lint("KRS801", """
        import os
        import tensorflow as tf
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        from tensorflow.keras.layers import Dense
        """)
    assert "`import tensorflow as tf`" in path.message and "from tensorflow.keras.layers import Dense" in path.message


def test_krs801_fix_moves_above_first_tensorflow_import():
    assert fixed("KRS801", """
        import os
        import numpy as np
        # TensorFlow
        import tensorflow as tf
        Dense = tf.keras.layers.Dense
        # Keras 2, please
        os.environ["TF_USE_LEGACY_KERAS"] = "1"  # needs tf_keras
        """) == textwrap.dedent("""
        import os
        import numpy as np
        os.environ["TF_USE_LEGACY_KERAS"] = "1"  # needs tf_keras
        # TensorFlow
        import tensorflow as tf
        Dense = tf.keras.layers.Dense
        # Keras 2, please
        """)


def test_krs801_fix_brings_import_os_along():
    assert fixed("KRS801", """
        import tensorflow as tf, os
        Dense = tf.keras.layers.Dense
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        """) == textwrap.dedent("""
        import os
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        import tensorflow as tf, os
        Dense = tf.keras.layers.Dense
        """)


def test_krs801_no_fix_when_sharing_a_line():
    (finding,) = lint("KRS801", """
        import os
        import tensorflow as tf
        Dense = tf.keras.layers.Dense
        os.environ["TF_USE_LEGACY_KERAS"] = "1"; x = 1
        """)
    assert finding.fix is None


# ---------------------------------------------------------------------------------------------
# KRS802 legacy-keras-flag-with-keras3-import


@pytest.mark.parametrize(
    "text",
    [
        # No flag, the flag off, only read, or only putenv (no effect on os.environ).
        "import keras\n",
        'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "0"\nimport keras\n',
        'import os\nflag = os.environ.get("TF_USE_LEGACY_KERAS", "1")\nimport keras\n',
        'import os\nos.putenv("TF_USE_LEGACY_KERAS", "1")\nimport keras\n',
        'environ = {}\nenviron["TF_USE_LEGACY_KERAS"] = "1"\nimport keras\n',
        'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport keras_hub\nimport tf_keras as keras\n',
    ],
)
def test_krs802_not_flagged(text):
    assert positions("KRS802", text) == []


def test_krs802_flag_set_inside_a_function_counts():
    text = """
        import os
        import keras

        def main():
            os.environ["TF_USE_LEGACY_KERAS"] = "True"
        """
    assert positions("KRS802", text) == [(3, 1)]


def test_krs802_fix_keeps_local_names_and_skips_unknown_paths():
    assert fixed("KRS802", """
        import os
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        import keras.layers as L
        import keras.layers
        from keras.src.layers import Dense
        from keras.layers import MelSpectrogram, Dense
        from keras.utils import to_categorical
        """) == textwrap.dedent("""
        import os
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        import tf_keras.layers as L
        import keras.layers
        from keras.src.layers import Dense
        from keras.layers import MelSpectrogram, Dense
        from tf_keras.utils import to_categorical
        """)


def test_krs802_reports_every_import_and_fix_is_unsafe():
    found = lint("KRS802", """
        import os
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        import keras
        from keras import layers
        """)
    assert [(d.row, d.column) for d in found] == [(4, 1), (5, 1)]
    assert all(d.fix is not None and d.fix.applicability == "unsafe" for d in found)
    assert "Only instances of keras.Layer can be added to a Sequential model" in found[0].message


# ---------------------------------------------------------------------------------------------
# KRS803 keras-backend-set-after-import


@pytest.mark.parametrize(
    "trigger",
    [
        "import keras",
        "from keras import layers",
        "import keras.layers as L",
        # TensorFlow imports keras.src.optimizers while it loads (checked).
        "import tensorflow as tf",
        "from tensorflow import keras",
        "from tensorflow.keras.layers import Dense",
        "import tf_keras",
        "import tensorflow_hub as hub",
        "import keras_hub",
        "import keras_nlp",
        "import keras_cv",
        "import keras_tuner",
    ],
)
def test_krs803_flagged_after(trigger):
    text = f'import os\n{trigger}\nos.environ["KERAS_BACKEND"] = "jax"\n'
    assert positions("KRS803", text) == [(3, 1)]


@pytest.mark.parametrize(
    "text",
    [
        'import os\nimport jax\nimport numpy as np\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n',
        'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n',
        'import os\nimport keras\nbackend = os.environ.get("KERAS_BACKEND")\n',
        'import os\nimport keras\nos.environ["KERAS_HOME"] = "/tmp"\n',
        'import os\nimport keras\nos.putenv("KERAS_BACKEND", "jax")\n',
        'import keras\nenviron = {}\nenviron["KERAS_BACKEND"] = "jax"\n',
        'import os\nimport keras\ndef f():\n    os.environ["KERAS_BACKEND"] = "jax"\n',
        # keras imported only inside a function: not at import time.
        'import os\ndef f():\n    import keras\nos.environ["KERAS_BACKEND"] = "jax"\n',
        # With the legacy flag already on, TensorFlow loads tf_keras, not Keras 3 (checked).
        'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport tensorflow as tf\n'
        'os.environ["KERAS_BACKEND"] = "jax"\nimport keras\n',
    ],
)
def test_krs803_not_flagged(text):
    assert positions("KRS803", text) == []


def test_krs803_message_and_fix_safety():
    (finding,) = lint("KRS803", 'import os\nimport keras\nos.environ["KERAS_BACKEND"] = "torch"\n')
    assert "`KERAS_BACKEND=torch`" in finding.message and "`import keras`" in finding.message
    assert finding.fix is not None and finding.fix.applicability == "safe"


def test_krs803_fix_moves_statement_and_keeps_comments():
    assert fixed("KRS803", """
        import os

        # Model code.
        import keras

        # Use JAX.
        os.environ["KERAS_BACKEND"] = "jax"
        model = keras.Sequential()
        """) == textwrap.dedent("""
        import os

        os.environ["KERAS_BACKEND"] = "jax"
        # Model code.
        import keras

        # Use JAX.
        model = keras.Sequential()
        """)


@pytest.mark.parametrize(
    "text, expected",
    [
        # `os` imported on the keras line: brought along.
        (
            'import os, keras\nos.environ["KERAS_BACKEND"] = "jax"\n',
            'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport os, keras\n',
        ),
        # An alias of os.
        (
            'import keras\nimport os as _os\n_os.environ.setdefault("KERAS_BACKEND", "jax")\n',
            'import os as _os\n_os.environ.setdefault("KERAS_BACKEND", "jax")\nimport keras\nimport os as _os\n',
        ),
        # `from os import environ`.
        (
            'from os import environ\nimport tensorflow as tf\nenviron["KERAS_BACKEND"] = "jax"\n',
            'from os import environ\nenviron["KERAS_BACKEND"] = "jax"\nimport tensorflow as tf\n',
        ),
        # After a module docstring and __future__ import.
        (
            '"""Doc."""\nfrom __future__ import annotations\nimport os\nimport keras\nos.environ["KERAS_BACKEND"] = "jax"\n',
            '"""Doc."""\nfrom __future__ import annotations\nimport os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n',
        ),
        # The first trigger is a module-level try block.
        (
            'import os\ntry:\n    import keras\nexcept ImportError:\n    keras = None\nos.environ["KERAS_BACKEND"] = "jax"\n',
            'import os\nos.environ["KERAS_BACKEND"] = "jax"\ntry:\n    import keras\nexcept ImportError:\n    keras = None\n',
        ),
        # CRLF line endings are kept.
        (
            'import os\r\nimport keras\r\nos.environ["KERAS_BACKEND"] = "jax"\r\n',
            'import os\r\nos.environ["KERAS_BACKEND"] = "jax"\r\nimport keras\r\n',
        ),
    ],
)
def test_krs803_fix_variants(text, expected):
    assert fixed("KRS803", text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Not a string literal: the value may depend on code between the two points.
        'import os\nimport keras\nbackend = "jax"\nos.environ["KERAS_BACKEND"] = backend\n',
        # Shares its line with another statement.
        'import os\nimport keras\nos.environ["KERAS_BACKEND"] = "jax"; x = 1\n',
        # Nested in a block.
        'import os\nimport keras\nif True:\n    os.environ["KERAS_BACKEND"] = "jax"\n',
        # os bound inside a try block: we cannot tell where to import it from.
        'import keras\ntry:\n    import os\nexcept ImportError:\n    pass\nos.environ["KERAS_BACKEND"] = "jax"\n',
    ],
)
def test_krs803_flagged_without_fix(text):
    (finding,) = lint("KRS803", text)
    assert finding.fix is None


# ---------------------------------------------------------------------------------------------
# KRS804 still-on-keras-2, and files that run on Keras 2 through the flag

LEGACY_HEAD = 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport tensorflow as tf\n'
HAZARD = "layer = tf.keras.layers.LSTM(4, batch_input_shape=(1, 2, 3))\n"


def lint_with(codes, text: str, **settings):
    return check_text(textwrap.dedent(text), Settings(root=".", **settings), frozenset(codes))


def ipynb(*sources) -> str:
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s} for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def lint_notebook(codes, *sources, **settings):
    return lint_notebook_text(ipynb(*sources), Settings(root=".", **settings), frozenset(codes), "nb.ipynb")


def test_krs804_not_reported_without_being_selected_by_name():
    from keras3_lint.runner import enabled_for
    from keras3_lint.registry import all_codes

    assert "KRS804" not in enabled_for(Settings(), all_codes())
    assert "KRS804" in enabled_for(Settings(), all_codes(), select=["KRS804"])


def test_masked_notebook_lines_keep_their_text_and_width():
    text = '!pip install tf-keras\n%env TF_USE_LEGACY_KERAS=1\nx = !pip list\n%pip install "tf_keras==2.16"\n!echo it\'s "odd"\n!ls \\\n  -la\n'
    masked, rows = mask_ipython(text)
    assert [len(line) for line in masked.split("\n")] == [len(line) for line in text.split("\n")]
    assert masked.splitlines()[:4] == [
        "'\u00a4p install tf-keras'",
        "'\u00a4v TF_USE_LEGACY_KERAS=1'",
        "x = '" + "\u00a4" * 7 + "'",  # a value: kept opaque
        "'\u00a4p install \"tf_keras==2.16\"'",
    ]
    # Both quotes (or a continued line): the text cannot be kept, the plain mask is used.
    assert masked.splitlines()[4] == "'" + "\u00a4" * 14 + "'"
    assert "ls" not in masked
    assert sorted(rows) == [0, 1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "line",
    [
        "!pip install tf-keras",
        "!pip install -q tf_keras==2.16.0",
        "%pip install --upgrade 'TF-Keras>=2.16'",
        "!pip3 install tensorflow tf-keras",
        "!python -m pip install tf_keras",
        "!conda install -y -c conda-forge tf-keras",
        "if True:\n    !pip install tf-keras",
    ],
)
def test_krs804_notebook_installs_tf_keras(line):
    found = lint_notebook(["KRS804"], ["import tensorflow as tf\n"], line)
    assert [(d.cell, d.code) for d in found] == [(2, "KRS804")]
    assert found[0].message.startswith("The notebook installs tf-keras (Keras 2)")


@pytest.mark.parametrize(
    "line",
    [
        "!pip uninstall -y tf-keras",
        "!pip install keras tensorflow",
        "!pip install tf-keras-vis",
        "!pip install -r requirements.txt",
        "!export TF_USE_LEGACY_KERAS=1",  # a subshell: no effect on the kernel
        "%env TF_USE_LEGACY_KERAS=0",
        "print('pip install tf-keras')",
    ],
)
def test_krs804_notebook_look_alikes(line):
    assert lint_notebook(["KRS804"], line, ["import tensorflow as tf\n", "m = tf.keras.Sequential()\n"]) == []


def test_krs804_notebook_env_magic_before_tensorflow():
    found = lint_notebook(["KRS804"], ["%env TF_USE_LEGACY_KERAS=1\n"], ["import tensorflow as tf\n", "m = tf.keras.Sequential()\n"])
    assert [(d.cell, d.row, d.column) for d in found] == [(1, 1, 1)]
    assert found[0].message.startswith("`TF_USE_LEGACY_KERAS=1` makes `tf.keras` tf_keras (Keras 2)")
    # %set_env, and `%env NAME value`, set it too.
    assert len(lint_notebook(["KRS804"], ["%set_env TF_USE_LEGACY_KERAS 1\n", "import tensorflow as tf\n"])) == 1


def test_krs801_reports_an_env_magic_set_too_late_without_a_fix():
    found = lint_notebook(
        ["KRS801", "KRS804"], ["import tensorflow as tf\n", "m = tf.keras.Sequential()\n"], ["%env TF_USE_LEGACY_KERAS=1\n"]
    )
    assert [(d.cell, d.code, d.fix) for d in found] == [(2, "KRS801", None)]


def test_krs804_flag_too_late_is_krs801s_not_krs804s():
    text = 'import os\nimport tensorflow as tf\nDense = tf.keras.layers.Dense\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\n'
    assert [d.code for d in lint_with({"KRS801", "KRS804"}, text)] == ["KRS801"]


def test_hazards_in_a_legacy_file_say_so_and_their_safe_fixes_become_unsafe():
    fixable = "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.fit_generator(gen)\n"
    plain = lint_with({"KRS103"}, "import tensorflow as tf\n" + fixable)
    legacy = lint_with({"KRS103"}, LEGACY_HEAD + fixable)
    assert len(plain) == len(legacy) == 1
    assert legacy[0].message == LEGACY_KERAS_NOTE + plain[0].message
    assert plain[0].fix is not None and legacy[0].fix is not None
    assert (plain[0].fix.applicability, legacy[0].fix.applicability) == ("safe", "unsafe")
    assert [e.content for e in legacy[0].fix.edits] == [e.content for e in plain[0].fix.edits]


def test_legacy_keras_ignore_drops_the_hazards_but_not_krs804():
    found = lint_with({"KRS201", "KRS804"}, LEGACY_HEAD + "import tf_keras\n" + HAZARD, legacy_keras="ignore")
    assert sorted(d.code for d in found) == ["KRS804", "KRS804"]
    # Without the flag, "ignore" changes nothing.
    assert [d.code for d in lint_with({"KRS201"}, "import tensorflow as tf\n" + HAZARD, legacy_keras="ignore")] == ["KRS201"]


@pytest.mark.parametrize(
    "head",
    [
        'import os\nimport tensorflow as tf\nx = tf.keras.layers.Dense\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\n',  # too late
        'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "0"\nimport tensorflow as tf\n',
        'import os\nos.putenv("TF_USE_LEGACY_KERAS", "1")\nimport tensorflow as tf\n',
        'import os\nimport tensorflow as tf\n\ndef setup():\n    os.environ["TF_USE_LEGACY_KERAS"] = "1"\n',
        # `import keras` stays Keras 3 whatever the flag: its hazards may be real today (KRS802).
        LEGACY_HEAD + "import keras\n",
    ],
    ids=["too-late", "zero", "putenv", "in-function", "with-import-keras"],
)
def test_hazards_keep_their_keras3_message_outside_legacy_files(head):
    (finding,) = lint_with({"KRS201"}, head + HAZARD)
    assert not finding.message.startswith(LEGACY_KERAS_NOTE)
    assert (finding,) == tuple(lint_with({"KRS201"}, head + HAZARD, legacy_keras="ignore"))


def test_environment_rules_are_not_rewritten_in_legacy_files():
    found = lint_with({"KRS802", "KRS804"}, LEGACY_HEAD + "import keras\nimport tf_keras\n", legacy_keras="ignore")
    assert sorted(d.code for d in found) == ["KRS802", "KRS804", "KRS804"]
    assert not any(d.message.startswith(LEGACY_KERAS_NOTE) for d in found)


def test_notebook_with_env_magic_runs_on_keras2():
    found = lint_notebook(["KRS201"], ["%env TF_USE_LEGACY_KERAS=1\n", "import tensorflow as tf\n"], [HAZARD])
    assert [(d.cell, d.code) for d in found] == [(2, "KRS201")]
    assert found[0].message.startswith(LEGACY_KERAS_NOTE)
    assert lint_notebook(["KRS201"], ["%env TF_USE_LEGACY_KERAS=1\n", "import tensorflow as tf\n"], [HAZARD], legacy_keras="ignore") == []


def test_krs802_sees_the_env_magic():
    found = lint_notebook(["KRS802"], ["%env TF_USE_LEGACY_KERAS=1\n", "import tensorflow as tf\n", "import keras\n"])
    assert [(d.cell, d.row, d.code) for d in found] == [(1, 3, "KRS802")]
    assert lint_notebook(["KRS802"], ["%env TF_USE_LEGACY_KERAS=0\n", "import keras\n"]) == []
