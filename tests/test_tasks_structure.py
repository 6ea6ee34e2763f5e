"""Notebook 00's and 01's exercises and build-it task (course/n00_start_here/tasks.py, structure.py):
the solutions pass, every named mistake is recognised, placeholders count as not attempted."""

import importlib
import re
import sys

import numpy as np
import pytest

from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from course.n00_start_here import tasks as start
from course.n01_structure import tasks as structure

sys.path.insert(0, "teacher/solutions")
SOL00 = importlib.import_module("00_start_here")
SOL01 = importlib.import_module("01_structure")


def _not_implemented(*args):
    raise NotImplementedError()


# ---------------------------------------------------------------- dense_forward


def test_dense_forward_solution_passes_check_and_grade():
    assert structure.dense_forward.check(SOL01.dense_forward).status == CORRECT
    structure.dense_forward.grade(SOL01.dense_forward)
    assert structure.dense_forward.use(SOL01.dense_forward, quiet=True) is SOL01.dense_forward


def _in_place(X, W, b):
    X += 1.0
    return X @ W + b


DENSE_MISTAKES = {
    "bias forgotten": (lambda X, W, b: X @ W, r"bias b is missing"),
    "bias per sample (wrong axis)": (lambda X, W, b: X @ W + b[:, None],
                                     r"bias is added along the wrong axis"),
    "X.T @ W": (lambda X, W, b: X.T @ W + b, r"matrix product failed.*X comes first"),
    "W @ X": (lambda X, W, b: W @ X + b, r"adding the bias failed.*the shape of W @ X"),
    "X @ W.T": (lambda X, W, b: X @ W.T + b, r"matrix product failed.*X comes first"),
    "result transposed": (lambda X, W, b: (X @ W + b).T, r"transposed"),
    "W.T @ X.T (one row per neuron)": (lambda X, W, b: W.T @ X.T + b[:, None], r"transposed"),
    "bias subtracted": (lambda X, W, b: X @ W - b, r"bias is subtracted"),
    "ReLU applied inside": (lambda X, W, b: np.maximum(X @ W + b, 0),
                            r"went through ReLU.*only the linear step"),
    "sigmoid applied inside": (lambda X, W, b: 1 / (1 + np.exp(-(X @ W + b))),
                               r"went through the sigmoid"),
    "tanh applied inside": (lambda X, W, b: np.tanh(X @ W + b), r"went through tanh"),
    "X changed in place": (_in_place, r"changed one of its inputs"),
    "no return": (lambda X, W, b: None, r"returned None"),
    "all biases summed (unnamed)": (lambda X, W, b: X @ W + b.sum(),
                                    r"right shape, but every entry differs"),
}


@pytest.mark.parametrize("name", list(DENSE_MISTAKES))
def test_dense_forward_mistake_catalogue(name, assert_named):
    fn, pattern = DENSE_MISTAKES[name]
    assert_named(structure.dense_forward, fn, pattern=pattern)


def test_dense_forward_transposed_weights_named_when_square():
    # n_in == n_out: X @ W.T runs without error, and the checker names it.
    rng = np.random.default_rng(0)

    def only_square_transposed(X, W, b):
        return X @ W.T + b if W.shape[0] == W.shape[1] else X @ W + b

    reason = structure._check_dense_forward(only_square_transposed, rng)
    assert reason is not None and "W is used transposed" in reason


def test_dense_forward_not_attempted_and_use_falls_back():
    assert structure.dense_forward.check(_not_implemented).status == NOT_ATTEMPTED
    assert structure.dense_forward.check(lambda X, W, b: ...).status == NOT_ATTEMPTED
    wrong = DENSE_MISTAKES["bias forgotten"][0]
    chosen = structure.dense_forward.use(wrong, quiet=True)
    assert chosen is structure._dense_forward_reference
    X, W, b = np.ones((2, 3)), np.ones((3, 4)), np.arange(4.0)
    assert np.allclose(chosen(X, W, b), X @ W + b)


# ---------------------------------------------------------------- practice exercises


@pytest.mark.parametrize("module, name, answers", [
    (start, "layer_params", SOL00.ANSWERS),
    (structure, "kernel_shape", SOL01.ANSWERS),
    (structure, "network_params", SOL01.ANSWERS),
])
def test_exercise_answers(module, name, answers):
    ex = getattr(module, name)
    assert ex.check(answers[name]).status == CORRECT
    assert ex.check("1.0").status == INCORRECT
    assert ex.check(...).status == NOT_ATTEMPTED
    assert ex.hint().startswith("Hint 1/")


@pytest.mark.parametrize("ex, answer, pattern", [
    (start.layer_params, 12, r"weights only"),
    (start.layer_params, 15, r"not to the inputs"),
    (start.layer_params, 7, r"counts neurons"),
    (start.layer_params, 19, r"inputs have no bias"),
    (start.layer_params, 17, r"not the right value"),
    (structure.kernel_shape, (3, 8), r"\(n_out, n_in\)"),
    (structure.kernel_shape, (4, 8), r"hidden layer, W1"),
    (structure.kernel_shape, (8, 4), r"differ"),
    (structure.network_params, 120, r"weights only"),
    (structure.network_params, 140, r"not one per input"),
    (structure.network_params, 143, r"input layer has no biases"),
    (structure.network_params, 23, r"counts neurons"),
    (structure.network_params, 768, r"added, not multiplied"),
    (structure.network_params, 138, r"not the right value"),
])
def test_exercise_names_wrong_answers(ex, answer, pattern):
    feedback = ex.check(answer)
    assert feedback.status == INCORRECT
    assert re.search(pattern, feedback.message), feedback.message
