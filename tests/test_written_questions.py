"""Written questions: one per notebook, answered in words in a cell nbgrader grades by hand.

The students' notebooks hold "YOUR ANSWER HERE", the teacher's a model answer (from
``WRITTEN`` in ``teacher/solutions/<notebook>.py``). The flow a teacher follows is run for
real on notebook 00: autograde leaves the answer to be graded by hand, the teacher gives
it points (formgrader writes the same field of the gradebook), and the feedback the
student gets shows their answer and those points.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import classroom  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _written(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if classroom.is_written(c)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_asks_one_why_question_with_a_model_answer(path):
    nb = nbformat.read(path, as_version=4)
    found = _written(nb)
    assert len(found) == 1, f"{path.name}: {len(found)} written questions"
    i, cell = found[0]
    question = nb.cells[i - 1]
    assert question.cell_type == "markdown" and "**Question (written).**" in question.source
    assert re.search(r"\b[Ww]hy\b", question.source), question.source
    assert cell.source == "YOUR ANSWER HERE"  # what nbgrader's generate_assignment writes
    meta = classroom.nbgrader_meta(cell)
    assert meta["points"] > 0 and meta["grade_id"].startswith("why_")
    teacher = classroom.teacher_notebook(path)
    answer = teacher.cells[i].source
    assert answer != "YOUR ANSWER HERE" and 30 <= len(answer.split()) <= 150, answer


def test_the_teachers_notebook_refuses_a_missing_model_answer(tmp_path):
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_markdown_cell("YOUR ANSWER HERE")
    answer.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "why_x",
                                   "points": 2, "locked": False, "schema_version": 3,
                                   "task": False}
    nb.cells = [nbformat.v4.new_markdown_cell("**Question (written).** Why?"), answer]
    path = tmp_path / "99_nothing.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="no model answer for why_x"):
        classroom.teacher_notebook(path)


def test_a_written_answer_is_graded_by_hand_and_reaches_the_student(tmp_path):
    from nbgrader.api import Gradebook

    assignment = "00_start_here"
    course_dir = tmp_path / "course"
    names = classroom.build_course(course_dir)
    assert assignment in names
    classroom.nbgrader(course_dir, "generate_assignment", assignment, "--force")
    released = nbformat.read(course_dir / "release" / assignment / f"{assignment}.ipynb",
                             as_version=4)
    (i, cell), = _written(released)
    grade_id = classroom.nbgrader_meta(cell)["grade_id"]
    words = "Because the numbers say so: a written answer, in the student's own words."
    cell.source = words
    folder = course_dir / "submitted" / "alice" / assignment
    folder.mkdir(parents=True)
    nbformat.write(released, folder / f"{assignment}.ipynb")
    classroom.nbgrader(course_dir, "autograde", assignment, "--create", "--force")

    db = f"sqlite:///{course_dir / 'gradebook.db'}"
    with Gradebook(db) as gb:
        grade = gb.find_grade(grade_id, assignment, assignment, "alice")
        assert grade.needs_manual_grade and grade.auto_score is None
        assert grade.max_score == classroom.nbgrader_meta(cell)["points"]
        # what formgrader's API does when the teacher enters the points
        grade.manual_score = grade.max_score
        grade.needs_manual_grade = False
        gb.db.commit()
    with Gradebook(db) as gb:
        grade = gb.find_grade(grade_id, assignment, assignment, "alice")
        assert not grade.needs_manual_grade and grade.score == grade.max_score

    classroom.nbgrader(course_dir, "generate_feedback", assignment, "--force")
    feedback = (course_dir / "feedback" / "alice" / assignment / f"{assignment}.html")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", feedback.read_text()))
    answer = text[text.index("Student's answer"):]
    assert f"Score: {grade.max_score:.1f} / {grade.max_score:.1f}" in answer[:200], answer[:200]
    assert words.split(":")[0] in answer  # the student sees their own answer, graded
