"""Exercises and build-it tasks for the notebooks: ``check``, ``hint``, ``grade``, ``use``.

Two kinds, both defined in each lesson's ``tasks.py`` (never in a notebook, so a
notebook shows neither the expected value nor the reference code):

- ``Exercise``: a number or a small array the student works out (``ex.check(answer)``).
- ``Task``: a function (or class) the student writes. Its checker calls it on fresh
  random inputs, compares with nnlib's own version, runs a finite-difference gradient
  check where there is a derivative, and names the typical mistakes it recognises
  (a transposed matrix, a missing 1/n, a sum over the wrong axis, ...).
  ``task.use(fn)`` then hands the student's code to the rest of the notebook, or
  nnlib's version while the task is not solved yet.

``check`` never raises (an unsolved notebook still runs top to bottom); it returns a
``Feedback`` that says one of three things:

- "not attempted yet" (the answer is still ``None`` or ``...``, a function still
  returns ``...`` or raises ``NotImplementedError``, nbgrader's placeholder),
- "not quite", with the reason,
- "correct".

``task.grade(fn)`` is the same check on other inputs, raising ``AssertionError`` with
the reason: nbgrader's hidden tests call it, so a wrong answer loses the points.
"""

from __future__ import annotations

import html

import numpy as np

from nnlib.gradcheck import numerical_gradient

from .task_guards import (
    ESCAPE,
    FRAMEWORKS,
    LibraryWatch,
    TimedOut,
    failing_pieces,
    rebound,
    replaced,
    time_limit,
)

NOT_ATTEMPTED, INCORRECT, CORRECT = "not attempted", "incorrect", "correct"

# Refused in every task: it would estimate any gradient the student is asked to derive.
FINITE_DIFFERENCES = "nnlib's gradcheck.numerical_gradient"

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

    def _ipython_display_(self):
        # Shown as display data, not as the cell's result: nbgrader reads a test cell's
        # result as partial credit and warns when it is not a number.
        from IPython.display import display

        display({"text/plain": repr(self), "text/html": self._repr_html_()}, raw=True)


class NotAttempted(Exception):
    """Raised by a checker when the answer is still the placeholder (e.g. ``return ...``)."""


def _is_placeholder(answer):
    return answer is None or answer is Ellipsis


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
        Shown one level at a time by ``hint()``: from the idea to the formula, never
        the code or the number.
    """

    def __init__(self, name, checker, hints=(), *, time_limit=5.0, forbidden=None,
                 owner="nnlib's"):
        self.name = name
        self.owner = owner
        self.checker = checker
        self.hints = list(hints)
        self.time_limit = time_limit
        self.forbidden = dict(forbidden or {})
        self._hint_level = 0
        self._timed_out = None  # the answers whose last run ran out of time

    def _time_out_reason(self):
        return (f"your {self.name} did not finish in {self.time_limit:g} s: is there a loop "
                "that never ends?")

    def _run(self, answers, *args):
        """``(status, reason)`` of ``checker(*answers, *args)``; never raises.

        The checker runs under ``time_limit`` seconds, watched for calls of nnlib's own
        version of the answer (``forbidden``): either makes the answer incorrect.
        """
        if any(_is_placeholder(a) for a in answers):
            return NOT_ATTEMPTED, "replace the placeholder `...` with your answer."
        if self._timed_out is not None and _same(self._timed_out, answers):
            return INCORRECT, self._time_out_reason()  # just ran out of time: not again
        watch = LibraryWatch(self.forbidden)
        for answer in answers:
            copied = watch.examine(answer)
            if copied:
                return INCORRECT, _copied(self.owner, copied)
        try:
            with time_limit(self.time_limit), watch.watching():
                reason = self.checker(*answers, *args)
        except TimedOut:
            self._timed_out = answers
            reason = self._time_out_reason()
        except (NotAttempted, NotImplementedError):
            return NOT_ATTEMPTED, ("replace `raise NotImplementedError()` (or the `...`) "
                                   "with your code.")
        except Exception as exc:  # a student's code may fail in any way
            reason = f"running it raised {type(exc).__name__}: {exc}"
            if "matmul" in str(exc) or "not aligned" in str(exc):
                reason += (" (the shapes do not fit a matrix product: compare each "
                           "operand's shape with the docstring; is one transposed?)")
        if watch.caught:
            reason = _copied(self.owner, watch.caught)
        return (CORRECT, "well done!") if reason is None else (INCORRECT, reason)

    def check(self, answer) -> Feedback:
        """Check an answer; never raises."""
        status, reason = self._run((answer,))
        return Feedback(status, f"{self.name}: {reason}")

    def hint(self, level=None) -> str:
        """Return the next hint (or hint number ``level``, from 1)."""
        if not self.hints:
            return "No hint for this one: re-read the cell above the exercise."
        if level is None:
            self._hint_level = min(self._hint_level + 1, len(self.hints))
            level = self._hint_level
        level = max(1, min(int(level), len(self.hints)))
        return f"Hint {level}/{len(self.hints)}: {self.hints[level - 1]}"



def _copied(owner, name):
    if name == ESCAPE:
        return ("your code switches off the checker's watch, runs in a thread or rewrites "
                "functions (sys.setprofile, sys.settrace, threads, processes, __code__): write "
                "it in plain Python and numpy.")
    if name == FINITE_DIFFERENCES:
        return (f"your code estimates it by finite differences ({name}); work the derivative "
                "out and write it yourself.")
    if name in FRAMEWORKS.values():
        return (f"your code calls {name}, which would compute it for you: write it yourself, "
                "in numpy.")
    return (f"your code calls {owner} {name}, which is what it is compared with: write it "
            "yourself.")


def _sentence(text):
    """``text`` with a capital first letter, unless it starts with nnlib's name."""
    return text if text.startswith("nnlib") else text[:1].upper() + text[1:]


