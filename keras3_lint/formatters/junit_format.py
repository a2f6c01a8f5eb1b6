"""``junit``: JUnit XML for CI test reports (GitLab, Jenkins, Azure): a ``testsuite`` per file, a
``testcase`` per finding with a ``failure``. A run without findings is an empty ``testsuites``.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import List

from ..diagnostics import Diagnostic
from ._common import location

# Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    value = _NOT_XML.sub("\ufffd", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    value = _text(value).replace('"', "&quot;")
    return value.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def _open(name: str, attributes, close: bool = False) -> str:
    attrs = "".join(f' {key}="{_attr(str(value))}"' for key, value in attributes)
    return f"<{name}{attrs}{'/' if close else ''}>"


def _testcase(d: Diagnostic) -> List[str]:
    attributes = [("name", f"{d.code} at {location(d)}"), ("classname", d.path), ("file", d.path)]
    if d.cell is None:
        attributes.append(("line", d.row))
    details = [f"{d.path}:{location(d)}: {d.code} {d.message}"]
    if d.fix is not None:
        details.append(f"fix ({d.fix.applicability}): {d.fix.message}")
    details.append(f"explain: keras3-lint rule {d.code}")
    failure = _open("failure", [("message", d.message), ("type", d.code)]) + _text("\n".join(details)) + "</failure>"
    return ["    " + _open("testcase", attributes), "      " + failure, "    </testcase>"]


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    total = len(diagnostics)
    head = [("name", "keras3-lint"), ("tests", total), ("failures", total), ("errors", 0)]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    if not diagnostics:
        lines.append(_open("testsuites", head, close=True))
        return "\n".join(lines) + "\n"
    lines.append(_open("testsuites", head))
    for path, group in groupby(diagnostics, key=lambda d: d.path):
        items = list(group)
        suite = [("name", path), ("tests", len(items)), ("failures", len(items)), ("errors", 0), ("skipped", 0)]
        lines.append("  " + _open("testsuite", suite))
        for d in items:
            lines.extend(_testcase(d))
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"
