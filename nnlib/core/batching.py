"""Mini-batches: which samples each step of an epoch uses (``MLP.fit``, the data helpers)."""

from __future__ import annotations

import numpy as np


def batch_indices(n_samples, batch_size, *, shuffle=False, rng=None):
    """Yield the indices of each mini-batch of one epoch.

    The last batch keeps what is left, like Keras: 100 samples with
    ``batch_size=32`` give batches of 32, 32, 32 and 4.

    Yields
    ------
    ndarray of int
        The sample indices of one batch (in order without ``shuffle``), so ``len(idx)``
        and ``X[idx]`` work the same either way.
    """
    order = (np.random.default_rng(rng).permutation(n_samples) if shuffle
             else np.arange(n_samples))
    for start in range(0, n_samples, batch_size):
        yield order[start : start + batch_size]
