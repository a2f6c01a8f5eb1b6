"""Cases generated from keras3_lint/data/api_table.json: every table entry is flagged in each
import spelling, look-alikes are not, and every automatic fix gives code that parses and no
longer triggers that finding."""

from __future__ import annotations

import keyword

import libcst as cst
import pytest

from keras3_lint.config import Settings
from keras3_lint.fixer import fix_text
from keras3_lint.rules._api_table import table
from keras3_lint.runner import check_text

DATA = table()
SETTINGS = Settings(root=".")
SYMBOL_CODES = {"symbol": "KRS101", "namespace": "KRS105", "backend": "KRS106", "sklearn": "KRS107"}


def lint(text, code):
    return [d for d in check_text(text, SETTINGS, frozenset({code}))]


def _ok(path):
    return all(p.isidentifier() and not keyword.iskeyword(p) for p in path.split("."))


def _under_removed_module(path):
    """Inside a removed module, or itself one (`layers.merge`: a Keras 1 function and a module)."""
    parts = path.split(".")
    if path in DATA["modules"] and not DATA["symbols"][path]["replacement"]:
        return True
    return any(".".join(parts[:end]) in DATA["modules"] for end in range(1, len(parts)))


def _symbol_cases():
    cases = []
    for path, entry in sorted(DATA["symbols"].items()):
        if "." not in path or not _ok(path) or _under_removed_module(path):
            continue  # a path inside a removed module is KRS104's (test_module_entry)
        category = "sklearn" if path.startswith("wrappers.scikit_learn") else entry["category"]
        cases.append((path, SYMBOL_CODES[category], entry))
    return cases


SYMBOLS = _symbol_cases()


@pytest.mark.parametrize("path,code,entry", SYMBOLS, ids=[c[0] for c in SYMBOLS])
def test_symbol_entry_is_flagged_in_each_spelling(path, code, entry):
    module, _, name = path.rpartition(".")
    spellings = [
        f"from keras.{module} import {name}\n",
        f"from keras.{module} import {name} as Alias\n",
        f"import keras\nx = keras.{path}\n",
        f"def f():\n    import keras as k\n    return k.{path}\n",
    ]
    if not entry["works_via_tf_keras"]:
        # Through tf.keras the name is gone too (otherwise it is KRS109's business).
        spellings += [
            f"import tensorflow as tf\nx = tf.keras.{path}\n",
            f"from tensorflow import keras\nx = keras.{path}\n",
            f"from tensorflow.keras.{module} import {name}\n",
        ]
    for text in spellings:
        codes = [d.code for d in lint(text, code)]
        assert codes == [code], f"{code} on {text!r}: {codes}"


@pytest.mark.parametrize("path,code,entry", SYMBOLS, ids=[c[0] for c in SYMBOLS])
def test_symbol_look_alikes_are_clean(path, code, entry):
    module, _, name = path.rpartition(".")
    for text in (
        f"import tf_keras\nx = tf_keras.{path}\n",
        f"from tf_keras.{module} import {name}\n",
        f"import mylib as keras\nx = keras.{path}\n",
        f"# keras.{path}\ns = 'keras.{path}'\n",
    ):
        assert lint(text, code) == [], text


# call rewrites (ThresholdedReLU, K.* -> keras.ops.* with `ops_call`) need the call: fixtures test them
FIXABLE = [c for c in SYMBOLS if c[2]["fix"] != "none" and not c[2].get("call_rewrite") and not c[2].get("ops_call")]


@pytest.mark.parametrize("path,code,entry", FIXABLE, ids=[c[0] for c in FIXABLE])
def test_symbol_fix_parses_and_clears(path, code, entry):
    module, _, name = path.rpartition(".")
    for text in (f"import keras\nx = keras.{path}\n", f"from keras.{module} import {name}\n"):
        outcome = fix_text(text, lambda t: lint(t, code), unsafe_fixes=True)
        cst.parse_module(outcome.text)
        assert outcome.applied > 0, text
        assert lint(outcome.text, code) == [], outcome.text
        assert entry["replacement"].rpartition(".")[2] in outcome.text


