"""nbgrader grades a class of submissions of notebook 03, honest and hostile: the teacher's
version gets full points, an unfilled notebook zero, one typical mistake loses that task's
points; tampering with the grading, copying nnlib and endless loops score nothing on the
tasks they did not solve, and the teacher's report says what happened.

One assignment (notebook 03, five tasks, 11 points) keeps this to a few notebook runs;
`make notebooks` runs every teacher notebook, whose hidden tests fail on a wrong solution.
"""

import json
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import classroom  # noqa: E402
import grading  # noqa: E402

ASSIGNMENT = "03_learning_backprop"
NAME = f"{ASSIGNMENT}.ipynb"
POINTS = {"mse_grad": 1, "softmax_cross_entropy": 2, "dense_backward": 2, "backprop": 3,
          "train": 3}
STUB = "    # YOUR CODE HERE\n    raise NotImplementedError()"


def _solution_cells(nb):
    return {c.metadata.nbgrader["grade_id"]: c for c in nb.cells if classroom.is_solution(c)}


def _submission(released, teacher, solved, changes=None):
    """The released notebook with the teacher's solutions in the cells ``solved``, and
    ``changes``: ``{grade_id: function of the cell's source}``."""
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    answers = _solution_cells(teacher)
    for grade_id, cell in _solution_cells(nb).items():
        if grade_id in solved:
            cell.source = answers[grade_id].source
        if changes and grade_id in changes:
            cell.source = changes[grade_id](cell.source)
    return nb


def _loop(source):
    return re.sub(r"(\n    \"\"\".*?\"\"\"\n).*", r"\1    while True:\n        pass\n",
                  source, flags=re.S)


TAMPER_METHODS = """
import course.exercises
course.exercises.Task.grade = lambda self, *fns: None
course.exercises.Task.check = lambda self, *fns: course.exercises.Feedback("correct", "ok")
"""
TAMPER_NAME = """
class _AcceptsAnything:
    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return None


tasks = _AcceptsAnything()
"""
TAMPER_MODULES = """
import numpy
import course.exercises
numpy.allclose = lambda *args, **kwargs: True
course.exercises.compare_arrays = lambda *args, **kwargs: None
course.exercises.gradient_reason = lambda *args, **kwargs: None
"""


def _class(released, teacher):
    everything = set(POINTS)
    return {
        "teacher": (_submission(released, teacher, everything), 11),
        "unfilled": (_submission(released, teacher, set()), 0),
        # solved mse_grad only, then tried to make the grading pass everything else
        "tamper_methods": (_submission(released, teacher, {"mse_grad"}, {
            "mse_grad": lambda s: s + "\n" + TAMPER_METHODS}), 1),
        "tamper_name": (_submission(released, teacher, {"mse_grad"}, {
            "mse_grad": lambda s: s + "\n" + TAMPER_NAME}), 1),
        "tamper_modules": (_submission(released, teacher, {"mse_grad"}, {
            "mse_grad": lambda s: s + "\n" + TAMPER_MODULES}), 1),
        # a typical mistake (mse_grad without its 1/N) and the checker's dense_backward
        # called in one line
        "copier": (_submission(released, teacher, everything, {
            "mse_grad": lambda s: s.replace("/ y_hat.size", ""),
            "dense_backward": lambda s: s.split("### BEGIN SOLUTION")[0]
            + "return tasks.dense_backward._reference(dZ, A_prev, W)\n"}), 11 - 1 - 2),
        # endless loops in two tasks; the backprop check cell deleted (no points until
        # the teacher grades it by hand: nbgrader marks it "needs manual grade")
        "loops": (_submission(released, teacher, everything, {
            "mse_grad": _loop, "softmax_cross_entropy": _loop}), 11 - 1 - 2 - 3),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course_dir = tmp_path_factory.mktemp("course")
    classroom.build_course(course_dir)
    classroom.nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    released = nbformat.read(course_dir / "release" / ASSIGNMENT / NAME, as_version=4)
    teacher = nbformat.read(course_dir / "source" / ASSIGNMENT / NAME, as_version=4)
    submissions = _class(released, teacher)
    loops = submissions["loops"][0]
    loops.cells = [c for c in loops.cells
                   if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "backprop_check"]
    for student, (nb, _) in submissions.items():
        folder = course_dir / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NAME)
    seconds = {}
    for student in ("loops", None):  # the loops alone first, timed; then everyone else
        start = time.perf_counter()
        args = ["autograde", ASSIGNMENT, "--create", "--force"]
        done = classroom.nbgrader(course_dir, *args, *(["--student", student] if student else []))
        seconds[student] = time.perf_counter() - start
    return course_dir, submissions, seconds, done