class Task(Exercise):
    """A build-it task: a function (or class) the student writes, checked and then used.

    Parameters
    ----------
    name : str
        Shown in messages, e.g. ``"dense_backward"``.
    checker : callable ``checker(*fns, rng) -> str or None``
        Calls the student's code (one function or class, or several written together,
        e.g. ``relu`` and ``relu_grad``) on inputs drawn from ``rng`` and returns None if
        it is right, otherwise what is wrong. ``NotImplementedError`` (nbgrader's
        placeholder) or a returned ``...`` means "not attempted".
    reference : object, or tuple of objects (one per function checked)
        nnlib's version, used by ``use`` while the student's is missing or wrong.
    owner : str, default="nnlib's"
        Whose the reference is, as messages name it: "the course's" for one that lives in
        a lesson's folder rather than in nnlib (e.g. the autograd ``Value``).
    hints : list of str
    seed : int
        Seeds the inputs of ``check``; ``grade`` uses ``seed + 1``, so the hidden tests
        see inputs the visible check never showed.
    time_limit : float, default=5.0
        Seconds the check may take before the student's code is called endless.
    forbidden : dict ``{name: function or class}``, optional
        nnlib's own versions of what the student writes: an answer that calls one (or is
        one, or subclasses one) is incorrect. The reference and nnlib's finite differences
        are always refused.
    """

    def __init__(self, name, checker, reference, hints=(), *, seed=0, time_limit=5.0,
                 forbidden=None, owner="nnlib's"):
        references = reference if isinstance(reference, tuple) else (reference,)
        numbered = len(references) > 1
        forbidden = {**{f"reference {name}" + (f" ({i + 1})" if numbered else ""): r
                        for i, r in enumerate(references)},
                     FINITE_DIFFERENCES: numerical_gradient, **(forbidden or {})}
        super().__init__(name, checker, hints, time_limit=time_limit, forbidden=forbidden,
                         owner=owner)
        self._reference = reference
        self.seed = seed
        self.whose = None  # after use(): "yours" or the owner ("nnlib's")
        self._last = None  # (the answers, their status) of the last check, for use()

    def _run(self, answers, *args):
        """As ``Exercise._run``, with nnlib's version of every other piece the answers call
        that is the student's and fails its own check: each task is judged on its own."""
        if any(_is_placeholder(a) for a in answers):
            return super()._run(answers, *args)
        swaps = failing_pieces(self, answers)
        with replaced(answers, swaps):
            status, reason = super()._run(answers, *args)
        if swaps and status == CORRECT:
            reason += (f" (checked with nnlib's {' and '.join(swaps)} in place of yours, which "
                       "does not pass its check yet)")
        return status, reason

    def _status(self, fns):
        """The status of a check of ``fns``: the last one's if it checked the same code."""
        if self._last is not None and _same(self._last[0], fns):
            return self._last[1]
        status, _ = self._run(fns, np.random.default_rng(self.seed))
        self._last = (fns, status)
        return status

    def check(self, *fns) -> Feedback:
        """Check the student's code on fresh inputs; never raises."""
        status, reason = self._run(fns, np.random.default_rng(self.seed))
        self._last = (fns, status)
        if status == CORRECT:
            reason += self._save(fns)
        return Feedback(status, f"{self.name}: {reason}")

    def grade(self, *fns):
        """The hidden test: check on other inputs and raise ``AssertionError`` unless right."""
        status, reason = self._run(fns, np.random.default_rng(self.seed + 1))
        if status != CORRECT:
            raise AssertionError(f"{self.name}: {reason}")

    @property
    def label(self):
        """Whose code ``use`` went on with, for printed labels: "your Adam", or "nnlib's
        Adam, standing in for yours" (and "nnlib's Adam" before ``use``)."""
        if self.whose == "yours":
            return f"your {self.name}"
        return f"{self.owner} {self.name}" + (", standing in for yours" if self.whose else "")

    def use(self, *fns, quiet=False):
        """Return the student's code if it passes the check, else nnlib's version.

        The student's code runs with nnlib's version of any other piece of theirs it calls
        that fails its own check (and says so).

        Prints which one the notebook goes on with (unless ``quiet``). With several
        functions, returns a tuple.
        """
        saved = ""
        if self._last is not None and _same(self._last[0], fns):
            status = self._last[1]  # just checked (and saved): an endless loop costs once
        else:
            status, _ = self._run(fns, np.random.default_rng(self.seed))
            saved = self._save(fns) if status == CORRECT else ""
        mine = status == CORRECT
        self.whose = "yours" if mine else self.owner
        swaps = failing_pieces(self, fns) if mine else {}
        if not quiet:
            helped = (f", with nnlib's {' and '.join(swaps)} in place of yours until yours "
                      "passes its check" if swaps else "")
            print(f"Using your {self.name}{helped}.{saved}" if mine else
                  _sentence(f"{self.owner} {self.name} stands in for yours until yours passes "
                            "its check."))
        if mine:
            fns = tuple(rebound(fn, swaps) for fn in fns)
        chosen = fns if mine else (self._reference if len(fns) > 1 else (self._reference,))
        return chosen[0] if len(fns) == 1 else tuple(chosen)

    def _save(self, fns):
        """Write the student's passing code into their library (``my_network.py``) and
        say where it went, or why it could not."""
        from . import student_library

        names = student_library.pieces_of(self)
        if len(names) != len(fns):
            return ""
        try:
            where = student_library.save(names, fns)
        except student_library.LibraryError as exc:
            return f" It is not saved in your library, my_network.py: {exc}"
        except OSError as exc:  # a folder the kernel cannot write to
            return f" Your library, my_network.py, could not be written ({exc})."
        return f" Saved in your library, {where}."


