"""Notebook 05a's tasks: the solution passes, each typical mistake is named."""

import importlib
import re
import sys

import numpy as np
import pytest

from nnlib import conv
from nnlib.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from nnlib.tasks import cnn as tasks

sys.path.insert(0, "teacher/solutions")
solutions = importlib.import_module("05a_mlp_cnn")


def _loops(X, kernel, bias, *, flip=False, rows=None, with_bias=True, channels="right"):
    """A looped conv2d with one thing changed, as a student might write it."""
    n, h, w, c_in = X.shape
    kh, kw, _, c_out = kernel.shape
    if flip:
        kernel = kernel[::-1, ::-1]
    out_h = h - kh + 1 if rows is None else rows
    out_w = w - kw + 1 if rows is None else rows + (w - h)
    Z = np.zeros((n, out_h, out_w, c_out))
    for i in range(out_h):
        for j in range(out_w):
            for k in range(c_out):
                patch = X[:, i:i + kh, j:j + kw, :]
                if channels == "swapped":
                    Z[:, i, j, k] = np.sum(patch * kernel[:, :, k, :][None], axis=(1, 2, 3))
                else:
                    Z[:, i, j, k] = np.sum(patch * kernel[:, :, :, k][None], axis=(1, 2, 3))
                if with_bias:
                    Z[:, i, j, k] += bias[k]
    return Z


def _conv(X, kernel, bias=None, padding="valid"):
    """The teacher's looped conv2d (a student's code, not nnlib's): mistakes are built on it."""
    if padding == "same":
        kh, kw = kernel.shape[:2]
        X = np.pad(X, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    return solutions.conv2d(X, kernel, np.zeros(kernel.shape[3]) if bias is None else bias)


def test_the_solution_is_correct_and_passes_the_hidden_test():
    assert tasks.conv2d.check(solutions.conv2d).status == CORRECT
    tasks.conv2d.grade(solutions.conv2d)
    assert tasks.conv2d.check(_loops).status == CORRECT  # the looped version too


CONV2D_MISTAKES = {
    "kernel flipped (true convolution)": (lambda X, k, b: _loops(X, k, b, flip=True),
                                          r"flipped .*180 degrees.*cross-correlation"),
    "output one short": (lambda X, k, b: _loops(X, k, b, rows=X.shape[1] - k.shape[0]),
                         r"one row and one column short"),
    "output one too many": (lambda X, k, b: _conv(np.pad(X, ((0, 0), (0, 1), (0, 1), (0, 0))),
                                                  k, b), r"one row and one column too many"),
    "bias forgotten": (lambda X, k, b: _loops(X, k, b, with_bias=False), r"bias is missing"),
    "channel axes swapped": (lambda X, k, b: _loops(X, k, b, channels="swapped"),
                             r"channel axes are swapped"),
    "padding 'same'": (lambda X, k, b: _conv(X, k, b, padding="same"), r"padding='same'"),
    "first input channel only": (lambda X, k, b: _conv(X[..., :1], k[:, :, :1], b),
                                 r"only the first input channel"),
    "bias once per input channel": (lambda X, k, b: _conv(X, k) + X.shape[3] * b,
                                    r"once per input channel"),
    "channels first": (lambda X, k, b: np.moveaxis(_conv(X, k, b), 3, 1), r"channels\s+last"),
    "kernel rows and columns swapped": (lambda X, k, b: _conv(X, np.swapaxes(k, 0, 1), b),
                                        r"rows and columns are swapped"),
}


@pytest.mark.parametrize("name", list(CONV2D_MISTAKES))
def test_conv2d_mistake_catalogue(name, assert_named):
    wrong, pattern = CONV2D_MISTAKES[name]
    assert_named(tasks.conv2d, wrong, pattern=pattern)


def test_an_unrecognised_mistake_gets_a_general_reason():
    feedback = tasks.conv2d.check(lambda X, k, b: _conv(X, k, b) * 1.5)
    assert feedback.status == INCORRECT
    assert re.search(r"right shape, but every entry differ", feedback.message), feedback.message


def test_not_attempted_and_use_falls_back_to_nnlib():
    def placeholder(X, kernel, bias):
        raise NotImplementedError()

    assert tasks.conv2d.check(placeholder).status == NOT_ATTEMPTED
    wrong = lambda X, k, b: _conv(X, k)  # noqa: E731
    assert tasks.conv2d.use(wrong, quiet=True) is tasks.conv2d._reference
    assert tasks.conv2d.use(solutions.conv2d, quiet=True) is solutions.conv2d


@pytest.mark.parametrize("name", ["output_rows", "conv_params"])
def test_practice_exercises(name, assert_practice):
    assert_practice(getattr(tasks, name), solutions.ANSWERS[name], solutions.ANSWERS[name] + 1)


@pytest.mark.parametrize("name, wrong, pattern", [
    ("output_rows", 9, r"\+ 1 is missing"),
    ("output_rows", 28, r"stride 1"),
    ("output_rows", 11, r"padding='same'"),
    ("conv_params", 1152, r"biases are missing"),
    ("conv_params", 160, r"8 input"),
])
def test_practice_mistakes_are_named(name, wrong, pattern, assert_named):
    assert_named(getattr(tasks, name), wrong, pattern=pattern)


@pytest.mark.parametrize("copy", [
    conv.conv2d,
    lambda X, k, b: conv.conv2d(X, k, b),
    lambda X, k, b: tasks.conv2d._reference(X, k, b),
])
def test_a_call_of_nnlibs_conv2d_is_not_accepted(copy, assert_named):
    assert_named(tasks.conv2d, copy, pattern=r"calls nnlib's .* write it yourself")
