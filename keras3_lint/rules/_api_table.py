"""The generated removed/renamed-API table (keras3_lint/data/api_table.json) and the one matcher
the KRS1xx rules share.

The table is loaded once per process. Per file, one ``ApiMatcher`` (kept on the rule context)
classifies each import alias / attribute chain once, with dict lookups keyed by the Keras-relative
path of the expression as written (``layers.experimental.preprocessing.Rescaling``, not the
resolver's canonical name, which maps legacy module paths onto public ones on purpose).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

import libcst as cst

from ..resolver import Resolved, canonicalize, dotted_name, import_from_module
from ..rule import UNSAFE, FixBuilder

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "api_table.json")


@lru_cache(maxsize=1)
def table() -> Dict[str, Any]:
    with open(DATA, encoding="utf-8") as handle:
        data = json.load(handle)
    data["keras3_public_set"] = frozenset(data["keras3_public"])
    for path, entry in data["modules"].items():
        entry["path"] = path  # messages name the removed module itself
    names = set()
    for key in data["methods"]:
        names.add(key.split(".", 1)[1])
    data["method_names"] = frozenset(names)
    return data


def versions_line() -> str:
    info = table()["generated_from"]
    return f"keras {info['keras']}, tf_keras {info['tf_keras']}"


# ---------------------------------------------------------------------------------------------


def keras_relative(resolved: Resolved) -> Optional[str]:
    """``layers.Dense`` for tf.keras.layers.Dense / keras.layers.Dense / tensorflow.python.keras.layers.Dense
    ("" for the package itself); None for non-Keras names."""
    if resolved.origin is None:
        return None
    parts = resolved.qualified.split(".")
    for index, part in enumerate(parts):
        if part in ("keras", "tf_keras"):
            return ".".join(parts[index + 1:])
    return None


@dataclass
class Match:
    kind: str  # "symbol", "module", "compat", "private"
    rel: str  # Keras-relative path as written
    entry: Dict[str, Any]
    origin: str
    replacement: str = ""  # Keras-relative path of the replacement ("" = none)
    fix: str = "none"  # "safe", "unsafe", "none"
    route: str = ""  # the package that still serves `replacement` ("tensorflow.keras"), "" = the file's Keras

    @property
    def category(self) -> str:
        if self.kind == "module":
            return "sklearn" if self.rel.startswith("wrappers.scikit_learn") else "module"
        if self.kind == "symbol":
            if self.rel.startswith("wrappers.scikit_learn"):
                return "sklearn"
            return self.entry.get("category", "symbol")
        return self.kind


def classify_rel(rel: str, origin: str) -> Optional[Match]:
    data = table()
    if origin == "tensorflow.python.keras":
        return Match("private", rel, {}, origin)
    if origin not in ("keras", "tf.keras"):
        return None
    modules = data["modules"]
    parts = rel.split(".")
    for end in range(len(parts), 0, -1):  # the longest removed module that prefixes rel
        module = ".".join(parts[:end]) if end < len(parts) else rel
        if end == len(parts) and (data["symbols"].get(rel, {}).get("replacement")
                                   or parts[-1] in modules.get(".".join(parts[:-1]), {}).get("names", ())):
            # `optimizers.rmsprop`: a function in Keras 2.0-2.3 (with a replacement), a module in 2.11;
            # `layers.merging.add`: the function the package imports hides its submodule
            continue
        if module in modules:
            entry = modules[module]
            name = rel[len(module) + 1:] if rel != module else ""
            replacement, fix = "", "none"
            if name and "." not in name:
                named = entry["names"].get(name)
                if named is not None:
                    replacement = named["replacement"]
                    fix = "safe" if replacement and named["works_on_keras2"] else ("unsafe" if replacement else "none")
                elif entry["default"] and name in entry["default_names"]:
                    replacement = f"{entry['default']}.{name}"
                    fix = "safe"
            return Match("module", rel, entry, origin, replacement, fix)
    symbol = data["symbols"].get(rel)
    if origin == "tf.keras" and rel in data["compat_only"]:
        replacement, fix = (symbol or {}).get("replacement", ""), (symbol or {}).get("fix", "none")
        if (symbol or {}).get("route"):
            replacement, fix = "", "none"  # tf.keras is the route: the code works as written
        elif replacement in data["tf_keras_gaps"]:
            fix = "none"  # `tf.keras.losses.mean_squared_error` is not there: name it only
        return Match("compat", rel, symbol or data["compat_only"][rel], origin, replacement, fix)
    if symbol is not None:
        return Match("symbol", rel, symbol, origin, symbol.get("replacement", ""), symbol.get("fix", "none"),
                     symbol.get("route", ""))
    if origin == "tf.keras":
        gap = data["tf_keras_gaps"].get(rel)  # in `keras` but not on Keras 3's `tf.keras` (KRS111)
        if gap is not None:
            return Match("gap", rel, gap, origin, rel, "safe")
    return None


class ApiMatcher:
    """Per-file memo shared by the KRS1xx rules (stored on the rule context)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self._attr: Dict[int, Optional[Match]] = {}
        self.covered: set = set()  # ids of nodes that a finding on an enclosing node already covers

    @staticmethod
    def of(ctx) -> "ApiMatcher":
        matcher = getattr(ctx, "_krs1_api_matcher", None)
        if matcher is None:
            matcher = ApiMatcher(ctx)
            ctx._krs1_api_matcher = matcher
        return matcher

    def cover_chain(self, node: cst.CSTNode) -> None:
        while isinstance(node, cst.Attribute):
            node = node.value
            self.covered.add(id(node))

    def attribute(self, node: cst.Attribute) -> Optional[Match]:
        key = id(node)
        if key in self._attr:
            return self._attr[key]
        result = None
        if key not in self.covered:
            resolved = self.ctx.resolver.resolve(node)
            if resolved is not None and resolved.origin is not None:
                rel = keras_relative(resolved)
                if rel:
                    result = classify_rel(rel, resolved.origin)
                    if result is not None and result.kind == "private":
                        result = None  # KRS108 reports the import, not every use
            if result is not None:
                self.cover_chain(node)
        self._attr[key] = result
        return result

    def import_from(self, node: cst.ImportFrom) -> List[Tuple[cst.ImportAlias, Match]]:
        key = id(node)
        cached = self._attr.get(key)
        if key in self._attr:
            return cached  # type: ignore[return-value]
        found: List[Tuple[cst.ImportAlias, Match]] = []
        module = import_from_module(node)
        if module is not None and not isinstance(node.names, cst.ImportStar):
            resolved = canonicalize(module)
            rel = keras_relative(resolved) if resolved.origin else None
            if rel is not None:
                for alias in node.names:
                    name = dotted_name(alias.name)
                    if name is None:
                        continue
                    match = classify_rel(f"{rel}.{name}" if rel else name, resolved.origin)
                    if match is not None:
                        found.append((alias, match))
        self._attr[key] = found  # type: ignore[assignment]
        return found

    def import_(self, node: cst.Import) -> List[Tuple[cst.ImportAlias, Match]]:
        found = []
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            resolved = canonicalize(name)
            rel = keras_relative(resolved) if resolved.origin else None
            if rel:
                match = classify_rel(rel, resolved.origin)
                if match is not None:
                    found.append((alias, match))
            elif resolved.origin == "tensorflow.python.keras":
                found.append((alias, Match("private", "", {}, resolved.origin)))
        return found


