"""Which Keras 3 version is assumed: setting, then the project's pins, then the newest."""

from __future__ import annotations

import pytest

from keras3_lint.config import ConfigError, parse_table
from keras3_lint.registry import all_codes
from keras3_lint.versions import NEWEST_KERAS, detect_keras_version, lowest_allowed, resolve_keras_version


@pytest.mark.parametrize(
    "spec, expected",
    [("==3.4.1", (3, 4, 1)), (">=3.8,<3.12", (3, 8)), ("~=3.11.0", (3, 11, 0)), ("<3.12", None), (">3.9", (3, 9, 1))],
)
def test_lowest_allowed(spec, expected):
    assert lowest_allowed(spec) == expected


def test_default_is_newest(tmp_path):
    assert resolve_keras_version(None, str(tmp_path)).version == NEWEST_KERAS


def test_requirements_pin(tmp_path):
    (tmp_path / "requirements.txt").write_text("numpy\nkeras==3.4.1  # pinned\n")
    found = detect_keras_version(str(tmp_path))
    assert found.version == (3, 4, 1) and "requirements.txt" in found.source


def test_tensorflow_pin_implies_keras(tmp_path):
    (tmp_path / "requirements-dev.txt").write_text("tensorflow-cpu==2.18.1\n")
    assert detect_keras_version(str(tmp_path)).version == (3, 5, 0)


def test_tensorflow_2_15_means_migrating_to_newest(tmp_path):
    (tmp_path / "requirements.txt").write_text("tensorflow==2.15.0\n")
    assert resolve_keras_version(None, str(tmp_path)).version == NEWEST_KERAS


def test_pyproject_dependencies_and_setup_cfg(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["keras>=3.9,<4"]\n')
    assert detect_keras_version(str(tmp_path)).version == (3, 9)
    other = tmp_path / "other"
    other.mkdir()
    (other / "setup.cfg").write_text("[options]\ninstall_requires =\n    keras==3.11.3\n")
    assert detect_keras_version(str(other)).version == (3, 11, 3)


def test_setting_beats_pins(tmp_path):
    (tmp_path / "requirements.txt").write_text("keras==3.4.1\n")
    settings = parse_table({"keras-version": "3.13"}, "cfg", str(tmp_path), None, all_codes())
    assert settings.keras_version == (3, 13) and settings.keras_version_source == "keras-version setting"
    pinned = parse_table({}, "cfg", str(tmp_path), None, all_codes())
    assert pinned.keras_version == (3, 4, 1)


@pytest.mark.parametrize("bad", ["2.15", "three", 3.11, ""])
def test_bad_setting_names_the_key(tmp_path, bad):
    with pytest.raises(ConfigError, match="keras-version"):
        parse_table({"keras-version": bad}, "cfg", str(tmp_path), None, all_codes())
