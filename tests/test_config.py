"""``[tool.keras3-lint]`` configuration and file discovery, through the CLI (and, for backends,
through the runner with a probe rule, since no rule we can rely on depends on the backends)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from cli_support import CLEAN, FLAGGED, invoke, write
from cli_support import run_json as _run_json

# In-process for speed (test_cli.py runs the real subprocess).
run = invoke


def run_json(*args, **kwargs):
    return _run_json(*args, runner=invoke, **kwargs)

import keras3_lint.runner as runner
from keras3_lint.config import ConfigError, load_settings
from keras3_lint.registry import all_codes
from keras3_lint.rule import Rule

# CLI selection of the only codes these tests may rely on; configured `ignore` still applies.
OURS = ("--select", "KRS201,KRS004")
UNUSED_NOQA_LINE = "y = 1  # noqa: KRS201\n"  # gives KRS004 when KRS201 and KRS004 are enabled


def pyproject(folder, body: str) -> str:
    return write(os.path.join(str(folder), "pyproject.toml"), "[tool.keras3-lint]\n" + body)


def files_of(findings):
    return sorted({f["filename"].replace(os.sep, "/") for f in findings})


def codes_of(findings):
    return sorted(f["code"] for f in findings)


# ---------------------------------------------------------------------------------------------
# Finding the configuration


def test_config_found_from_checked_folder_upwards(tmp_path):
    project = tmp_path / "project"
    pyproject(project, 'ignore = ["KRS201"]\n')
    write(project / "src" / "pkg" / "m.py", FLAGGED)
    # cwd has no configuration; the checked folder's ancestors do.
    proc = run("project/src/pkg", *OURS, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run("project/src/pkg/m.py", *OURS, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Without the configuration the finding is there.
    os.remove(project / "pyproject.toml")
    assert run("project/src/pkg", *OURS, cwd=tmp_path).returncode == 1


def test_config_found_for_several_paths_outside_cwd(tmp_path):
    project = tmp_path / "project"
    pyproject(project, 'ignore = ["KRS201"]\n')
    write(project / "a.py", FLAGGED)
    write(project / "b.py", FLAGGED)
    proc = run("project/a.py", "project/b.py", *OURS, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pyproject_without_our_table_is_skipped(tmp_path):
    pyproject(tmp_path, 'ignore = ["KRS201"]\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "sub" / "m.py", FLAGGED)
    assert run("sub", *OURS, cwd=tmp_path).returncode == 0


def test_nearest_config_wins(tmp_path):
    pyproject(tmp_path, 'ignore = ["KRS201"]\n')
    pyproject(tmp_path / "sub", 'select = ["KRS201"]\n')
    write(tmp_path / "sub" / "m.py", FLAGGED)
    assert run("sub", cwd=tmp_path).returncode == 1


def test_config_option(tmp_path):
    write(tmp_path / "m.py", FLAGGED)
    write(tmp_path / "settings" / "lint.toml", 'ignore = ["KRS201"]\n')  # top-level keys
    assert run("m.py", cwd=tmp_path).returncode == 1
    assert run("m.py", *OURS, "--config", "settings/lint.toml", cwd=tmp_path).returncode == 0
    write(tmp_path / "settings" / "other.toml", '[tool.keras3-lint]\nignore = ["KRS201"]\n')
    assert run("m.py", *OURS, "--config", "settings/other.toml", cwd=tmp_path).returncode == 0


def test_config_option_overrides_pyproject(tmp_path):
    pyproject(tmp_path, 'ignore = ["KRS201"]\n')
    write(tmp_path / "m.py", FLAGGED)
    write(tmp_path / "strict.toml", 'select = ["KRS"]\n')
    assert run("m.py", *OURS, cwd=tmp_path).returncode == 0
    assert run("m.py", *OURS, "--config", "strict.toml", cwd=tmp_path).returncode == 1


def test_config_option_missing_file(tmp_path):
    write(tmp_path / "m.py", FLAGGED)
    proc = run("m.py", "--config", "nope.toml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "nope.toml" in proc.stderr


# ---------------------------------------------------------------------------------------------
# Every key has an effect


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "m.py", FLAGGED + UNUSED_NOQA_LINE)
    return tmp_path


@pytest.mark.parametrize(
    "body, expected",
    [
        ("", ["KRS004", "KRS201"]),
        ('select = ["KRS201"]\n', ["KRS201"]),
        ('select = ["KRS2"]\n', ["KRS201"]),
        ('ignore = ["KRS004"]\n', ["KRS201"]),
        ('ignore = ["KRS"]\n', []),
        ('select = ["KRS201"]\nextend-select = ["KRS004"]\n', ["KRS004", "KRS201"]),
        ('select = ["KRS201"]\nextend-select = ["KRS0"]\n', ["KRS004", "KRS201"]),
        ('select = ["ALL"]\nignore = ["KRS004"]\n', ["KRS201"]),
    ],
    ids=["default", "select", "select-prefix", "ignore", "ignore-all", "extend-select", "extend-select-prefix", "ALL"],
)
def test_selection_keys(project, body, expected):
    pyproject(project, body)
    # Other rules may exist and fire on this file; only KRS201/KRS004 are ours to judge.
    assert [c for c in codes_of(run_json("m.py", cwd=project)) if c in ("KRS201", "KRS004")] == expected


def test_cli_select_overrides_config_select(project):
    pyproject(project, 'select = ["KRS004"]\n')
    assert codes_of(run_json("m.py", "--select", "KRS201", cwd=project)) == ["KRS201"]


def test_cli_ignore_adds_to_config_ignore(project):
    pyproject(project, 'ignore = ["KRS004"]\n')
    assert codes_of(run_json("m.py", "--select", "KRS201,KRS004", "--ignore", "KRS201", cwd=project)) == []


def test_per_file_ignores(tmp_path):
    pyproject(tmp_path, '[tool.keras3-lint.per-file-ignores]\n"tests/*" = ["KRS201"]\n"legacy.py" = ["KRS2"]\n')
    write(tmp_path / "tests" / "t.py", FLAGGED)
    write(tmp_path / "legacy.py", FLAGGED)
    write(tmp_path / "src" / "m.py", FLAGGED)
    assert files_of(run_json(".", *OURS, cwd=tmp_path)) == ["src/m.py"]
    # Patterns are relative to the configuration's folder, whatever the cwd.
    findings = run_json("../tests/t.py", "m.py", *OURS, cwd=tmp_path / "src")
    assert files_of(findings) == ["m.py"]


def test_per_file_ignores_keeps_other_codes(tmp_path):
    pyproject(tmp_path, '[tool.keras3-lint.per-file-ignores]\n"m.py" = ["KRS004"]\n')
    write(tmp_path / "m.py", FLAGGED + UNUSED_NOQA_LINE)
    assert codes_of(run_json("m.py", *OURS, cwd=tmp_path)) == ["KRS201"]


def test_exclude_replaces_defaults(tmp_path):
    write(tmp_path / "generated" / "g.py", FLAGGED)
    write(tmp_path / "build" / "b.py", FLAGGED)
    write(tmp_path / "m.py", FLAGGED)
    assert files_of(run_json(".", "--select", "KRS201", cwd=tmp_path)) == ["generated/g.py", "m.py"]
    pyproject(tmp_path, 'exclude = ["generated"]\n')
    # `exclude` replaces the default list, so build/ is checked now.
    assert files_of(run_json(".", "--select", "KRS201", cwd=tmp_path)) == ["build/b.py", "m.py"]


def test_extend_exclude_keeps_defaults(tmp_path):
    write(tmp_path / "generated" / "g.py", FLAGGED)
    write(tmp_path / "build" / "b.py", FLAGGED)
    write(tmp_path / "pkg" / "skip_me.py", FLAGGED)
    write(tmp_path / "pkg" / "keep.py", FLAGGED)
    write(tmp_path / "m.py", FLAGGED)
    pyproject(tmp_path, 'extend-exclude = ["generated", "pkg/skip_*.py"]\n')
    assert files_of(run_json(".", "--select", "KRS201", cwd=tmp_path)) == ["m.py", "pkg/keep.py"]


def test_exclude_applies_to_explicit_files(tmp_path):
    pyproject(tmp_path, 'extend-exclude = ["generated"]\n')
    write(tmp_path / "generated" / "g.py", FLAGGED)
    assert run("generated/g.py", "--select", "KRS201", cwd=tmp_path).returncode == 0


class _BackendProbe(Rule):
    """Stands in for a backend-dependent rule: reports the backends the file targets."""

    code = "KRS201"

    def visit_Module(self, node):
        self.report(node, ",".join(self.ctx.targets))


def test_backends_reach_the_rules(tmp_path, monkeypatch):
    pyproject(tmp_path, 'backends = ["jax", "torch"]\n')
    path = write(tmp_path / "m.py", CLEAN)
    settings = load_settings(None, all_codes(), search_from=str(tmp_path))
    assert settings.backends == ("jax", "torch")
    monkeypatch.setattr(runner, "_rules_for", lambda enabled: (_BackendProbe,))
    result = runner.check_file(path, settings, runner.RunOptions(enabled=frozenset({"KRS201"})))
    assert [d.message for d in result.diagnostics] == ["jax,torch"]
    default = load_settings(None, all_codes(), search_from=str(tmp_path / "m.py"))
    assert default.backends == ("jax", "torch")


def test_default_backend_is_tensorflow(tmp_path):
    settings = load_settings(None, all_codes(), search_from=str(tmp_path))
    assert settings.backends == ("tensorflow",)


def test_backend_cli_option_is_validated_and_overrides(tmp_path):
    pyproject(tmp_path, 'backends = ["jax"]\n')
    write(tmp_path / "m.py", FLAGGED)
    assert run("m.py", "--backend", "torch", "--backend", "numpy", cwd=tmp_path).returncode == 1
    proc = run("m.py", "--backend", "cuda", cwd=tmp_path)
    assert proc.returncode == 2 and "cuda" in proc.stderr


# ---------------------------------------------------------------------------------------------
# Bad configuration: exit 2, naming the key


@pytest.mark.parametrize(
    "body, named",
    [
        ("selekt = [\"KRS201\"]\n", "selekt"),
        ("select = \"KRS201\"\n", "select"),
        ("select = [201]\n", "select"),
        ("ignore = \"KRS201\"\n", "ignore"),
        ("extend-select = [\"KRS999\"]\n", "extend-select"),
        ("select = [\"KRS999\"]\n", "KRS999"),
        ("ignore = [\"XYZ1\"]\n", "ignore"),
        ("per-file-ignores = [\"tests/*\"]\n", "per-file-ignores"),
        ("[tool.keras3-lint.per-file-ignores]\n\"tests/*\" = \"KRS201\"\n", "per-file-ignores"),
        ("[tool.keras3-lint.per-file-ignores]\n\"tests/*\" = [\"KRS999\"]\n", "per-file-ignores"),
        ("exclude = \"build\"\n", "exclude"),
        ("extend-exclude = [1]\n", "extend-exclude"),
        ("backends = [\"tpu\"]\n", "backends"),
        ("backends = []\n", "backends"),
        ("backends = \"jax\"\n", "backends"),
        ("respect-gitignore = \"yes\"\n", "respect-gitignore"),
    ],
)
def test_bad_config_exits_2_naming_the_key(tmp_path, body, named):
    pyproject(tmp_path, body)
    write(tmp_path / "m.py", FLAGGED)
    proc = run("m.py", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert named in proc.stderr
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1  # one clear message


def test_invalid_toml_exits_2(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.keras3-lint\nselect = \n")
    write(tmp_path / "m.py", FLAGGED)
    proc = run("m.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert "pyproject.toml" in proc.stderr


def test_config_errors_raise_config_error(tmp_path):
    pyproject(tmp_path, "typo = 1\n")
    with pytest.raises(ConfigError, match="typo"):
        load_settings(None, all_codes(), search_from=str(tmp_path))


# ---------------------------------------------------------------------------------------------
# Discovery: git-ignored files, virtual environments, default excludes

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git_init(folder):
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)


@needs_git
def test_gitignored_files_are_skipped(tmp_path):
    _git_init(tmp_path)
    write(tmp_path / ".gitignore", "ignored.py\nout/\n")
    write(tmp_path / "sub" / ".gitignore", "local_*.py\n")
    write(tmp_path / "ignored.py", FLAGGED)
    write(tmp_path / "out" / "gen.py", FLAGGED)
    write(tmp_path / "sub" / "local_x.py", FLAGGED)
    write(tmp_path / "sub" / "kept.py", FLAGGED)
    write(tmp_path / "kept.py", FLAGGED)
    assert files_of(run_json(".", "--select", "KRS201", cwd=tmp_path)) == ["kept.py", "sub/kept.py"]
    # Walking a subfolder asks git from there.
    assert files_of(run_json("sub", "--select", "KRS201", cwd=tmp_path)) == ["sub/kept.py"]
    # A file named explicitly is checked even if git ignores it.
    assert files_of(run_json("ignored.py", "--select", "KRS201", cwd=tmp_path)) == ["ignored.py"]


@needs_git
def test_respect_gitignore_false(tmp_path):
    _git_init(tmp_path)
    write(tmp_path / ".gitignore", "ignored.py\n")
    write(tmp_path / "ignored.py", FLAGGED)
    write(tmp_path / "kept.py", FLAGGED)
    pyproject(tmp_path, "respect-gitignore = false\n")
    assert files_of(run_json(".", "--select", "KRS201", cwd=tmp_path)) == ["ignored.py", "kept.py"]


def test_gitignore_outside_a_repository_is_not_used(tmp_path):
    write(tmp_path / ".gitignore", "ignored.py\n")
    write(tmp_path / "ignored.py", FLAGGED)
    assert files_of(run_json(".", "--select", "KRS201", cwd=tmp_path)) == ["ignored.py"]


def test_virtualenvs_and_build_folders_are_skipped(tmp_path):
    for folder in (".venv/lib", "venv", "build", "dist", "node_modules", "__pycache__", ".tox/py"):
        write(tmp_path / folder / "x.py", FLAGGED)
    write(tmp_path / "myenv" / "pyvenv.cfg", "home = /usr/bin\n")
    write(tmp_path / "myenv" / "lib" / "site.py", FLAGGED)
    write(tmp_path / "pkg" / "m.py", FLAGGED)
    write(tmp_path / "pkg" / "nested_env" / "pyvenv.cfg", "home = /usr/bin\n")
    write(tmp_path / "pkg" / "nested_env" / "x.py", FLAGGED)
    assert files_of(run_json(".", "--select", "KRS201", cwd=tmp_path)) == ["pkg/m.py"]


def test_only_python_sources_are_walked(tmp_path):
    write(tmp_path / "m.py", FLAGGED)
    write(tmp_path / "stub.pyi", FLAGGED)
    write(tmp_path / "notes.txt", FLAGGED)
    write(tmp_path / "script", FLAGGED)
    assert files_of(run_json(".", "--select", "KRS201", cwd=tmp_path)) == ["m.py", "stub.pyi"]