def module_prefix(module_text: str, rel_module: str) -> Optional[str]:
    """The user's spelling of the Keras package in ``from <module_text> import``."""
    if not rel_module:
        return module_text
    if module_text.endswith("." + rel_module):
        return module_text[: -len(rel_module) - 1]
    return None


def rewrite_import_from(node: cst.ImportFrom, replacements: Dict[int, str], rel_module: str,
                        packages: Optional[Dict[int, str]] = None) -> Optional[str]:
    """Source text for ``node`` with aliases moved to their replacement paths (Keras-relative),
    grouped by target module; None when the statement cannot be rewritten. ``packages``: aliases
    whose replacement lives in another package than the file's Keras (``tensorflow.keras``)."""
    module_text = dotted_name(node.module) if node.module is not None else None
    if module_text is None or isinstance(node.names, cst.ImportStar):
        return None
    prefix = module_prefix(module_text, rel_module)
    if prefix is None:
        return None
    groups: Dict[str, List[str]] = {}
    order: List[str] = []
    for alias in node.names:
        name = dotted_name(alias.name)
        if name is None:
            return None
        local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else None
        target = replacements.get(id(alias))
        if target is None:
            target_module, target_name = rel_module, name
        else:
            target_module, _, target_name = target.rpartition(".")
        if local is None and target_name != name:
            local = name
        text = target_name if local is None or local == target_name else f"{target_name} as {local}"
        package = (packages or {}).get(id(alias)) or prefix
        full_module = package + ("." + target_module if target_module else "")
        if full_module not in groups:
            groups[full_module] = []
            order.append(full_module)
        groups[full_module].append(text)
    return "\n".join(f"from {m} import {', '.join(groups[m])}" for m in order)


