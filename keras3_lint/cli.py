"""The ``keras3-lint`` command (click). Thin: parse options, call the runner, print.

Exit status: 0 no findings, 1 findings remain, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import sys
import traceback
from collections import Counter
from typing import List, Optional, Sequence, Tuple

import click

from . import __version__
from .config import CONFIDENCE_CHOICES, ConfigError, load_settings, validate_backends, validate_keras_version
from .diagnostics import Diagnostic, FileResult
from .discovery import discover
from .docs import family, render_rule, rule_metadata
from .batch import run_files
from .formatters import FORMATTERS, render
from .outlook import Outlook, fix_outlook
from .registry import TOOL_CODES, all_codes, all_rules, rule_by_code, severity_of
from .report import DEFAULT_TOP, STILL_ON_KERAS2, build_report, render_json, render_markdown
from .backends import ALL_BACKENDS
from .runner import IO_ERROR, UNUSED_NOQA, RunOptions, add_noqa_file, check_source, enabled_for
from .source import encode
from .versions import parse_version
from .selection import SelectorError, validate_selectors


class _DefaultToCheck(click.Group):
    """``keras3-lint PATH…`` means ``keras3-lint check PATH…`` (ruff/flake8 habits)."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _split_codes(values: Sequence[str]) -> Optional[List[str]]:
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"keras3-lint: error: {message}", err=True)
    return click.exceptions.Exit(2)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="keras3-lint")
def main() -> None:
    """Find Keras 2 -> Keras 3 migration hazards, explain them, and fix what is safe to fix."""


HUMAN_FORMATS = ("text", "concise", "full", "grouped")  # formats followed by the summary lines
PROGRESS_THRESHOLD = 20  # show progress only for runs longer than this many files


def default_output_format(stdout=None) -> str:
    """``full`` (findings with source context) on a terminal, ``concise`` when piped; ``text``
    where those formats are not available."""
    stream = stdout if stdout is not None else sys.stdout
    wanted = "full" if _isatty(stream) else "concise"
    return wanted if wanted in FORMATTERS else "text"


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """``checked N/M files`` on one line of a terminal, rewritten with ``\r``; ``close`` clears it."""

    def __init__(self, stream, interval: float = 0.1, clock=None) -> None:
        import time

        self.stream = stream
        self.interval = interval
        self.clock = clock or time.monotonic
        self.last = None
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if done < total and self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        text = f"keras3-lint: checked {done}/{total} files ({100 * done // max(total, 1)}%)"
        padding = " " * max(self.width - len(text), 0)
        self.width = len(text)
        self._write("\r" + text + padding)

    def close(self) -> None:
        if self.width:
            self._write("\r" + " " * self.width + "\r")
            self.width = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass


def progress_for(total: int, stream=None, environ=None) -> Optional[Progress]:
    """A progress indicator for a run over ``total`` files, or None: only when ``stream``
    (default stderr) is a terminal, the run is long, and pre-commit (which captures the output
    of its hooks) is not the caller."""
    stream = stream if stream is not None else sys.stderr
    environ = environ if environ is not None else os.environ
    if total <= PROGRESS_THRESHOLD or not _isatty(stream):
        return None
    if environ.get("PRE_COMMIT") or environ.get("TERM") == "dumb":
        return None
    return Progress(stream)


def _run_batch(files, settings, options, no_cache, jobs):
    progress = progress_for(len(files))
    try:
        return run_files(files, settings, options, progress=progress, use_cache=not no_cache, jobs=jobs)
    finally:
        if progress is not None:
            progress.close()


