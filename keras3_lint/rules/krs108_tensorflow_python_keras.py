"""KRS108: `tensorflow.python.keras`, TensorFlow's private frozen copy of old Keras (MOD-6)."""

from __future__ import annotations

import libcst as cst

from ..resolver import canonicalize, dotted_name, import_from_module
from ..rule import FIX_SAFE, Rule, RuleDoc
from ._api_table import keras_relative, table

_PRIVATE = "tensorflow.python.keras"


class TensorflowPythonKeras(Rule):
    code = "KRS108"
    name = "private-tensorflow-python-keras"
    summary = "`tensorflow.python.keras` is a private, frozen legacy Keras whose layers Keras 3 models reject; import the public `tensorflow.keras` path."
    fix_safety = FIX_SAFE
    doc = RuleDoc(
        what="Flags `import tensorflow.python.keras...` and `from tensorflow.python.keras... import ...`.",
        why="""
            The private module still imports in TF 2.21, but it is an old copy of Keras 2, not
            Keras 3. Its layers are rejected by Keras 3 containers:

                ValueError: Only instances of `keras.Layer` can be added to a Sequential model. Received: <tensorflow.python.keras.layers.core.Dense ...>
        """,
        bad="from tensorflow.python.keras.layers import Dense",
        good="from tensorflow.keras.layers import Dense",
        fix="""
            **Safe**: `tensorflow.python.keras` becomes `tensorflow.keras` when the module path
            and every imported name are public Keras 3 paths (checked against the generated list
            of keras 3.15.1's public API); otherwise reported only.
        """,
        sources=("Checked: TF 2.21 `from tensorflow.python.keras.layers import Dense` imports; keras 3.15.1 Sequential rejects it (s15:tf_python_keras_layer_in_keras3)",),
        facts=("MOD-6",),
    )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_from_module(node)
        if module is None or not (module == _PRIVATE or module.startswith(_PRIVATE + ".")):
            return
        rel = keras_relative(canonicalize(module)) or ""
        public = table()["keras3_public_set"]
        fix = None
        names_ok = not isinstance(node.names, cst.ImportStar) and all(
            (f"{rel}.{dotted_name(a.name)}" if rel else dotted_name(a.name)) in public for a in node.names
        )
        if (not rel or rel in public) and names_ok:
            new_module = "tensorflow.keras" + ("." + rel if rel else "")
            fix = self.safe_fix(f"Import from `{new_module}`").replace(node.module, new_module)
        self.report(node.module, self._message(module), fix=fix)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name and (name == _PRIVATE or name.startswith(_PRIVATE + ".")):
                self.report(alias, self._message(name))

    @staticmethod
    def _message(module: str) -> str:
        return (
            f"`{module}` is TensorFlow's private copy of legacy Keras, not Keras 3; its layers are rejected "
            "by Keras 3 models (`ValueError: Only instances of ``keras.Layer`` can be added ...`); use `tensorflow.keras`"
        )
