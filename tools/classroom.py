"""The teacher's notebooks (solutions merged in) and the nbgrader course built from them.

``notebooks/`` holds what students open: every build-it task is a function whose body is
nbgrader's placeholder (``# YOUR CODE HERE`` / ``raise NotImplementedError()``), and every
task's test cell calls ``tasks.<name>.check(...)``. The solutions live apart, as plain
Python in ``teacher/solutions/<notebook>.py`` (one definition per task, same name as in
the notebook). This tool merges the two into nbgrader's source form:

- each placeholder is replaced by the body of the matching solution, between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``;
- each test cell gets hidden tests (``### BEGIN HIDDEN TESTS``): ``tasks.<name>.grade(...)``,
  the same checker on other inputs, raising when the answer is wrong.

Running nbgrader's ``generate_assignment`` on that source gives back ``notebooks/``
(tests/test_classroom.py checks it), so there is one copy of every sentence.

    python tools/classroom.py teacher --out build/teacher   # teacher's notebooks
    python tools/classroom.py student --out student         # nbgrader course + student copy
    python tools/classroom.py release --out build/release   # what students get: no solutions
    python tools/classroom.py report 03_learning_backprop   # after autograde: the class' report
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = ROOT / "teacher" / "solutions"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
COURSE_ID = "neural-networks"
CONFIG = f'''\
# nbgrader configuration of the course (written by tools/classroom.py).
import sys

sys.path.insert(0, {str(ROOT / "tools")!r})  # grading.py: tasks graded out of the kernel

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{COURSE_ID}"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# A cell may run this long (the notebooks' longest cell takes well under a minute); the
# build-it tasks stop the student's code after a few seconds themselves.
c.ExecutePreprocessor.timeout = 300
c.Execute.timeout = 300
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "grading.OverwriteCellsQuietly",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "grading.RegradeTasks",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
'''


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_solution(cell):
    return cell.cell_type == "code" and bool(nbgrader_meta(cell).get("solution"))


def is_test(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_written(cell):
    """A written question's answer cell: markdown that nbgrader grades by hand."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "markdown" and bool(meta.get("solution")) and bool(meta.get("grade"))


def has_tasks(nb):
    return any(is_solution(c) or is_written(c) for c in nb.cells)


def written_answers(solution_source):
    """``WRITTEN`` of a solutions file: ``{grade_id: model answer}`` (empty if none)."""
    for node in ast.parse(solution_source).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "WRITTEN"):
            return ast.literal_eval(node.value)
    return {}


def _qualnames(tree):
    """``{qualname: FunctionDef}`` for every function and method in ``tree``."""
    found = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    found[name] = child
                visit(child, name + ".")
    visit(tree, "")
    return found


def _body_source(func, lines):
    """The source of a function's body without its docstring, dedented."""
    body = func.body
    if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        body = body[1:]
    if not body:
        raise ValueError(f"the solution of {func.name} has no body after its docstring")
    start = body[0].lineno - 1
    # keep comment lines just above the first statement
    while start > func.lineno and lines[start - 1].strip().startswith("#"):
        start -= 1
    return textwrap.dedent("".join(lines[start:body[-1].end_lineno]))


def merge_solutions(source, solution_source, *, where=""):
    """Replace each placeholder in ``source`` by the matching solution body."""
    lines = source.splitlines(keepends=True)
    funcs = _qualnames(ast.parse(source))
    sol_lines = solution_source.splitlines(keepends=True)
    solutions = _qualnames(ast.parse(solution_source))
    out, i, replaced = [], 0, 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == STUB[0] and i + 1 < len(lines) and lines[i + 1].strip() == STUB[1]:
            indent = line[: len(line) - len(line.lstrip())]
            owner = [q for q, f in funcs.items() if f.lineno <= i + 1 <= f.end_lineno]
            if not owner:
                raise ValueError(f"{where}: a placeholder outside any function")
            name = max(owner, key=lambda q: funcs[q].lineno)  # the innermost
            if name not in solutions:
                raise ValueError(f"{where}: no solution for {name} in the solutions file")
            body = _body_source(solutions[name], sol_lines)
            out.append(f"{indent}### BEGIN SOLUTION\n")
            out.append(textwrap.indent(body, indent))
            out.append(f"{indent}### END SOLUTION\n")
            i += 2
            replaced += 1
            continue
        out.append(line)
        i += 1
    if not replaced:
        raise ValueError(f"{where}: a solution cell without the nbgrader placeholder")
    return "".join(out).rstrip("\n")