def _selection_options(func):
    for decorator in reversed(
        [
            click.option("--select", multiple=True, help="Codes or prefixes to enable (comma-separated; ALL)."),
            click.option("--ignore", multiple=True, help="Codes or prefixes to disable."),
            click.option("--extend-select", multiple=True, help="Codes or prefixes to enable on top of the configured set."),
            click.option("--config", "config_path", type=click.Path(), help="Use this TOML file instead of the nearest pyproject.toml."),
            click.option("--backend", "backends", multiple=True, help="Backend the code must run on (repeatable): tensorflow, jax, torch, numpy."),
            click.option("--keras-version", metavar="X.Y[.Z]", help="The Keras 3 version the code will run on (overrides the setting and the project's pins)."),
            click.option(
                "--min-confidence",
                type=click.Choice(CONFIDENCE_CHOICES),
                default=None,
                help="Drop findings less sure than this: `high` keeps only proven Keras objects [default: medium, i.e. all].",
            ),
            click.option("--no-cache", is_flag=True, help="Neither read nor write the .keras3_lint_cache folder."),
            click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: automatic; 1 disables parallelism)."),
        ]
    ):
        func = decorator(func)
    return func


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour (with --fix/--diff).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them.")
@click.option(
    "--output-format",
    type=click.Choice(sorted(FORMATTERS)),
    default=None,
    help="How to print findings [default: full on a terminal, concise otherwise].",
)
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODE` to every line with findings, so they stop being reported.")
@click.option("--stdin-filename", metavar="NAME", help="Read the source from stdin and check it as if it were the file NAME; with --fix, print the fixed source.")
@click.option("--show-settings", is_flag=True, help="Print the resolved settings and exit.")
@click.option(
    "--files-only",
    is_flag=True,
    help="PATHS is an explicit list of files (as pre-commit passes them): with no PATHS, check nothing and exit 0.",
)
@_selection_options
def check_command(
    paths: Tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    select: Tuple[str, ...],
    ignore: Tuple[str, ...],
    extend_select: Tuple[str, ...],
    output_format: Optional[str],
    statistics: bool,
    exit_zero: bool,
    add_noqa: bool,
    stdin_filename: Optional[str],
    show_settings: bool,
    files_only: bool,
    config_path: Optional[str],
    backends: Tuple[str, ...],
    keras_version: Optional[str],
    min_confidence: Optional[str],
    no_cache: bool,
    jobs: Optional[int],
) -> None:
    """Check PATHS (files or folders; default: the current folder)."""
    if add_noqa and (fix or diff or stdin_filename is not None):
        raise _fail("--add-noqa cannot be combined with --fix, --diff or --stdin-filename")
    if stdin_filename is not None:
        if not stdin_filename.strip():
            raise _fail("--stdin-filename needs a file name")
        if paths:
            raise _fail("--stdin-filename reads the source from stdin; do not also pass PATHS")
        if stdin_filename.endswith(".ipynb"):
            raise _fail("--stdin-filename: notebooks cannot be read from stdin yet; pass the .ipynb path instead")
    if files_only and not paths and stdin_filename is None and not show_settings:
        return  # pre-commit with nothing to check: not "check the current folder"
    search = (stdin_filename,) if stdin_filename is not None else (paths or (".",))
    paths = paths or (".",)
    try:
        settings, options = _prepare(
            search, config_path, select, ignore, extend_select, backends, fix, unsafe_fixes, diff, keras_version,
            min_confidence,
        )
    except (ConfigError, SelectorError) as exc:
        raise _fail(str(exc))
    if output_format is None:
        output_format = default_output_format()

    if show_settings:
        _print_settings(settings, options, output_format, paths)
        return
    if stdin_filename is not None:
        _check_stdin(stdin_filename, settings, options, output_format, statistics, exit_zero)
        return  # pragma: no cover - _check_stdin always exits

    found = discover(paths, settings)
    results: List[FileResult] = []
    internal_errors = 0
    for missing in found.missing:
        results.append(
            FileResult(missing, [Diagnostic(IO_ERROR, "No such file or directory", 1, 1, 1, 1, path=missing)])
        )
    for folder in found.empty_folders:
        click.echo(f"keras3-lint: warning: no Python files found under {folder}", err=True)
    explicit = set(paths)
    for path in found.files:
        if path in explicit and _is_empty(path):
            click.echo(f"keras3-lint: note: {path} is empty; nothing to check", err=True)
    if add_noqa:
        _add_noqa(found.files, results, settings, options, no_cache, jobs)
        return  # pragma: no cover - _add_noqa always exits
    batch = _run_batch(found.files, settings, options, no_cache, jobs)
    results.extend(batch.results)
    internal_errors = len(batch.internal_errors)
    for message in batch.internal_errors:
        click.echo(f"keras3-lint: {message}", err=True)

    for result in results:
        for message in result.messages:
            click.echo(f"keras3-lint: {message}", err=True)

    diagnostics = sorted((d for r in results for d in r.diagnostics), key=Diagnostic.sort_key)
    fixed = sum(r.fixed_count for r in results)

    if diff:
        changed = _print_diffs(results)
        if output_format in HUMAN_FORMATS and not statistics:
            click.echo(f"Would fix {fixed} finding{'s' if fixed != 1 else ''}.", err=True)
        if internal_errors:
            raise click.exceptions.Exit(2)
        raise click.exceptions.Exit(1 if changed and not exit_zero else 0)

    if statistics:
        _print_statistics(diagnostics, output_format)
    else:
        click.echo(render(output_format, diagnostics, color=_use_color()), nl=False)
        if output_format in HUMAN_FORMATS:
            outlook = None
            if fix and not unsafe_fixes:
                # What --unsafe-fixes would still remove: fixed in memory, not guessed from each
                # finding's own fix (one fix often makes many findings go).
                outlook = fix_outlook(results, settings, options, run_files, use_cache=not no_cache, jobs=jobs)
            _print_summary(diagnostics, fixed, unsafe_fixes, outlook)

    if internal_errors:
        raise click.exceptions.Exit(2)
    raise click.exceptions.Exit(1 if diagnostics and not exit_zero else 0)


def _check_stdin(name, settings, options, output_format, statistics, exit_zero) -> None:
    """Lint stdin as the file NAME. With --fix the fixed source goes to stdout (bytes in the
    source's own encoding) and the remaining findings to stderr, as ruff does."""
    data = click.get_binary_stream("stdin").read()
    if settings.is_excluded(name):
        # excluded by configuration, as an explicitly named file would be: nothing to report
        if options.fix and not options.diff:
            _write_stdout_bytes(data)
        raise click.exceptions.Exit(0)
    result, encoding = check_source(data, name, settings, options)
    for message in result.messages:
        click.echo(f"keras3-lint: {message}", err=True)
    diagnostics = sorted(result.diagnostics, key=Diagnostic.sort_key)
    if options.diff:
        changed = _print_diffs([result])
        raise click.exceptions.Exit(1 if changed and not exit_zero else 0)
    if options.fix:
        if result.fixed_text is not None and encoding is not None:
            _write_stdout_bytes(encode(result.fixed_text, encoding))
        else:
            _write_stdout_bytes(data)
        if diagnostics:
            fmt = output_format if output_format in ("json", "concise", "text") else ("concise" if "concise" in FORMATTERS else "text")
            click.echo(render(fmt, diagnostics), nl=False, err=True)
        raise click.exceptions.Exit(1 if diagnostics and not exit_zero else 0)
    if statistics:
        _print_statistics(diagnostics, output_format)
    else:
        if output_format == "full":
            # the full format shows source lines read from disk; NAME may not exist or differ
            output_format = "concise" if "concise" in FORMATTERS else "text"
        click.echo(render(output_format, diagnostics, color=_use_color()), nl=False)
        if output_format in HUMAN_FORMATS:
            _print_summary(diagnostics, 0, options.unsafe_fixes)
    raise click.exceptions.Exit(1 if diagnostics and not exit_zero else 0)


def _write_stdout_bytes(data: bytes) -> None:
    stream = click.get_binary_stream("stdout")
    stream.write(data)
    stream.flush()


def _add_noqa(files, results, settings, options, no_cache, jobs) -> None:
    """Find the current findings (through the batch runner: cache, parallelism, progress), then
    rewrite only the files that have any."""
    batch = _run_batch(files, settings, options, no_cache, jobs)
    for message in batch.internal_errors:
        click.echo(f"keras3-lint: {message}", err=True)
    remaining: List[Diagnostic] = [d for r in results for d in r.diagnostics]
    added = suppressed = skipped = 0
    from .project import set_active

    previous_project = set_active(batch.project)  # the files are rewritten knowing what the batch knew
    for result in batch.results:
        if not any(d.code not in TOOL_CODES for d in result.diagnostics):
            remaining.extend(result.diagnostics)
            continue
        if result.path.endswith(".ipynb"):
            count = sum(1 for d in result.diagnostics if d.code not in TOOL_CODES)
            click.echo(
                f"keras3-lint: {result.path}: --add-noqa does not edit notebooks yet; "
                f"{count} finding{'s' if count != 1 else ''} left unsuppressed",
                err=True,
            )
            skipped += count
            remaining.extend(d for d in result.diagnostics if d.code in TOOL_CODES)
            continue
        outcome = add_noqa_file(result.path, settings, options.enabled)
        for message in outcome.messages:
            click.echo(f"keras3-lint: {message}", err=True)
        remaining.extend(outcome.remaining)
        added += outcome.added
        suppressed += outcome.suppressed
        skipped += outcome.skipped
        if outcome.skipped:
            rows = ", ".join(str(row) for row in outcome.skipped_rows)
            click.echo(
                f"keras3-lint: {result.path}: {outcome.skipped} finding{'s' if outcome.skipped != 1 else ''} "
                f"could not get a `# noqa` (line{'s' if len(outcome.skipped_rows) != 1 else ''} {rows} "
                "end inside a multi-line string or a `\\` continuation)",
                err=True,
            )
    set_active(previous_project)
    remaining = [d for d in remaining if d.code != UNUSED_NOQA]
    for diagnostic in sorted(remaining, key=Diagnostic.sort_key):
        click.echo(render("text", [diagnostic]), nl=False, err=True)
    plural = "s" if added != 1 else ""
    click.echo(f"Added {added} noqa directive{plural} ({suppressed} finding{'s' if suppressed != 1 else ''} suppressed).", err=True)
    if skipped:
        click.echo(f"{skipped} finding{'s' if skipped != 1 else ''} could not be suppressed.", err=True)
    if batch.internal_errors:
        raise click.exceptions.Exit(2)
    raise click.exceptions.Exit(1 if (skipped or remaining) else 0)


