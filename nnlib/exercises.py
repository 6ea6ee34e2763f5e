"""Exercises for the notebooks: ``check``, ``hint`` and ``solution``.

Each notebook defines its exercises with nnlib, and the student's cell ends with
``ex1.check(answer)``. ``check`` never raises (an unsolved notebook still runs
top to bottom); it returns a ``Feedback`` that says one of three things:

- "not attempted yet" (the answer is still ``None`` or ``...``, or a function still
  returns ``...``),
- "not quite", with the reason (wrong shape, wrong values, an exception...),
- "correct".

Arrays are compared with shape checks and tolerances, never exact equality.
"""

from __future__ import annotations

import html
import os

import numpy as np

NOT_ATTEMPTED, INCORRECT, CORRECT = "not attempted", "incorrect", "correct"

# `make student` sets this so that solution() is held back (issue: classroom grading).
HIDE_SOLUTIONS_ENV = "NNLIB_HIDE_SOLUTIONS"

_STYLE = {
    NOT_ATTEMPTED: ("#0072B2", "Not attempted yet"),
    INCORRECT: ("#D55E00", "Not quite"),
    CORRECT: ("#009E73", "Correct"),
}


class Feedback:
    """The outcome of ``Exercise.check``: ``status`` and a ``message`` for the student."""

    def __init__(self, status, message):
        self.status = status
        self.message = message

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def __bool__(self):
        return self.correct

    def __repr__(self):
        return f"{_STYLE[self.status][1]}: {self.message}"

    def _repr_html_(self):
        colour, title = _STYLE[self.status]
        return (
            f'<div style="border-left:4px solid {colour};padding:4px 10px">'
            f'<b style="color:{colour}">{title}</b>: {html.escape(self.message)}</div>'
        )


class NotAttempted(Exception):
    """Raised by a checker when the answer is still the placeholder (e.g. ``return ...``)."""


class Exercise:
    """One exercise.

    Parameters
    ----------
    name : str
        Shown in messages, e.g. ``"1. A neuron by hand"``.
    checker : callable ``checker(answer) -> str or None``
        Returns None if the answer is right, otherwise the reason it is not.
        May raise; the exception becomes the reason.
    hints : list of str
        Shown one level at a time by ``hint()``.
    solution : str
        Shown by ``solution()``.
    """

    def __init__(self, name, checker, hints=(), solution=""):
        self.name = name
        self.checker = checker
        self.hints = list(hints)
        self.solution_text = solution
        self._hint_level = 0

    def check(self, answer) -> Feedback:
        """Check an answer; never raises."""
        if answer is None or answer is Ellipsis:
            return Feedback(NOT_ATTEMPTED,
                            f"{self.name}: replace the placeholder with your answer.")
        try:
            reason = self.checker(answer)
        except NotAttempted:
            return Feedback(NOT_ATTEMPTED,
                            f"{self.name}: replace the `...` in your function with your code.")
        except Exception as exc:  # a student's code may fail in any way
            reason = f"checking your answer raised {type(exc).__name__}: {exc}"
        if reason is None:
            return Feedback(CORRECT, f"{self.name}: well done!")
        return Feedback(INCORRECT, f"{self.name}: {reason}")

    def hint(self, level=None) -> str:
        """Return the next hint (or hint number ``level``, from 1)."""
        if not self.hints:
            return "No hint for this one: re-read the cell above the exercise."
        if level is None:
            self._hint_level = min(self._hint_level + 1, len(self.hints))
            level = self._hint_level
        level = max(1, min(int(level), len(self.hints)))
        return f"Hint {level}/{len(self.hints)}: {self.hints[level - 1]}"

    def solution(self) -> str:
        """Return the solution, unless the teacher has held solutions back."""
        if os.environ.get(HIDE_SOLUTIONS_ENV):
            return "The solution is held back by your teacher for this class."
        return self.solution_text


def compare_arrays(answer, expected, *, rtol=1e-6, atol=1e-8, name="your answer"):
    """Return None if ``answer`` matches ``expected`` (shape and values), else why not."""
    expected = np.asarray(expected)
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"{name} should be an array of numbers, got {type(answer).__name__}."
    if answer.shape != expected.shape:
        if answer.ndim == 2 and answer.shape == expected.shape[::-1]:
            return (f"{name} has shape {answer.shape}, expected {expected.shape}: "
                    "it looks transposed (rows and columns swapped).")
        return f"{name} has shape {answer.shape}, expected shape {expected.shape}."
    if not np.all(np.isfinite(answer)):
        return f"{name} contains NaN or infinite values."
    if not np.allclose(answer, expected, rtol=rtol, atol=atol):
        worst = float(np.max(np.abs(answer - expected)))
        return f"{name} has the right shape but different values (largest difference {worst:.3g})."
    return None


def array_exercise(name, expected, *, rtol=1e-6, atol=1e-8, hints=(), solution=""):
    """An exercise whose answer is an array (or number) equal to ``expected``."""
    return Exercise(
        name, lambda answer: compare_arrays(answer, expected, rtol=rtol, atol=atol),
        hints, solution,
    )


def function_exercise(name, reference, inputs, *, rtol=1e-6, atol=1e-8, hints=(), solution=""):
    """An exercise whose answer is a function that must behave like ``reference``.

    Parameters
    ----------
    reference : callable
        The correct implementation.
    inputs : list of tuple
        Argument tuples to call both functions with.
    """

    def checker(fn):
        if not callable(fn):
            return f"expected a function, got {type(fn).__name__}."
        for args in inputs:
            got = fn(*args)
            if got is Ellipsis:  # the template's `return ...` is still there
                raise NotAttempted
            if got is None:
                return "your function returned None; did you forget `return`?"
            reason = compare_arrays(got, reference(*args), rtol=rtol, atol=atol,
                                    name="the result")
            if reason:
                return f"for input {_short(args)}: {reason}"
        return None

    return Exercise(name, checker, hints, solution)


def _short(args):
    text = ", ".join(np.array2string(np.asarray(a), precision=3, threshold=6) for a in args)
    return text if len(text) < 120 else text[:117] + "..."
