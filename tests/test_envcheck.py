"""Tests for course/envcheck.py."""

import re
from pathlib import Path

from course import envcheck
from course.envcheck import env_check

ROOT = Path(__file__).resolve().parents[1]


def _versions(**overrides):
    table = {name: "99.0" for name in envcheck.MIN_VERSIONS}
    table["jupyterlab_widgets"] = "3.0.0"
    table.update(overrides)
    return table.get


def test_this_environment_is_complete():
    report = env_check()
    assert report.ok, report.problems
    assert "Everything the course needs is installed." in str(report)
    assert [row[0] for row in report.rows][:2] == ["python", "numpy"]


def test_missing_package_is_named_with_the_fix(tmp_path):
    report = env_check(version_of=_versions(tensorflow=None), widget_extension_dirs=[tmp_path])
    assert not report.ok
    assert any("tensorflow is not installed" in p and "make lab" in p for p in report.problems)


def test_keras_2_is_called_out(tmp_path):
    report = env_check(version_of=_versions(keras="2.15.0"), widget_extension_dirs=[tmp_path])
    assert any("Keras 2.15.0 is Keras 2" in p for p in report.problems)


def test_too_old_package_and_python(tmp_path):
    report = env_check(version_of=_versions(numpy="1.21.6"), python_version=(3, 9, 1),
                       widget_extension_dirs=[tmp_path])
    text = " ".join(report.problems)
    assert "numpy 1.21.6 is too old; the course needs numpy >= 1.26" in text
    assert "Python 3.9.1 is too old" in text


def test_missing_widgets_extension(tmp_path):
    report = env_check(version_of=_versions(), widget_extension_dirs=[tmp_path / "nowhere"])
    assert any("widgets extension" in p for p in report.problems)
    ok = tmp_path / "@jupyter-widgets" / "jupyterlab-manager"
    ok.mkdir(parents=True)
    assert env_check(version_of=_versions(), widget_extension_dirs=[ok]).ok


def test_html_report_lists_every_package():
    html = env_check()._repr_html_()
    for name in envcheck.MIN_VERSIONS:
        assert f"<td>{name}</td>" in html


def test_minimum_versions_match_requirements_txt():
    lower = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)>=([0-9.]+)", line.strip())
        if match:
            name = "tensorflow" if match.group(1).startswith("tensorflow") else match.group(1)
            lower[name] = match.group(2)
    for name, minimum in envcheck.MIN_VERSIONS.items():
        assert lower[name] == minimum, name


def test_course_seed_reads_COURSE_SEED_with_0_as_default(monkeypatch):
    from course.envcheck import course_seed

    assert course_seed({}) == 0
    assert course_seed({"COURSE_SEED": " 7 "}) == 7
    monkeypatch.setenv("COURSE_SEED", "3")
    assert course_seed() == 3
    monkeypatch.delenv("COURSE_SEED")
    assert course_seed() == 0


def test_course_seed_names_a_bad_value():
    import pytest

    from course.envcheck import course_seed

    for bad in ("-1", "1.5", "abc"):
        with pytest.raises(ValueError, match=rf"non-negative integer.*COURSE_SEED='{re.escape(bad)}'"):
            course_seed({"COURSE_SEED": bad})
