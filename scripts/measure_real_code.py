#!/usr/bin/env python3
"""Measure keras3-lint on real public Keras 2 code: precision by rule, recall on a grep probe.

The repositories are never committed. Fetch them (one folder per repository, named
``owner+name``, holding the files of the commit listed in ``scripts/real_code_repos.txt``) and:

    python scripts/measure_real_code.py run /scratch/repos --out /scratch/measure-out
    # label the `label` column (true/false) and `reason` of /scratch/measure-out/review.csv, then
    python scripts/measure_real_code.py import-labels /scratch/measure-out/review.csv
    python scripts/measure_real_code.py table /scratch/measure-out

``run`` checks each repository as its own project (``--no-cache --select ALL`` plus the opt-in
rules, JSON output) and greps the same files for Keras 2 patterns (the *probe*). It writes every
finding and probe hit
(``findings.jsonl``, ``probe.jsonl``), a review sheet (``review.csv``: a stable sample of up to
``--sample`` findings per rule and ``--probe-sample`` hits per probe pattern, with the source line
and any label already known) and prints two tables (over the labelled rows):

- precision per rule, on the random sample: findings, reviewed (labelled), true, false,
  precision = true / reviewed; labels outside the sample (targeted hunts for false positives)
  are shown apart (extra_reviewed, extra_false);
- recall per probe pattern: hits, hazards (hits labelled true), covered (hazards with a finding of
  an expected code in the statement that holds the hit, or on the line importing the removed
  name), recall = covered / hazards; weighted_recall weights each sampled pattern by its hits.

Labels live in ``scripts/real_code_labels.jsonl`` keyed by repository, path, cell, line and code
(a rule code, or ``probe:<pattern>``) with the label and a short reason: facts about public code
lines, never the code itself.
"""

from __future__ import annotations

import argparse
import ast
import csv
import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
import time
import warnings
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_REPOS = os.path.join(HERE, "real_code_repos.txt")
DEFAULT_LABELS = os.path.join(HERE, "real_code_labels.jsonl")
SKIP_DIRS = {".git", ".keras3_lint_cache", "__pycache__", ".ipynb_checkpoints"}

# A line is identified by (repo, path, cell, line); cell is None outside notebooks.
Key = Tuple[str, str, Optional[int], int, str]


# --------------------------------------------------------------------------- the probe


@dataclasses.dataclass(frozen=True)
class Pattern:
    name: str
    regex: "re.Pattern[str]"
    # Code prefixes a finding must start with to count as covering a hit of this pattern.
    codes: Tuple[str, ...]
    # A use of a removed name is also covered by a finding on the line that imports it.
    via_import: bool = False


def _p(name: str, regex: str, *codes: str, via_import: bool = False) -> Pattern:
    return Pattern(name, re.compile(regex), codes, via_import)


