"""KRS732: only comparisons that misjudge a Keras 3 era release are reported; the unsafe fix adds
`import packaging.version` where the edited cell can see it."""

from __future__ import annotations

from keras3_lint.config import Settings
from keras3_lint.notebook import fix_notebook_text, read_notebook
from keras3_lint.runner import check_text

from test_notebooks import notebook

CODE = frozenset({"KRS732"})


def rows(source: str):
    return [d.row for d in check_text(source, Settings(), CODE, "x.py")]


def test_only_comparisons_wrong_for_a_keras3_era_release():
    source = (
        "import tensorflow as tf\nimport keras\n"
        "a = tf.__version__ >= '2.4'\n"  # '2.21.0' >= '2.4' is False
        "b = tf.__version__ >= '2.2'\n"  # '2.16.1' >= '2.2' is False (right on 2.20, 2.21 only)
        "c = tf.__version__ < '2.1'\n"  # False both ways
        "d = keras.__version__ >= '3.10'\n"  # '3.9.0' >= '3.10' is True
        "e = keras.__version__ > '3'\n"
    )
    assert rows(source) == [3, 4, 6]


def test_packaging_bound_to_something_else_gives_no_fix():
    source = "import tensorflow as tf\npackaging = None\nassert tf.__version__ >= '2.4'\n"
    found = check_text(source, Settings(), CODE, "x.py")
    assert len(found) == 1 and found[0].fix is None


def test_notebook_fix_imports_before_the_comparison_cell():
    text = notebook(["import tensorflow as tf\n"], ["assert tf.__version__ >= \"2.4\"\n"], ["print(1)\n"])
    outcome = fix_notebook_text(text, Settings(), CODE, unsafe_fixes=True, path="nb.ipynb")
    cells = [c.text for c in read_notebook(outcome.text).cells]
    assert cells[0] == "import packaging.version\nimport tensorflow as tf\n"
    assert cells[1] == 'assert packaging.version.parse(tf.__version__) >= packaging.version.parse("2.4")\n'
    unsafe_off = fix_notebook_text(text, Settings(), CODE, unsafe_fixes=False, path="nb.ipynb")
    assert unsafe_off.text == text
