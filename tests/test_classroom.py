"""The build-it tasks in nbgrader form: the student notebooks hold no solution, the
teacher's version merges them in, nbgrader's generate_assignment gives back exactly the
student notebooks, and autograding gives full, zero and partial points."""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import classroom  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TASK_NOTEBOOKS = classroom.task_notebooks()


def _cells(path):
    return nbformat.read(path, as_version=4).cells


# ---------------------------------------------------------------- merging


def test_merge_puts_each_solution_body_in_its_placeholder():
    cell = (
        "class Opt:\n"
        "    def __init__(self, lr=0.1):\n"
        "        self.lr = lr\n"
        "\n"
        "    def step(self, w, g):\n"
        '        """Update w."""\n'
        "        # YOUR CODE HERE\n"
        "        raise NotImplementedError()\n"
        "\n"
        "def f(x):\n"
        "    # YOUR CODE HERE\n"
        "    raise NotImplementedError()"
    )
    solutions = (
        "class Opt:\n"
        "    def step(self, w, g):\n"
        '        """Docstrings are not copied."""\n'
        "        # comments are\n"
        "        w -= self.lr * g\n"
        "\n"
        "def f(x):\n"
        "    return 2 * x\n"
    )
    merged = classroom.merge_solutions(cell, solutions)
    assert "raise NotImplementedError" not in merged and "Docstrings" not in merged
    assert ("        ### BEGIN SOLUTION\n        # comments are\n        w -= self.lr * g\n"
            "        ### END SOLUTION\n") in merged
    assert "    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION" in merged
    assert "self.lr = lr" in merged  # the given part stays


def test_merge_refuses_a_missing_solution_or_a_cell_without_placeholder():
    stub = "def g(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    with pytest.raises(ValueError, match="no solution for g"):
        classroom.merge_solutions(stub, "def f(x):\n    return x\n")
    with pytest.raises(ValueError, match="without the nbgrader placeholder"):
        classroom.merge_solutions("def g(x):\n    return x", "def g(x):\n    return x\n")
    with pytest.raises(ValueError, match="outside any function"):
        classroom.merge_solutions("# YOUR CODE HERE\nraise NotImplementedError()", "")


def test_hidden_tests_grade_what_the_visible_lines_check():
    out = classroom.hidden_tests("tasks.relu.check(relu, relu_grad)")
    assert out == ("### BEGIN HIDDEN TESTS\ntasks.relu.grade(relu, relu_grad)\n"
                   "### END HIDDEN TESTS\ntasks.relu.check(relu, relu_grad)")
    with pytest.raises(ValueError):
        classroom.hidden_tests("print(1)")


# ---------------------------------------------------------------- the notebooks


