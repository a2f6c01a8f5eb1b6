"""The core every front-end calls: check (and optionally fix) one file or one text.

The CLI, the flake8 plugin and the pre-commit hook all go through ``check_text`` so they give
identical diagnostics, positions and suppressions.
"""

from __future__ import annotations

import os
import re
import stat
import tokenize
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from .config import Settings
from .diagnostics import Diagnostic, FileResult, confidence_at_least
from .noqa import NOQA_RE, Noqa, find_noqa, split_suppressed
from .selection import enabled_codes
from .source import NEWLINE_RE, DecodedSource, DecodeError, decode, encode, write_atomic

DECODE_ERROR = "KRS002"
IO_ERROR = "KRS003"
UNUSED_NOQA = "KRS004"
# A `# noqa` naming a code of ours (codes are matched case-insensitively).
_MENTIONS_KRS = re.compile("krs", re.IGNORECASE)


@dataclass(frozen=True)
class RunOptions:
    enabled: FrozenSet[str]
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False  # compute fixes but do not write


def enabled_for(settings: Settings, codes, select=None, ignore=(), extend_select=()) -> FrozenSet[str]:
    return frozenset(
        enabled_codes(
            codes,
            select if select is not None else settings.select,
            tuple(settings.ignore) + tuple(ignore),
            tuple(settings.extend_select) + tuple(extend_select),
        )
    )


# The engine, the fixer and the rules (and so LibCST) are imported on first use, not at import
# time: a run answered entirely from the cache never needs them.


def _rules_for(enabled: FrozenSet[str]) -> tuple:
    from .registry import all_rules

    return tuple(rule for rule in all_rules() if rule.code in enabled)


def fix_text(text, lint, unsafe_fixes):
    from .fixer import fix_text as fix

    return fix(text, lint, unsafe_fixes)


def check_text(text: str, settings: Settings, enabled: FrozenSet[str], path: str = "") -> List[Diagnostic]:
    """Diagnostics for a text after selection, per-file ignores and ``# noqa``.

    When the batch is checking a project (``project.set_active``), the file sees what the other
    checked files say about it; otherwise (flake8, stdin, one text) only what it proves itself."""
    if path:
        ignored = settings.ignored_for(path)
        enabled = frozenset(c for c in enabled if not any(c.startswith(p) for p in ignored))
    from .engine import LintOptions, lint_text
    from .project import active_view

    options = LintOptions(
        rules=_rules_for(enabled), backends=settings.backends, keras_version=settings.keras_version, settings=settings,
        project=active_view(path),
    )
    diagnostics = [
        d for d in lint_text(text, options)
        if (d.code in enabled or d.code == "KRS001") and confidence_at_least(d.confidence, settings.min_confidence)
    ]
    if not diagnostics and (UNUSED_NOQA not in enabled or not _MENTIONS_KRS.search(text)):
        return diagnostics  # no comment can suppress or be unused: don't tokenize for them
    noqa = find_noqa(text)
    if not noqa:
        return diagnostics
    kept, used = split_suppressed(diagnostics, noqa)
    if UNUSED_NOQA in enabled:
        for row, comment in sorted(noqa.items()):
            if comment.codes is None:
                continue
            unused = sorted(
                c for c in comment.codes
                if c.startswith("KRS") and c in enabled and c != UNUSED_NOQA and c not in used.get(row, ())
            )
            if unused:
                kept.append(
                    Diagnostic(
                        UNUSED_NOQA,
                        f"Unused `noqa` directive (nothing reported here for: {', '.join(unused)})",
                        row, comment.column, row, comment.column,
                    )
                )
    return kept


