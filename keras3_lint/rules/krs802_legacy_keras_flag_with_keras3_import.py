"""KRS802: ``TF_USE_LEGACY_KERAS`` on in a file that also imports ``keras`` (TRN-6)."""

from __future__ import annotations

from typing import List, Optional, Union

import libcst as cst

from ..resolver import canonicalize, dotted_name, import_from_module
from ..rule import FIX_UNSAFE, FixBuilder, Rule, RuleDoc
from ._environment import legacy_flag_assignments
from ._tf_keras_api import TF_KERAS_MODULES

ImportNode = Union[cst.Import, cst.ImportFrom]


def _keras_rest(module: Optional[str]) -> Optional[str]:
    """"" for ``keras``, "layers" for ``keras.layers``; None when not the standalone keras package."""
    if module is None or canonicalize(module).origin != "keras":
        return None
    return module[len("keras"):].lstrip(".")


class LegacyKerasFlagWithKeras3Import(Rule):
    code = "KRS802"
    name = "legacy-keras-flag-with-keras3-import"
    summary = "`TF_USE_LEGACY_KERAS` only reroutes `tf.keras`; `import keras` in the same file stays Keras 3 and the two do not mix."
    fix_safety = FIX_UNSAFE
    keras3_hazard = False
    doc = RuleDoc(
        what="""
            In a file that turns `TF_USE_LEGACY_KERAS` on (`os.environ["TF_USE_LEGACY_KERAS"]`
            set to `"1"`, `"True"` or `"true"`, or `os.environ.setdefault`, anywhere in the file;
            in a notebook also `%env TF_USE_LEGACY_KERAS=1`),
            flags every `import keras` / `import keras.x` / `from keras[.x] import ...` statement.
            Imports of `tf_keras`, `tensorflow.keras` and other packages are not flagged.
        """,
        why="""
            The flag only changes what `tf.keras` (and `from tensorflow.keras...`) resolves to:
            tf_keras, i.e. Keras 2. `import keras` still gives Keras 3. Objects from the two
            do not mix; the first cross-use fails, for example

                ValueError: Only instances of `keras.Layer` can be added to a Sequential model. Received: <tf_keras.src.layers.core.dense.Dense object at 0x...> (of type <class 'tf_keras.src.layers.core.dense.Dense'>)

            and `isinstance(tf.keras.layers.Dense(1), keras.layers.Layer)` is `False`, so
            Keras-3 utilities silently treat Keras 2 layers as foreign objects. Code that relied
            on the flag to keep Keras 2 behaviour also still gets Keras 3 behaviour through every
            `keras.` name.
        """,
        bad="""
            import os
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            import tensorflow as tf
            import keras

            model = keras.Sequential([tf.keras.layers.Dense(1)])  # ValueError
        """,
        good="""
            import os
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            import tensorflow as tf
            import tf_keras as keras

            model = keras.Sequential([tf.keras.layers.Dense(1)])
        """,
        fix="""
            **Unsafe.** Rewrites the import to tf_keras, keeping the local name:
            `import keras` becomes `import tf_keras as keras`, `import keras as K` becomes
            `import tf_keras as K`, `import keras.layers as L` becomes `import tf_keras.layers as L`,
            and `from keras.x import y` becomes `from tf_keras.x import y`. Only module paths and
            names that tf_keras 2.21 exports are rewritten (a table generated from the real
            package), so `from keras import ops` or `from keras.src... import` keep no fix, and so
            does `import keras.layers` without `as` (it binds `keras`). Unsafe because the names
            then refer to Keras 2, whose API and defaults differ from Keras 3, and because tf_keras
            must be installed; the alternative is to drop the flag and use Keras 3 throughout.
        """,
        sources=(
            "keras-team/keras#18472 (migration linter specification)",
            "https://keras.io/getting_started/ (TF_USE_LEGACY_KERAS and tf_keras)",
            "Checked (TF 2.21, keras 3.15.1, tf_keras 2.21): with the flag set, `import keras` is keras 3.15.1, "
            "`tf.keras.layers.Dense` is `tf_keras.src.layers.core.dense.Dense`, and "
            "`keras.Sequential([tf.keras.layers.Dense(1)])` raises the ValueError above",
        ),
        facts=("TRN-6",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._imports: List[ImportNode] = []

    def visit_Import(self, node: cst.Import) -> None:
        if any(_keras_rest(dotted_name(alias.name)) is not None for alias in node.names):
            self._imports.append(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if _keras_rest(import_from_module(node)) is not None:
            self._imports.append(node)

    def finish(self) -> None:
        if not self._imports:
            return
        flags = legacy_flag_assignments(self.ctx.module, self.ctx.resolver)
        if not flags:
            return
        setting = f"TF_USE_LEGACY_KERAS={flags[0].value}"
        for node in self._imports:
            spelled = "import keras" if isinstance(node, cst.Import) else "from keras"
            self.report(
                node,
                f"`{spelled}` stays Keras 3 while `{setting}` turns `tf.keras` into tf_keras (Keras 2); "
                f"mixing them fails (`ValueError: Only instances of keras.Layer can be added to a "
                f"Sequential model`); import from `tf_keras` instead, or drop the flag",
                fix=self._fix(node),
            )

    def _fix(self, node: ImportNode) -> Optional[FixBuilder]:
        fix = self.unsafe_fix("Import from `tf_keras` (Keras 2) instead of `keras`")
        if isinstance(node, cst.ImportFrom):
            rest = _keras_rest(import_from_module(node))
            exported = TF_KERAS_MODULES.get(rest or "")
            if rest is None or exported is None or isinstance(node.names, cst.ImportStar) or node.module is None:
                return None
            for alias in node.names:
                name = alias.name.value if isinstance(alias.name, cst.Name) else None
                if name is None or name not in exported:
                    return None
            new_module = "tf_keras" + ("." + rest if rest else "")
            return fix.replace(node.module, cst.parse_expression(new_module))
        for alias in node.names:
            full = dotted_name(alias.name)
            rest = _keras_rest(full)
            if rest is None:
                continue
            has_asname = alias.asname is not None and isinstance(alias.asname.name, cst.Name)
            if rest and (not has_asname or rest not in TF_KERAS_MODULES):
                return None  # `import keras.layers` binds `keras`; or a path tf_keras lacks
            new_name = cst.parse_expression("tf_keras" + ("." + rest if rest else ""))
            asname = alias.asname if has_asname else cst.AsName(name=cst.Name("keras"))
            assert isinstance(new_name, (cst.Name, cst.Attribute))
            fix.replace(alias, alias.with_changes(name=new_name, asname=asname))
        return fix if fix.edits else None