def _same(before, now):
    """The same objects, with the same code (a cell run again makes new functions)."""
    return len(before) == len(now) and all(
        a is b and getattr(a, "__code__", None) is getattr(b, "__code__", None)
        for a, b in zip(before, now))


def call(fn, *args, **kwargs):
    """Call the student's ``fn``; a returned ``...`` means the task is not attempted."""
    if not callable(fn):
        raise TypeError(f"expected a function, got {type(fn).__name__}")
    out = fn(*args, **kwargs)
    if out is Ellipsis:
        raise NotAttempted
    return out


def compare_arrays(answer, expected, *, rtol=1e-6, atol=1e-8, name="your answer",
                   mistakes=(), scale_hint=False):
    """Return None if ``answer`` matches ``expected`` (shape and values), else why not.

    The reason never contains the expected numbers (a student could work back to them).

    Parameters
    ----------
    mistakes : sequence of ``(wrong_value, message)``
        What a typical mistake would give, and the message naming it; checked in order
        when the answer is wrong.
    scale_hint : bool, default=False
        For arrays computed by the student's code: also say when every entry is the
        expected one times the same factor (a missing 1/n) or has its sign flipped.
    """
    expected = np.asarray(expected, dtype=float)
    if isinstance(answer, (str, bytes, bool, np.bool_)) or (
            isinstance(answer, np.ndarray) and answer.dtype.kind not in "iuf"):
        return (f"{name} should be a number or an array of numbers, got "
                f"{type(answer).__name__} {answer!r:.40}.")
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"{name} should be a number or an array of numbers, got {type(answer).__name__}."
    if answer.shape != expected.shape:
        if answer.ndim == 2 and answer.shape == expected.shape[::-1]:
            return (f"{name} has shape {answer.shape}, expected {expected.shape}: "
                    "it looks transposed (rows and columns swapped).")
        return f"{name} has shape {answer.shape}, expected shape {expected.shape}."
    if not np.all(np.isfinite(answer)):
        return f"{name} contains NaN or infinite values."
    if np.allclose(answer, expected, rtol=rtol, atol=atol):
        return None
    for wrong, message in mistakes:
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == answer.shape and np.allclose(answer, wrong, rtol=rtol, atol=atol):
            return f"{name}: {message}"
    if scale_hint and expected.size > 1 and np.all(np.abs(expected) > 1e-6):
        ratio = answer / expected
        if np.allclose(ratio, ratio.flat[0], rtol=1e-6):
            factor = float(ratio.flat[0])
            if np.isclose(factor, -1.0):
                return f"{name} has every sign flipped."
            return (f"{name} is {factor:.4g} times the right values everywhere: a constant "
                    "factor is missing or extra.")
    wrong_share = np.mean(~np.isclose(answer, expected, rtol=rtol, atol=atol))
    if answer.size == 1:
        return f"{name} is not the right value."
    where = ("every entry differs" if wrong_share == 1
             else f"{wrong_share:.0%} of the entries differ")
    return f"{name} has the right shape, but {where} from the right values."