def hidden_tests(source):
    """The test cell with hidden ``.grade(...)`` calls for its visible ``.check(...)`` calls."""
    checks = [line for line in source.splitlines() if re.search(r"\.check\(", line)]
    if not checks:
        raise ValueError(f"a test cell without a .check(...) call:\n{source}")
    grades = [re.sub(r"\.check\(", ".grade(", line.strip()) for line in checks]
    return "\n".join(["### BEGIN HIDDEN TESTS", *grades, "### END HIDDEN TESTS", source])


def teacher_notebook(path):
    """The teacher's version of ``notebooks/<path>``: solutions and hidden tests merged in."""
    nb = nbformat.read(path, as_version=4)
    solution_file = SOLUTIONS / f"{path.stem}.py"
    solution_source = solution_file.read_text() if solution_file.exists() else ""
    written = written_answers(solution_source) if solution_source else {}
    for cell in nb.cells:
        if is_solution(cell):
            cell.source = merge_solutions(cell.source, solution_source,
                                          where=f"{path.name}, cell {cell.get('id')}")
        elif is_test(cell):
            cell.source = hidden_tests(cell.source)
        elif is_written(cell):
            grade_id = nbgrader_meta(cell)["grade_id"]
            if grade_id not in written:
                raise ValueError(f"{path.name}: no model answer for {grade_id} in WRITTEN")
            cell.source = written[grade_id].strip()
    return nb


def task_notebooks():
    return [p for p in sorted(NOTEBOOKS.glob("*.ipynb"))
            if has_tasks(nbformat.read(p, as_version=4))]


def write_teacher(out):
    out.mkdir(parents=True, exist_ok=True)
    for path in task_notebooks():
        nbformat.write(teacher_notebook(path), out / path.name)
    return out


def build_course(course):
    """An nbgrader course directory: config, ``source/<assignment>/``, one assignment per
    notebook with tasks. Returns the assignment names."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG)
    names = []
    for path in task_notebooks():
        folder = course / "source" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(teacher_notebook(path), folder / path.name)
        names.append(path.stem)
    return names


def nbgrader(course, *args):
    """Run the nbgrader command line in ``course`` (the real tool)."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader runs `alembic` from PATH: put this Python's scripts (the venv) first.
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent),
                                                  os.environ.get("PATH", "")])}
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def write_student(out, course):
    """Generate every assignment with nbgrader and copy the course, flat, into ``out``."""
    names = build_course(course)
    nbgrader(course, "generate_assignment", "*", "--force")  # every assignment at once
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        released = course / "release" / path.stem / path.name
        shutil.copyfile(released if released.exists() else path, out / path.name)
    return names


RELEASE_FILES = ("notebooks", "nnlib", "course", "pyproject.toml", "requirements.txt",
                 "environment.yml", ".gitignore")
RELEASE_README = """\
# How neural networks work: the course

```bash
make lab    # open the course in JupyterLab (the first run installs everything into .venv)
```

It needs Python 3.11 and `make` on Linux or macOS. `make lab` prints a URL with a secret
token: open it in your browser and start with `00_start_here.ipynb`. On Binder or a
JupyterHub, open `notebooks/00_start_here.ipynb`.
"""
RELEASE_MAKEFILE = """\
# make lab: JupyterLab on notebooks/ (creates .venv with Python 3.11 first)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT   ?= 8888
export TF_CPP_MIN_LOG_LEVEL ?= 3

.venv/.installed: requirements.txt pyproject.toml
\t$(PYTHON) -m venv .venv
\t.venv/bin/python -m pip install --quiet -r requirements.txt
\t.venv/bin/python -m pip install --quiet --no-deps -e .
\t@touch $@

lab: .venv/.installed
\t.venv/bin/python -m jupyterlab --no-browser --ip=127.0.0.1 --port=$(PORT) \\
\t  --ServerApp.root_dir=notebooks
"""


