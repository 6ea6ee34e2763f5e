"""Mini-batches: which samples each step of an epoch uses (``MLP.fit``, the data helpers)."""

from __future__ import annotations

import numpy as np


def batch_indices(n_samples, batch_size, *, shuffle=False, rng=None):
    """Yield the indices of each mini-batch of one epoch.

    The last batch keeps what is left, like Keras: 100 samples with
    ``batch_size=32`` give batches of 32, 32, 32 and 4.

    Yields
    ------
    slice (no shuffle) or ndarray of int (shuffle)
    """
    if shuffle:
        order = np.random.default_rng(rng).permutation(n_samples)
        for start in range(0, n_samples, batch_size):
            yield order[start : start + batch_size]
    else:
        for start in range(0, n_samples, batch_size):
            yield slice(start, min(start + batch_size, n_samples))