def _print_settings(settings, options, output_format: str, paths=(".",)) -> None:
    from .project import describe, gather

    facts = describe(gather(discover(paths, settings).files, settings.root, settings.reproducible))
    data = {
        "config_file": settings.config_path,
        "root": settings.root,
        "select": list(settings.select) if settings.select is not None else None,
        "ignore": list(settings.ignore),
        "extend_select": list(settings.extend_select),
        "enabled": sorted(options.enabled),
        "per_file_ignores": {pattern: list(codes) for pattern, codes in settings.per_file_ignores},
        "backends": list(settings.backends),
        "keras_version": ".".join(str(p) for p in settings.keras_version),
        "keras_version_source": settings.keras_version_source,
        "exclude": list(settings.exclude),
        "extend_exclude": list(settings.extend_exclude),
        "respect_gitignore": settings.respect_gitignore,
        "min_confidence": settings.min_confidence,
        "reproducible": settings.reproducible,
        "legacy_keras": settings.legacy_keras,
        # What the run infers from the checked files (project.py).
        "project": {
            "seeding": facts["seeding"],
            "reproducible": facts["reproducible"],
            "reproducible_source": facts["reproducible_source"],
            "backends_selected": facts["backends"],
            "keras_version": ".".join(str(p) for p in settings.keras_version),
            "keras_version_source": settings.keras_version_source,
        },
    }
    if output_format == "json":
        click.echo(json.dumps(data, indent=2))
        return

    def items(values) -> str:
        return ", ".join(values) if values else "(none)"

    lines = [
        f"config file:       {settings.config_path or '(none: defaults)'}",
        f"root:              {settings.root}",
        f"select:            {items(data['select']) if data['select'] is not None else '(default)'}",
        f"ignore:            {items(data['ignore'])}",
        f"extend-select:     {items(data['extend_select'])}",
        f"enabled codes:     {items(data['enabled'])} ({len(data['enabled'])})",
        "per-file-ignores:  "
        + (items([f"{p} = {', '.join(c)}" for p, c in data["per_file_ignores"].items()])),
        f"backends:          {items(data['backends'])}",
        f"keras version:     {data['keras_version']} ({settings.keras_version_source})",
        f"exclude:           {items(data['exclude'])}",
        f"extend-exclude:    {items(data['extend_exclude'])}",
        f"respect-gitignore: {'true' if settings.respect_gitignore else 'false'}",
        f"min-confidence:    {settings.min_confidence}",
        "reproducible:      "
        + ("(inferred from the project)" if settings.reproducible is None else str(settings.reproducible).lower()),
        f"legacy-keras:      {settings.legacy_keras}",
        "project facts (inferred from the checked files):",
        "  seeding:         "
        + (items([f"{path} ({', '.join(calls)})" for path, calls in facts["seeding"].items()]) if facts["seeding"] else "(none found outside tests)"),
        f"  reproducible:    {'true' if facts['reproducible'] else 'false'} ({facts['reproducible_source']})",
        "  KERAS_BACKEND:   " + (items([f"{b} (in {p})" for b, p in facts["backends"].items()]) if facts["backends"] else "(not set by any file)"),
        f"  keras version:   {data['keras_version']} ({settings.keras_version_source})",
    ]
    click.echo("\n".join(lines))


