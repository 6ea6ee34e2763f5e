"""Project hygiene: dependency files agree, notebooks are committed clean, the two commands exist."""

import ast
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
    raw = json.loads(path.read_text())
    ids = [cell.get("id") for cell in raw["cells"]]  # nbformat would fill in missing ones
    assert None not in ids and len(set(ids)) == len(ids), f"{path.name}: cell ids missing or repeated"
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
    assert re.search(r"from course\.n\w+ import [\w, ]*\btasks\b", text)  # checkers: course/
    assert ".check(" in text  # and a placeholder the student replaces:
    assert "= ..." in text or "raise NotImplementedError()" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_the_course_with_a_fallback_and_read_COURSE_SEED(path):
    first_code = next(c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    source = "".join(first_code["source"])
    assert "import course" in source and "sys.path.insert" in source
    # the seed knob: SEED comes from $COURSE_SEED (course.course_seed reads it, default 0)
    assert "SEED = course.course_seed()" in source
    assert not re.search(r"^SEED\s*=\s*\d", source, flags=re.M)
    assert "import nnlib as nn" not in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_imports_its_own_lesson_folder_and_no_other(path):
    """04a_optimizers.ipynb imports course.n04a_optimizers (07b, 07's appendix, uses 07's;
    05e, whose model continues 05d's, reads 05d's text and bigram as well as its own)."""
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                     if c.cell_type == "code")
    folders = set(re.findall(r"\bcourse\.(n\d\d[a-z]?_\w+?)\b(?=[. ])", text))
    own = {"07b_float32_appendix": {"n07_mlp_tensorflow_comparison"},
           "05e_transformer_block": {"n05e_transformer_block", "n05d_language_model"},
           }.get(path.stem, {f"n{path.stem}"})
    assert folders == own, folders
    assert all((ROOT / "course" / f).is_dir() for f in folders)


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
                                            ("-m pytest -n 2 --dist loadfile --doctest-modules nnlib course tests", "unit")])
def test_make_test_runs_every_part_and_names_each_failure(tmp_path, failing, parts):
    import subprocess

    venv, log = _fake_venv(tmp_path, failing)
    done = subprocess.run(["make", "--no-print-directory", "test", f"VENV={venv}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    calls = log.read_text()
    assert done.returncode != 0
    assert f"make test: FAILED: {parts}" in done.stdout
    # the other parts ran all the same
    assert "--doctest-modules nnlib course tests" in calls and "--nbval-lax" in calls
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


def test_import_nnlib_loads_the_thin_library_only():
    """``import nnlib`` loads nnlib's own modules and numpy: no course, no plots, no Keras."""
    import subprocess
    import sys

    code = ("import sys, nnlib; "
            "mods = [m for m in sys.modules if m.split('.')[0] in ('nnlib', 'course')]; "
            "heavy = [m for m in ('tensorflow', 'matplotlib', 'ipywidgets') if m in sys.modules]; "
            "print(sum(sum(1 for _ in open(sys.modules[m].__file__)) for m in mods), "
            "' '.join(sorted(mods)), '|', ' '.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    lines, rest = result.stdout.split(" ", 1)
    modules, heavy = rest.split("|")
    assert all(m.split(".")[0] == "nnlib" for m in modules.split()), modules
    assert heavy.strip() == "", heavy
    files = sorted(p.name for p in (ROOT / "nnlib").glob("*.py"))
    assert len(modules.split()) == len(files), (modules, files)  # every file, nothing more
    assert int(lines) <= 2600, lines  # a library a student reads in an afternoon


def test_course_modules_load_tensorflow_only_when_called():
    import subprocess
    import sys

    code = ("import sys, course.keras_twin, course.n05a_mlp_cnn.keras_models, "
            "course.n07_mlp_tensorflow_comparison.keras_article; "
            "print('tensorflow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


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


def _imported_modules(path):
    """The modules of nnlib and the course that a file imports, as dotted names."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m.split(".")[0] in ("nnlib", "course")}


def _lesson(module):
    """The lesson folder a dotted module belongs to (``n04a_optimizers``), or None."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "course" and re.match(
        r"n\d\d", parts[1]) else None


def test_no_module_mixes_two_lessons():
    """nnlib imports nothing of the course; a lesson's folder imports nnlib, the shared parts
    and itself; the shared parts import no lesson."""
    for path in (ROOT / "nnlib").rglob("*.py"):
        assert not [m for m in _imported_modules(path) if m.startswith("course")], path.name
    for path in (ROOT / "course").rglob("*.py"):
        own = _lesson(".".join(path.relative_to(ROOT).with_suffix("").parts))
        lessons = {_lesson(m) for m in _imported_modules(path)} - {None}
        assert lessons <= ({own} if own else set()), (path.relative_to(ROOT), lessons)


def test_no_re_export_shims():
    """A name lives in the module that defines it: no ``__all__`` of imported names and no
    imports kept only to be handed on (``noqa: F401``)."""
    for path in list((ROOT / "nnlib").rglob("*.py")) + list((ROOT / "course").rglob("*.py")):
        text = path.read_text()
        assert "noqa: F401" not in text, path.relative_to(ROOT)
        tree = ast.parse(text)
        imported = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom)
                    for a in n.names}
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                    getattr(t, "id", None) == "__all__" for t in node.targets):
                names = set(ast.literal_eval(node.value))
                if path.name != "__init__.py":
                    assert not names & imported, (path.relative_to(ROOT), names & imported)
