"""The pre-commit hooks, run by a real ``pre-commit try-repo`` against a temporary git repository.

The hook repository is a temporary git copy of this working tree (committed there), so the test
covers uncommitted work too. pre-commit installs it from the package index into a temporary
PRE_COMMIT_HOME shared by the tests of one session. The tests are skipped, with the reason, only
when that installation fails for want of packages or network (recognised by pre-commit's output).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from cli_support import CLEAN, FIXABLE, FIXED, FLAGGED, ROOT, run, write

pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the `test` extra)")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "keras3-lint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "keras3-lint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

# Text in pre-commit's output that means "could not install the hook environment" for reasons
# outside this project (no index, no network, a missing wheel).
INSTALL_FAILURES = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ProxyError",
    "ConnectionError",
    "Read timed out",
)


def _git(*args: str, cwd) -> None:
    env = dict(os.environ, **GIT_ENV)
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", *args],
                   cwd=str(cwd), env=env, check=True, capture_output=True, timeout=120)


def _working_tree_files():
    proc = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, timeout=120,
    )
    if proc.returncode != 0:
        return None
    return [os.fsdecode(p) for p in proc.stdout.split(b"\0") if p]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory):
    """A git repository holding the current working tree (tracked and new files), committed."""
    target = tmp_path_factory.mktemp("hook-repo")
    files = _working_tree_files()
    if files is None:  # not a git checkout: copy the tree
        shutil.copytree(ROOT, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".keras3_lint_cache", ".pytest_cache"))
    else:
        for name in files:
            source = os.path.join(ROOT, name)
            if not os.path.isfile(source):  # deleted in the working tree
                continue
            destination = os.path.join(str(target), name)
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            shutil.copy2(source, destination)
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("commit", "-q", "-m", "working tree under test", cwd=target)
    return str(target)


@pytest.fixture(scope="session")
def precommit_home(tmp_path_factory):
    return str(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture
def project(tmp_path):
    """A git repository to run the hooks in, with a committed flagged file."""
    repo = tmp_path / "project"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    write(repo / "bad.py", FLAGGED)
    write(repo / "README.md", "not python\n")
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "init", cwd=repo)
    return repo


def try_repo(hook_repo, home, hook, *args, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ, **GIT_ENV)
    env["PRE_COMMIT_HOME"] = home
    env["NO_COLOR"] = "1"
    env.pop("KERAS3_LINT_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", hook_repo, hook, "--color", "never", *args],
        cwd=str(cwd), env=env, capture_output=True, text=True, timeout=900,
    )
    output = proc.stdout + proc.stderr
    if proc.returncode == 3 or "An unexpected error has occurred" in output:
        log = os.path.join(home, "pre-commit.log")
        details = output
        if os.path.isfile(log):
            with open(log, encoding="utf-8", errors="replace") as handle:
                details += handle.read()
        for marker in INSTALL_FAILURES:
            if marker in details:
                line = next((l for l in details.splitlines() if marker in l), marker)
                pytest.skip(f"pre-commit cannot install the hook environment here: {line.strip()[:300]}")
        raise AssertionError(f"pre-commit failed unexpectedly:\n{details}")
    assert "Traceback" not in proc.stdout, output
    return proc


def test_manifest_is_valid():
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", os.path.join(ROOT, ".pre-commit-hooks.yaml")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import yaml

    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as handle:
        hooks = {hook["id"]: hook for hook in yaml.safe_load(handle)}
    assert set(hooks) == {"keras3-lint", "keras3-lint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "jupyter"]
        assert hook["require_serial"] is False
        assert "--files-only" in hook["entry"]
    assert "--fix" in hooks["keras3-lint-fix"]["entry"].split()
    assert "--fix" not in hooks["keras3-lint"]["entry"].split()


# Each try-repo installs the hook environment afresh (it uses a temporary store), so the cases
# are grouped into few runs.


def test_check_hook(hook_repo, precommit_home, project):
    write(project / "ok.py", CLEAN)
    _git("add", "ok.py", cwd=project)
    proc = try_repo(hook_repo, precommit_home, "keras3-lint", "--files", "bad.py", "ok.py", "README.md", cwd=project)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"^bad\.py:2:26: KRS201 ", proc.stdout, re.M), proc.stdout
    assert "ok.py" not in proc.stdout and "README" not in proc.stdout
    assert "Failed" in proc.stdout


def test_fix_hook_fixes_the_file(hook_repo, precommit_home, project):
    write(project / "fixable.py", FIXABLE)
    write(project / "ok.py", CLEAN)
    _git("add", "-A", cwd=project)
    proc = try_repo(hook_repo, precommit_home, "keras3-lint-fix", "--files", "fixable.py", "ok.py", cwd=project)
    # pre-commit fails a hook that modified files, so the user reviews the fix
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "files were modified by this hook" in proc.stdout
    with open(project / "fixable.py", encoding="utf-8", newline="") as handle:
        assert handle.read() == FIXED
    with open(project / "ok.py", encoding="utf-8", newline="") as handle:
        assert handle.read() == CLEAN


@pytest.mark.parametrize("hook", ["keras3-lint", "keras3-lint-fix"])
def test_hooks_succeed_without_files(hook_repo, precommit_home, project, hook):
    # no file given and nothing staged: pre-commit runs the hook on nothing
    proc = try_repo(hook_repo, precommit_home, hook, "--files", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Skipped" in proc.stdout
    with open(project / "bad.py", encoding="utf-8", newline="") as handle:
        assert handle.read() == FLAGGED


def test_files_only_with_no_paths_checks_nothing(tmp_path):
    """What the hook's entry does if it is ever called with no file: nothing, exit 0 (plain
    `keras3-lint` with no path checks the current folder)."""
    write(tmp_path / "bad.py", FLAGGED)
    proc = run("check", "--files-only", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    proc = run("check", "--files-only", "--fix", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert run("check", cwd=tmp_path).returncode == 1
    proc = run("check", "--files-only", "bad.py", cwd=tmp_path)
    assert proc.returncode == 1 and "KRS201" in proc.stdout


def test_files_only_respects_configured_excludes(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.keras3-lint]\nextend-exclude = ["vendored"]\n')
    write(tmp_path / "vendored" / "bad.py", FLAGGED)
    proc = run("check", "--files-only", os.path.join("vendored", "bad.py"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
