"""Notebook 02's build-it tasks and exercise (course/n02_forward_pass/tasks.py): the solutions pass,
every named mistake is recognised, placeholders count as not attempted."""

import importlib
import re
import sys

import numpy as np
import pytest

from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from course.n02_forward_pass import tasks as forward
from nnlib import activations

sys.path.insert(0, "teacher/solutions")
SOL = importlib.import_module("02_forward_pass")


def _not_implemented(z):
    raise NotImplementedError()


# ---------------------------------------------------------------- relu


def test_relu_solution_passes_check_and_grade():
    assert forward.relu.check(SOL.relu, SOL.relu_grad).status == CORRECT
    forward.relu.grade(SOL.relu, SOL.relu_grad)
    assert forward.relu.use(SOL.relu, SOL.relu_grad, quiet=True) == (SOL.relu, SOL.relu_grad)


def _relu_in_place(z):
    z[z < 0] = 0.0
    return z


RELU_MISTAKES = {
    "np.max(z, 0)": ((lambda z: np.max(z, 0), SOL.relu_grad), r"np\.max reduces.*np\.maximum"),
    "np.max(z)": ((lambda z: np.max(z), SOL.relu_grad), r"np\.max reduces"),
    "Python's max(0, z)": ((lambda z: max(0, z), SOL.relu_grad), r"Python's max and np\.max"),
    "np.max(0, z)": ((lambda z: np.max(0, z), SOL.relu_grad), r"np\.maximum compares"),
    "z changed in place": ((_relu_in_place, SOL.relu_grad), r"changed its input z in place"),
    "relu_grad returns relu": ((SOL.relu, SOL.relu), r"relu_grad returns ReLU's own values"),
    "relu_grad is np.sign": ((SOL.relu, np.sign), r"-1 for z < 0"),
    "relu_grad is 1 everywhere": ((SOL.relu, np.ones_like), r"1 everywhere"),
    "relu_grad inverted": ((SOL.relu, lambda z: (z < 0).astype(float)), r"wrong way round"),
    "relu_grad 1 at the kink": ((SOL.relu, lambda z: (z >= 0).astype(float)),
                                r"at z = 0.*use 0"),
    "relu_grad booleans": ((SOL.relu, lambda z: z > 0), r"True/False"),
    "relu_grad leaky": ((SOL.relu, lambda z: np.where(z > 0, 1.0, 0.01)), r"wrong for z < 0"),
    "relu is the identity": ((lambda z: z.copy(), SOL.relu_grad),
                             r"negative z through unchanged"),
    "relu is np.abs": ((np.abs, SOL.relu_grad), r"flips negative z"),
    "np.minimum": ((lambda z: np.minimum(z, 0), SOL.relu_grad), r"keeps the negative part"),
    "leaky relu": ((lambda z: np.where(z > 0, z, 0.01 * z), SOL.relu_grad), r"wrong for z < 0"),
    "no return": ((lambda z: None, SOL.relu_grad), r"returned None"),
}


@pytest.mark.parametrize("name", list(RELU_MISTAKES))
def test_relu_mistake_catalogue(name, assert_named):
    fns, pattern = RELU_MISTAKES[name]
    assert_named(forward.relu, *fns, pattern=pattern)


def test_relu_grad_is_gradient_checked_against_the_students_relu():
    # relu doubled with a matching (doubled) slope would fail on values first; here the
    # checker's finite-difference step alone sees a slope that disagrees with relu.
    rng = np.random.default_rng(0)
    z = rng.uniform(0.5, 1.0, size=(2, 3))
    reason = forward._slope_reason(lambda v: 2 * SOL.relu(v), SOL.relu_grad, "relu_grad",
                                   z, rng)
    assert reason is not None and "finite-difference" in reason
    assert forward._slope_reason(SOL.relu, SOL.relu_grad, "relu_grad", z, rng) is None


def test_relu_not_attempted_and_use_falls_back():
    assert forward.relu.check(_not_implemented, SOL.relu_grad).status == NOT_ATTEMPTED
    assert forward.relu.check(SOL.relu, _not_implemented).status == NOT_ATTEMPTED
    assert forward.relu.check(SOL.relu, lambda z: ...).status == NOT_ATTEMPTED
    chosen = forward.relu.use(SOL.relu, SOL.relu, quiet=True)
    assert chosen == (activations.relu, activations.relu_grad)


# ---------------------------------------------------------------- sigmoid


def test_sigmoid_solution_passes_check_and_grade():
    assert forward.sigmoid.check(SOL.sigmoid, SOL.sigmoid_grad).status == CORRECT
    forward.sigmoid.grade(SOL.sigmoid, SOL.sigmoid_grad)
    chosen = forward.sigmoid.use(SOL.sigmoid, SOL.sigmoid_grad, quiet=True)
    assert chosen == (SOL.sigmoid, SOL.sigmoid_grad)