def test_every_submission_gets_the_points_of_the_tasks_it_solved(graded):
    from nbgrader.api import Gradebook

    course_dir, submissions, _, _ = graded
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in submissions}
        max_score = gb.find_submission(ASSIGNMENT, "teacher").max_score
    written = sum(classroom.nbgrader_meta(c)["points"] for c in
                  nbformat.read(ROOT / "notebooks" / NAME, as_version=4).cells
                  if classroom.is_written(c))  # graded by hand, later: 0 until then
    assert max_score == sum(POINTS.values()) + written == 11 + written
    assert scores == {student: points for student, (_, points) in submissions.items()}


def _errors(course_dir, student):
    graded = json.loads((course_dir / "autograded" / student / ASSIGNMENT / NAME).read_text())
    return {c["metadata"]["nbgrader"]["grade_id"]: o["evalue"]
            for c in graded["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
            for o in c.get("outputs", []) if o["output_type"] == "error"}


def test_the_reasons_reach_the_student_and_feedback_is_never_partial_credit(graded):
    course_dir = graded[0]
    copier = _errors(course_dir, "copier")
    assert sorted(copier) == ["dense_backward_check", "mse_grad_check"]
    assert "1/N is missing" in copier["mse_grad_check"]
    assert "calls nnlib's" in copier["dense_backward_check"]
    loops = _errors(course_dir, "loops")
    assert all("loop that never ends" in loops[f"{t}_check"]
               for t in ("mse_grad", "softmax_cross_entropy"))
    graded_nb = json.loads((course_dir / "autograded" / "teacher" / ASSIGNMENT / NAME)
                           .read_text())
    results = [o for c in graded_nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
               for o in c.get("outputs", []) if o["output_type"] == "execute_result"]
    assert results == []  # feedback is display data, never read as partial credit


def test_endless_loops_in_two_tasks_cost_seconds_not_minutes(graded):
    seconds = graded[2]["loops"]
    print(f"autograde of the submission with two endless loops: {seconds:.0f} s")
    assert seconds < 60


def test_the_teachers_report_names_tampering_deleted_cells_time_outs_and_copies(graded):
    course_dir, _, _, done = graded
    report = classroom.class_report(course_dir, ASSIGNMENT)
    print(report)
    lines = {line.split(":")[0].strip(): line for line in report.splitlines() if ":" in line}
    assert "extra statements dropped" in lines["tamper_methods"]
    assert "extra statements dropped" in lines["tamper_name"]
    assert "extra statements dropped" in lines["tamper_modules"]
    assert "backprop_check deleted" in lines["loops"]
    assert "timed out: mse_grad_check, softmax_cross_entropy_check" in lines["loops"]
    assert "copied the course's code: dense_backward_check" in lines["copier"]
    assert "nothing to report" in lines["teacher"] and "nothing to report" in lines["unfilled"]
    # untouched locked cells raise no false "checksum has changed" warning (nbgrader #1961)
    assert "has changed" not in done.stdout + done.stderr


def test_a_function_that_tampers_when_it_runs_is_caught_out_of_the_kernel():
    # the definitions of a class body run at definition time, and are kept
    job = {"imports": ["import numpy as np", "import nnlib",
                       "from course.n03_learning_backprop import tasks"],
           "solutions": {"mse_grad": "def mse_grad(y, y_hat):\n"
                                     "    import course.exercises as e\n"
                                     "    e.compare_arrays = lambda *a, **k: None\n"
                                     "    return y_hat - y\n"},
           "test": ["tasks.mse_grad.grade(mse_grad)"]}
    verdict = grading.run_test(job, timeout=60)
    assert verdict["passed"] is False and "tampering" in verdict["reason"]
    job["solutions"]["mse_grad"] = "def mse_grad(y, y_hat):\n    return 2 * (y_hat - y) / y_hat.size\n"
    assert grading.run_test(job, timeout=60)["passed"] is True


def test_solution_cells_keep_their_definitions_and_imports_only():
    kept, dropped = grading.definitions(
        "import numpy as np\n\ndef f(x):\n    return x\n\ntasks = None\nprint('hi')\n")
    assert kept == "import numpy as np\n\ndef f(x):\n    return x"
    assert dropped == ["tasks = None", "print('hi')"]


def test_a_definition_that_runs_code_as_it_is_defined_is_dropped():
    """A class body, a decorator or a default value runs before the hidden test: each may
    only hold names, literals and definitions."""
    source = ("import numpy as np\n\n"
              "class Fine:\n    '''doc'''\n    scale = 0.5\n\n"
              "    def __init__(self, lr=0.01, betas=(0.9, -0.999)):\n        self.lr = lr\n\n"
              "    @property\n    def rate(self):\n        return self.lr\n\n"
              "class Patches:\n    np.random.default_rng = None\n\n"
              "def early(x, _=np.seterr(all='ignore')):\n    return x\n\n"
              "@(lambda f: f)\ndef decorated(x):\n    return x\n\n"
              "class Based(print('hi') or object):\n    pass\n")
    kept, dropped = grading.definitions(source)
    assert "class Fine" in kept and "def rate" in kept
    assert dropped == ["class Patches:", "def early(x, _=np.seterr(all='ignore')):",
                       '@lambda f: f', "class Based(print('hi') or object):"]


def test_a_function_that_patches_numpys_random_numbers_when_it_runs_is_caught():
    """Inputs of its own choosing (all zeros, say) would make a wrong answer look right."""
    job = {"imports": ["import numpy as np", "import nnlib",
                       "from course.n03_learning_backprop import tasks"],
           "solutions": {"mse_grad": "import numpy as np\n\n"
                                     "def mse_grad(y, y_hat):\n"
                                     "    np.random.default_rng = "
                                     "lambda seed=None: np.random.Generator(np.random.PCG64(0))\n"
                                     "    return y_hat - y\n"},
           "test": ["tasks.mse_grad.grade(mse_grad)"]}
    verdict = grading.run_test(job, timeout=60)
    assert verdict["passed"] is False and "tampering" in verdict["reason"]


def test_a_function_that_rewrites_the_checkers_code_when_it_runs_is_caught():
    """Rewriting a function in place (its ``__code__``) keeps the function's identity: the
    grader compares the code, defaults and module globals of the machinery too."""
    job = {"imports": ["import numpy as np", "import nnlib",
                       "from course.n03_learning_backprop import tasks"],
           "solutions": {"mse_grad": "def mse_grad(y, y_hat):\n"
                                     "    import course.exercises as e\n"
                                     "    code = '__co' + 'de__'\n"
                                     "    setattr(e.compare_arrays, code,\n"
                                     "            getattr(lambda *a, **k: None, code))\n"
                                     "    return y_hat - y\n"},
           "test": ["tasks.mse_grad.grade(mse_grad)"]}
    verdict = grading.run_test(job, timeout=60)
    assert verdict["passed"] is False and "tampering" in verdict["reason"]