def write_release(out):
    """What a teacher publishes for students (Binder, nbgitpuller, a clone): the notebooks
    and nnlib with a README and a Makefile of their own; no solutions, no teacher's tools,
    no tests (they import the solutions)."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints",
                                    "*.egg-info")
    for name in RELEASE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=ignore)
        elif source.exists():
            shutil.copyfile(source, out / name)
    (out / "README.md").write_text(RELEASE_README)
    (out / "Makefile").write_text(RELEASE_MAKEFILE)
    return out


REPORTED = (("timed out", ("did not finish",)),
            ("copied the course's code", ("which is what it is compared with",)),
            ("let a library compute it", ("which would compute it for you",
                                          "estimates it by finite differences")),
            ("tampering", ("tampering",)))


def findings(notebook):
    """What one notebook's grading report found, as the class report words it."""
    tasks = notebook.get("tasks", {})
    found = []
    if notebook.get("dropped_statements"):
        found.append("extra statements dropped from "
                     + ", ".join(sorted(notebook["dropped_statements"])))
    found += [f"{cell} deleted" for cell in notebook.get("deleted_grade_cells", [])]
    if notebook.get("changed_locked_cells"):
        found.append("locked cells changed: " + ", ".join(notebook["changed_locked_cells"]))
    for label, words in REPORTED:
        cells = sorted(cell for cell, v in tasks.items() if any(w in v["reason"] for w in words))
        if cells:
            found.append(f"{label}: " + ", ".join(cells))
    return found


def class_report(course, assignment):
    """One line per student after autograde: the score, and what the grading found
    (statements dropped from solution cells, deleted or changed locked cells, tasks that
    timed out, copied the course's code, let a library compute it or tampered with the
    grading)."""
    import json

    from nbgrader.api import Gradebook

    lines = []
    with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as gradebook:
        for path in sorted((Path(course) / "reports" / assignment).glob("*.json")):
            student = path.stem
            submission = gradebook.find_submission(assignment, student)
            found = []
            for notebook in json.loads(path.read_text()).values():
                found += findings(notebook)
            lines.append(f"{student}: {submission.score:g}/{submission.max_score:g}; "
                         + ("; ".join(found) or "nothing to report"))
    return "\n".join(lines)


def write_library(out):
    """The library a student who solved every task has: each piece of
    ``course.student_library.PIECES`` saved from the teacher's solutions, in course order
    (each checked again as it is loaded back, as a student's is)."""
    import contextlib
    import importlib.util
    import io
    import os

    from course import student_library

    out = Path(out).resolve()
    os.environ["NNLIB_MY_NETWORK"] = str(out)
    out.unlink(missing_ok=True)
    saved = []
    for notebook in dict.fromkeys(n for n, *_ in student_library.PIECES.values()):
        spec = importlib.util.spec_from_file_location(f"solutions_{notebook}",
                                                      SOLUTIONS / f"{notebook}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # so that inspect finds a class' source
        with contextlib.redirect_stdout(io.StringIO()):  # the pieces it loads say whose
            spec.loader.exec_module(module)
        groups = {}
        for name, (where, task, _) in student_library.PIECES.items():
            if where == notebook:
                groups.setdefault(task, []).append(name)
        for names in groups.values():
            student_library.save(names, [getattr(module, n) for n in names], where=out)
            saved += names
    return out, saved


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    teacher = sub.add_parser("teacher", help="write the teacher's notebooks")
    teacher.add_argument("--out", type=Path, default=ROOT / "build" / "teacher")
    student = sub.add_parser("student", help="nbgrader course and the student copy")
    student.add_argument("--out", type=Path, default=ROOT / "student")
    student.add_argument("--course", type=Path, default=ROOT / "build" / "course")
    release = sub.add_parser("release", help="the students' copy: no solutions, no tests")
    release.add_argument("--out", type=Path, default=ROOT / "build" / "release")
    library = sub.add_parser("library", help="the student's library, from the solutions")
    library.add_argument("--out", type=Path, default=ROOT / "build" / "my_network.py")
    report = sub.add_parser("report", help="what autograde found, one line per student")
    report.add_argument("assignment")
    report.add_argument("--course", type=Path, default=ROOT / "build" / "course")
    args = parser.parse_args(argv)
    if args.command == "report":
        print(class_report(args.course, args.assignment))
    elif args.command == "release":
        print(f"wrote the students' release to {write_release(args.out)}")
    elif args.command == "library":
        where, saved = write_library(args.out)
        print(f"wrote {len(saved)} pieces from the teacher's solutions to {where}")
    elif args.command == "teacher":
        print(f"wrote the teacher's notebooks to {write_teacher(args.out)}")
    else:
        names = write_student(args.out, args.course)
        print(f"nbgrader course in {args.course} ({len(names)} assignments); "
              f"student copy in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
