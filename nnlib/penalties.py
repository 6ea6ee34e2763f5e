"""Weight penalties: L1 and L2 on the kernels, as Keras' ``kernel_regularizer``.

Summed over the kernels ``W`` of every layer (biases are not penalised)::

    L1 penalty = l1 * sum(|W|)        gradient l1 * sign(W)
    L2 penalty = l2 * sum(W**2)       gradient 2 * l2 * W

L2 pulls every weight towards 0 in proportion to its size; L1 pulls every weight by
the same amount ``l1``, so small weights reach 0 and stay there. This module is the
one place these formulas are written: ``MLP``'s loss and gradient use it, and so do
``course.n04b_regularization.regularization`` and the notebooks.
"""

from __future__ import annotations

import numpy as np

from .validation import check_positive


def _kernels(weights):
    if isinstance(weights, np.ndarray):
        return [weights]
    return [np.asarray(W, dtype=float) for W in weights]


def _l1(kernels, l1):
    return l1 * float(sum(np.abs(W).sum() for W in kernels))


def _l1_grad(W, l1):
    return l1 * np.sign(W)


def _l2(kernels, l2):
    return l2 * float(sum((W * W).sum() for W in kernels))


def _l2_grad(W, l2):
    return (2.0 * l2) * W


def l1_penalty(weights, l1) -> float:
    """``l1 * sum(|W|)`` over a list of kernels (or one array).

    Parameters
    ----------
    weights : ndarray or list of ndarray
        E.g. ``model.weights``.
    l1 : float
        Strength, >= 0.

    Examples
    --------
    >>> l1_penalty([np.array([[1.0, -2.0]])], 0.1)
    0.30000000000000004
    """
    return _l1(_kernels(weights), check_positive(l1, "l1", allow_zero=True))


def l1_penalty_grad(weights, l1):
    """The gradient of ``l1_penalty``: ``l1 * sign(W)`` for each kernel (list of arrays)."""
    l1 = check_positive(l1, "l1", allow_zero=True)
    return [_l1_grad(W, l1) for W in _kernels(weights)]


def l2_penalty(weights, l2) -> float:
    """``l2 * sum(W**2)`` over a list of kernels (or one array), Keras' L2 (no 1/2).

    Examples
    --------
    >>> l2_penalty([np.array([[1.0, -2.0]])], 0.1)
    0.5
    """
    return _l2(_kernels(weights), check_positive(l2, "l2", allow_zero=True))


def l2_penalty_grad(weights, l2):
    """The gradient of ``l2_penalty``: ``2 * l2 * W`` for each kernel (list of arrays)."""
    l2 = check_positive(l2, "l2", allow_zero=True)
    return [_l2_grad(W, l2) for W in _kernels(weights)]


def penalty(kernels, l1=0.0, l2=0.0) -> float:
    """``l1_penalty + l2_penalty`` of a list of kernels, for strengths already checked."""
    return (_l1(kernels, l1) if l1 else 0.0) + (_l2(kernels, l2) if l2 else 0.0)


def add_penalty_grads(kernels, grads, l1=0.0, l2=0.0):
    """Add the penalties' gradients to ``grads`` (one array per kernel, in place)."""
    for W, dW in zip(kernels, grads, strict=True):
        if l1:
            dW += _l1_grad(W, l1)
        if l2:
            dW += _l2_grad(W, l2)