def test_at_least_twelve_build_it_tasks_across_the_course():
    tasks = [c.metadata.nbgrader["grade_id"] for p in TASK_NOTEBOOKS for c in _cells(p)
             if classroom.is_solution(c)]
    assert len(tasks) >= 12, tasks
    assert len(TASK_NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_notebooks_hold_no_solution_and_no_reference(path):
    text = path.read_text()
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    for cell in _cells(path):
        if cell.cell_type != "code":
            continue
        assert not re.search(r"\b(reference|expected|solution)\s*=", cell.source), cell.source
        assert "_exercise(" not in cell.source, "exercises are defined in course/n*/tasks.py"
        meta = cell.metadata.get("nbgrader")
        if meta and meta.get("solution"):
            assert re.search(r"\n( +)# YOUR CODE HERE\n\1raise NotImplementedError\(\)",
                             cell.source), cell.source
        if meta and meta.get("grade"):
            assert meta["locked"] and meta["points"] > 0
            assert re.fullmatch(r"(tasks\.\w+\.check\([\w, ]+\)\n?)+", cell.source), cell.source


@pytest.mark.parametrize("path", TASK_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_task_has_a_check_a_use_and_a_solution(path):
    cells = _cells(path)
    ids = [c.metadata.nbgrader["grade_id"] for c in cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "grade ids must be unique in a notebook"
    for i, cell in enumerate(cells):
        if classroom.is_solution(cell):
            name = cell.metadata.nbgrader["grade_id"]
            test = cells[i + 1]
            assert classroom.is_test(test) and test.metadata.nbgrader["grade_id"] == f"{name}_check"
            task = re.match(r"tasks\.(\w+)\.check", test.source).group(1)
            later = "\n".join(c.source for c in cells[i + 2:] if c.cell_type == "code")
            loaded = re.findall(r"student_library\.load\(([^)]*)\)", later)
            assert f"tasks.{task}.use(" in later or any(f'"{name}"' in args for args in loaded), \
                f"{name}: its result is never used"
    teacher = classroom.teacher_notebook(path)  # raises if a solution is missing
    solution_file = (classroom.SOLUTIONS / f"{path.stem}.py").read_text()
    merged = "\n".join(c.source for c in teacher.cells)
    for name in re.findall(r"^(?:def|class) (\w+)", solution_file, flags=re.M):
        assert re.search(rf"^(?:def|class) {name}\b", merged, flags=re.M), \
            f"{name} in the solutions file is not a task of {path.name}"


def test_generate_assignment_gives_back_the_student_notebooks(tmp_path):
    """The real nbgrader turns the teacher's version into exactly notebooks/."""
    names = classroom.write_student(tmp_path / "student", tmp_path / "course")
    assert names == [p.stem for p in TASK_NOTEBOOKS]
    for path in NOTEBOOKS:
        mine, generated = _cells(path), _cells(tmp_path / "student" / path.name)
        assert [c.source for c in generated] == [c.source for c in mine], path.name
        for a, b in zip(mine, generated):
            if "nbgrader" in a.metadata:
                for key in ("grade_id", "points", "solution", "grade", "locked"):
                    assert a.metadata.nbgrader.get(key) == b.metadata.nbgrader.get(key)
        if path in TASK_NOTEBOOKS:
            released = tmp_path / "course" / "release" / path.stem / path.name
            assert released.exists()
            assert "BEGIN SOLUTION" not in released.read_text()


# ---------------------------------------------------------------- the students' release


def test_the_students_release_holds_no_solution_no_teacher_and_no_tests(tmp_path):
    out = classroom.write_release(tmp_path / "release")
    files = [p for p in out.rglob("*") if p.is_file()]
    names = {p.relative_to(out).parts[0] for p in files}
    assert names == {"notebooks", "nnlib", "course", "pyproject.toml", "requirements.txt",
                     "environment.yml", ".gitignore", "README.md", "Makefile"}
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == [
        p.name for p in NOTEBOOKS]
    for path in (out / "notebooks").glob("*.ipynb"):
        assert path.read_bytes() == (ROOT / "notebooks" / path.name).read_bytes()
    solutions = [f.read_text() for f in (ROOT / "teacher" / "solutions").glob("*.py")]
    for path in files:
        text = path.read_text(errors="ignore")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, path
        assert "teacher/solutions" not in text and "import solutions" not in text, path
        assert not any(s in text for s in solutions), path
    assert "make lab" in (out / "README.md").read_text()
    assert "lab:" in (out / "Makefile").read_text()


def test_the_course_text_never_points_students_to_tests_or_solutions():
    for path in NOTEBOOKS:
        for cell in _cells(path):
            assert "tests/" not in cell.source and "solutions" not in cell.source.lower(), (
                f"{path.name}: {cell.source[:80]}")


ENGINEERING = re.compile(
    r"\bmake (lab|test|robust|sweep|notebooks|bench|html|student|teacher|release)\b|tests/|"
    r"benchmarks/|README|COURSE_SEED\s*(=\s*)?\d+\s*[-–]\s*\d+|[Ss]eeds? \d+\s*[-–]\s*\d+|"
    r"oneDNN|CPU kernel")
# How a figure or control is built (colour limits, image origin, line data, disabled flags):
# checked in tests/test_widgets_*.py, not in front of a student.
WIDGET_INTERNALS = re.compile(r"get_clim|\.origin\b|\.disabled\b|\.lines\[|get_[xy]data|"
                              r"\.artists\b|get_children")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_student_reads_a_course_not_a_test_suite(path):
    """No markdown cell over 200 words; no cell names make targets, test files, the
    README, COURSE_SEED ranges or CPU kernels; no check reads a widget's insides."""
    for i, cell in enumerate(_cells(path)):
        if cell.cell_type == "markdown":
            words = len(cell.source.split())
            assert words <= 200, f"{path.name} cell {i}: {words} words"
        found = ENGINEERING.search(cell.source)
        assert not found, f"{path.name} cell {i}: {found.group(0)!r}"
        for line in cell.source.splitlines() if cell.cell_type == "code" else ():
            internal = WIDGET_INTERNALS.search(line) if line.lstrip().startswith("assert") else None
            assert not internal, f"{path.name} cell {i} checks a widget's insides: {line.strip()}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_cell_of_checks_only_is_collapsed(path):
    """A cell that holds nothing but asserts shows as a one-line "..." in JupyterLab (its
    input hidden; a click opens it): the lesson stays in front, its proof one click away."""
    import ast

    for i, cell in enumerate(_cells(path)):
        if cell.cell_type != "code" or "nbgrader" in cell.metadata:
            continue
        body = ast.parse(cell.source).body
        if body and all(isinstance(s, ast.Assert) for s in body):
            assert cell.metadata.get("jupyter", {}).get("source_hidden"), f"{path.name} cell {i}"


def test_the_class_report_names_what_each_task_was_refused_for():
    reason = "max_pool2d_backward: your code calls {}, write it yourself."
    notebook = {"dropped_statements": {"relu": ["import os"]}, "tasks": {
        "a_check": {"passed": False, "reason": reason.format("TensorFlow, which would compute it for you:")},
        "b_check": {"passed": False, "reason": "b: your code estimates it by finite differences"},
        "c_check": {"passed": False, "reason": "c: calls the course's x, which is what it is compared with"},
        "d_check": {"passed": False, "reason": "d: did not finish in 5 s"},
        "e_check": {"passed": True, "reason": ""}}}
    assert classroom.findings(notebook) == [
        "extra statements dropped from relu", "timed out: d_check",
        "copied the course's code: c_check", "let a library compute it: a_check, b_check"]
