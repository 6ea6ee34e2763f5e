"""Notebook 04c's LayerNorm backward task: a right function passes; each typical mistake is
named only when the student's arrays are exactly what it gives; wrong code is never marked
correct; calling the course's reference is refused."""

import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import classroom  # noqa: E402

from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED  # noqa: E402
from course.n04c_deep_networks import deep, tasks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_TASK_CELL = next(c.source for c in nbformat.read(
    ROOT / "notebooks" / "04c_deep_networks.ipynb", as_version=4).cells
    if c.metadata.get("nbgrader", {}).get("grade_id") == "layer_norm_backward")
# The notebook's task cell with the teacher's solution merged in: what a right student writes.
RIGHT = classroom.merge_solutions(
    _TASK_CELL, (ROOT / "teacher" / "solutions" / "04c_deep_networks.py").read_text())
SOL = {}
exec(compile((ROOT / "teacher" / "solutions" / "04c_deep_networks.py").read_text(),
             "<solutions>", "exec"), SOL)


def _function(source, name="student_cell"):
    namespace = {"np": np}
    exec(compile(source, f"<{name}>", "exec"), namespace)  # as a notebook cell would
    return namespace["layer_norm_backward"]


DX = """    dx = inv * (g - g.mean(axis=1, keepdims=True)
                - xhat * (g * xhat).mean(axis=1, keepdims=True))
"""
MISTAKES = {  # (the source, words of the message that names it)
    "no mean term": (RIGHT.replace(DX, "    dx = inv * (g - xhat * (g * xhat).mean(axis=1, "
                                       "keepdims=True))\n"), "term from the mean"),
    "no variance term": (RIGHT.replace(DX, "    dx = inv * (g - g.mean(axis=1, keepdims=True))\n"),
                         "term from the variance"),
    "neither term": (RIGHT.replace(DX, "    dx = inv * g\n"), "only the direct path"),
    "gamma left out": (RIGHT.replace("    g = dout * gamma\n", "    g = dout\n"),
                       "gamma is left out"),
    "unbiased variance": (RIGHT.replace(
        "    inv = 1.0 / np.sqrt((centred * centred).mean(axis=1, keepdims=True) + eps)\n",
        "    inv = 1.0 / np.sqrt(x.var(axis=1, ddof=1, keepdims=True) + eps)\n"), "n - 1"),
    "batch norm axes": (RIGHT.replace("axis=1", "axis=0"), "batch normalisation"),
    "dgamma from x": (RIGHT.replace("(dout * xhat).sum(axis=0)", "(dout * x).sum(axis=0)"),
                      "not by x"),
    "dgamma over features": (RIGHT.replace("(dout * xhat).sum(axis=0)",
                                           "(dout * xhat).sum(axis=1)"), "dgamma sums over"),
    "dbeta over features": (RIGHT.replace("dout.sum(axis=0)", "dout.sum(axis=1)"),
                            "dbeta sums over"),
}


def test_a_right_function_passes_check_and_grade():
    fn = _function(RIGHT)
    assert tasks.layer_norm_backward.check(fn).status == CORRECT
    tasks.layer_norm_backward.grade(fn)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_named(mistake):
    source, words = MISTAKES[mistake]
    assert source != RIGHT
    feedback = tasks.layer_norm_backward.check(_function(source))
    assert feedback.status == INCORRECT and words in feedback.message, feedback.message
    with pytest.raises(AssertionError):
        tasks.layer_norm_backward.grade(_function(source))


@pytest.mark.parametrize("source", [
    RIGHT.replace("eps)\n", "1e-5)\n"),  # ignores the eps passed in
    RIGHT.replace("return dx,", "return 2 * dx,"),
    RIGHT.replace("return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)",
                  "return dx, dout.sum(axis=0), (dout * xhat).sum(axis=0)"),
    RIGHT.replace("return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)", "return dx"),
])
def test_wrong_code_is_never_marked_correct(source):
    assert source != RIGHT
    assert tasks.layer_norm_backward.check(_function(source)).status == INCORRECT


def test_the_placeholder_is_not_attempted_and_the_course_reference_is_refused():
    assert tasks.layer_norm_backward.check(_function(_TASK_CELL)).status == NOT_ATTEMPTED
    assert tasks.layer_norm_backward.check(deep.layer_norm_backward).status == INCORRECT
    cheat = _function("from course.n04c_deep_networks.deep import layer_norm_backward as f\n"
                      "def layer_norm_backward(dout, x, gamma, eps=1e-5):\n"
                      "    return f(dout, x, gamma, eps)\n")
    assert tasks.layer_norm_backward.check(cheat).status == INCORRECT


def test_the_deep_network_trains_on_the_students_backward_exactly():
    X, y = deep.moons(0)
    runs = []
    for backward in (deep.layer_norm_backward, _function(RIGHT)):
        net = deep.DeepNet(6, 16, seed=0, **deep.VARIANTS["LayerNorm"])
        runs.append(deep.train(net, X, y, steps=30, learning_rate=0.01,
                               layer_norm_backward=backward))
    np.testing.assert_allclose(runs[0].losses, runs[1].losses, rtol=1e-12)


@pytest.mark.parametrize("name", ["glorot_shrink", "clip_entry"])
def test_exercises(name):
    exercise = getattr(tasks, name)
    assert exercise.check(SOL["ANSWERS"][name]).status == CORRECT
    assert exercise.check(SOL["ANSWERS"][name] * 3).status == INCORRECT


def test_exercise_mistakes_are_named():
    assert "one layer's factor" in tasks.glorot_shrink.check(0.5).message
    assert "square root" in tasks.glorot_shrink.check(0.5**10).message
    assert "clipping by value" in tasks.clip_entry.check(5.0).message