def _naive(z):
    return 1 / (1 + np.exp(-z))


def _where_both_branches(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def _sigmoid_in_place(z):
    np.negative(z, out=z)
    np.exp(np.clip(z, -500, 500), out=z)
    return 1 / (1 + z)


SIGMOID_MISTAKES = {
    "sign error in the exponent": ((lambda z: 1 / (1 + np.exp(np.clip(z, -500, 500))),
                                    SOL.sigmoid_grad), r"sign error in the exponent"),
    "grad is s": ((SOL.sigmoid, SOL.sigmoid), r"missing the factor \(1 - σ\(z\)\)"),
    "grad is 1 - s": ((SOL.sigmoid, lambda z: 1 - SOL.sigmoid(z)),
                      r"missing the factor σ\(z\)"),
    "grad from z: z (1 - z)": ((SOL.sigmoid, lambda z: z * (1 - z)),
                               r"uses z where σ\(z\) belongs"),
    "grad s (1 - z)": ((SOL.sigmoid, lambda z: SOL.sigmoid(z) * (1 - z)),
                       r"\(1 - σ\(z\)\), not \(1 - z\)"),
    "grad s (1 + s)": ((SOL.sigmoid, lambda z: SOL.sigmoid(z) * (1 + SOL.sigmoid(z))),
                       r"adds σ\(z\) in the second factor"),
    "grad sign flipped": ((SOL.sigmoid, lambda z: -SOL.sigmoid_grad(z)), r"every sign flipped"),
    "exp overflow at z = -1000": ((_naive, lambda z: _naive(z) * (1 - _naive(z))),
                                  r"sigmoid overflows for large \|z\|"),
    "np.where computes both branches": ((_where_both_branches, SOL.sigmoid_grad),
                                        r"sigmoid overflows.*np\.where computes both"),
    "grad overflows": ((SOL.sigmoid, lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
                       r"sigmoid_grad overflows for large \|z\|"),
    "z changed in place": ((_sigmoid_in_place, SOL.sigmoid_grad),
                           r"changed its input z in place"),
    "denominator only": ((lambda z: 1 + np.exp(-z), SOL.sigmoid_grad), r"denominator only"),
    "tanh instead (unnamed)": ((np.tanh, SOL.sigmoid_grad),
                               r"sigmoid\(z\) has the right shape, but every entry differs"),
}


@pytest.mark.parametrize("name", list(SIGMOID_MISTAKES))
def test_sigmoid_mistake_catalogue(name, assert_named):
    fns, pattern = SIGMOID_MISTAKES[name]
    assert_named(forward.sigmoid, *fns, pattern=pattern)


def test_sigmoid_grad_is_gradient_checked_against_the_students_sigmoid():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(2, 3))
    reason = forward._slope_reason(lambda v: SOL.sigmoid(2 * v), SOL.sigmoid_grad,
                                   "sigmoid_grad", z, rng)
    assert reason is not None and "finite-difference" in reason


def test_sigmoid_not_attempted_and_use_falls_back():
    assert forward.sigmoid.check(_not_implemented, SOL.sigmoid_grad).status == NOT_ATTEMPTED
    assert forward.sigmoid.check(SOL.sigmoid, _not_implemented).status == NOT_ATTEMPTED
    chosen = forward.sigmoid.use(_naive, SOL.sigmoid_grad, quiet=True)
    assert chosen == (activations.sigmoid, activations.sigmoid_grad)


# ---------------------------------------------------------------- softmax by hand


def test_softmax_by_hand_answer():
    ex = forward.softmax_by_hand
    assert ex.check(SOL.ANSWERS["softmax_by_hand"]).status == CORRECT
    assert ex.check([0.844, 0.114, 0.042]).status == CORRECT  # rounded to 3 decimals
    assert ex.check("1.0").status == INCORRECT
    assert ex.check(1.0).status == INCORRECT
    assert ex.check(...).status == NOT_ATTEMPTED


@pytest.mark.parametrize("answer, pattern", [
    ([20.086, 2.718, 1.0], r"exponentials e\^z themselves"),
    ([0.042, 0.114, 0.844], r"order is reversed"),
    ([0.75, 0.25, 0.0], r"divided the scores by their sum"),
    ([0.5, 0.3, 0.3], r"add up to 1\.100"),
    ([0.8, 0.15, 0.05], r"not|differ"),
])
def test_softmax_by_hand_names_wrong_answers(answer, pattern):
    feedback = forward.softmax_by_hand.check(answer)
    assert feedback.status == INCORRECT
    assert re.search(pattern, feedback.message), feedback.message