# Keras 2 spellings from issue 9 (routes 1-8 and the fresh-repository review). A hit is only a
# candidate: the reviewer labels whether that line is a Keras 3 hazard.
PATTERNS: Tuple[Pattern, ...] = (
    _p("generator-methods", r"\.(fit|evaluate|predict)_generator\s*\(", "KRS103"),
    _p("predict_classes/proba", r"\.predict_(classes|proba)\s*\(", "KRS103"),
    _p("reset_states", r"\.reset_states\s*\(", "KRS1", "KRS2"),
    _p("optimizer.lr", r"\b\w*opt\w*\.lr\b", "KRS103"),
    _p("get_updates", r"\bget_updates\b", "KRS103"),
    _p("save", r"(?<![\w.])(?!(np|numpy|torch|joblib|pickle|plt|fig|saver|checkpoint|ckpt|manager|img|image|im)\.)"
               r"[\w.\[\]]*\.save\s*\(", "KRS70"),
    _p("save_weights", r"\.save_weights\s*\(", "KRS70"),
    _p("load_weights", r"\.load_weights\s*\(", "KRS70"),
    _p("load_model", r"\bload_model\s*\(", "KRS70"),
    _p("ModelCheckpoint", r"\bModelCheckpoint\s*\(", "KRS70"),
    _p("save_format", r"\bsave_format\s*=", "KRS70"),
    _p("lowercase-optimizer", r"\boptimizers\.(sgd|rmsprop|adagrad|adadelta|adam|adamax|nadam)\s*\(", "KRS101"),
    _p("optimizer-lr/decay-kwarg", r"\b(SGD|Adam|RMSprop|Adagrad|Adadelta|Adamax|Nadam|sgd|adam|rmsprop|adagrad|adadelta"
                                   r"|adamax|nadam)\s*\(.*\b(lr|decay)\s*=", "KRS102"),
    _p("layers.merge/Merge", r"\blayers\.merge\b|\bMerge\s*\(|\bfrom\s+keras\.layers\s+import\b.*\bmerge\b", "KRS101", "KRS104"),
    _p(
        "internal-module",
        r"\bkeras\.(engine|legacy\.interfaces|layers\.(core|convolutional|recurrent|normalization|embeddings"
        r"|pooling|wrappers|advanced_activations|noise|local|merge|cudnn_recurrent|convolutional_recurrent)"
        r"|utils\.(np_utils|generic_utils|data_utils|vis_utils|conv_utils|io_utils|layer_utils)"
        r"|backend\.tensorflow_backend|initializers\.initializers_v2|saving\.hdf5_format|mixed_precision\.experimental)\b",
        "KRS101", "KRS104", "KRS108",
    ),
    _p("CuDNN-RNN", r"\bCuDNN(LSTM|GRU)\b", "KRS101", via_import=True),
    _p("multi_gpu_model", r"\bmulti_gpu_model\b", "KRS101", via_import=True),
    _p("learning_phase", r"\b(set_)?learning_phase\s*\(", "KRS101", "KRS106"),
    _p("backend-session/function", r"\b(K|backend)\.(get_session|set_session|function|placeholder)\s*\(", "KRS106", "KRS109"),
    _p("_make_*_function", r"\._make_(predict|train|test)_function\s*\(", "KRS103"),
    _p("batch_input_shape", r"\bbatch_input_shape\s*=", "KRS201"),
    _p("TF_USE_LEGACY_KERAS", r"TF_USE_LEGACY_KERAS", "KRS8"),
    _p("tf_keras", r"^\s*(import\s+tf_keras|from\s+tf_keras\b)|pip3?\s+install\b.*\btf[-_]keras\b", "KRS8"),
    _p(
        "tf.keras-surface",
        r"\btf\.keras\.(metrics|losses)\.(mean_squared_error|mean_absolute_error|mean_absolute_percentage_error"
        r"|mean_squared_logarithmic_error|kl_divergence|log_cosh)\b|\btf\.keras\.saving\.",
        "KRS1",
    ),
    _p("strict-kwargs", r"\bmontior\s*=|\bwrite_grads\s*=|\bTensorBoard\s*\(.*\bbatch_size\s*=", "KRS102"),
    _p("fit-workers-kwargs", r"\b(workers|use_multiprocessing|max_queue_size)\s*=", "KRS729", "KRS102"),
    _p("scikit_learn-wrappers", r"\bwrappers\.scikit_learn\b", "KRS107"),
    _p("tensorflow.python.keras", r"\btensorflow\.python\.keras\b", "KRS108"),
    _p("experimental-namespaces", r"\b(layers\.experimental|optimizers\.(legacy|experimental))\b", "KRS105"),
)

ALIAS_ASSIGNMENT = re.compile(r"^\s*(\w+)\s*=\s*(tf|tensorflow)\.keras(\.\w+)*\s*(#.*)?$")


@dataclasses.dataclass
class SourceUnit:
    """The lines of one .py file, or of one code cell of a notebook."""

    path: str
    cell: Optional[int]
    lines: List[str]


def source_units(repo_dir: str, relpath: str) -> Iterator[SourceUnit]:
    full = os.path.join(repo_dir, relpath)
    try:
        with open(full, "rb") as handle:
            data = handle.read()
    except OSError:
        return
    text = data.decode("utf-8", "replace")
    if not relpath.endswith(".ipynb"):
        yield SourceUnit(relpath, None, text.splitlines())
        return
    try:
        notebook = json.loads(text)
    except ValueError:
        return
    if not isinstance(notebook, dict):
        return
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3
        cells = [c for sheet in notebook.get("worksheets") or [] for c in sheet.get("cells") or []]
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(source)
        yield SourceUnit(relpath, index, str(source).splitlines())