def _prepare(
    paths, config_path, select, ignore, extend_select, backends, fix, unsafe_fixes, diff, keras_version=None,
    min_confidence=None,
):
    codes = all_codes()
    settings = load_settings(config_path, codes, search_from=_search_start(paths))
    settings = settings.with_overrides(min_confidence=min_confidence)
    if backends:
        settings = settings.with_overrides(backends=validate_backends(backends, "--backend"))
    if keras_version is not None:
        validate_keras_version(keras_version, "--keras-version")
        settings = dataclasses.replace(
            settings, keras_version=parse_version(keras_version), keras_version_source="--keras-version option"
        )
    select_list = _split_codes(select)
    if select_list is not None:
        select_list = validate_selectors(select_list, codes, "--select")
    ignore_list = validate_selectors(_split_codes(ignore) or [], codes, "--ignore")
    extend_list = validate_selectors(_split_codes(extend_select) or [], codes, "--extend-select")
    enabled = enabled_for(settings, codes, select_list, ignore_list, extend_list)
    return settings, RunOptions(enabled=enabled, fix=fix, unsafe_fixes=unsafe_fixes, diff=diff)


def _search_start(paths: Sequence[str]) -> str:
    """Where the configuration search starts: the one path, or the folder all paths share
    (not the cwd, so `keras3-lint proj/a.py proj/b.py` uses proj's configuration as
    `keras3-lint proj/a.py` does)."""
    if len(paths) == 1:
        return paths[0]
    try:
        return os.path.commonpath([os.path.abspath(p) for p in paths])
    except ValueError:  # paths on different drives (Windows)
        return "."