def read_bytes(path: str) -> Tuple[Optional[bytes], Optional[Diagnostic]]:
    """The file's bytes, or a KRS003 diagnostic saying why they cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read(), None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return None, Diagnostic(IO_ERROR, f"Cannot read file: {reason}", 1, 1, 1, 1, path=path)


def read_python_source(path: str) -> Tuple[Optional[DecodedSource], Optional[Diagnostic]]:
    """The decoded source of a .py file, or the one KRS002/KRS003 diagnostic that explains why not."""
    data, problem = read_bytes(path)
    if data is None:
        return None, problem
    try:
        decoded = decode(data)
    except DecodeError as exc:
        return None, Diagnostic(DECODE_ERROR, f"Cannot decode file: {exc}", 1, 1, 1, 1, path=path)
    if "\0" in decoded.text:
        return None, Diagnostic(DECODE_ERROR, "Cannot decode file: it contains NUL bytes (binary data?)", 1, 1, 1, 1, path=path)
    return decoded, None


def check_file(path: str, settings: Settings, options: RunOptions) -> FileResult:
    if path.endswith(".ipynb"):
        from .notebook import check_notebook  # notebooks: one source unit per code cell

        return check_notebook(path, settings, options)
    result = FileResult(path=path)
    decoded, problem = read_python_source(path)
    if decoded is None:
        result.diagnostics.append(problem)
        return result
    text = decoded.text

    def lint(current: str) -> List[Diagnostic]:
        return check_text(current, settings, options.enabled, path)

    if options.fix or options.diff:
        outcome = fix_text(text, lint, options.unsafe_fixes)
        for code in outcome.refused:
            result.messages.append(
                f"{path}: the {code} fix would have produced invalid Python; it was not applied"
            )
        if outcome.text != text:
            result.original_text, result.fixed_text = text, outcome.text
            result.fixed_count = outcome.applied
            if options.fix and not options.diff:
                error = write_fixed(path, outcome.text, decoded.encoding)
                if error:
                    result.messages.append(error)
                    result.fixed_count = 0
                    result.fixed_text = None
                    text_for_report = text
                else:
                    text_for_report = outcome.text
            else:
                text_for_report = text if options.diff else outcome.text
                if options.diff:  # what would be left: `report` and the summary count it
                    result.after_fix = _with_path(lint(outcome.text), path)
        else:
            text_for_report = text
        remaining = lint(text_for_report)
    else:
        remaining = lint(text)
    result.diagnostics.extend(_with_path(remaining, path))
    return result


def _writable(path: str) -> bool:
    """``os.access`` alone says yes to root for a read-only (``chmod a-w``) file; a file that
    nobody may write is left alone whoever runs the fix."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False
    return os.access(path, os.W_OK)


def write_fixed(path: str, text: str, encoding: str) -> Optional[str]:
    if not _writable(path):
        return f"{path}: not writable; fixes were not written"
    try:
        write_atomic(path, encode(text, encoding))
    except (OSError, UnicodeEncodeError) as exc:
        return f"{path}: could not write fixes: {exc}"
    return None


def _with_path(diagnostics: List[Diagnostic], path: str) -> List[Diagnostic]:
    from dataclasses import replace

    return [replace(d, path=path) for d in diagnostics]


# ---------------------------------------------------------------------------------------------
# Text that does not come from a file (``--stdin-filename``)


def check_source(data: bytes, path: str, settings: Settings, options: RunOptions) -> Tuple[FileResult, Optional[str]]:
    """``check_file`` for bytes that came from elsewhere (stdin), linted as if they were ``path``.

    Nothing is written: with ``fix``/``diff`` the fixed text is in ``fixed_text`` and the
    diagnostics are those that remain in it (``diff``: those of the original). Returns the
    result and the encoding the bytes were decoded with (None when they could not be)."""
    result = FileResult(path=path)
    try:
        decoded = decode(data)
    except DecodeError as exc:
        result.diagnostics.append(Diagnostic(DECODE_ERROR, f"Cannot decode file: {exc}", 1, 1, 1, 1, path=path))
        return result, None
    text = decoded.text
    if "\0" in text:
        result.diagnostics.append(
            Diagnostic(DECODE_ERROR, "Cannot decode file: it contains NUL bytes (binary data?)", 1, 1, 1, 1, path=path)
        )
        return result, None

    def lint(current: str) -> List[Diagnostic]:
        return check_text(current, settings, options.enabled, path)

    final = text
    if options.fix or options.diff:
        outcome = fix_text(text, lint, options.unsafe_fixes)
        for code in outcome.refused:
            result.messages.append(f"{path}: the {code} fix would have produced invalid Python; it was not applied")
        if outcome.text != text:
            result.original_text, result.fixed_text = text, outcome.text
            result.fixed_count = outcome.applied
            if not options.diff:
                final = outcome.text
    result.diagnostics.extend(_with_path(lint(final), path))
    return result, decoded.encoding


