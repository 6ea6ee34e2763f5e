import os

import numpy as np
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


@pytest.fixture
def rng():
    """A fresh, seeded generator for each test."""
    return np.random.default_rng(12345)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def assert_named():
    """``assert_named(task, *fns, pattern=...)``: the check says "not quite" with a message
    matching ``pattern``, and a build-it task's hidden test (``grade``) fails too."""
    import re

    from nnlib.exercises import INCORRECT

    def check(task, *fns, pattern):
        feedback = task.check(*fns)
        assert feedback.status == INCORRECT, feedback
        assert re.search(pattern, feedback.message), feedback.message
        if hasattr(task, "grade"):  # a Task; an Exercise (a number) has no hidden test
            with pytest.raises(AssertionError):
                task.grade(*fns)
        return feedback

    return check


@pytest.fixture
def assert_practice():
    """``assert_practice(exercise, right, wrong)``: the right answer is correct, a wrong one,
    the string "1.0" and the placeholder ``...`` are not."""
    from nnlib.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED

    def check(exercise, right, wrong):
        assert exercise.check(right).status == CORRECT, exercise.check(right)
        assert exercise.check(wrong).status == INCORRECT
        assert exercise.check("1.0").status == INCORRECT  # a string is not a number
        assert exercise.check(...).status == NOT_ATTEMPTED

    return check