def _use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _is_empty(path: str) -> bool:
    try:
        return os.path.isfile(path) and os.path.getsize(path) == 0
    except OSError:
        return False


def _print_diffs(results: List[FileResult]) -> bool:
    changed = False
    for result in sorted(results, key=lambda r: r.path):
        if result.fixed_text is None or result.original_text is None:
            continue
        changed = True
        lines = difflib.unified_diff(
            result.original_text.splitlines(keepends=True),
            result.fixed_text.splitlines(keepends=True),
            fromfile=f"a/{result.path}",
            tofile=f"b/{result.path}",
        )
        for line in lines:
            click.echo(line if line.endswith(("\n", "\r")) else line + "\n", nl=False)
    return changed


def _print_summary(diagnostics: List[Diagnostic], fixed: int, unsafe_fixes: bool, outlook: Optional[Outlook] = None) -> None:
    remaining = len(diagnostics)
    if remaining == 0 and fixed == 0:
        click.echo("All checks passed!")
        return
    if fixed:
        click.echo(f"Found {remaining + fixed} findings ({fixed} fixed, {remaining} remaining).")
    else:
        click.echo(f"Found {remaining} finding{'s' if remaining != 1 else ''}.")
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == "safe")
    unsafe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == "unsafe")
    if outlook is not None:
        unsafe = outlook.count("after_safe") - outlook.count("after_all")
    if safe:
        click.echo(f"[*] {safe} fixable with the `--fix` option.")
    if unsafe and not unsafe_fixes:
        click.echo(f"({unsafe} more fixable with `--fix --unsafe-fixes`.)")


def _print_statistics(diagnostics: List[Diagnostic], output_format: str) -> None:
    counts = Counter(d.code for d in diagnostics)
    fixable = {d.code for d in diagnostics if d.fix is not None}
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = rule_by_code(code)
        name = rule.name if rule else TOOL_CODES.get(code, ("", ""))[0]
        rows.append({"code": code, "name": name, "count": count, "fixable": code in fixable})
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        mark = "[*]" if row["fixable"] else "   "
        click.echo(f"{row['count']:>5}\t{row['code']}\t{mark} {row['name']}")