_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def statement_spans(lines: Sequence[str]) -> List[Tuple[int, int]]:
    """(first, last) line of every statement of a unit; a compound statement counts its header only.

    Notebook magics (``%``/``!`` lines) are blanked and an all-indented cell is dedented, as IPython
    does; a unit that still does not parse has no spans (each hit then stands for its own line)."""
    masked = ["" if line.lstrip().startswith(("%", "!")) else line for line in lines]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(textwrap.dedent("\n".join(masked)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    spans = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        end = node.end_lineno or node.lineno
        if isinstance(node, _COMPOUND) and node.body:
            end = max(node.lineno, node.body[0].lineno - 1)
        spans.append((node.lineno, end))
    return spans


def enclosing_statement(spans: Sequence[Tuple[int, int]], line: int) -> Tuple[int, int]:
    """The smallest statement span holding ``line`` (the line itself when none does)."""
    best = (line, line)
    for first, last in spans:
        if first <= line <= last and (best == (line, line) or last - first < best[1] - best[0]):
            best = (first, last)
    return best


def repo_files(repo_dir: str) -> List[str]:
    out = []
    for directory, dirnames, names in os.walk(repo_dir):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(names):
            if name.endswith((".py", ".ipynb")):
                out.append(os.path.relpath(os.path.join(directory, name), repo_dir).replace(os.sep, "/"))
    return out


def probe_unit(repo: str, unit: SourceUnit, aliases: Sequence[str]) -> Iterator[dict]:
    alias_use = re.compile(r"\b(%s)\." % "|".join(map(re.escape, aliases))) if aliases else None
    spans: Optional[List[Tuple[int, int]]] = None
    for number, line in enumerate(unit.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        for pattern in PATTERNS:
            match = pattern.regex.search(line)
            if match:
                if spans is None:
                    spans = statement_spans(unit.lines)
                first, last = enclosing_statement(spans, number)
                statement = "\n".join(unit.lines[first - 1:last])
                # How the Keras object reaches the hit: a `keras = tf.keras` style alias, `self.x`, or directly.
                route = "alias" if alias_use and alias_use.search(statement) else ("self" if "self." in statement else "")
                yield {
                    "repo": repo, "path": unit.path, "cell": unit.cell, "line": number,
                    "stmt_first": first, "stmt_last": last,
                    "code": "probe:" + pattern.name, "route": route, "source": line.strip()[:200],
                    "name": match.group(0) if pattern.via_import else None,
                }


def import_lines(units: Sequence[SourceUnit], name: str) -> List[Tuple[Optional[int], int]]:
    """(cell, line) of the lines of a file that import ``name``."""
    regex = re.compile(r"^\s*(from\s+\S+\s+)?import\b.*\b%s\b" % re.escape(name))
    return [(u.cell, n) for u in units for n, line in enumerate(u.lines, start=1) if regex.match(line)]


def probe_repo(repo: str, repo_dir: str, files: Sequence[str]) -> List[dict]:
    hits = []
    for relpath in files:
        units = list(source_units(repo_dir, relpath))
        aliases = sorted({m.group(1) for u in units for line in u.lines for m in [ALIAS_ASSIGNMENT.match(line)] if m})
        for unit in units:
            for hit in probe_unit(repo, unit, aliases):
                name = hit.pop("name")
                if name:
                    hit["imports"] = [[c, n] for c, n in import_lines(units, name) if (c, n) != (hit["cell"], hit["line"])]
                hits.append(hit)
    return hits


# --------------------------------------------------------------------------- keras3-lint


def lint_env(pythonpath: Optional[str]) -> Dict[str, str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def opt_in_codes(python: str, pythonpath: Optional[str]) -> List[str]:
    """The opt-in rules of the keras3-lint under test (``ALL`` does not reach them); [] if it has none."""
    proc = subprocess.run([python, "-c", "from keras3_lint.selection import OPT_IN; print(','.join(sorted(OPT_IN)))"],
                          capture_output=True, text=True, env=lint_env(pythonpath), cwd=pythonpath or None)
    return [c for c in proc.stdout.strip().split(",") if c] if proc.returncode == 0 else []


def lint_repo(repo_dir: str, python: str, pythonpath: Optional[str], extra: Sequence[str]) -> Tuple[List[dict], float, str]:
    env = lint_env(pythonpath)
    command = [python, "-m", "keras3_lint", "check", ".", "--no-cache", "--output-format", "json",
               "--select", "ALL", "--exit-zero", *extra]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=repo_dir, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", env=env)
    elapsed = time.perf_counter() - start
    try:
        findings = json.loads(proc.stdout or "[]")
    except ValueError:
        findings = []
    problems = "\n".join(line for line in proc.stderr.splitlines() if "Traceback" in line or "internal error" in line.lower())
    if proc.returncode not in (0, 1):
        problems += "\nexit %d: %s" % (proc.returncode, proc.stderr[-500:])
    return findings, elapsed, problems


def normalise(repo: str, finding: dict) -> dict:
    location = finding.get("location") or {}
    end = finding.get("end_location") or location
    return {
        "repo": repo,
        "path": os.path.normpath(finding["filename"]).replace(os.sep, "/"),
        "cell": finding.get("cell"),
        "line": location.get("row", 0),
        "end_line": end.get("row", location.get("row", 0)),
        "code": finding["code"],
        "confidence": finding.get("confidence", "high"),
        "message": finding.get("message", ""),
    }


# --------------------------------------------------------------------------- labels and tables


def key_of(record: dict) -> Key:
    cell = record.get("cell")
    return (record["repo"], record["path"], int(cell) if cell not in (None, "") else None, int(record["line"]), record["code"])


def load_labels(path: str) -> Dict[Key, dict]:
    labels: Dict[Key, dict] = {}
    if not os.path.exists(path):
        return labels
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                labels[key_of(record)] = record
    return labels


def save_labels(path: str, labels: Dict[Key, dict]) -> None:
    rows = sorted(labels.values(), key=lambda r: (r["code"], r["repo"], r["path"], r["cell"] or 0, r["line"]))
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for r in rows:
            record = {k: r[k] for k in ("repo", "path", "cell", "line", "code", "label", "reason")}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def parse_label(text: str) -> Optional[bool]:
    value = (text or "").strip().lower()
    if value in ("true", "t", "yes", "y", "1"):
        return True
    if value in ("false", "f", "no", "n", "0"):
        return False
    return None


def import_labels(review_csv: str, labels: Dict[Key, dict]) -> int:
    """Merge the labelled rows of a review sheet into ``labels``; returns how many were taken."""
    taken = 0
    with open(review_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            value = parse_label(row.get("label", ""))
            if value is None:
                continue
            record = {"repo": row["repo"], "path": row["path"], "cell": int(row["cell"]) if row["cell"] else None,
                      "line": int(row["line"]), "code": row["code"], "label": value, "reason": row.get("reason", "").strip()}
            labels[key_of(record)] = record
            taken += 1
    return taken


def stable_sample(findings: Sequence[dict], per_rule: int, seed: str = "keras3-lint") -> List[dict]:
    """Up to ``per_rule`` distinct finding lines per code, chosen by a hash of their key (stable)."""
    by_code: Dict[str, Dict[Key, dict]] = {}
    for f in findings:
        by_code.setdefault(f["code"], {}).setdefault(key_of(f), f)
    out = []
    for code in sorted(by_code):
        ranked = sorted(by_code[code].items(), key=lambda kv: hashlib.sha1((seed + repr(kv[0])).encode()).hexdigest())
        out.extend(f for _, f in ranked[:per_rule])
    return out


def _ratio(numerator: int, denominator: int) -> Optional[float]:
    return numerator / denominator if denominator else None


def precision_table(findings: Sequence[dict], labels: Dict[Key, dict], group: str = "code",
                    sample: Optional[set] = None) -> List[dict]:
    """One row per code (or per ``group`` field, e.g. confidence) and a total.

    ``reviewed`` counts distinct labelled finding lines (two findings of one code on one line are
    one review). With ``sample`` (the keys of the random sample), precision is measured on the
    sample only, and labels outside it (targeted hunts for false positives) are counted apart as
    ``extra_reviewed``/``extra_false``, so they do not bias the estimate."""
    rows: Dict[str, dict] = {}
    seen = set()
    for f in findings:
        name = f.get(group) or "-"
        row = rows.setdefault(name, {"code": name, "findings": 0, "reviewed": 0, "true": 0, "false": 0,
                                     "extra_reviewed": 0, "extra_false": 0})
        row["findings"] += 1
        key = key_of(f)
        if key in seen or key not in labels:
            continue
        seen.add(key)
        if sample is not None and key not in sample:
            row["extra_reviewed"] += 1
            row["extra_false"] += 0 if labels[key]["label"] else 1
            continue
        row["reviewed"] += 1
        row["true" if labels[key]["label"] else "false"] += 1
    table = [rows[c] for c in sorted(rows)]
    counts = ("findings", "reviewed", "true", "false", "extra_reviewed", "extra_false")
    total = {"code": "TOTAL", **{k: sum(r[k] for r in table) for k in counts}}
    for row in table + [total]:
        row["precision"] = _ratio(row["true"], row["reviewed"])
    # Precision of all findings, each rule weighted by its number of findings.
    weighted = [(r["findings"], r["precision"]) for r in table if r["precision"] is not None]
    total["weighted_precision"] = _ratio(sum(n * p for n, p in weighted), sum(n for n, _ in weighted)) if weighted else None
    return table + [total]


def covered(hit: dict, findings_by_unit: Dict[Tuple[str, str, Optional[int]], List[dict]], codes: Sequence[str]) -> bool:
    """A finding of an expected code overlaps the statement that holds the hit."""
    first, last = hit.get("stmt_first", hit["line"]), hit.get("stmt_last", hit["line"])
    expected = tuple(codes)
    for f in findings_by_unit.get((hit["repo"], hit["path"], hit["cell"]), ()):
        overlaps = f["line"] <= last and max(f["line"], f["end_line"]) >= first
        if overlaps and (not codes or f["code"].startswith(expected)):
            return True
    for cell, line in hit.get("imports") or ():  # reported where the removed name is imported
        for f in findings_by_unit.get((hit["repo"], hit["path"], cell), ()):
            if f["line"] <= line <= max(f["line"], f["end_line"]) and (not codes or f["code"].startswith(expected)):
                return True
    return False


def index_findings(findings: Iterable[dict]) -> Dict[Tuple[str, str, Optional[int]], List[dict]]:
    index: Dict[Tuple[str, str, Optional[int]], List[dict]] = {}
    for f in findings:
        index.setdefault((f["repo"], f["path"], f["cell"]), []).append(f)
    return index


def recall_table(hits: Sequence[dict], findings: Sequence[dict], labels: Dict[Key, dict]) -> Tuple[List[dict], List[dict]]:
    """Rows per probe pattern (and a total), and the hazards no finding covers (the misses)."""
    codes = {"probe:" + p.name: p.codes for p in PATTERNS}
    index = index_findings(findings)
    rows: Dict[str, dict] = {}
    misses = []
    for hit in hits:
        row = rows.setdefault(hit["code"], {"pattern": hit["code"][len("probe:"):], "hits": 0, "reviewed": 0,
                                            "hazards": 0, "covered": 0})
        row["hits"] += 1
        label = labels.get(key_of(hit))
        if label is None:
            continue
        row["reviewed"] += 1
        if not label["label"]:
            continue
        row["hazards"] += 1
        if covered(hit, index, codes.get(hit["code"], ())):
            row["covered"] += 1
        else:
            misses.append(hit)
    order = {"probe:" + p.name: i for i, p in enumerate(PATTERNS)}
    table = [rows[c] for c in sorted(rows, key=lambda c: order.get(c, len(order)))]
    total = {"pattern": "TOTAL", **{k: sum(r[k] for r in table) for k in ("hits", "reviewed", "hazards", "covered")}}
    for row in table + [total]:
        row["recall"] = _ratio(row["covered"], row["hazards"])
    # Patterns with many hits are sampled: weight each pattern's recall by its estimated number of
    # hazards among all its hits (hits x hazards / reviewed).
    estimated = [(r["hits"] * r["hazards"] / r["reviewed"], r["recall"]) for r in table if r["reviewed"] and r["hazards"]]
    total["weighted_recall"] = _ratio(sum(n * q for n, q in estimated), sum(n for n, _ in estimated)) if estimated else None
    return table + [total], misses


def format_table(rows: Sequence[dict], columns: Sequence[str]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return "%.1f%%" % (100 * value)
        return "-" if value is None else str(value)

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(columns, widths)))]
    lines += ["  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths))) for r in cells]
    return "\n".join(lines)


# --------------------------------------------------------------------------- files


def read_repo_list(path: str) -> List[Tuple[str, str]]:
    repos = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                name, _, commit = line.partition(" ")
                repos.append((name.strip(), commit.strip()))
    return repos


def repo_folder(repos_dir: str, name: str) -> str:
    return os.path.join(repos_dir, name.replace("/", "+"))


def source_line(repos_dir: str, record: dict, cache: Dict[Tuple[str, str], Dict[Optional[int], List[str]]]) -> str:
    units = cache.get((record["repo"], record["path"]))
    if units is None:
        units = {u.cell: u.lines for u in source_units(repo_folder(repos_dir, record["repo"]), record["path"])}
        cache[(record["repo"], record["path"])] = units
    lines = units.get(record["cell"], [])
    index = record["line"] - 1
    return lines[index].strip()[:200] if 0 <= index < len(lines) else ""


def write_jsonl(path: str, records: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r, ensure_ascii=False) + "\n")


def read_jsonl(path: str) -> List[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


REVIEW_COLUMNS = ("kind", "code", "confidence", "label", "reason", "repo", "path", "cell", "line", "route", "message", "source")


def write_review(path: str, rows: Iterable[dict], labels: Dict[Key, dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, REVIEW_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            label = labels.get(key_of(row))
            out = dict(row)
            out["label"] = "" if label is None else str(label["label"]).lower()
            out["reason"] = "" if label is None else label.get("reason", "")
            out["cell"] = "" if row.get("cell") is None else row["cell"]
            writer.writerow(out)


# --------------------------------------------------------------------------- commands


PRECISION_COLUMNS = ("code", "findings", "reviewed", "true", "false", "precision", "extra_reviewed", "extra_false")


def print_tables(findings: List[dict], hits: List[dict], labels: Dict[Key, dict], per_rule: int) -> None:
    sample = {key_of(f) for f in stable_sample(findings, per_rule)}
    print(format_table(precision_table(findings, labels, sample=sample), PRECISION_COLUMNS + ("weighted_precision",)))
    print()
    print(format_table(precision_table(findings, labels, group="confidence", sample=sample)[:-1], PRECISION_COLUMNS))
    table, misses = recall_table(hits, findings, labels)
    print()
    print(format_table(table, ("pattern", "hits", "reviewed", "hazards", "covered", "recall", "weighted_recall")))
    routes: Dict[str, List[int]] = {}
    for hit in hits:
        label = labels.get(key_of(hit))
        if label and label["label"]:
            routes.setdefault(hit.get("route") or "direct", [0, 0])[0] += 1
    for m in misses:
        routes[m.get("route") or "direct"][1] += 1
    print("\nby route: " + ", ".join("%s %d hazards, %d missed" % (r, n, k) for r, (n, k) in sorted(routes.items())))
    if misses:
        print("\nmisses (hazards without a finding in their statement):")
        for m in misses:
            cell = "" if m["cell"] is None else "cell %s:" % m["cell"]
            print("  %s %s/%s:%s%s  %s" % (m["code"][len("probe:"):], m["repo"], m["path"], cell, m["line"], m["source"][:100]))
    false_positives = [f for f in findings if labels.get(key_of(f), {}).get("label") is False]
    if false_positives:
        print("\nfalse positives:")
        seen = set()
        for f in false_positives:
            if key_of(f) in seen:
                continue
            seen.add(key_of(f))
            cell = "" if f["cell"] is None else "cell %s:" % f["cell"]
            reason = labels[key_of(f)].get("reason", "")
            print("  %s %s/%s:%s%s  -- %s" % (f["code"], f["repo"], f["path"], cell, f["line"], reason))


def command_run(args: argparse.Namespace) -> int:
    repos = read_repo_list(args.repos)
    labels = load_labels(args.labels)
    os.makedirs(args.out, exist_ok=True)
    findings: List[dict] = []
    hits: List[dict] = []
    summary = {"repos": [], "lint_seconds": 0.0}
    opt_in = opt_in_codes(args.python, args.pythonpath)
    extra = list(args.lint_arg) + (["--extend-select", ",".join(opt_in)] if opt_in else [])
    for name, commit in repos:
        folder = repo_folder(args.repos_dir, name)
        if not os.path.isdir(folder):
            print("missing: %s (%s)" % (name, folder), file=sys.stderr)
            continue
        files = repo_files(folder)
        found, elapsed, problems = lint_repo(folder, args.python, args.pythonpath, extra)
        repo_findings = [normalise(name, f) for f in found]
        findings.extend(repo_findings)
        hits.extend(probe_repo(name, folder, files))
        summary["lint_seconds"] += elapsed
        summary["repos"].append({
            "repo": name, "commit": commit, "py": sum(f.endswith(".py") for f in files),
            "ipynb": sum(f.endswith(".ipynb") for f in files), "findings": len(repo_findings),
            "seconds": round(elapsed, 2), "problems": problems,
        })
        if problems:
            print("%s: %s" % (name, problems), file=sys.stderr)
    cache: Dict[Tuple[str, str], Dict[Optional[int], List[str]]] = {}
    sample = stable_sample(findings, args.sample)
    for record in sample:
        record["kind"] = "finding"
        record["source"] = source_line(args.repos_dir, record, cache)
    probe_sample = stable_sample(hits, args.probe_sample)
    for hit in probe_sample:
        hit["kind"] = "probe"
    write_jsonl(os.path.join(args.out, "findings.jsonl"), findings)
    write_jsonl(os.path.join(args.out, "probe.jsonl"), hits)
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=1)
    write_review(os.path.join(args.out, "review.csv"), sample + probe_sample, labels)
    for r in summary["repos"]:
        print("%-55s py %4d  ipynb %4d  findings %5d  %6.2fs" % (r["repo"], r["py"], r["ipynb"], r["findings"], r["seconds"]))
    print("files: %d py, %d ipynb; keras3-lint %.1fs in total\n" % (
        sum(r["py"] for r in summary["repos"]), sum(r["ipynb"] for r in summary["repos"]), summary["lint_seconds"]))
    print_tables(findings, hits, labels, args.sample)
    return 0


def command_table(args: argparse.Namespace) -> int:
    labels = load_labels(args.labels)
    print_tables(read_jsonl(os.path.join(args.out, "findings.jsonl")), read_jsonl(os.path.join(args.out, "probe.jsonl")), labels,
                 args.sample)
    return 0


def command_import(args: argparse.Namespace) -> int:
    labels = load_labels(args.labels)
    taken = import_labels(args.review, labels)
    save_labels(args.labels, labels)
    print("%d labelled rows taken; %d labels in %s" % (taken, len(labels), args.labels))
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", default=DEFAULT_LABELS, help="labels file (JSON lines)")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="lint and probe the repositories; write the review sheet; print the tables")
    run.add_argument("repos_dir", help="folder holding one owner+name folder per repository")
    run.add_argument("--repos", default=DEFAULT_REPOS, help="repository list: owner/name commit, one per line")
    run.add_argument("--out", required=True, help="folder for findings.jsonl, probe.jsonl, review.csv, summary.json")
    run.add_argument("--sample", type=int, default=25, help="findings per rule in the review sheet")
    run.add_argument("--probe-sample", type=int, default=30, help="probe hits per pattern in the review sheet")
    run.add_argument("--python", default=sys.executable, help="interpreter that runs keras3-lint")
    run.add_argument("--pythonpath", default=ROOT, help="PYTHONPATH for keras3-lint (default: this checkout)")
    run.add_argument("--lint-arg", action="append", default=[], help="extra argument for keras3-lint check")
    run.set_defaults(func=command_run)
    table = sub.add_parser("table", help="print the tables of an earlier run with the current labels")
    table.add_argument("out")
    table.add_argument("--sample", type=int, default=25, help="findings per rule in the random sample (as in run)")
    table.set_defaults(func=command_table)
    imp = sub.add_parser("import-labels", help="merge the labelled rows of a review sheet into the labels file")
    imp.add_argument("review")
    imp.set_defaults(func=command_import)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
