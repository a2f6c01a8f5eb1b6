"""KRS111: names `keras` has but Keras 3's own `tf.keras` (`keras._tf_keras.keras`) lacks (SURF-1)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..resolver import canonicalize, dotted_name, import_from_module
from ..rule import FIX_SAFE, Rule, RuleDoc
from ._api_table import ApiMatcher, Match, keras_relative, rewrite_chain, table, versions_line


class TfKerasSurfaceGap(Rule):
    code = "KRS111"
    name = "tf-keras-surface-gap"
    summary = "`tf.keras.metrics.mean_squared_error`, `tf.keras.saving.register_keras_serializable`, ...: in `keras` 3 but not on Keras 3's `tf.keras` surface."
    fix_safety = FIX_SAFE
    doc = RuleDoc(
        what="""
            Flags names spelled through `tf.keras` / `tensorflow.keras` that Keras 3 has under
            `import keras` but that its `tf.keras` surface (`keras._tf_keras.keras`) does not
            serve: the long function names of `losses` / `metrics` (`mean_squared_error`,
            `mean_absolute_error`, `mean_absolute_percentage_error`,
            `mean_squared_logarithmic_error`, `kl_divergence`, `log_cosh`) and attribute access
            to the `saving` module (`@tf.keras.saving.register_keras_serializable()`). The list
            is generated: every public path of `keras` 3.15 that attribute access on
            `keras._tf_keras.keras` cannot reach. `from tensorflow.keras.saving import ...`
            works (TensorFlow imports the subpackage on demand), and so does attribute access
            once the file imports `tensorflow.keras.saving` itself: neither is flagged. The
            classes (`tf.keras.losses.MeanSquaredError`) and short aliases
            (`tf.keras.metrics.mse`) are on the surface and fine.
        """,
        why="""
            On TensorFlow >= 2.16 `tf.keras` is Keras 3's compatibility surface, a third API
            next to `keras` and tf_keras, and it lacks these names:

                AttributeError: module 'keras._tf_keras.keras.metrics' has no attribute 'mean_squared_error'
                AttributeError: module 'keras._tf_keras.keras' has no attribute 'saving'
                ImportError: cannot import name 'mean_squared_error' from 'tensorflow.keras.losses'
        """,
        bad="""
            import tensorflow as tf
            loss = tf.keras.losses.mean_squared_error(y_true, y_pred)
        """,
        good="""
            import keras
            import tensorflow as tf
            loss = keras.losses.mean_squared_error(y_true, y_pred)
        """,
        fix="""
            **Safe**: the name is spelled through `keras` (Keras 3 is installed wherever
            TensorFlow >= 2.16 is), using the file's `import keras` or adding one next to the
            last top-level import. Where the name `keras` is already taken (`from tensorflow
            import keras`), the fix uses the alias of the same object that `tf.keras` does serve
            (`tf.keras.metrics.mse` is `keras.metrics.mean_squared_error`; `tf.keras.utils.
            register_keras_serializable` is `keras.saving.register_keras_serializable`), which is
            the same function in tf_keras too. Names without such an alias and no free `keras`
            name are reported only.
        """,
        sources=(
            "keras3_lint/data/api_table.json `tf_keras_gaps` (generated: " + versions_line() + ")",
            "Checked: TF 2.21 + keras 3.15.1 `tf.keras.metrics.mean_squared_error` -> AttributeError: module 'keras._tf_keras.keras.metrics' has no attribute 'mean_squared_error'",
            "Checked: TF 2.21 + keras 3.15.1 `tf.keras.saving` -> AttributeError: module 'keras._tf_keras.keras' has no attribute 'saving'; `from tensorflow.keras.saving import register_keras_serializable` works",
        ),
        facts=("SURF-1",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # attribute chains through a module TF imports lazily (`saving`): decided in finish(),
        # when every import of the file is known
        self._lazy: List[Tuple[cst.Attribute, Match]] = []

    # -- from tensorflow.keras.metrics import mean_squared_error ---------------------------------
    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_from_module(node)
        if module is None or isinstance(node.names, cst.ImportStar):
            return
        resolved = canonicalize(module)
        if resolved.origin != "tf.keras":
            return
        rel_module = keras_relative(resolved) or ""
        gaps = table()["tf_keras_gaps"]
        found = []
        for alias in node.names:
            name = dotted_name(alias.name)
            rel = f"{rel_module}.{name}" if rel_module else name
            entry = gaps.get(rel)
            if entry is not None and not entry["importable"]:
                found.append((alias, rel, entry))
        if not found:
            return
        fix = self._import_fix(node, rel_module, [a for a, _, _ in found])
        for alias, rel, entry in found:
            message = (
                f"`{module}` has no `{rel.rsplit('.', 1)[-1]}` on Keras 3 (ImportError: cannot import name "
                f"'{rel.rsplit('.', 1)[-1]}' from '{module}'); import it from `keras.{rel_module}`"
            )
            self.report(alias, message, fix=fix)
            fix = None

    def _import_fix(self, node: cst.ImportFrom, rel_module: str, moved: List[cst.ImportAlias]):
        if not rel_module or node.relative:
            return None
        kept = [a for a in node.names if a not in moved]
        names = ", ".join(self.ctx.code_for(a).strip().rstrip(",").strip() for a in moved)
        text = f"from keras.{rel_module} import {names}"
        if kept:
            original = dotted_name(node.module)
            kept_text = ", ".join(self.ctx.code_for(a).strip().rstrip(",").strip() for a in kept)
            text = f"from {original} import {kept_text}\n{text}"
        return self.safe_fix(f"Import from `keras.{rel_module}`").replace(node, text)

    # -- tf.keras.metrics.mean_squared_error / @tf.keras.saving.register_keras_serializable() --------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        match = ApiMatcher.of(self.ctx).attribute(node)
        if match is None or match.kind != "gap":
            return
        segment = match.entry["missing_segment"]
        if not self._reaches_by_attribute(node, segment):
            return  # `from tensorflow.keras import saving; saving.load_model(...)` works
        if segment != match.rel or match.entry["kind"] == "module":
            self._lazy.append((node, match))
        else:
            self._report_attribute(node, match)

    def finish(self) -> None:
        imported = set()
        for module in self.ctx.resolver.imported_modules:
            resolved = canonicalize(module)
            if resolved.origin == "tf.keras":
                imported.add(keras_relative(resolved) or "")
        for node, match in self._lazy:
            segment = match.entry["missing_segment"]
            if not any(m == segment or m.startswith(segment + ".") for m in imported):
                self._report_attribute(node, match)

    def _reaches_by_attribute(self, node: cst.Attribute, segment: str) -> bool:
        """Is ``segment`` (``saving``) reached by attribute access in the chain ``node``?"""
        resolver = self.ctx.resolver
        current: cst.BaseExpression = node
        while isinstance(current, cst.Attribute):
            resolved = resolver.resolve(current)
            if resolved is not None and keras_relative(resolved) == segment:
                return True
            current = current.value
        return False

    def _report_attribute(self, node: cst.Attribute, match: Match) -> None:
        rel, entry = match.rel, match.entry
        alias = entry.get("alias", "")
        message = f"`tf.keras.{rel}` is not on Keras 3's `tf.keras` surface ({entry['error']}); use `keras.{rel}`"
        if alias:
            message += f" (or `tf.keras.{alias}`, the same object)"
        self.report(node, message, fix=self._attribute_fix(node, rel, alias))

    def _attribute_fix(self, node: cst.Attribute, rel: str, alias: str):
        reference = self._keras_package_name(node)
        if reference is not None:
            text = f"{reference}.{rel}"
            return self.safe_fix(f"Use `{text}`").replace(node, text)
        text, statement = self.ctx.module_import_for(f"keras.{rel}")
        if text is not None:
            fix = self.safe_fix(f"Use `{text}` (adds `{statement}`)").replace(node, text)
            self.ctx.add_import(fix, statement, at=node)
            return fix
        if alias:
            text = rewrite_chain(self.ctx, node, rel, alias)
            if text is not None and self._reaches(text, alias):
                return self.safe_fix(f"Use `{text}`").replace(node, text)
        return None

    def _keras_package_name(self, node: cst.CSTNode) -> Optional[str]:
        """A name bound to the real `keras` package (``import keras``, ``import keras as k``)
        that the edit site sees, imported before it."""
        resolver, order = self.ctx.resolver, self.ctx.order
        for local, binding in resolver.module_scope.names.items():
            if binding.imported != "keras" or self.ctx.scope.lookup(local) is not binding:
                continue
            index = order.import_index(local)
            if index is not None and order.is_after(node, index):
                return local
        return None

    def _reaches(self, text: str, alias: str) -> bool:
        """Does ``text`` name ``tf.keras.<alias>`` where the edit is?"""
        resolved = self.ctx.resolver.resolve_dotted(text)
        return resolved is not None and resolved.origin == "tf.keras" and keras_relative(resolved) == alias
