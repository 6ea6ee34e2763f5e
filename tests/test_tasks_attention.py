"""Notebook 05c's tasks: the solution passes, each typical mistake is named."""

import importlib
import sys

import numpy as np
import pytest

from nnlib.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from nnlib.tasks import attention as tasks

sys.path.insert(0, "teacher/solutions")
solutions = importlib.import_module("05c_transformers")


def attend(Q, K, V, mask=None, *, scale=True, axis=-1, use_mask=True, invert=False,
           fill=-1e9, stable=True, batched=True, zero_after=False):
    """Masked attention written as a student would, with one thing changed."""
    K_T = np.swapaxes(K, -1, -2) if batched else K.T
    scores = Q @ K_T
    if scale:
        scores = scores / np.sqrt(Q.shape[-1])
    if mask is not None and use_mask and not zero_after:
        scores = np.where(~mask if invert else mask, scores, fill)
    if stable:
        scores = scores - scores.max(axis=axis, keepdims=True)
    e = np.exp(scores)
    weights = e / e.sum(axis=axis, keepdims=True)
    if mask is not None and zero_after:
        weights = weights * mask
    return weights @ V, weights


def test_the_solution_is_correct_and_passes_the_hidden_test():
    assert tasks.attention.check(solutions.attention).status == CORRECT
    tasks.attention.grade(solutions.attention)
    assert tasks.attention.check(attend).status == CORRECT


@pytest.mark.parametrize("kwargs, pattern", [
    ({"scale": False}, r"not divided by sqrt\(d_k\)"),
    ({"axis": -2}, r"softmax runs over the queries.*sum to 1"),
    ({"use_mask": False}, r"mask is ignored"),
    ({"invert": True}, r"mask is inverted.*True marks the keys a query MAY look at"),
    ({"fill": 0.0}, r"score of 0.*exactly 0"),
    ({"fill": -12.0}, r"still get a small weight.*must be 0"),
    ({"zero_after": True}, r"zeroed after the softmax.*sum\s+to 1"),
    ({"stable": False}, r"large scores.*NaN or inf.*largest score"),
    ({"batched": False}, r"batch .*last two axes"),
])
def test_typical_mistakes_are_named(kwargs, pattern, assert_named):
    def wrong(Q, K, V, mask=None):
        with np.errstate(all="ignore"):
            return attend(Q, K, V, mask, **kwargs)

    assert_named(tasks.attention, wrong, pattern=pattern)


def test_swapped_outputs_and_a_missing_mask_argument():
    feedback = tasks.attention.check(lambda Q, K, V, mask=None: attend(Q, K, V, mask)[::-1])
    assert feedback.status == INCORRECT and "wrong way round" in feedback.message
    feedback = tasks.attention.check(lambda Q, K, V: attend(Q, K, V))
    assert feedback.status == INCORRECT and "mask" in feedback.message


def test_not_attempted_and_use_falls_back_to_nnlib():
    def placeholder(Q, K, V, mask=None):
        raise NotImplementedError()

    assert tasks.attention.check(placeholder).status == NOT_ATTEMPTED
    wrong = lambda Q, K, V, mask=None: attend(Q, K, V, mask, scale=False)  # noqa: E731
    assert tasks.attention.use(wrong, quiet=True) is tasks.attention.reference
    assert tasks.attention.use(solutions.attention, quiet=True) is solutions.attention


@pytest.mark.parametrize("name", ["scale_factor", "attention_weights", "causal_pairs"])
def test_practice_exercises(name, assert_practice):
    answer = solutions.ANSWERS[name]
    assert_practice(getattr(tasks, name), answer, np.asarray(answer) + 0.1)


@pytest.mark.parametrize("name, wrong, pattern", [
    ("scale_factor", 8.0, r"multiplied by\s+its inverse"),
    ("scale_factor", 1 / 64, r"square root is missing"),
    ("attention_weights", [0.787, 0.107, 0.107], r"divide the dot products by sqrt\(d_k\)"),
    ("attention_weights", [1.0, 0.0, 0.0], r"exponentiates"),
    ("causal_pairs", 15, r"look at itself"),
    ("causal_pairs", 36, r"every pair"),
])
def test_practice_mistakes_are_named(name, wrong, pattern, assert_named):
    assert_named(getattr(tasks, name), wrong, pattern=pattern)