def array_exercise(name, expected, *, rtol=1e-6, atol=1e-8, mistakes=(), hints=()):
    """An exercise whose answer is an array (or number) equal to ``expected``."""
    return Exercise(
        name, lambda answer: compare_arrays(answer, expected, rtol=rtol, atol=atol,
                                            mistakes=mistakes),
        hints,
    )


def function_exercise(name, reference, inputs, *, rtol=1e-6, atol=1e-8, hints=()):
    """An exercise whose answer is a function that must behave like ``reference``.

    Parameters
    ----------
    reference : callable
        The correct implementation.
    inputs : list of tuple
        Argument tuples to call both functions with.
    """

    def checker(fn):
        for args in inputs:
            got = call(fn, *args)
            if got is None:
                return "your function returned None; did you forget `return`?"
            reason = compare_arrays(got, reference(*args), rtol=rtol, atol=atol,
                                    name="the result", scale_hint=True)
            if reason:
                return f"for input {_short(args)}: {reason}"
        return None

    return Exercise(name, checker, hints)


def _short(args):
    text = ", ".join(np.array2string(np.asarray(a), precision=3, threshold=6) for a in args)
    return text if len(text) < 120 else text[:117] + "..."


def gradient_reason(f, x, grad, name, *, tol=1e-5):
    """None if ``grad`` agrees with a finite-difference gradient of ``f`` at ``x``, else why not.

    ``f(x)`` returns a float; ``x`` is a float array (a copy is nudged, not ``x``).
    """
    from nnlib.gradcheck import numerical_gradient, relative_error

    grad = np.asarray(grad, dtype=float)
    numeric = numerical_gradient(f, np.array(x, dtype=float))
    error = relative_error(grad, numeric)
    if error > tol:
        return (f"{name} disagrees with a finite-difference gradient check of your own "
                f"code (relative error {error:.1e}).")
    return None
