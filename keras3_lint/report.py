"""A migration report for a whole project: how much work, where, and what to do next.

Pure: ``build_report`` takes the results of a check run and the settings and returns plain data;
``render_markdown`` and ``render_json`` turn that data into text. No file is read here.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any, Dict, List, Optional, Sequence

from .config import Settings
from .diagnostics import SAFE, UNSAFE, Diagnostic, FileResult
from .docs import FAMILIES, family
from .links import rule_url
from .registry import TOOL_CODES, rule_by_code

DEFAULT_TOP = 10


def _version_text(version: Sequence[int]) -> str:
    return ".".join(str(part) for part in version)


def _kind(diagnostic: Diagnostic) -> str:
    """``safe`` / ``unsafe``: ``--fix`` (``--unsafe-fixes``) handles it; ``manual``: a person must."""
    fix = diagnostic.fix
    if fix is not None and fix.edits:
        if fix.applicability == SAFE:
            return "safe"
        if fix.applicability == UNSAFE:
            return "unsafe"
    return "manual"


def _rule_name(code: str) -> str:
    rule = rule_by_code(code)
    if rule is not None:
        return rule.name
    return TOOL_CODES.get(code, ("", ""))[0]


def build_report(
    results: Sequence[FileResult],
    settings: Settings,
    *,
    files_scanned: Optional[int] = None,
    top: int = DEFAULT_TOP,
    paths: Sequence[str] = (),
) -> Dict[str, Any]:
    """The report as JSON-ready data. ``files_scanned`` defaults to ``len(results)``."""
    diagnostics = [d for r in results for d in r.diagnostics]
    rule_findings = [d for d in diagnostics if d.code not in TOOL_CODES]
    tool_findings = [d for d in diagnostics if d.code in TOOL_CODES]

    kinds = Counter(_kind(d) for d in rule_findings)
    by_rule: Dict[str, Dict[str, Any]] = {}
    files_by_rule: Dict[str, set] = defaultdict(set)
    for d in rule_findings:
        entry = by_rule.setdefault(
            d.code,
            {
                "code": d.code,
                "name": _rule_name(d.code),
                "family": family(d.code),
                "url": rule_url(d.code),
                "count": 0,
                "files": 0,
                "safe": 0,
                "unsafe": 0,
                "manual": 0,
            },
        )
        entry["count"] += 1
        entry[_kind(d)] += 1
        files_by_rule[d.code].add(d.path)
    for code, entry in by_rule.items():
        entry["files"] = len(files_by_rule[code])
    rules = sorted(by_rule.values(), key=lambda e: (-e["count"], e["code"]))

    family_counts: Dict[str, Dict[str, Any]] = {}
    for d in rule_findings:
        digit = d.code[3:4]
        entry = family_counts.setdefault(
            digit, {"family": family(d.code), "prefix": d.code[:4], "count": 0, "rules": set()}
        )
        entry["count"] += 1
        entry["rules"].add(d.code)
    families = [
        {"family": e["family"], "prefix": e["prefix"], "count": e["count"], "rules": sorted(e["rules"])}
        for _, e in sorted(family_counts.items(), key=lambda item: (-item[1]["count"], item[0]))
    ]

    per_file: Dict[str, Counter] = defaultdict(Counter)
    for d in rule_findings:
        per_file[d.path][_kind(d)] += 1
    needs_person = sorted(
        (
            {"path": path, "manual": c["manual"], "total": sum(c.values())}
            for path, c in per_file.items()
            if c["manual"]
        ),
        key=lambda e: (-e["manual"], -e["total"], e["path"]),
    )

    unreadable = sorted({d.path for d in tool_findings if d.code != "KRS004"})
    report: Dict[str, Any] = {
        "paths": list(paths),
        "files_scanned": len(results) if files_scanned is None else files_scanned,
        "files_affected": len(per_file),
        "findings": len(rule_findings),
        "fixability": {"safe": kinds["safe"], "unsafe": kinds["unsafe"], "manual": kinds["manual"]},
        "families": families,
        "rules": rules,
        "files_needing_a_person": needs_person[: max(top, 0)],
        "files_needing_a_person_total": len(needs_person),
        "files_not_checked": [
            {"path": d.path, "code": d.code, "message": d.message}
            for d in sorted(tool_findings, key=Diagnostic.sort_key)
            if d.code != "KRS004"
        ],
        "unused_noqa": sum(1 for d in tool_findings if d.code == "KRS004"),
        "keras_version": _version_text(settings.keras_version),
        "keras_version_source": settings.keras_version_source,
        "backends": list(settings.backends),
        "config": settings.config_path,
        "next_steps": _next_steps(kinds, len(unreadable), paths),
    }
    return report


def _next_steps(kinds: Counter, unreadable: int, paths: Sequence[str]) -> List[str]:
    target = " ".join(paths) if paths else "."
    steps: List[str] = []
    if unreadable:
        steps.append(
            f"Fix the {unreadable} file{'s' if unreadable != 1 else ''} that could not be checked "
            "(syntax or decoding errors, unreadable paths): nothing in them was analysed."
        )
    if kinds["safe"]:
        steps.append(
            f"Run `keras3-lint --fix {target}`: it applies the {kinds['safe']} safe "
            f"fix{'es' if kinds['safe'] != 1 else ''} (behaviour identical on Keras 3)."
        )
    if kinds["unsafe"]:
        steps.append(
            f"Review `keras3-lint --diff --unsafe-fixes {target}`, then apply with "
            f"`keras3-lint --fix --unsafe-fixes {target}`: {kinds['unsafe']} "
            f"fix{'es' if kinds['unsafe'] != 1 else ''} may change numbers or behaviour, so test after."
        )
    if kinds["manual"]:
        steps.append(
            f"Work through the {kinds['manual']} finding{'s that need' if kinds['manual'] != 1 else ' that needs'} "
            "a person, starting with the files listed above; `keras3-lint rule CODE` explains each rule."
        )
        steps.append(
            "If you cannot migrate yet, stay on Keras 2 deliberately: `pip install tf_keras` and set "
            "`TF_USE_LEGACY_KERAS=1` before TensorFlow is first imported (or pin `tensorflow<2.16`)."
        )
    if not steps:
        steps.append("Nothing to do: no Keras 3 migration hazards were found.")
    return steps


def render_json(report: Dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: Dict[str, Any]) -> str:
    fx = report["fixability"]
    lines: List[str] = [
        "# Keras 3 migration report",
        "",
        f"- Files scanned: **{report['files_scanned']}**",
        f"- Files affected: **{report['files_affected']}**",
        f"- Findings: **{report['findings']}** "
        f"({fx['safe']} safely fixable, {fx['unsafe']} unsafely fixable, {fx['manual']} need a person)",
        f"- Keras version assumed: **{report['keras_version']}** ({report['keras_version_source']})",
        f"- Target backends: {', '.join(report['backends'])}",
    ]
    if report.get("config"):
        lines.append(f"- Configuration: `{report['config']}`")
    if report["unused_noqa"]:
        lines.append(f"- Unused `# noqa` comments: {report['unused_noqa']}")
    lines.append("")

    if report["families"]:
        lines += ["## Findings by family", "", "| Family | Codes | Findings |", "|---|---|---:|"]
        for entry in report["families"]:
            lines.append(f"| {entry['family']} | {entry['prefix']}xx | {entry['count']} |")
        lines.append("")
        lines += [
            "## Findings by rule",
            "",
            "| Rule | Name | Findings | Files | Safe fix | Unsafe fix | Needs a person |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for entry in report["rules"]:
            lines.append(
                f"| [{entry['code']}]({entry['url']}) | `{entry['name']}` | {entry['count']} | {entry['files']} "
                f"| {entry['safe']} | {entry['unsafe']} | {entry['manual']} |"
            )
        lines.append("")

    if report["files_needing_a_person"]:
        shown = len(report["files_needing_a_person"])
        total = report["files_needing_a_person_total"]
        title = "## Files that need a person most"
        if total > shown:
            title += f" (top {shown} of {total})"
        lines += [title, "", "| File | Needs a person | All findings |", "|---|---:|---:|"]
        for entry in report["files_needing_a_person"]:
            lines.append(f"| `{_escape(entry['path'])}` | {entry['manual']} | {entry['total']} |")
        lines.append("")

    if report["files_not_checked"]:
        lines += ["## Files that could not be checked", ""]
        for entry in report["files_not_checked"]:
            lines.append(f"- `{entry['path']}`: {entry['code']} {entry['message']}")
        lines.append("")

    lines += ["## What to do next", ""]
    lines += [f"{i}. {step}" for i, step in enumerate(report["next_steps"], start=1)]
    return "\n".join(lines) + "\n"


__all__ = ["DEFAULT_TOP", "FAMILIES", "build_report", "render_json", "render_markdown"]
