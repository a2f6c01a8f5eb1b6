"""A migration report for a whole project: how much work, where, and what to do next.

Pure: ``build_report`` takes the results of a check run and the settings and returns plain data;
``render_markdown`` and ``render_json`` turn that data into text. No file is read here.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict
from typing import Any, Dict, List, Optional, Sequence

from .config import Settings
from .diagnostics import SAFE, UNSAFE, Diagnostic, FileResult
from .docs import FAMILIES, family
from .links import rule_url
from .outlook import Outlook
from .registry import TOOL_CODES, rule_by_code

DEFAULT_TOP = 10
STILL_ON_KERAS2 = "KRS804"  # tracked by `report` whether selected or not
PRIVATE_KERAS2 = "KRS108"  # `tensorflow.python.keras`: a frozen Keras 2
_PRIVATE_KIND = "imports `tensorflow.python.keras`"


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
    outlook: Optional[Outlook] = None,
) -> Dict[str, Any]:
    """The report as JSON-ready data. ``files_scanned`` defaults to ``len(results)``.

    With an ``outlook`` (the fixes run in memory), "safe" / "unsafe" / "needs a person" count what
    `--fix` and `--fix --unsafe-fixes` would really remove and leave; without one, each finding
    is counted by its own fix."""
    # What still runs on Keras 2 is tracked in its own section, never counted as a hazard.
    still_on_keras2 = _still_on_keras2([d for r in results for d in r.diagnostics], top)
    results, outlook = _without_tracking(results, outlook)
    diagnostics = [d for r in results for d in r.diagnostics]
    rule_findings = [d for d in diagnostics if d.code not in TOOL_CODES]
    tool_findings = [d for d in diagnostics if d.code in TOOL_CODES]

    kinds = Counter(_kind(d) for d in rule_findings)
    resolved = outlook.resolved() if outlook is not None else None
    if resolved is not None:
        kinds = Counter()
        for code, counts in resolved.items():
            if code not in TOOL_CODES:
                kinds.update(counts)
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
        if resolved is None:
            entry[_kind(d)] += 1
        files_by_rule[d.code].add(d.path)
    for code, entry in by_rule.items():
        entry["files"] = len(files_by_rule[code])
        if resolved is not None:
            entry.update({kind: resolved[code][kind] for kind in ("safe", "unsafe", "manual")})
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
        per_file[d.path][_kind(d) if outlook is None else "total"] += 1
    if outlook is not None:  # what a person must do in each file once every fix is applied
        for path, left in outlook.after_all.items():
            if path in per_file:
                per_file[path]["manual"] = sum(1 for d in left if d.code not in TOOL_CODES)
    needs_person = sorted(
        (
            {"path": path, "manual": c["manual"], "total": c["total"] if outlook is not None else sum(c.values())}
            for path, c in per_file.items()
            if c["manual"]
        ),
        key=lambda e: (-e["manual"], -e["total"], e["path"]),
    )

    # What a person must do, one line per cause (same code and message), however many sites.
    left = [d for found in (outlook.after_all.values() if outlook is not None else [rule_findings]) for d in found]
    causes: Dict[tuple, Dict[str, Any]] = {}
    for d in left:
        if d.code in TOOL_CODES or (outlook is None and _kind(d) != "manual"):
            continue
        cause = causes.setdefault((d.code, d.message), {"code": d.code, "message": d.message, "count": 0, "files": set()})
        cause["count"] += 1
        cause["files"].add(d.path)
    by_cause = [
        {**c, "files": len(c["files"])}
        for c in sorted(causes.values(), key=lambda c: (-c["count"], c["code"], c["message"]))
    ]

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
        "needs_a_person_by_cause": by_cause[: max(top, 0)],
        "needs_a_person_causes_total": len(by_cause),
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
        "still_on_keras2": still_on_keras2,
        "next_steps": _next_steps(kinds, len(unreadable), paths) + _keras2_steps(still_on_keras2),
    }
    return report


def _without_tracking(results: Sequence[FileResult], outlook: Optional[Outlook]):
    """The results and outlook without KRS804's findings (they are not hazards)."""
    results = [
        dataclasses.replace(r, diagnostics=[d for d in r.diagnostics if d.code != STILL_ON_KERAS2]) for r in results
    ]
    if outlook is not None:
        outlook = Outlook(
            **{
                stage: {path: [d for d in found if d.code != STILL_ON_KERAS2] for path, found in getattr(outlook, stage).items()}
                for stage in ("before", "after_safe", "after_all")
            }
        )
    return results, outlook


