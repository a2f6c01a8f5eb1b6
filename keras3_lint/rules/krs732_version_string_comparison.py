"""KRS732: ``tf.__version__ >= "2.4"``: version strings compared character by character."""

from __future__ import annotations

import operator
import re
from typing import Optional, Sequence, Tuple

import libcst as cst

from ..resolver import dotted_name
from ..rule import FIX_UNSAFE, Rule, RuleDoc, string_value

_OPERATORS = {
    cst.LessThan: ("<", operator.lt),
    cst.LessThanEqual: ("<=", operator.le),
    cst.GreaterThan: (">", operator.gt),
    cst.GreaterThanEqual: (">=", operator.ge),
}
# The same comparison with the operands swapped (`"2.4" <= v` is `v >= "2.4"`).
_SWAPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_BY_SYMBOL = {symbol: function for symbol, function in _OPERATORS.values()}
_NUMERIC = re.compile(r"^\d+(\.\d+)*$")

# Releases of the Keras 3 era (TensorFlow >= 2.16 installs Keras 3), oldest first.
_TENSORFLOW = ("2.16.1", "2.17.0", "2.18.0", "2.19.0", "2.20.0", "2.21.0")
_KERAS3 = tuple(f"3.{minor}.0" for minor in range(15)) + ("3.15.1",)
_TF_KERAS = ("2.16.0", "2.17.0", "2.18.0", "2.19.0", "2.20.0", "2.21.0")
_PACKAGES = {
    "tensorflow.__version__": ("TensorFlow", _TENSORFLOW),
    "tensorflow.version.VERSION": ("TensorFlow", _TENSORFLOW),
}


def _numeric(version: str) -> Tuple[int, ...]:
    parts = [int(part) for part in version.split(".")]
    while parts and parts[-1] == 0:
        parts.pop()  # "2.4" == "2.4.0"
    return tuple(parts)