# ---------------------------------------------------------------------------------------------
# ``--add-noqa``: suppress every current finding with a ``# noqa: CODE`` on its line


@dataclass
class NoqaResult:
    path: str
    added: int = 0  # lines that got a new or extended ``# noqa`` comment
    suppressed: int = 0  # findings those comments now suppress
    skipped: int = 0  # findings whose line cannot carry a comment (ends inside a string, `\`)
    skipped_rows: Tuple[int, ...] = ()
    remaining: List[Diagnostic] = field(default_factory=list)  # tool diagnostics (cannot be suppressed)
    messages: List[str] = field(default_factory=list)


def _line_spans(text: str) -> List[Tuple[int, int, int]]:
    """(start, end of content, end incl. newline) per line, splitting as ``LineIndex`` does."""
    spans = []
    start = 0
    for match in NEWLINE_RE.finditer(text):
        spans.append((start, match.start(), match.end()))
        start = match.end()
    if start < len(text) or not spans:
        spans.append((start, len(text), len(text)))
    return spans


def _rows_without_comment_slot(text: str, spans: List[Tuple[int, int, int]]) -> Optional[Set[int]]:
    """Rows whose end is not a place for a comment: inside a token that spans lines (a
    multi-line string) or a backslash continuation. None when the text does not tokenize."""
    # every line ends in "\n" for the tokenizer (it does not take a lone "\r"); rows stay the same
    lines = [text[s:c] + ("\n" if e > c else "") for s, c, e in spans]
    feed = iter(lines)
    blocked: Set[int] = set()
    comment_rows: Set[int] = set()
    skip = {tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    try:
        for token in tokenize.generate_tokens(lambda: next(feed, "")):
            if token.type == tokenize.COMMENT:
                comment_rows.add(token.start[0])
            elif token.type not in skip and token.end[0] > token.start[0]:
                blocked.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    for row, (start, content_end, _) in enumerate(spans, start=1):
        if text[start:content_end].endswith("\\") and row not in comment_rows:
            blocked.add(row)
    return blocked


def _noqa_line(content: str, codes: Set[str], existing: Optional[Noqa]) -> Optional[str]:
    """``content`` (one line, without its newline) with ``codes`` added to its ``# noqa``."""
    if existing is not None:
        if existing.codes is None:
            return None  # a blanket noqa already suppresses everything
        match = NOQA_RE.match(content, existing.column - 1)
        if match is None or not match.group("codes"):
            return None
        kept = [c.upper() for c in re.split(r"[,\s]+", match.group("codes")) if c]
        merged = kept + sorted(c for c in codes if c not in kept)
        return content[: match.start()] + "# noqa: " + ", ".join(merged) + content[match.end():]
    return content.rstrip(" \t") + "  # noqa: " + ", ".join(sorted(codes))


def _parses(text: str) -> bool:
    try:
        import libcst

        libcst.parse_module(text)
    except Exception:
        return False
    return True


@dataclass
class NoqaEdit:
    text: str  # the new text
    added: int = 0  # lines changed
    suppressed: int = 0  # findings those lines now suppress
    skipped_rows: Tuple[int, ...] = ()  # rows whose findings could not be suppressed
    skipped: int = 0  # findings on those rows


def add_noqa_text(text: str, diagnostics: List[Diagnostic]) -> NoqaEdit:
    """Add ``# noqa: CODE`` for the rule ``diagnostics`` of ``text``.

    A finding is
    skipped when its line cannot end in a comment: ``# noqa`` counts only on the line where a
    finding starts, so a comment anywhere else would suppress nothing. The result is checked:
    it must still parse (when the original did) and carry the wanted noqa on every changed line;
    a line for which that fails is left alone and its findings are counted as skipped."""
    from .registry import TOOL_CODES

    wanted: Dict[int, Set[str]] = {}
    count: Dict[int, int] = {}
    for diagnostic in diagnostics:
        if diagnostic.code in TOOL_CODES:
            continue
        wanted.setdefault(diagnostic.row, set()).add(diagnostic.code)
        count[diagnostic.row] = count.get(diagnostic.row, 0) + 1
    if not wanted:
        return NoqaEdit(text)
    spans = _line_spans(text)
    blocked = _rows_without_comment_slot(text, spans)
    if blocked is None:
        return NoqaEdit(text, skipped_rows=tuple(sorted(wanted)), skipped=sum(count.values()))
    existing = find_noqa(text)
    replacements: Dict[int, str] = {}
    skipped: List[int] = []
    for row, codes in sorted(wanted.items()):
        if row < 1 or row > len(spans) or row in blocked:
            skipped.append(row)
            continue
        start, content_end, _ = spans[row - 1]
        line = _noqa_line(text[start:content_end], codes, existing.get(row))
        if line is None:
            skipped.append(row)
            continue
        replacements[row] = line

    original_parses = _parses(text)

    def build(rows: Dict[int, str]) -> str:
        pieces, cursor = [], 0
        for row in sorted(rows):
            start, content_end, _ = spans[row - 1]
            pieces.append(text[cursor:start])
            pieces.append(rows[row])
            cursor = content_end
        pieces.append(text[cursor:])
        return "".join(pieces)

    def good(candidate: str, rows) -> bool:
        if original_parses and not _parses(candidate):
            return False
        found = find_noqa(candidate)
        return all(row in found and (found[row].codes is None or wanted[row] <= found[row].codes) for row in rows)

    new_text = build(replacements)
    if replacements and not good(new_text, replacements):
        accepted: Dict[int, str] = {}
        for row, line in sorted(replacements.items()):
            trial = dict(accepted)
            trial[row] = line
            if good(build(trial), trial):
                accepted = trial
            else:
                skipped.append(row)
        replacements = accepted
        new_text = build(replacements)
    return NoqaEdit(
        new_text,
        added=len(replacements),
        suppressed=sum(count[row] for row in replacements),
        skipped_rows=tuple(sorted(skipped)),
        skipped=sum(count[row] for row in skipped),
    )


def add_noqa_file(path: str, settings: Settings, enabled: FrozenSet[str]) -> NoqaResult:
    """Suppress the current findings of ``path`` in place (atomically, encoding kept)."""
    result = NoqaResult(path=path)
    if path.endswith(".ipynb"):
        result.messages.append(f"{path}: --add-noqa does not edit notebooks yet; skipped")
        return result
    decoded, problem = read_python_source(path)
    if decoded is None:
        result.remaining.append(problem)
        return result
    diagnostics = check_text(decoded.text, settings, enabled, path)
    from .registry import TOOL_CODES

    result.remaining.extend(_with_path([d for d in diagnostics if d.code in TOOL_CODES], path))
    edit = add_noqa_text(decoded.text, diagnostics)
    result.skipped, result.skipped_rows = edit.skipped, edit.skipped_rows
    if edit.added:
        error = write_fixed(path, edit.text, decoded.encoding)
        if error:
            result.messages.append(error)
            result.skipped += edit.suppressed
        else:
            result.added, result.suppressed = edit.added, edit.suppressed
    return result
