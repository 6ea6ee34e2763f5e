"""The bigram model of notebook 05d: the next character from counts of the previous one.

``counts[a, b]`` is how often token ``b`` follows token ``a`` in the training text; the
model's probability is the row, normalised, after adding ``smoothing`` to every count
(add-one smoothing for 1): a pair the training text never showed keeps a small
probability instead of 0, whose logarithm would be minus infinity.
"""

from __future__ import annotations

import numpy as np


def bigram_counts(X, y, vocab_size):
    """``counts[a, b]``: how often ``b`` follows ``a``.

    Parameters
    ----------
    X : ndarray of shape (n_pairs, 1) or (n_pairs,), int
        The previous token of each pair (``text.contexts(..., 1)``).
    y : ndarray of shape (n_pairs,), int
        The next token.
    vocab_size : int

    Returns
    -------
    ndarray of shape (vocab_size, vocab_size), float
    """
    previous = np.asarray(X).reshape(-1)
    following = np.asarray(y).reshape(-1)
    if previous.shape != following.shape:
        raise ValueError(f"X and y must hold one pair each, got {previous.size} and "
                         f"{following.size} tokens")
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (previous, following), 1.0)
    return counts


def bigram_probabilities(counts, smoothing=1.0):
    """Each row of ``counts + smoothing``, divided by its sum.

    Raises
    ------
    ValueError
        If ``smoothing`` is negative, or a row is all zero (without smoothing).
    """
    if smoothing < 0:
        raise ValueError(f"smoothing must be >= 0. Received: smoothing={smoothing!r}")
    smoothed = np.asarray(counts, dtype=float) + smoothing
    totals = smoothed.sum(axis=1, keepdims=True)
    if np.any(totals == 0):
        raise ValueError("a token never seen before another has no probabilities without "
                         "smoothing: use smoothing > 0")
    return smoothed / totals


def negative_log_likelihood(probabilities, X, y):
    """The mean of ``-ln p(next | previous)`` over the pairs, in nats per character.

    ``inf`` if a pair has probability 0 (a pair never counted, without smoothing).
    """
    previous = np.asarray(X).reshape(-1)
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(probabilities[previous, np.asarray(y).reshape(-1)])))