COMPAT = [p for p in sorted(DATA["compat_only"]) if "." in p and _ok(p) and DATA["compat_only"][p]["kind"] != "module"]


@pytest.mark.parametrize("path", COMPAT)
def test_compat_only_entry_is_krs109_through_tf_keras(path):
    assert [d.code for d in lint(f"import tensorflow as tf\nx = tf.keras.{path}\n", "KRS109")] == ["KRS109"]
    assert lint(f"import keras\nx = keras.{path}\n", "KRS109") == []


MODULES = []
for module, entry in sorted(DATA["modules"].items()):
    for name, named in sorted(entry["names"].items()):
        MODULES.append((module, name, named["replacement"]))
    for name in entry["default_names"][:3]:
        MODULES.append((module, name, f"{entry['default']}.{name}"))


@pytest.mark.parametrize("module,name,replacement", MODULES, ids=[f"{m}.{n}" for m, n, _ in MODULES])
def test_module_entry(module, name, replacement):
    code = "KRS107" if module.startswith("wrappers.scikit_learn") else "KRS104"
    text = f"from keras.{module} import {name}\n"
    assert [d.code for d in lint(text, code)] == [code]
    assert lint(f"from tf_keras.{module} import {name}\n", code) == []
    if replacement:
        outcome = fix_text(text, lambda t: lint(t, code), unsafe_fixes=True)
        cst.parse_module(outcome.text)
        assert lint(outcome.text, code) == [], outcome.text


KWARGS = []
for path, entries in sorted(DATA["kwargs"].items()):
    for kw, entry in sorted(entries.items()):
        owned_by_krs201 = kw in ("batch_input_shape", "batch_size") and path.startswith("layers.")
        if entry["outcome"] in ("rejected", "ignored") and not owned_by_krs201 and _ok(path):
            KWARGS.append((path, kw, entry))


@pytest.mark.parametrize("path,kw,entry", KWARGS, ids=[f"{p}({k}=)" for p, k, _ in KWARGS])
def test_kwarg_entry(path, kw, entry):
    module, _, name = path.rpartition(".")
    call_args = f"0.1, {kw}=False"
    spellings = [f"import keras\nx = keras.{path}({call_args})\n",
                 f"import tensorflow as tf\nx = tf.keras.{path}({call_args})\n"]
    if module:
        spellings.append(f"from keras.{module} import {name} as C\nx = C({call_args})\n")
    for text in spellings:
        assert [d.code for d in lint(text, "KRS102")] == ["KRS102"], text
    # look-alikes: Keras 2 on purpose, a user's own callable
    assert lint(f"import tf_keras\nx = tf_keras.{path}({call_args})\n", "KRS102") == []
    assert lint(f"import keras\ndef {name}(**k):\n    pass\nx = {name}({call_args})\n", "KRS102") == []
    if entry["fix"] != "none":
        text = spellings[0]
        outcome = fix_text(text, lambda t: lint(t, "KRS102"), unsafe_fixes=True)
        cst.parse_module(outcome.text)
        assert f"{kw}=" not in outcome.text, outcome.text


METHODS = [(k, e) for k, e in sorted(DATA["methods"].items()) if k.split(".")[0] in ("Model", "Sequential") and k.split(".")[1] != "reset_states"]


@pytest.mark.parametrize("key,entry", METHODS, ids=[k for k, _ in METHODS])
def test_method_entry(key, entry):
    name = key.split(".", 1)[1]
    text = f"import keras\nmodel = keras.Sequential()\nmodel.{name}(data)\n"
    assert [d.code for d in lint(text, "KRS103")] == ["KRS103"]
    assert lint(f"class Thing:\n    pass\nimport keras\nthing = Thing()\nthing.{name}(data)\n", "KRS103") == []
    assert lint(f"import tf_keras\nmodel = tf_keras.Sequential()\nmodel.{name}(data)\n", "KRS103") == []
    if entry["fix"] != "none":
        outcome = fix_text(text, lambda t: lint(t, "KRS103"), unsafe_fixes=True)
        cst.parse_module(outcome.text)
        assert lint(outcome.text, "KRS103") == [], outcome.text


GAPS = sorted((p, e) for p, e in DATA["tf_keras_gaps"].items() if "." in p)