def rewrite_chain(ctx, node: cst.Attribute, rel: str, new_rel: str) -> Optional[str]:
    """Source text reaching ``new_rel`` spelled like the chain ``node`` (which reaches ``rel``)."""
    dotted = dotted_name(node)
    if dotted is None:
        return None
    parts = dotted.split(".")
    rel_parts = rel.split(".")
    matched = 0
    while (
        matched < len(rel_parts)
        and matched < len(parts) - 1
        and parts[-1 - matched] == rel_parts[-1 - matched]
    ):
        matched += 1
    if matched == 0:
        return None
    head_rel = ".".join(rel_parts[: len(rel_parts) - matched])
    head_text = ".".join(parts[: len(parts) - matched])
    if not head_rel:
        return f"{head_text}.{new_rel}"
    if new_rel.startswith(head_rel + "."):
        return head_text + new_rel[len(head_rel):]
    return ctx.keras_reference("keras." + new_rel, like=node)


def _rewrites_calls(match: Match) -> bool:
    """K.* entries whose Keras 3 call needs other arguments than the Keras 2 one (see
    _backend_ops.py): only the whole call can be rewritten, not the name or its import."""
    recipe = match.entry.get("ops_call")
    return bool(recipe) and not recipe.get("drop_in")


def message_tail(match: Match) -> str:
    note = match.entry.get("note") if isinstance(match.entry, dict) else ""
    if match.route:
        tail = (f"Keras 3 keeps the deprecated Keras 2 {match.entry.get('kind', 'name')} only as "
                f"`tf.keras.{match.rel}` (needs TensorFlow); the unsafe fix imports it from `{match.route}`")
        return tail + (f"; long term, {note}" if note else "")
    if match.replacement:
        tail = f"use `keras.{match.replacement}`"
        if note:
            tail += f" ({note})"
        return tail
    return f"no automatic fix: {note}" if note else "no automatic fix: rewrite this code for Keras 3 (https://keras.io/guides/migrating_to_keras_3/)"


# ---------------------------------------------------------------------------------------------
# Shared visiting logic for the symbol rules (a mixin, so this module defines no Rule).


