"""nbgrader grades the course: the teacher's version gets full points, an unfilled student
notebook zero, a submission with one typical mistake loses that task's points.

One assignment (notebook 03, five tasks) keeps this to three notebook runs; `make
notebooks` runs every teacher notebook, whose hidden tests fail on a wrong solution.
"""

import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import course  # noqa: E402

ASSIGNMENT = "03_learning_backprop"


def _mistake(nb):
    """A submission that gets one task wrong (mse_grad without its 1/N, 1 point)."""
    for cell in nb.cells:
        if course.is_solution(cell) and cell.metadata.nbgrader["grade_id"] == "mse_grad":
            cell.source = re.sub(r"/ y_hat\.size", "", cell.source)
            assert "/ y_hat.size" not in cell.source and "return" in cell.source
    return nb


def test_autograde_full_zero_and_partial_points(tmp_path):
    from nbgrader.api import Gradebook

    course_dir = tmp_path / "course"
    course.build_course(course_dir)
    course.nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    name = f"{ASSIGNMENT}.ipynb"
    teacher = course_dir / "source" / ASSIGNMENT / name
    released = course_dir / "release" / ASSIGNMENT / name
    submissions = {
        "teacher": nbformat.read(teacher, as_version=4),
        "unfilled": nbformat.read(released, as_version=4),
        "one_mistake": _mistake(nbformat.read(teacher, as_version=4)),
    }
    for student, nb in submissions.items():
        folder = course_dir / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / name)
    course.nbgrader(course_dir, "autograde", ASSIGNMENT, "--create", "--force")

    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in submissions}
        max_score = gb.find_submission(ASSIGNMENT, "teacher").max_score
    assert max_score >= 10
    assert scores == {"teacher": max_score, "unfilled": 0.0, "one_mistake": max_score - 1}

    graded = json.loads((course_dir / "autograded" / "one_mistake" / ASSIGNMENT / name)
                        .read_text())
    errors = [o for c in graded["cells"] for o in c.get("outputs", [])
              if o["output_type"] == "error"]
    assert len(errors) == 1 and "1/N is missing" in errors[0]["evalue"]
    results = [o for c in graded["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
               for o in c.get("outputs", []) if o["output_type"] == "execute_result"]
    assert results == []  # feedback is display data, never read as partial credit
