"""KRS104: internal module paths of older Keras 2 (`keras.engine.topology`, `keras.utils.np_utils`, ...) (MOD-1)."""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from ..resolver import dotted_name
from ..rule import FIX_SAFE, Report, Rule, RuleDoc
from ._api_table import ApiMatcher, Match, SymbolRuleMixin, module_prefix, rewrite_import_from, versions_line


class RemovedModulePath(SymbolRuleMixin, Rule):
    code = "KRS104"
    name = "removed-keras-module-path"
    summary = "Import from an internal Keras 2 module (`keras.engine`, `keras.utils.np_utils`, `keras.layers.recurrent`, ...) that Keras 3 does not have."
    fix_safety = FIX_SAFE
    categories = frozenset({"module"})
    doc = RuleDoc(
        what="""
            Flags imports from module paths that older Keras 2 exposed but that are not public API:
            `keras.engine.topology`, `keras.engine.base_layer`, `keras.layers.core` /
            `recurrent` / `merge` / ..., `keras.utils.np_utils` / `generic_utils` / `data_utils` /
            `vis_utils`, `keras.legacy.interfaces`, `keras.initializers.initializers_v2`,
            `keras.mixed_precision.experimental`, `keras.backend.tensorflow_backend`,
            `keras.objectives`, `keras.engine.saving`. The list is generated: every module file
            of standalone Keras 2.0.0-2.3.1 and of the `keras` package 2.6-2.12 (read statically
            from their wheels) that is not a public module anywhere and that Keras 3 does not
            import, plus the hand-written entries; each name is mapped to the public Keras 3
            path of the same object.
        """,
        why="""
            Keras 3 has none of these modules:

                ModuleNotFoundError: No module named 'keras.engine'
                ModuleNotFoundError: No module named 'keras.utils.np_utils'
                ImportError: cannot import name 'recurrent' from 'keras.layers'
        """,
        bad="""
            from keras.engine.topology import Layer
            from keras.utils.np_utils import to_categorical
        """,
        good="""
            from keras.layers import Layer
            from keras.utils import to_categorical
        """,
        fix="""
            **Safe**: each imported name is moved to its public path from the mapping table in
            `keras3_lint/data/api_overrides.toml` (checked against keras 3.15.1 and tf_keras 2.21
            by the generator), keeping the local name; for the generated entries, the public
            path the same release exported the same object under (`keras.objectives.
            mean_squared_error` -> `keras.losses.mean_squared_error`,
            `keras.engine.saving.load_model` -> `keras.models.load_model`). Private helpers
            (`to_list`, `unpack_singleton`, `conv_utils`) have no public replacement and are
            reported only. A removed module imported as a name (`from keras.layers import
            recurrent`, `import keras.utils.np_utils as kutils`) becomes the Keras 3 module that
            has every name the file reads on it, under the same names (`from keras import layers
            as recurrent`, `from keras import utils as kutils`), so `recurrent.LSTM` and
            `kutils.to_categorical` work as written; where the name is used any other way (passed
            on, rebound) the message says that there is no automatic fix.
        """,
        sources=(
            "keras3_lint/data/api_overrides.toml [modules] (checked by scripts/generate_api_table.py: " + versions_line() + ")",
            "Checked: keras 3.15.1 `import keras.engine.topology` -> ModuleNotFoundError: No module named 'keras.engine'",
            "Checked: keras 3.15.1 `from keras.layers import recurrent` -> ImportError: cannot import name 'recurrent' from 'keras.layers'",
        ),
        facts=("MOD-1", "BK-3"),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # imports of a whole removed module as a name (`from keras.layers import recurrent`,
        # `import keras.utils.np_utils as kutils`): (statement, alias, match, local name, report)
        self._module_imports: List[Tuple[cst.CSTNode, cst.ImportAlias, Match, str, Report]] = []
        self._chain_reports: Dict[str, List[Report]] = {}  # local head name -> its chain findings

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        start = len(self.ctx.reports)
        super().visit_ImportFrom(node)
        self._note_module_imports(node, start)

    def visit_Import(self, node: cst.Import) -> None:
        start = len(self.ctx.reports)
        super().visit_Import(node)
        self._note_module_imports(node, start)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        start = len(self.ctx.reports)
        super().visit_Attribute(node)
        if len(self.ctx.reports) > start:
            head = node
            while isinstance(head, cst.Attribute):
                head = head.value
            if isinstance(head, cst.Name):
                self._chain_reports.setdefault(head.value, []).extend(self.ctx.reports[start:])

    def _note_module_imports(self, node, start: int) -> None:
        for report in self.ctx.reports[start:]:
            alias = report.node
            if not isinstance(alias, cst.ImportAlias) or report.code != self.code:
                continue
            name = dotted_name(alias.name)
            local = dotted_name(alias.asname.name) if alias.asname is not None else name
            match = self._alias_match(node, alias)
            if match is None or match.rel != match.entry.get("path") or report.fix is not None:
                continue
            # the uses are searched module-wide, which also covers an import inside a function
            fixable = local is not None and "." not in local
            self._module_imports.append((node, alias, match, local if fixable else "", report))

    def _alias_match(self, node, alias: cst.ImportAlias) -> Optional[Match]:
        matcher = ApiMatcher.of(self.ctx)
        found = matcher.import_from(node) if isinstance(node, cst.ImportFrom) else matcher.import_(node)
        return next((m for a, m in found if a is alias), None)

    def finish(self) -> None:
        if not self._module_imports:
            return
        uses = _attribute_uses(self.ctx.module, {local for _, _, _, local, _ in self._module_imports if local})
        # statement -> {alias: Keras 3 module}, and whether every such rewrite is safe
        targets: Dict[int, Dict[int, str]] = {}
        safe_by_statement: Dict[int, bool] = {}
        for node, alias, match, local, report in self._module_imports:
            target = _namespace_for(match.entry, uses.get(local)) if local else None
            if target is None or (isinstance(node, cst.Import) and self._import_text(node, match, target[0], local) is None):
                if "no automatic fix" not in report.message:  # (not every use reads a name of one module)
                    report.message += "; no automatic fix for this import: import the names you use from their Keras 3 modules"
                continue
            targets.setdefault(id(node), {})[id(alias)] = target[0]
            safe_by_statement[id(node)] = safe_by_statement.get(id(node), True) and target[1]
        done = set()
        for node, alias, match, local, report in self._module_imports:
            if id(node) in done or id(alias) not in targets.get(id(node), {}):
                continue
            done.add(id(node))
            namespaces = targets[id(node)]
            if isinstance(node, cst.ImportFrom):
                text = self._import_from_text(node, namespaces)
            else:
                text = self._import_text(node, match, namespaces[id(alias)], local)
            if text is None:
                continue
            safe = safe_by_statement[id(node)]
            names = ", ".join(f"`keras.{n}`" for n in sorted(set(namespaces.values())))
            fix = (self.safe_fix if safe else self.unsafe_fix)(f"Import the Keras 3 module {names} under the old name")
            fix.replace(node, text)
            for other in self.ctx.reports:  # this fix rewrites the statement: no other fix on it
                if other is not report and other.code == self.code and other.fix is not None \
                        and any(other.node is a for a in getattr(node, "names", ())):
                    other.fix = None
            report.fix = fix
            if safe:  # the uses now work as written: their own rewrites are not needed
                for other_node, other_alias, _, other_local, _ in self._module_imports:
                    if other_node is node and id(other_alias) in namespaces:
                        for chain in self._chain_reports.get(other_local, ()):
                            chain.fix = None

    def _import_from_text(self, node: cst.ImportFrom, namespaces: Dict[int, str]) -> Optional[str]:
        matcher = ApiMatcher.of(self.ctx)
        found = [(a, m) for a, m in matcher.import_from(node) if m.category in self.categories]
        replacements = {id(a): m.replacement for a, m in found if m.replacement and m.fix != "none"}
        if any(m.fix == "unsafe" for a, m in found if id(a) in replacements):
            return None  # keep the two fixes apart: their safety differs
        replacements.update(namespaces)
        rel_module = found[0][1].rel.rpartition(".")[0]
        return rewrite_import_from(node, replacements, rel_module)

    @staticmethod
    def _import_text(node: cst.Import, match: Match, namespace: str, local: str) -> Optional[str]:
        if len(node.names) != 1 or node.names[0].asname is None:
            return None  # `import keras.layers.recurrent` binds `keras`: the chain rewrites do it
        prefix = module_prefix(dotted_name(node.names[0].name) or "", match.rel)
        if prefix is None:
            return None
        parent, _, name = namespace.rpartition(".")
        return f"from {prefix}.{parent} import {name} as {local}" if parent else f"from {prefix} import {name} as {local}"

    def describe(self, match: Match) -> str:
        module = match.rel
        versions = match.entry.get("keras2_versions", "")
        # which old releases had the module (read from them), e.g. "keras 2.0.0–2.3.1"
        path = match.entry.get("path", "")
        had = f" (`keras.{path}` was a module of {versions})" if versions.startswith("keras ") and path else ""
        if match.replacement:
            return f"`keras.{module}` does not exist in Keras 3 (ModuleNotFoundError){had}; use `keras.{match.replacement}`"
        if match.rel == path:
            homes = sorted({item["replacement"].rpartition(".")[0] for item in match.entry["names"].values()
                            if "." in item["replacement"]} | ({match.entry["default"]} if match.entry.get("default") else set()))
            if homes:
                listed = ", ".join(f"`keras.{home}`" for home in homes[:3])
                return f"`keras.{module}` does not exist in Keras 3 (ModuleNotFoundError){had}; its public names are in {listed}"
        return (f"`keras.{module}` does not exist in Keras 3 (ModuleNotFoundError){had} and has no public "
                f"replacement; no automatic fix: copy what you use of it into your project")


def _attribute_uses(module: cst.Module, locals_: Set[str]) -> Dict[str, Optional[Set[str]]]:
    """For each name, the attributes read on it anywhere in the module (`kutils.to_categorical`
    -> {"to_categorical"}), or None when the name is used any other way (passed on, rebound,
    imported again): then no rewrite can know what it needs."""
    uses: Dict[str, Optional[Set[str]]] = {name: set() for name in locals_}
    seen: Dict[str, int] = {name: 0 for name in locals_}  # bindings by imports (one is ours)

    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.fine: Set[int] = set()

        def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
            bound = node.asname.name if node.asname is not None else node.name
            text = dotted_name(bound)
            if text is not None and text.split(".")[0] in seen and (node.asname is not None or "." not in text):
                seen[text.split(".")[0]] += 1
            return False

        def visit_Attribute(self, node: cst.Attribute) -> None:
            self.fine.add(id(node.attr))
            if isinstance(node.value, cst.Name) and node.value.value in uses:
                self.fine.add(id(node.value))
                found = uses[node.value.value]
                if found is not None:
                    found.add(node.attr.value)

        def visit_Name(self, node: cst.Name) -> None:
            if node.value in uses and id(node) not in self.fine:
                uses[node.value] = None

    module.visit(Finder())
    for name, count in seen.items():
        if count != 1:
            uses[name] = None
    return uses


def _namespace_for(entry: dict, used: Optional[Set[str]]) -> Optional[Tuple[str, bool]]:
    """The Keras 3 module that has every used name of the removed module under the same name
    (`utils` for `np_utils.to_categorical`), and whether each of them worked there in Keras 2."""
    if used is None:
        return None
    default = entry.get("default", "")
    named = entry.get("names", {})
    targets: Dict[str, bool] = {}  # target path -> works on Keras 2
    for name in used or set(named) or ():
        item = named.get(name)
        if item is not None:
            replacement, works = item.get("replacement", ""), bool(item.get("works_on_keras2"))
        elif default and name in entry.get("default_names", ()):
            replacement, works = f"{default}.{name}", True
        else:
            return None
        parent, _, leaf = replacement.rpartition(".")
        if not replacement or leaf != name or not parent:
            return None
        targets[parent] = targets.get(parent, True) and works
    if not used and default:
        targets = {default: True}
    if len(targets) != 1:
        return None
    (namespace, works), = targets.items()
    return namespace, works
