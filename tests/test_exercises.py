"""Tests for course/exercises.py: every checker accepts the right answer and rejects wrong ones."""

import re

import numpy as np
import pytest

from course import exercises
from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED


@pytest.fixture
def layer_ex():
    W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return exercises.array_exercise(
        "layer output", expected=np.array([[1.0, 1.0, 1.0]]) @ W,
        hints=["Use @.", "X @ W"],
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
        (np.array([[12.0, 9.0]]), "every entry differs"),  # swapped columns
        (np.array([[np.nan, 12.0]]), "NaN"),
        ("9, 12", "array of numbers"),
        ("1.0", "got str"),  # a string is not a number, even when it reads like one
        (True, "got bool"),
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


def test_feedback_never_shows_the_expected_numbers(layer_ex):
    message = layer_ex.check(np.array([[9.5, 12.0]])).message
    assert "9" not in message and "12" not in message and "0.5" not in message
    assert "50% of the entries" in message


def test_named_mistakes_and_scale_hint():
    expected = np.array([1.0, 2.0, 4.0])
    mistakes = [(2 * expected, "the 1/2 is missing.")]
    assert "1/2 is missing" in exercises.compare_arrays(2 * expected, expected,
                                                         mistakes=mistakes)
    assert "3 times" in exercises.compare_arrays(3 * expected, expected, scale_hint=True)
    assert "sign flipped" in exercises.compare_arrays(-expected, expected, scale_hint=True)
    assert "times" not in exercises.compare_arrays(3 * expected, expected)  # off by default
    assert exercises.compare_arrays(expected + 1e-12, expected) is None


def _double(x):
    return 2 * x


def _check_double(fn, rng):
    x = rng.normal(size=4)
    got = exercises.call(fn, x)
    return (exercises.compare_arrays(got, 2 * x, name="the result", scale_hint=True)
            or exercises.gradient_reason(lambda v: float(np.sum(fn(v))), x,
                                         np.full(4, 2.0), "the slope"))


def test_task_check_grade_and_use(capsys):
    task = exercises.Task("double", _check_double, _double, hints=["Multiply."], seed=7)
    # finite differences are refused when called from outside the course, as this file's
    # checker is; the course's own checkers may use them
    del task.forbidden[exercises.FINITE_DIFFERENCES]
    assert task.check(lambda x: 2 * x).status == CORRECT
    task.grade(lambda x: 2 * x)  # the hidden test passes quietly

    wrong = task.check(lambda x: 3 * x)
    assert wrong.status == INCORRECT and "1.5 times" in wrong.message
    with pytest.raises(AssertionError, match="1.5 times"):
        task.grade(lambda x: 3 * x)

    def placeholder(x):
        raise NotImplementedError()

    assert task.check(placeholder).status == NOT_ATTEMPTED
    assert "NotImplementedError" in task.check(placeholder).message
    assert task.check(lambda x: ...).status == NOT_ATTEMPTED
    with pytest.raises(AssertionError, match="replace"):
        task.grade(placeholder)  # not attempted loses the points too

    def mine(x):
        return x + x

    assert task.use(mine) is mine and "Using your double" in capsys.readouterr().out
    assert task.use(placeholder) is _double
    assert "nnlib's double stands in for yours" in capsys.readouterr().out


def test_task_check_and_grade_use_different_inputs():
    seen = []

    def checker(fn, rng):
        seen.append(rng.normal())
        return None

    task = exercises.Task("t", checker, None, seed=3)
    task.check(lambda: 0)
    task.grade(lambda: 0)
    task.check(lambda: 0)
    assert seen[0] != seen[1] and seen[0] == seen[2]  # fresh for grading, repeatable


def test_task_with_two_functions():
    def checker(f, g, rng):
        return None if (f(1), g(1)) == (1, 0) else "wrong"

    task = exercises.Task("pair", checker, ("F", "G"))
    assert task.check(lambda x: 1, lambda x: 0).status == CORRECT
    assert task.check(lambda x: 1, ...).status == NOT_ATTEMPTED
    assert task.use(lambda x: 2, lambda x: 0, quiet=True) == ("F", "G")


def test_gradient_reason_catches_a_wrong_derivative():
    x = np.array([0.3, -1.2])
    assert exercises.gradient_reason(lambda v: float(np.sum(v ** 2)), x, 2 * x, "g") is None
    reason = exercises.gradient_reason(lambda v: float(np.sum(v ** 2)), x, x, "g")
    assert "finite-difference" in reason
    assert np.array_equal(x, [0.3, -1.2])  # the point is not changed


def test_feedback_renders_as_html_and_text(layer_ex):
    feedback = layer_ex.check(np.array([[9.0, 12.0]]))
    assert "Correct" in feedback._repr_html_() and repr(feedback).startswith("Correct")
    assert "&lt;" in exercises.Feedback(INCORRECT, "a < b")._repr_html_()  # escaped


def test_feedback_is_display_data_not_a_cell_result():
    """nbgrader takes a test cell's result as partial credit; feedback must not be one."""
    from IPython.core.formatters import DisplayFormatter

    shown = []
    import IPython.display

    original = IPython.display.display
    IPython.display.display = lambda obj, raw=False: shown.append(obj)
    try:
        data, _ = DisplayFormatter().format(exercises.Feedback(CORRECT, "ok"))
    finally:
        IPython.display.display = original
    assert data == {}  # no execute_result
    assert shown and shown[0]["text/plain"] == "Correct: ok" and "ok" in shown[0]["text/html"]


def test_a_reference_outside_nnlib_is_named_the_courses(capsys):
    """A task whose reference lives in a lesson's folder says "the course's", not nnlib's,
    when it stands in and when an answer copies it."""

    def double(x):
        return 2 * x

    def checker(fn, rng):
        return None if fn(3) == 6 else "wrong"

    task = exercises.Task("double", checker, double, owner="the course's")
    task.use(None)
    assert "The course's double stands in for yours" in capsys.readouterr().out
    assert task.label == "the course's double, standing in for yours"
    message = task.check(double).message
    assert "calls the course's reference double, which is what it is compared with" in message
    assert "(1)" not in message and "numpy" not in message
