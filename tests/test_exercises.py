"""Tests for nnlib/exercises.py: every checker accepts the right answer and rejects wrong ones."""

import re

import numpy as np
import pytest

from nnlib import exercises
from nnlib.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED


@pytest.fixture
def layer_ex():
    W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return exercises.array_exercise(
        "layer output", expected=np.array([[1.0, 1.0, 1.0]]) @ W,
        hints=["Use @.", "X @ W"], solution="X @ W",
    )


def test_not_attempted_for_placeholders(layer_ex):
    assert layer_ex.check(...).status == NOT_ATTEMPTED
    assert layer_ex.check(None).status == NOT_ATTEMPTED


def test_array_exercise_accepts_right_answer_within_tolerance(layer_ex):
    feedback = layer_ex.check(np.array([[9.0, 12.0]]) + 1e-10)
    assert feedback.status == CORRECT and feedback
    assert feedback.correct


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (np.array([9.0, 12.0]), r"shape \(2,\), expected shape \(1, 2\)"),  # forgot the batch axis
        (np.array([[9.0], [12.0]]), "looks transposed"),
        (np.array([[12.0, 9.0]]), "different values"),  # swapped columns
        (np.array([[np.nan, 12.0]]), "NaN"),
        ("9, 12", "array of numbers"),
    ],
)
def test_array_exercise_rejects_typical_mistakes(layer_ex, answer, reason):
    feedback = layer_ex.check(answer)
    assert feedback.status == INCORRECT and not feedback

    assert re.search(reason, feedback.message), feedback.message


def test_function_exercise():
    ex = exercises.function_exercise(
        "sigmoid", reference=lambda z: 1 / (1 + np.exp(-z)),
        inputs=[(np.array([0.0, 2.0]),), (np.array([-3.0]),)],
    )
    assert ex.check(lambda z: 0.5 * (1 + np.tanh(z / 2))).status == CORRECT  # same function
    wrong = ex.check(lambda z: 1 / (1 + np.exp(z)))
    assert wrong.status == INCORRECT and "for input" in wrong.message
    assert "forget `return`" in ex.check(lambda z: None).message
    assert ex.check(lambda z: ...).status == NOT_ATTEMPTED  # the template `return ...`
    assert "expected a function" in ex.check(3).message


def test_check_never_raises_even_if_the_answer_explodes():
    ex = exercises.function_exercise("f", reference=lambda x: x, inputs=[(np.ones(2),)])

    def explodes(x):
        raise ZeroDivisionError("oops")

    feedback = ex.check(explodes)
    assert feedback.status == INCORRECT
    assert "ZeroDivisionError: oops" in feedback.message


def test_hints_go_up_one_level_at_a_time(layer_ex):
    assert layer_ex.hint() == "Hint 1/2: Use @."
    assert layer_ex.hint() == "Hint 2/2: X @ W"
    assert layer_ex.hint() == "Hint 2/2: X @ W"  # stays on the last
    assert layer_ex.hint(1) == "Hint 1/2: Use @."
    assert "No hint" in exercises.Exercise("x", lambda a: None).hint()


def test_solution_and_teacher_mode(layer_ex, monkeypatch):
    assert layer_ex.solution() == "X @ W"
    monkeypatch.setenv(exercises.HIDE_SOLUTIONS_ENV, "1")
    assert "held back" in layer_ex.solution()


def test_feedback_renders_as_html_and_text(layer_ex):
    feedback = layer_ex.check(np.array([[9.0, 12.0]]))
    assert "Correct" in feedback._repr_html_() and repr(feedback).startswith("Correct")
    assert "&lt;" in exercises.Feedback(INCORRECT, "a < b")._repr_html_()  # escaped