@main.command("rule")
@click.argument("code")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule_command(code: str, output_format: str) -> None:
    """Explain one rule: what it detects, why, and what to do."""
    rule = rule_by_code(code.strip().upper())
    if rule is None:
        if code.strip().upper() in TOOL_CODES:
            name, summary = TOOL_CODES[code.strip().upper()]
            click.echo(f"# {code.upper()} `{name}`\n\n{summary}")
            return
        raise _fail(f"unknown rule code {code!r} (see `keras3-lint rules`)")
    if output_format == "json":
        data = rule_metadata(rule)
        data["documentation"] = render_rule(rule)
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(render_rule(rule), nl=False)


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule."""
    rules = all_rules()
    if output_format == "json":
        click.echo(json.dumps(_tool_code_metadata() + [rule_metadata(r) for r in rules], indent=2))
        return
    for code, (name, summary) in sorted(TOOL_CODES.items()):
        click.echo(f"{code}  {name:<34} {'none':<15} {summary}")
    for rule in rules:
        click.echo(f"{rule.code}  {rule.name:<34} {rule.fix_safety:<15} {rule.summary}")


def _tool_code_metadata() -> List[dict]:
    """The tool's own codes (KRS001-KRS005) in the shape of ``rule_metadata``: no fix."""
    return [
        {
            "code": code,
            "name": name,
            "family": family(code),
            "summary": summary,
            "fix": "none",
            "severity": severity_of(code),
            "enabled_by_default": True,
            "backends": list(ALL_BACKENDS),
            "facts": [],
            "sources": [],
            "evidence": [],
        }
        for code, (name, summary) in sorted(TOOL_CODES.items())
    ]


@main.command("report")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--top", type=click.IntRange(min=0), default=DEFAULT_TOP, show_default=True, help="How many of the files that need a person most to list.")
@_selection_options
def report_command(
    paths: Tuple[str, ...],
    output_format: str,
    top: int,
    select: Tuple[str, ...],
    ignore: Tuple[str, ...],
    extend_select: Tuple[str, ...],
    config_path: Optional[str],
    backends: Tuple[str, ...],
    keras_version: Optional[str],
    min_confidence: Optional[str],
    no_cache: bool,
    jobs: Optional[int],
) -> None:
    """A migration report for a whole project (default: the current folder): how much there is
    to do, what --fix can do, what needs a person, and where to start. Exit 0 unless it fails."""
    paths = paths or (".",)
    try:
        settings, options = _prepare(
            paths, config_path, select, ignore, extend_select, backends, False, False, False, keras_version,
            min_confidence,
        )
    except (ConfigError, SelectorError) as exc:
        raise _fail(str(exc))
    # The report always tracks what still runs on Keras 2 (KRS804), selected or not.
    options = dataclasses.replace(options, enabled=options.enabled | {STILL_ON_KERAS2})
    found = discover(paths, settings)
    results: List[FileResult] = [
        FileResult(missing, [Diagnostic(IO_ERROR, "No such file or directory", 1, 1, 1, 1, path=missing)])
        for missing in found.missing
    ]
    batch = _run_batch(found.files, settings, options, no_cache, jobs)
    results.extend(batch.results)
    for message in batch.internal_errors:
        click.echo(f"keras3-lint: {message}", err=True)
    # Count what the fixes would leave, not what has no fix of its own (they are run in memory).
    outlook = fix_outlook(results, settings, options, run_files, use_cache=not no_cache, jobs=jobs)
    data = build_report(results, settings, files_scanned=len(found.files), top=top, paths=list(paths), outlook=outlook)
    click.echo(render_json(data) if output_format == "json" else render_markdown(data), nl=False)
    if batch.internal_errors:
        raise click.exceptions.Exit(2)


def run() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # pragma: no cover - last line of defence
        if os.environ.get("KERAS3_LINT_DEBUG"):
            traceback.print_exc()
        click.echo(f"keras3-lint: internal error: {exc.__class__.__name__}: {exc}", err=True)
        sys.exit(2)
