"""The reversal task of notebook 05c, made on the spot (seeded, nothing downloaded).

``make_reverse_task``: short digit sequences and the same sequences reversed, batch-first.
"""

from __future__ import annotations

import numpy as np

from nnlib.validation import check_positive_int


def make_reverse_task(n_samples=4000, n_steps=8, *, n_symbols=10, seed=None):
    """Random digit sequences and the same sequences reversed.

    Parameters
    ----------
    n_samples : int, default=4000
    n_steps : int, default=8
    n_symbols : int, default=10
        Digits ``0 .. n_symbols - 1``.
    seed : int, numpy Generator or None

    Returns
    -------
    X : ndarray of int of shape (n_samples, n_steps)
    y : ndarray of int of shape (n_samples, n_steps)
        ``y[:, i] = X[:, n_steps - 1 - i]``: output position ``i`` needs the input at
        position ``n_steps - 1 - i``, so a model that learned the task attends along the
        anti-diagonal.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_steps = check_positive_int(n_steps, "n_steps", minimum=2)
    n_symbols = check_positive_int(n_symbols, "n_symbols", minimum=2)
    rng = np.random.default_rng(seed)
    X = rng.integers(0, n_symbols, size=(n_samples, n_steps))
    return X, X[:, ::-1].copy()