class VersionStringComparison(Rule):
    code = "KRS732"
    name = "version-string-comparison"
    summary = "`tf.__version__ >= \"2.4\"` compares strings character by character: wrong for TensorFlow 2.16+ and Keras 3.10+ (\"2.21.0\" < \"2.4\")."
    fix_safety = FIX_UNSAFE
    # The TensorFlow version is the same with or without TF_USE_LEGACY_KERAS: not a Keras 3 API hazard.
    keras3_hazard = False
    doc = RuleDoc(
        what="""
            Flags `<`, `<=`, `>`, `>=` between a version string the resolver proves
            (`tf.__version__`, `tf.version.VERSION`, `keras.__version__`, `tf.keras.__version__`,
            `tf_keras.__version__`, or a name assigned one of them) and a string literal such as
            `"2.4"`, when the string comparison gives the wrong answer for at least one release
            of the Keras 3 era (TensorFlow 2.16.1-2.21.0, Keras 3.0-3.15.1, tf_keras
            2.16-2.21). Comparisons that happen to be right for all of them
            (`tf.__version__ >= "2.0"`) are not reported.
        """,
        why="""
            Strings compare character by character, so `"2.21.0" >= "2.4"` is False (`"2" < "4"`).
            With two-digit minor versions, now the rule (TensorFlow 2.16+, which installs
            Keras 3, and Keras 3.10+), version checks written for TensorFlow 2.0-2.9 reverse:

                assert tf.__version__ >= "2.4"
                AssertionError

            or silently take the old-version branch of an `if`.
        """,
        bad="""
            import tensorflow as tf
            assert tf.__version__ >= "2.4"
        """,
        good="""
            import tensorflow as tf
            from packaging import version
            assert version.parse(tf.__version__) >= version.parse("2.4")
        """,
        fix="""
            **Unsafe**: rewrites a single comparison to `packaging.version.parse(tf.__version__)
            >= packaging.version.parse("2.4")` and adds `import packaging.version` before it
            (`packaging` is a declared dependency of keras 3.15.1 and tensorflow 2.21.0, so it
            is installed wherever they are). Unsafe because the program now takes the other
            branch, and `packaging` orders pre-releases first (`2.16.0rc0 < 2.16`). No fix in a
            chained comparison or where the name `packaging` is bound to something else.
        """,
        sources=(
            "Checked: tensorflow 2.21.0 `tf.__version__ == '2.21.0'` and `tf.__version__ >= '2.4'` is False; keras 3.15.1 `keras.__version__ >= '3.9'` is False (tests/evidence/test_version_string_krs732.py)",
            "Seen: ageron/handson-ml2 notebooks start with `assert tf.__version__ >= \"2.0\"` (right) and notebook 12 with `>= \"2.4\"` (AssertionError on TensorFlow 2.21)",
        ),
    )

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            right = target.comparator
            found = _OPERATORS.get(type(target.operator))
            if found is not None:
                self._check(node, left, found[0], right)
            left = right

    def _check(self, node: cst.Comparison, left, symbol: str, right) -> None:
        literal = string_value(right)
        version_side = left
        if literal is None:
            literal = string_value(left)
            version_side = right
            symbol = _SWAPPED[symbol]
        if literal is None or not _NUMERIC.match(literal):
            return
        known = self._package(version_side)
        if known is None:
            return
        package, releases = known
        compare = _BY_SYMBOL[symbol]
        # A release equal to the literal ("3.0.0" > "3") is left out: the string answer there is
        # arguably what was meant.
        wrong = [
            v for v in releases
            if _numeric(v) != _numeric(literal) and compare(v, literal) != compare(_numeric(v), _numeric(literal))
        ]
        if not wrong:
            return
        example = wrong[-1]
        as_string = compare(example, literal)
        self.report(
            node,
            f"Version strings compared as strings: on {package} {example}, `'{example}' {symbol} '{literal}'` is "
            f"{as_string} (character by character); compare `packaging.version.parse(...)` values or tuples of ints",
            fix=self._fix(node),
        )

    def _fix(self, node: cst.Comparison):
        if len(node.comparisons) != 1:
            return None
        ctx = self.ctx
        resolver = ctx.resolver
        if resolver.last_import is None or ctx._local_in_enclosing_function("packaging"):
            return None
        for binding in (resolver.scope.lookup("packaging"), resolver.module_scope.names.get("packaging")):
            if binding is not None and binding.imported != "packaging":
                return None
        target = node.comparisons[0]
        op = ctx.code_for(target.operator).strip()
        new = (
            f"packaging.version.parse({ctx.code_for(node.left).strip()}) {op} "
            f"packaging.version.parse({ctx.code_for(target.comparator).strip()})"
        )
        fix = self.unsafe_fix("Compare `packaging.version.parse(...)` values").replace(node, new)
        if not self._imports_packaging_version_before(node):
            ctx.add_import(fix, "import packaging.version", at=node)
        return fix

    def _imports_packaging_version_before(self, node: cst.CSTNode) -> bool:
        body = self.ctx.module.body
        top = self.ctx.order.top_index(node, len(body) - 1)
        for stmt in body[: top if top is not None else 0]:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Import) and any(
                        alias.asname is None and dotted_name(alias.name) == "packaging.version" for alias in small.names
                    ):
                        return True
        return False

    def _package(self, node: cst.BaseExpression) -> Optional[Tuple[str, Sequence[str]]]:
        resolver = self.ctx.resolver
        if isinstance(node, cst.Name):
            resolved = resolver.resolve(node)  # `from tensorflow import __version__ as tf_version`
            if resolved is None:
                assigned = resolver.assigned_value(node)
                if assigned is None or not isinstance(assigned[0], cst.Attribute):
                    return None
                resolved = resolver.resolve(assigned[0], assigned[1])
        elif isinstance(node, cst.Attribute):
            resolved = resolver.resolve(node)
        else:
            return None
        if resolved is None:
            return None
        if resolved.canonical in _PACKAGES:
            return _PACKAGES[resolved.canonical]
        if resolved.canonical == "keras.__version__":
            if resolved.origin == "tf_keras":
                return "tf_keras", _TF_KERAS
            if resolved.origin == "tf.keras":
                # Keras 3, or tf_keras under TF_USE_LEGACY_KERAS.
                return "tf.keras", _KERAS3 + _TF_KERAS
            return "Keras", _KERAS3
        return None
