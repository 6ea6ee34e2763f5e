"""Weight initialisers: the random numbers a network starts from.

``glorot_uniform`` and ``zeros`` are Keras' ``Dense`` defaults, so a fresh nnlib layer is
drawn from the same distribution as a fresh Keras layer (the numbers differ: Keras has its
own RNG). ``he_uniform`` is Keras' initialiser of that name, made for ReLU layers.
"""

from __future__ import annotations

import numpy as np


def glorot_uniform(shape, rng=None, dtype=np.float64):
    """Glorot (Xavier) uniform initialiser.

    Parameters
    ----------
    shape : tuple of int (n_in, n_out)
        Shape of the kernel ``W``.
    rng : int, numpy Generator or None
        Seed or generator (normalised with ``np.random.default_rng``).
    dtype : numpy dtype, default=np.float64

    Returns
    -------
    W : ndarray of shape ``shape``

    Notes
    -----
    ``W ~ U(-limit, limit)`` with ``limit = sqrt(6 / (fan_in + fan_out))``: the
    variance ``limit^2 / 3 = 2 / (fan_in + fan_out)`` keeps signals from growing or
    shrinking layer after layer.
    """
    fan_in, fan_out = shape
    return _uniform(shape, np.sqrt(6.0 / (fan_in + fan_out)), rng, dtype)


def he_uniform(shape, rng=None, dtype=np.float64):
    """He (Kaiming) uniform initialiser, for layers followed by ReLU; its arguments and
    result are those of ``glorot_uniform``.

    ``W ~ U(-limit, limit)`` with ``limit = sqrt(6 / fan_in)``: the variance
    ``2 / fan_in`` makes up for ReLU zeroing half of its inputs, so the mean square of the
    activations stays the same from layer to layer.
    """
    fan_in, _ = shape
    return _uniform(shape, np.sqrt(6.0 / fan_in), rng, dtype)


def _uniform(shape, limit, rng, dtype):
    """``U(-limit, limit)`` of ``shape``, from a seed or generator ``rng``."""
    return np.random.default_rng(rng).uniform(-limit, limit, size=shape).astype(dtype,
                                                                                copy=False)


def zeros(shape, dtype=np.float64):
    """All-zero array, Keras' default for biases."""
    return np.zeros(shape, dtype=dtype)
