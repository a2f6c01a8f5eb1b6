"""The ``keras3-lint`` command (click). Thin: parse options, call the runner, print.

Exit status: 0 no findings, 1 findings remain, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import traceback
from collections import Counter
from typing import List, Optional, Sequence, Tuple

import click

from . import __version__
from .config import ConfigError, load_settings, validate_backends
from .diagnostics import Diagnostic, FileResult
from .discovery import discover
from .docs import render_rule, rule_metadata
from .batch import run_files
from .formatters import FORMATTERS, render
from .registry import TOOL_CODES, all_codes, all_rules, rule_by_code
from .runner import IO_ERROR, RunOptions, enabled_for
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


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour (with --fix/--diff).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them.")
@click.option("--select", multiple=True, help="Codes or prefixes to enable (comma-separated; ALL).")
@click.option("--ignore", multiple=True, help="Codes or prefixes to disable.")
@click.option("--extend-select", multiple=True, help="Codes or prefixes to enable on top of the configured set.")
@click.option("--output-format", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True)
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--config", "config_path", type=click.Path(), help="Use this TOML file instead of the nearest pyproject.toml.")
@click.option("--backend", "backends", multiple=True, help="Backend the code must run on (repeatable): tensorflow, jax, torch, numpy.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the .keras3_lint_cache folder.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: automatic; 1 disables parallelism).")
def check_command(
    paths: Tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    select: Tuple[str, ...],
    ignore: Tuple[str, ...],
    extend_select: Tuple[str, ...],
    output_format: str,
    statistics: bool,
    exit_zero: bool,
    config_path: Optional[str],
    backends: Tuple[str, ...],
    no_cache: bool,
    jobs: Optional[int],
) -> None:
    """Check PATHS (files or folders; default: the current folder)."""
    paths = paths or (".",)
    try:
        settings, options = _prepare(paths, config_path, select, ignore, extend_select, backends, fix, unsafe_fixes, diff)
    except (ConfigError, SelectorError) as exc:
        raise _fail(str(exc))

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
    batch = run_files(found.files, settings, options, use_cache=not no_cache, jobs=jobs)
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
        if output_format == "text" and not statistics:
            click.echo(f"Would fix {fixed} finding{'s' if fixed != 1 else ''}.", err=True)
        if internal_errors:
            raise click.exceptions.Exit(2)
        raise click.exceptions.Exit(1 if changed and not exit_zero else 0)

    if statistics:
        _print_statistics(diagnostics, output_format)
    else:
        click.echo(render(output_format, diagnostics, color=_use_color()), nl=False)
        if output_format == "text":
            _print_summary(diagnostics, fixed, unsafe_fixes)

    if internal_errors:
        raise click.exceptions.Exit(2)
    raise click.exceptions.Exit(1 if diagnostics and not exit_zero else 0)


def _prepare(paths, config_path, select, ignore, extend_select, backends, fix, unsafe_fixes, diff):
    codes = all_codes()
    settings = load_settings(config_path, codes, search_from=_search_start(paths))
    if backends:
        settings = settings.with_overrides(backends=validate_backends(backends, "--backend"))
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


def _print_summary(diagnostics: List[Diagnostic], fixed: int, unsafe_fixes: bool) -> None:
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
        click.echo(json.dumps([rule_metadata(r) for r in rules], indent=2))
        return
    for code, (name, summary) in sorted(TOOL_CODES.items()):
        click.echo(f"{code}  {name:<34} {'none':<15} {summary}")
    for rule in rules:
        click.echo(f"{rule.code}  {rule.name:<34} {rule.fix_safety:<15} {rule.summary}")


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
