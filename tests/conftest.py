import os

import numpy as np
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


@pytest.fixture
def rng():
    """A fresh, seeded generator for each test."""
    return np.random.default_rng(12345)


@pytest.fixture(autouse=True)
def _library_in_tmp(tmp_path, monkeypatch):
    """A check that passes writes the student's library: here into the test's folder."""
    monkeypatch.setenv("NNLIB_MY_NETWORK", str(tmp_path / "library" / "my_network.py"))


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

    from course.exercises import INCORRECT

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
    from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED

    def check(exercise, right, wrong):
        assert exercise.check(right).status == CORRECT, exercise.check(right)
        assert exercise.check(wrong).status == INCORRECT
        assert exercise.check("1.0").status == INCORRECT  # a string is not a number
        assert exercise.check(...).status == NOT_ATTEMPTED

    return check


@pytest.fixture
def blit_mismatch():
    """``blit_mismatch(view)``: the share of pixels of ``view.last_png`` (drawn in part, by
    blitting) that differ from the same figure drawn whole, from scratch."""
    import io

    import PIL.Image

    def mismatch(view):
        quick = np.asarray(PIL.Image.open(io.BytesIO(view.last_png)).convert("RGB"), int)
        animated = [a for a in view.fig.findobj() if a.get_animated()]
        for artist in animated:
            artist.set_animated(False)
        engine = view.fig.get_layout_engine()
        view.fig.set_layout_engine("none")  # the same layout (constrained layout drifts)
        view.canvas.draw()
        view.fig.set_layout_engine(engine)
        full = np.asarray(view.canvas.buffer_rgba())[..., :3].astype(int)
        for artist in animated:
            artist.set_animated(True)  # the kept background is untouched: blitting goes on
        assert quick.shape == full.shape
        return float(np.mean(np.abs(quick - full).max(axis=-1) > 8))

    return mismatch