class SymbolRuleMixin:
    """Reports imports and attribute chains whose ``Match.category`` is in ``categories``."""

    categories: frozenset = frozenset()

    def describe(self, match: Match) -> str:  # pragma: no cover - every rule overrides it
        raise NotImplementedError

    def _fix_for(self, matches, builder_text, node):
        worst = "safe"
        for match in matches:
            if match.fix == "none":
                return None
            if match.fix == "unsafe":
                worst = "unsafe"
        fix = self.safe_fix if worst == "safe" else self.unsafe_fix
        return fix(builder_text)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        matcher = ApiMatcher.of(self.ctx)
        if node.module is not None:
            matcher.covered.add(id(node.module))
            matcher.cover_chain(node.module)
        found = [(a, m) for a, m in matcher.import_from(node) if m.category in self.categories]
        if not found:
            return
        rel_module = found[0][1].rel.rpartition(".")[0]
        replacements = {id(a): m.replacement for a, m in found if m.replacement and m.fix != "none"}
        packages = {id(a): m.route for a, m in found if m.route and id(a) in replacements}
        fix = None
        fixable = [m for a, m in found if id(a) in replacements]
        if fixable and not any(m.entry.get("call_rewrite") or _rewrites_calls(m) for m in fixable):
            text = rewrite_import_from(node, replacements, rel_module, packages)
            if text is not None:
                fix = self._fix_for(fixable, "", node)
                if fix is not None:
                    fix.message = ("Import the deprecated Keras 2 name from `tensorflow.keras` (needs TensorFlow)"
                                   if packages else "Import from the Keras 3 path")
                    fix.replace(node, text)
        for alias, match in found:
            self.report(alias, self.describe(match), fix=fix if id(alias) in replacements else None)
            if id(alias) in replacements:
                fix = None  # one fix per statement, on its first fixable alias

    def visit_Import(self, node: cst.Import) -> None:
        matcher = ApiMatcher.of(self.ctx)
        for alias in node.names:
            matcher.covered.add(id(alias.name))
            matcher.cover_chain(alias.name)
        for alias, match in matcher.import_(node):
            if match.category in self.categories:
                self.report(alias, self.describe(match), fix=self._routed_import_fix(node, alias, match))

    def _routed_import_fix(self, node: cst.Import, alias: cst.ImportAlias, match: Match):
        """``import keras.preprocessing.text as kpt`` -> ``from tensorflow.keras.preprocessing
        import text as kpt`` (a lone aliased import of a routed module)."""
        if not match.route or match.fix == "none" or len(node.names) != 1 or alias.asname is None:
            return None
        local = dotted_name(alias.asname.name)
        parent, _, name = match.rel.rpartition(".")
        if local is None or "." in local:
            return None
        package = f"{match.route}.{parent}" if parent else match.route
        fix = self.unsafe_fix("Import the deprecated Keras 2 module from `tensorflow.keras` (needs TensorFlow)")
        return fix.replace(node, f"from {package} import {name} as {local}")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        match = ApiMatcher.of(self.ctx).attribute(node)
        if match is None or match.category not in self.categories:
            return
        fix = None
        if match.route:
            fix = route_fix(self.ctx, node, match)
        elif match.replacement and match.fix != "none" and not match.entry.get("call_rewrite") and not _rewrites_calls(match):
            text = rewrite_chain(self.ctx, node, match.rel, match.replacement)
            if text is not None:
                fix = (self.safe_fix if match.fix == "safe" else self.unsafe_fix)(f"Use `{text}`")
                fix.replace(node, text)
        self.report(node, self.describe(match), fix=fix)


def route_fix(ctx, node: cst.Attribute, match: Match):
    """The unsafe fix naming ``match.rel`` through ``tf.keras`` (its route): ``tf.keras.<rel>``
    with a ``tensorflow`` module bound before the edit, else the name imported from
    ``tensorflow.keras.<module>``. None where the chain's own head is an import of a routed
    module (``from keras.preprocessing import text``; ``text.Tokenizer``): that import's fix
    makes the chain work as written."""
    head = node
    while isinstance(head, cst.Attribute):
        head = head.value
    if isinstance(head, cst.Name):
        binding = ctx.resolver.scope.lookup(head.value)
        if binding is not None and binding.imported:
            resolved = canonicalize(binding.imported)
            rel = keras_relative(resolved) if resolved.origin else None
            if rel and rel != match.rel:
                imported = classify_rel(rel, resolved.origin)
                if imported is not None and imported.route:
                    return None
    text = None
    for local, binding in ctx.resolver.module_scope.names.items():
        index = ctx.order.import_index(local)
        if index is None or not ctx.order.is_after(node, index) or not binding.imported:
            continue
        resolved = canonicalize(binding.imported)
        if resolved.origin and keras_relative(resolved) == match.rel:
            text = local  # imported already (from tensorflow.keras, or by an import this rule fixes)
            break
        if binding.imported == "tensorflow" and text is None:
            text = f"{local}.keras.{match.rel}"
    fix = FixBuilder(UNSAFE, "")
    if text is None:
        text, statement = ctx.import_for("keras." + match.rel, "tf.keras")
        if text is None:
            return None
        ctx.add_import(fix, statement, at=node)
    fix.message = f"Use the deprecated `{text}` from tf.keras (needs TensorFlow)"
    return fix.replace(node, text)
