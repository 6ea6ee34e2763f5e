"""Project hygiene: dependency files agree, notebooks are committed clean, the two commands exist."""

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _requirement(line):
    """'name>=1,<2; marker' -> (name, spec, marker)"""
    requirement, _, marker = line.partition(";")
    match = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(.*)$", requirement)
    return match.group(1).lower(), match.group(2).replace(" ", ""), marker.strip()


def _pip_lines(path):
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [line for line in lines if line]


def test_environment_yml_and_requirements_txt_name_the_same_packages():
    requirements = {_requirement(line) for line in _pip_lines(ROOT / "requirements.txt")}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += [d for d in dep["pip"] if d != "-e ."]
        elif not dep.startswith(("python", "pip")):
            conda.append(dep)
    from_env = {_requirement(d) for d in pip}
    from_env |= {_requirement(d.replace("=", "==") if re.match(r"^[^<>=!]+=[^=]", d) else d)
                 for d in conda}
    assert from_env == requirements
    assert "python=3.11" in env["dependencies"]
    assert "-e ." in next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]


def test_every_requirement_has_lower_and_upper_bound():
    for line in _pip_lines(ROOT / "requirements.txt"):
        name, spec, _ = _requirement(line)
        assert ">=" in spec and "<" in spec.replace("<=", "<"), f"{name}: {spec}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_valid_and_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")  # a title
    assert "In this notebook you will" in first.source  # learning objectives


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_end_with_exercises_that_run_unsolved(path):
    sources = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    text = "\n".join(sources)
    assert re.search(r"from nnlib\.tasks import \w+ as tasks", text)  # checkers live in nnlib
    assert ".check(" in text  # and a placeholder the student replaces:
    assert "= ..." in text or "raise NotImplementedError()" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_nnlib_with_a_fallback_and_read_COURSE_SEED(path):
    first_code = next(c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    source = "".join(first_code["source"])
    assert "import nnlib" in source and "sys.path.insert" in source
    # the seed knob: SEED comes from $COURSE_SEED (nnlib.course_seed reads it, default 0)
    assert "SEED = nnlib.course_seed()" in source
    assert not re.search(r"^SEED\s*=\s*\d", source, flags=re.M)
    assert "import nnlib as nn" not in source


def test_notebook_names_are_in_reading_order():
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"
    assert all(re.match(r"^\d\d[a-z]?_[a-z0-9_]+\.ipynb$", p.name) for p in NOTEBOOKS)


def test_make_lab_is_local_with_a_token_and_ci_runs_make_test():
    makefile = (ROOT / "Makefile").read_text()
    lab = makefile[makefile.index("\nlab:"):makefile.index("\nunit:")]
    assert "--ip=127.0.0.1" in lab and "JUPYTER_TOKEN=$$TOKEN" in lab and "token_hex" in lab
    assert "token=''" not in lab and 'token=""' not in lab
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def _fake_venv(tmp_path, failing):
    """A venv whose python and actionlint log their calls and fail on ``failing`` args."""
    import stat

    log = tmp_path / "calls.log"
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "actionlint"):
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\necho \"{name} $*\" >> {log}\n"
                          f"case \"$*\" in *\"{failing}\"*) exit 1;; esac\nexit 0\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    (tmp_path / "venv" / ".installed").touch()  # newer than requirements.txt: no install
    return tmp_path / "venv", log


@pytest.mark.parametrize("failing, parts", [("--nbval", "notebooks"), ("ruff", "lint"),
                                            ("-m pytest -n 2 --dist loadfile --doctest-modules nnlib tests", "unit")])
def test_make_test_runs_every_part_and_names_each_failure(tmp_path, failing, parts):
    import subprocess

    venv, log = _fake_venv(tmp_path, failing)
    done = subprocess.run(["make", "--no-print-directory", "test", f"VENV={venv}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    calls = log.read_text()
    assert done.returncode != 0
    assert f"make test: FAILED: {parts}" in done.stdout
    # the other parts ran all the same
    assert "--doctest-modules nnlib tests" in calls and "--nbval-lax" in calls
    assert "ruff check" in calls and "actionlint" in calls


def test_make_test_passes_when_every_part_passes(tmp_path):
    import subprocess

    venv, log = _fake_venv(tmp_path, "no call has this")
    done = subprocess.run(["make", "--no-print-directory", "test", f"VENV={venv}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all passed" in done.stdout


def test_readme_starts_with_the_two_commands():
    first_screen = (ROOT / "README.md").read_text().splitlines()[:8]
    text = "\n".join(first_screen)
    assert "make lab" in text and "make test" in text


def test_import_nnlib_is_light_and_heavy_modules_load_on_first_use():
    import subprocess
    import sys

    code = ("import sys, nnlib; assert 'tensorflow' not in sys.modules; "
            "assert 'matplotlib' not in sys.modules; "
            "assert nnlib.with_keras.twin.KERAS_LOSSES; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_links_between_notebooks_point_to_existing_notebooks(path):
    text = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                   if c["cell_type"] == "markdown")
    for target in re.findall(r"\]\(([^)#]+\.ipynb)", text):
        assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


def test_github_workflow_runs_make_test_on_linux_and_macos_oldest_and_newest_python():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text())
    job = workflow["jobs"]["test"]
    assert set(job["strategy"]["matrix"]["os"]) == {"ubuntu-latest", "macos-latest"}
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    assert any(step.get("run", "").startswith("make test") for step in job["steps"])


def test_pre_commit_strips_notebook_outputs_and_runs_ruff_of_our_version():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: repo for repo in config["repos"] for hook in repo["hooks"]}
    assert "nbstripout" in hooks and "ruff" in hooks
    ruff_bound = next(_requirement(line) for line in _pip_lines(ROOT / "requirements.txt")
                      if line.startswith("ruff"))[1]
    low, high = re.findall(r"[\d.]+", ruff_bound)
    version = tuple(int(n) for n in hooks["ruff"]["rev"].lstrip("v").split("."))
    assert tuple(int(n) for n in low.split(".")) <= version < tuple(int(n) for n in high.split("."))


def test_the_core_imports_nothing_else_from_nnlib_and_stays_small():
    """``import nnlib.core.model`` loads at most 1,600 lines of nnlib: the core alone."""
    import subprocess
    import sys

    code = ("import sys, nnlib.core.model; "
            "mods = [m for m in sys.modules if m.startswith('nnlib')]; "
            "print(sum(sum(1 for _ in open(sys.modules[m].__file__)) for m in mods), "
            "' '.join(sorted(mods)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    lines, modules = result.stdout.split(" ", 1)
    assert all(m in ("nnlib", "nnlib._lazy") or m.startswith("nnlib.core")
               for m in modules.split()), modules
    assert int(lines) <= 1650, lines
    for path in (ROOT / "nnlib" / "core").glob("*.py"):  # relative imports stay inside
        assert not re.search(r"^\s*from \.\.", path.read_text(), re.M), path.name


def test_no_module_is_longer_than_450_lines_but_the_model():
    for path in (ROOT / "nnlib").rglob("*.py"):
        limit = 500 if path.name == "model.py" else 450
        n = len(path.read_text().splitlines())
        assert n <= limit, f"{path.relative_to(ROOT)}: {n} lines"
