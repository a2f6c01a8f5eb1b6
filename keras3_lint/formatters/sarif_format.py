"""``sarif``: a SARIF 2.1.0 log (one run) for code-scanning dashboards such as GitHub's.

The driver lists every rule the tool knows (its documentation as the rule's help, in markdown);
results refer to them by ``ruleIndex``. Positions are 1-based with exclusive end columns counted
in characters (``columnKind: unicodeCodePoints``), which is SARIF's own convention. A notebook
finding's row is counted inside a cell, not the file, so it is reported on the file without a
region (the cell, row and column are in the message and the result's properties) and without a
fix. ``helpUri`` is given only when the rule's documentation address is an absolute URI, as
SARIF requires; until then the address is in the rule's properties.
"""

from __future__ import annotations

import json
import os
import pathlib
import textwrap
from typing import Any, Dict, List
from urllib.parse import quote, urlparse

from .. import __version__
from ..diagnostics import Diagnostic, Fix
from ..links import rule_url

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
def _level(code: str) -> str:
    """SARIF level from the rule's severity (every finding still fails the run: exit status 1)."""
    from ..registry import severity_of

    return severity_of(code)


def artifact_uri(path: str) -> str:
    """A URI reference for a path: relative paths stay relative, with forward slashes."""
    if os.path.isabs(path):
        return pathlib.Path(path).as_uri()
    uri = path.replace(os.sep, "/").replace("\\", "/")
    while uri.startswith("./"):
        uri = uri[2:]
    return quote(uri, safe="/")


def _is_absolute_uri(value: str) -> bool:
    parsed = urlparse(value)
    return bool(parsed.scheme) and len(parsed.scheme) > 1  # not a drive letter


def _rule_descriptor(code: str) -> Dict[str, Any]:
    from ..docs import backends_text, family, render_rule
    from ..registry import TOOL_CODES, rule_by_code

    url = rule_url(code)
    rule = rule_by_code(code)
    properties: Dict[str, Any] = {"tags": [family(code)]}
    if rule is not None:
        descriptor: Dict[str, Any] = {
            "id": code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": textwrap.dedent(rule.doc.what).strip()},
            "help": {"text": rule.summary, "markdown": render_rule(rule)},
        }
        properties.update({"fix": rule.fix_safety, "backends": backends_text(rule)})
    elif code in TOOL_CODES:
        name, summary = TOOL_CODES[code]
        descriptor = {
            "id": code,
            "name": name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": summary},
            "help": {"text": summary, "markdown": f"# {code} `{name}`\n\n{summary}\n"},
        }
        properties["fix"] = "none"
    else:
        descriptor = {"id": code, "shortDescription": {"text": code}}
    if _is_absolute_uri(url):
        descriptor["helpUri"] = url
    else:
        properties["documentation"] = url
    descriptor["defaultConfiguration"] = {"level": _level(code)}
    descriptor["properties"] = properties
    return descriptor


def _region(row: int, column: int, end_row: int, end_column: int) -> Dict[str, int]:
    row, column = max(1, row), max(1, column)
    end_row = max(row, end_row)
    end_column = max(1, end_column)
    if end_row == row:
        end_column = max(column, end_column)
    return {"startLine": row, "startColumn": column, "endLine": end_row, "endColumn": end_column}


def _fix(fix: Fix, uri: str) -> Dict[str, Any]:
    return {
        "description": {"text": f"{fix.message} ({fix.applicability} fix)"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri},
                "replacements": [
                    {
                        "deletedRegion": _region(e.row, e.column, e.end_row, e.end_column),
                        "insertedContent": {"text": e.content},
                    }
                    for e in fix.edits
                ],
            }
        ],
        "properties": {"applicability": fix.applicability},
    }


RANK = {"high": 90.0, "medium": 60.0}


def _result(d: Diagnostic, index: int) -> Dict[str, Any]:
    uri = artifact_uri(d.path)
    physical: Dict[str, Any] = {"artifactLocation": {"uri": uri}}
    message = d.message
    result: Dict[str, Any] = {"ruleId": d.code, "ruleIndex": index, "level": _level(d.code)}
    if d.cell is None:
        physical["region"] = _region(d.row, d.column, d.end_row, d.end_column)
    else:
        message += f" (cell {d.cell}, line {d.row}, column {d.column})"
    result["message"] = {"text": message}
    result["locations"] = [{"physicalLocation": physical}]
    if d.fix is not None and d.fix.edits and d.cell is None:
        result["fixes"] = [_fix(d.fix, uri)]
    # SARIF's `rank` (0-100) orders results by how sure the tool is; the level stays the rule's.
    result["rank"] = RANK[d.confidence]
    properties: Dict[str, Any] = {"confidence": d.confidence}
    if d.cell is not None:
        properties["cell"] = d.cell
        properties["cellRegion"] = _region(d.row, d.column, d.end_row, d.end_column)
    result["properties"] = properties
    return result


def to_sarif(diagnostics: List[Diagnostic]) -> Dict[str, Any]:
    from ..registry import all_codes

    codes = sorted(set(all_codes()) | {d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "keras3-lint",
                        "version": __version__,
                        "rules": [_rule_descriptor(code) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.code]) for d in diagnostics],
            }
        ],
    }


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    return json.dumps(to_sarif(diagnostics), indent=2, ensure_ascii=False) + "\n"