@pytest.mark.parametrize("path,entry", GAPS, ids=[p for p, _ in GAPS])
def test_tf_keras_gap_entry(path, entry):
    module, _, name = path.rpartition(".")
    attribute = f"import tensorflow as tf\nx = tf.keras.{path}\n"
    assert [d.code for d in lint(attribute, "KRS111")] == ["KRS111"]
    # plain keras has it; tf_keras is Keras 2 on purpose
    assert lint(f"import keras\nx = keras.{path}\n", "KRS111") == []
    assert lint(f"import tf_keras\nx = tf_keras.{path}\n", "KRS111") == []
    from_import = f"from tensorflow.keras.{module} import {name}\n"
    assert [d.code for d in lint(from_import, "KRS111")] == ([] if entry["importable"] else ["KRS111"])
    # fix: through `keras` (adding the import), never a spelling that still fails
    outcome = fix_text(attribute, lambda t: lint(t, "KRS111"), unsafe_fixes=False)
    assert outcome.text == f"import keras\nimport tensorflow as tf\nx = keras.{path}\n"
    # `keras` taken by `from tensorflow import keras`: the alias tf.keras serves, or no fix
    taken = f"from tensorflow import keras\nx = keras.{path}\n"
    outcome = fix_text(taken, lambda t: lint(t, "KRS111"), unsafe_fixes=False)
    expected = f"from tensorflow import keras\nx = keras.{entry['alias']}\n" if entry["alias"] else taken
    assert outcome.text == expected
    assert lint(outcome.text, "KRS111") == [] or not entry["alias"]


def test_tf_keras_gap_lazy_module_is_fine_once_imported():
    text = "import tensorflow as tf\nimport tensorflow.keras.saving\nx = tf.keras.saving.load_model\n"
    assert lint(text, "KRS111") == []
    text = "from tensorflow.keras import saving\nx = saving.load_model\n"
    assert lint(text, "KRS111") == []


SIGNATURES = sorted((p, e) for p, e in DATA["signatures"]["callables"].items() if _ok(p))


@pytest.mark.parametrize("path,entry", SIGNATURES, ids=[p for p, _ in SIGNATURES])
def test_strict_signature_entry(path, entry):
    spelled = f"import keras\nx = keras.{path}(keras3_lint_unknown=1)\n"
    found = lint(spelled, "KRS102")
    assert [d.code for d in found] == ["KRS102"], spelled
    assert "keras3_lint_unknown" in found[0].message and "keras3_lint_probe" not in found[0].message
    # every keyword the signature takes is clean (those the kwargs table reports aside)
    reported = set(DATA["kwargs"].get(path, {}))
    accepted = [k for k in entry["accepts"] if k not in reported and k.isidentifier() and not keyword.iskeyword(k)]
    call = ", ".join(f"{k}=None" for k in accepted)
    assert lint(f"import keras\nx = keras.{path}({call})\n", "KRS102") == []
    # not a Keras callable: silent
    assert lint(f"import tf_keras\nx = tf_keras.{path}(keras3_lint_unknown=1)\n", "KRS102") == []


METHOD_SIGNATURES = sorted((o, m, e) for o, methods in DATA["signatures"]["methods"].items() for m, e in methods.items())


@pytest.mark.parametrize("owner,method,entry", METHOD_SIGNATURES, ids=[f"{o}.{m}" for o, m, _ in METHOD_SIGNATURES])
def test_strict_method_signature(owner, method, entry):
    build = {"Model": "keras.Model(inputs, outputs)", "Sequential": "keras.Sequential()"}.get(owner, f"keras.{owner}(4)")
    text = f"import keras\nobj = {build}\nobj.{method}(keras3_lint_unknown=1)\n"
    assert [d.code for d in lint(text, "KRS102")] == ["KRS102"], text
    call = ", ".join(f"{k}=None" for k in entry["accepts"] if not k.startswith("_"))
    assert lint(f"import keras\nobj = {build}\nobj.{method}({call})\n", "KRS102") == []
    # an object of unknown type with the same method name: silent
    assert lint(f"import keras\nobj.{method}(keras3_lint_unknown=1)\n", "KRS102") == []
