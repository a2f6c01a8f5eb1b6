"""`report` and the summary after `--fix` count what the fixes really leave (run in memory), and
findings that share one cause are grouped."""

from __future__ import annotations

import json
import os
import shutil

from keras3_lint.batch import run_files
from keras3_lint.config import Settings
from keras3_lint.diagnostics import Diagnostic
from keras3_lint.formatters import render
from keras3_lint.outlook import fix_outlook
from keras3_lint.registry import all_codes
from keras3_lint.runner import RunOptions, enabled_for
from cli_support import ROOT, invoke, write

# Three TF-only seeding sites: each is reported, and fixing the first one makes all three go.
SEEDS = (
    "import tensorflow as tf\nfrom tensorflow import keras\n\n"
    "tf.random.set_seed(1)\na = keras.Sequential([keras.layers.Dense(1)])\n"
    "tf.random.set_seed(2)\nb = keras.Sequential([keras.layers.Dense(1)])\n"
    "tf.random.set_seed(3)\nc = keras.Sequential([keras.layers.Dense(1)])\n"
)


def _copy_flagged_fixtures(folder) -> list:
    """Every rule's flagged fixture, as one project."""
    paths = []
    fixtures = os.path.join(ROOT, "fixtures")
    for code in sorted(os.listdir(fixtures)):
        source = os.path.join(fixtures, code, "flagged.py")
        if os.path.exists(source):
            target = os.path.join(str(folder), f"{code.lower()}.py")
            shutil.copyfile(source, target)
            paths.append(target)
    return paths


def _count(folder, *args) -> int:
    out = invoke("check", "--no-cache", "--output-format", "json", "--exit-zero", *args, ".", cwd=folder)
    return len(json.loads(out.stdout))


def test_the_outlook_predicts_what_fixing_leaves(tmp_path):
    """The counts the outlook predicts equal what `--fix` and `--fix --unsafe-fixes` leave."""
    predicted_dir, safe_dir, unsafe_dir = (tmp_path / name for name in ("predicted", "safe", "unsafe"))
    for folder in (predicted_dir, safe_dir, unsafe_dir):
        folder.mkdir()
        _copy_flagged_fixtures(folder)
        write(folder / "seeds.py", SEEDS)
    settings = Settings(root=str(predicted_dir))
    options = RunOptions(enabled=enabled_for(settings, all_codes()))  # what the CLI enables by default
    files = sorted(str(p) for p in predicted_dir.iterdir())
    checked = run_files(files, settings, options, use_cache=False).results
    outlook = fix_outlook(checked, settings, options, run_files, use_cache=False)
    before = outlook.count("before")
    assert before == _count(predicted_dir)
    invoke("check", "--no-cache", "--fix", "--exit-zero", ".", cwd=safe_dir)
    invoke("check", "--no-cache", "--fix", "--unsafe-fixes", "--exit-zero", ".", cwd=unsafe_dir)
    assert outlook.count("after_safe") == _count(safe_dir) < before
    assert outlook.count("after_all") == _count(unsafe_dir) < outlook.count("after_safe")
    # One fix removes three findings: counting each finding's own fix would say 1.
    seeds = str(predicted_dir / "seeds.py")
    assert outlook.count("before", "KRS503", seeds) == 3
    assert outlook.count("after_safe", "KRS503", seeds) == 0


def test_report_counts_what_the_fixes_leave(tmp_path):
    write(tmp_path / "seeds.py", SEEDS)
    out = invoke("report", "--no-cache", "--select", "KRS503", "--output-format", "json", ".", cwd=tmp_path)
    data = json.loads(out.stdout)
    assert data["fixability"] == {"safe": 3, "unsafe": 0, "manual": 0}
    assert data["files_needing_a_person"] == []
    assert [(r["code"], r["safe"], r["manual"]) for r in data["rules"]] == [("KRS503", 3, 0)]


def test_report_groups_what_needs_a_person_by_cause(tmp_path):
    # No fix exists for a Keras 3 model's reset_states() inside an expression: three sites, one cause.
    body = "import keras\nm = keras.Sequential()\n" + "".join(f"x{i} = m.reset_states() or 1\n" for i in range(3))
    write(tmp_path / "a.py", body)
    out = invoke("report", "--no-cache", "--select", "KRS202", "--output-format", "json", ".", cwd=tmp_path)
    data = json.loads(out.stdout)
    assert data["fixability"]["manual"] == 3
    assert [(c["code"], c["count"], c["files"]) for c in data["needs_a_person_by_cause"]] == [("KRS202", 3, 1)]
    markdown = invoke("report", "--no-cache", "--select", "KRS202", ".", cwd=tmp_path).stdout
    assert "## What needs a person, by cause" in markdown
    assert markdown.count("| KRS202 |") == 1


def test_summary_after_fix_counts_unsafe_truthfully(tmp_path):
    """After `--fix`, "N more fixable with --unsafe-fixes" is what --unsafe-fixes then removes."""
    _copy_flagged_fixtures(tmp_path)
    out = invoke("check", "--no-cache", "--fix", "--output-format", "concise", ".", cwd=tmp_path)
    left = _count(tmp_path)
    line = next(line for line in out.stdout.splitlines() if "more fixable with `--fix --unsafe-fixes`" in line)
    predicted = int(line.split()[0].lstrip("("))
    invoke("check", "--no-cache", "--fix", "--unsafe-fixes", "--exit-zero", ".", cwd=tmp_path)
    assert predicted == left - _count(tmp_path) > 0


def _finding(row: int, message: str, code: str = "KRS503") -> Diagnostic:
    return Diagnostic(code, message, row, 1, row, 5, path="a.py")


def test_grouped_output_collapses_one_cause():
    same = [_finding(row, "seed only TF") for row in (4, 6, 8, 10, 12, 14, 16, 18)]
    other = _finding(5, "something else", "KRS501")
    out = render("grouped", sorted(same + [other], key=Diagnostic.sort_key))
    lines = out.splitlines()
    assert lines[0] == "a.py:"
    assert lines[1] == "  4:1 KRS503 seed only TF (×8; also at 6:1, 8:1, 10:1, 12:1, 14:1, …)"
    assert lines[2] == "  5:1 KRS501 something else"
    assert len(lines) == 3
