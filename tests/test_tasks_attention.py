"""Notebook 05c's tasks: the solution passes, each typical mistake is named."""

import importlib
import sys

import numpy as np
import pytest

from course.exercises import CORRECT, NOT_ATTEMPTED
from course.n05c_transformers import tasks

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


ATTENTION_MISTAKES = {
    "no 1/sqrt(d_k)": ({"scale": False}, r"not divided by sqrt\(d_k\)"),
    "softmax over the queries": ({"axis": -2}, r"softmax runs over the queries.*sum to 1"),
    "mask ignored": ({"use_mask": False}, r"mask is ignored"),
    "mask inverted": ({"invert": True},
                      r"mask is inverted.*True marks the keys a query MAY look at"),
    "masked scores set to 0": ({"fill": 0.0}, r"score of 0.*exactly 0"),
    "masked scores set to -12": ({"fill": -12.0}, r"still get a small weight.*must be 0"),
    "mask applied after the softmax": ({"zero_after": True},
                                       r"zeroed after the softmax.*sum\s+to 1"),
    "no max subtracted": ({"stable": False}, r"large scores.*NaN or inf.*largest score"),
    "K.T on a batch": ({"batched": False}, r"batch .*last two axes"),
    "(weights, output) returned": ({"swap": True}, r"wrong way round"),
    "no mask argument": ({"no_mask_argument": True}, r"unexpected keyword argument 'mask'"),
}


@pytest.mark.parametrize("name", list(ATTENTION_MISTAKES))
def test_attention_mistake_catalogue(name, assert_named):
    kwargs, pattern = ATTENTION_MISTAKES[name]
    swap = kwargs.get("swap", False)
    options = {k: v for k, v in kwargs.items() if k not in ("swap", "no_mask_argument")}

    def wrong(Q, K, V, mask=None):
        with np.errstate(all="ignore"):
            out = attend(Q, K, V, mask, **options)
        return out[::-1] if swap else out

    def wrong_without_mask(Q, K, V):
        return attend(Q, K, V)

    assert_named(tasks.attention, wrong_without_mask if "no_mask_argument" in kwargs else wrong,
                 pattern=pattern)


def test_not_attempted_and_use_falls_back_to_nnlib():
    def placeholder(Q, K, V, mask=None):
        raise NotImplementedError()

    assert tasks.attention.check(placeholder).status == NOT_ATTEMPTED
    wrong = lambda Q, K, V, mask=None: attend(Q, K, V, mask, scale=False)  # noqa: E731
    assert tasks.attention.use(wrong, quiet=True) is tasks.attention._reference
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