def _still_on_keras2(diagnostics: Sequence[Diagnostic], top: int) -> Dict[str, Any]:
    """What has not migrated: KRS804's findings (always enabled by `report`), private
    `tensorflow.python.keras` imports (KRS108, when enabled), and the Keras 3 hazards found in
    files that run on Keras 2 through TF_USE_LEGACY_KERAS (their messages say so)."""
    from .rule import LEGACY_KERAS_NOTE
    from .rules.krs804_still_on_keras2 import KINDS, kind_of

    counts: Dict[str, Counter] = {kind: Counter() for kind in (*KINDS, _PRIVATE_KIND)}
    files: Dict[str, set] = defaultdict(set)
    per_file: Counter = Counter()
    legacy_files: Counter = Counter()
    for d in diagnostics:
        kind = kind_of(d.message) if d.code == STILL_ON_KERAS2 else _PRIVATE_KIND if d.code == PRIVATE_KERAS2 else None
        if kind is not None:
            counts[kind]["findings"] += 1
            files[kind].add(d.path)
            per_file[d.path] += 1
        elif d.message.startswith(LEGACY_KERAS_NOTE):
            legacy_files[d.path] += 1
    paths = sorted(per_file, key=lambda path: (-per_file[path], path))
    return {
        "findings": sum(per_file.values()),
        "files": len(per_file),
        "kinds": [
            {"kind": kind, "findings": counts[kind]["findings"], "files": len(files[kind])}
            for kind in counts
            if counts[kind]["findings"]
        ],
        "top_files": [{"path": path, "findings": per_file[path]} for path in paths[: max(top, 0)]],
        # Keras 3 hazards that wait in files running on Keras 2 through the flag.
        "hazards_in_flag_files": sum(legacy_files.values()),
        "flag_files_with_hazards": len(legacy_files),
    }


def _keras2_steps(still: Dict[str, Any]) -> List[str]:
    if not still["findings"]:
        return []
    step = (
        f"{still['findings']} place{'s' if still['findings'] != 1 else ''} in {still['files']} "
        f"file{'s' if still['files'] != 1 else ''} still run{'' if still['findings'] != 1 else 's'} on Keras 2 "
        "(see \"Still on Keras 2\"); `keras3-lint --select KRS804,KRS108` lists them."
    )
    if still["hazards_in_flag_files"]:
        step += (
            f" {still['hazards_in_flag_files']} of the findings above wait in files that run on Keras 2 "
            "through TF_USE_LEGACY_KERAS: fix them before dropping the flag."
        )
    return [step]


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
            f"Run `keras3-lint --fix {target}`: its safe fixes (behaviour identical on Keras 3) resolve "
            f"{kinds['safe']} finding{'s' if kinds['safe'] != 1 else ''}."
        )
    if kinds["unsafe"]:
        steps.append(
            f"Review `keras3-lint --diff --unsafe-fixes {target}`, then apply with "
            f"`keras3-lint --fix --unsafe-fixes {target}`: it resolves {kinds['unsafe']} more "
            f"finding{'s' if kinds['unsafe'] != 1 else ''} with fixes that may change numbers or behaviour, so test after."
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
    still = report.get("still_on_keras2")
    if still and still["findings"]:
        places, files = still["findings"], still["files"]
        lines.append(f"- Still on Keras 2: **{places}** place{'s' if places != 1 else ''} in {files} file{'s' if files != 1 else ''}")
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

    if report.get("needs_a_person_by_cause"):
        shown = len(report["needs_a_person_by_cause"])
        total = report["needs_a_person_causes_total"]
        title = "## What needs a person, by cause"
        if total > shown:
            title += f" (top {shown} of {total})"
        lines += [title, "", "| Rule | Finding | Sites | Files |", "|---|---|---:|---:|"]
        for entry in report["needs_a_person_by_cause"]:
            message = _escape(" ".join(entry["message"].split()))
            lines.append(f"| {entry['code']} | {message} | {entry['count']} | {entry['files']} |")
        lines.append("")

    if still and (still["findings"] or still["hazards_in_flag_files"]):
        lines += ["## Still on Keras 2", ""]
        if still["findings"]:
            lines += [
                f"{still['findings']} place{'s' if still['findings'] != 1 else ''} in {still['files']} "
                f"file{'s' if still['files'] != 1 else ''} have not migrated (not hazards today):",
                "",
                "| What | Places | Files |",
                "|---|---:|---:|",
            ]
            lines += [f"| {entry['kind']} | {entry['findings']} | {entry['files']} |" for entry in still["kinds"]]
            lines += ["", "| File | Places |", "|---|---:|"]
            lines += [f"| `{_escape(entry['path'])}` | {entry['findings']} |" for entry in still["top_files"]]
            lines.append("")
        if still["hazards_in_flag_files"]:
            lines += [
                f"{still['hazards_in_flag_files']} of the findings above are in {still['flag_files_with_hazards']} "
                f"file{'s that run' if still['flag_files_with_hazards'] != 1 else ' that runs'} on Keras 2 through "
                "TF_USE_LEGACY_KERAS today; they break when the flag goes.",
                "",
            ]

    if report["files_not_checked"]:
        lines += ["## Files that could not be checked", ""]
        for entry in report["files_not_checked"]:
            lines.append(f"- `{entry['path']}`: {entry['code']} {entry['message']}")
        lines.append("")

    lines += ["## What to do next", ""]
    lines += [f"{i}. {step}" for i, step in enumerate(report["next_steps"], start=1)]
    return "\n".join(lines) + "\n"


__all__ = ["DEFAULT_TOP", "FAMILIES", "build_report", "render_json", "render_markdown"]
