"""The Markdown table of a harness run."""

from __future__ import annotations

from typing import List

from .compare import is_regression, summarize
from .runner import CRASH
from .compare import program_names
from .scope import out_of_scope

MODE_TITLES = {"before": "before", "fix": "--fix", "unsafe": "--fix --unsafe-fixes"}


def _cell(run: dict) -> str:
    if run is None:
        return ""
    status = run["status"]
    if status == "ok" and run.get("budget"):
        return "ok (budget)"
    if status == CRASH:
        return f"crash: {run.get('exception')}"
    return status


def _where(run: dict) -> str:
    frame = run.get("frame") or {}
    if not frame:
        return ""
    place = f"cell {frame['cell']}:{frame['line']}" if frame.get("cell") else f"line {frame['line']}"
    text = (frame.get("text") or "").replace("|", "\\|")[:70]
    return f"{place} `{text}`" if text else place


def _findings_there(record: dict, run: dict, mode: str) -> str:
    """The codes on the crash statement, each with what is left to do: `KRS106 (no automatic fix)`."""
    codes = run.get("crash_findings") or []
    if not codes:
        return "none"
    span = run.get("crash_span") or [None, 0, -1]
    cell, first, last = span
    fixes = {}
    for finding in record.get("findings", {}).get(mode, []):
        if finding["code"] in codes and finding.get("cell") == cell and finding["row"] <= last and finding["end_row"] >= first:
            fixes.setdefault(finding["code"], set()).add(finding.get("fix") or "no automatic fix")
    return ", ".join(f"{code} ({'/'.join(sorted(fixes.get(code, {'?'})))})" for code in codes)


def markdown(records: List[dict]) -> str:
    modes = [m for m in ("before", "fix", "unsafe") if any(m in r.get("runs", {}) for r in records)]
    lines = ["| program | " + " | ".join(MODE_TITLES[m] for m in modes) + " | last crash (statement) | findings there |",
             "|---" * (len(modes) + 3) + "|"]
    for record in records:
        runs = record.get("runs", {})
        last = next((runs[m] for m in reversed(modes) if m in runs and runs[m]["status"] == CRASH), None)
        cells = [_cell(runs.get(m)) for m in modes]
        for i, mode in enumerate(modes[1:], start=1):
            if is_regression(record.get("transitions", {}).get(mode, "")):
                cells[i] = f"**{cells[i]} (REGRESSION)**"
        where = _where(last) if last else ""
        carried = ", ".join(last.get("crash_findings") or []) if last else ""
        if last is not None and not carried:
            carried = "none"
        lines.append(f"| {record['program']} | " + " | ".join(cells) + f" | {where} | {carried} |")
    lines += ["", "| figure | count |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in summarize(records).items()]
    remaining = [(r, r["runs"][m]) for r in records for m in modes[-1:] if r.get("runs", {}).get(m, {}).get("status") == CRASH]
    if remaining:
        lines += ["", f"## Crashes left after {MODE_TITLES[modes[-1]]}", "",
                  "| program | exception | statement | findings there | outside the tool's scope |", "|---|---|---|---|---|"]
        for record, run in remaining:
            message = " ".join((run.get("message") or "").split())[:160].replace("|", "\\|")
            scope = "" if run.get("crash_findings") else (out_of_scope(run, record.get("kind", "script"), program_names(record)) or "")
            lines.append(f"| {record['program']} | {run.get('exception')}: {message} | {_where(run)} | "
                         f"{_findings_there(record, run, modes[-1])} | {scope} |")
    regressions = [(r, m) for r in records for m in ("fix", "unsafe") if is_regression(r.get("transitions", {}).get(m, ""))]
    if regressions:
        lines += ["", "## Regressions (ran before, fails after the fix)", ""]
        for record, mode in regressions:
            run = record["runs"][mode]
            lines += [f"### {record['program']} after {MODE_TITLES[mode]}: {_cell(run)} {run.get('message', '')[:300]}",
                      "", "```diff", record["diffs"][mode].rstrip(), "```", ""]
    return "\n".join(lines) + "\n"
