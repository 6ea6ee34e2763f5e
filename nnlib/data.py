"""Small data sets made on the spot, and the tools to split and batch them.

Everything is generated from a seed (``np.random.default_rng(seed)``), so the same
seed gives the same numbers on every machine, and nothing is downloaded.

Classification sets return ``X`` of shape ``(n_samples, 2)`` and integer labels
``y`` of shape ``(n_samples,)``; ``make_linear`` returns ``(n_samples, 1)`` columns.
"""

from __future__ import annotations

import numpy as np

from .validation import (
    as_float_array,
    check_in_range,
    check_positive,
    check_positive_int,
    check_same_length,
)


def make_linear(n_samples=100, *, slope=2.0, intercept=1.0, noise=0.1, seed=None):
    """The article's regression data: ``y = 2x + 1 + noise`` on ``x`` evenly spaced in [-1, 1].

    Parameters
    ----------
    n_samples : int, default=100
    slope, intercept : float, default=2.0, 1.0
    noise : float, default=0.1
        Standard deviation of the Gaussian noise (so the best possible MSE is about
        ``noise**2 = 0.01``).
    seed : int, numpy Generator or None

    Returns
    -------
    X : ndarray of shape (n_samples, 1)
    y : ndarray of shape (n_samples, 1)
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    X = np.linspace(-1.0, 1.0, n_samples).reshape(-1, 1)
    y = slope * X + intercept + noise * rng.standard_normal((n_samples, 1))
    return X, y


def _split_counts(n_samples, n_classes):
    counts = np.full(n_classes, n_samples // n_classes)
    counts[: n_samples % n_classes] += 1
    return counts


def make_moons(n_samples=200, *, noise=0.1, seed=None):
    """Two interleaving half circles (labels 0 and 1).

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), int
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    n0, n1 = _split_counts(n_samples, 2)
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * rng.standard_normal((n_samples, 2))
    y = np.repeat([0, 1], [n0, n1])
    return _shuffled(X, y, rng)


def make_circles(n_samples=200, *, noise=0.05, factor=0.5, seed=None):
    """A small circle (label 1) inside a large one (label 0).

    Parameters
    ----------
    factor : float, default=0.5
        Radius of the inner circle relative to the outer one, in (0, 1).
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    noise = check_positive(noise, "noise", allow_zero=True)
    factor = check_in_range(factor, "factor", 0.0, 1.0)
    rng = np.random.default_rng(seed)
    n0, n1 = _split_counts(n_samples, 2)
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = factor * np.column_stack([np.cos(t1), np.sin(t1)])
    X = np.vstack([outer, inner]) + noise * rng.standard_normal((n_samples, 2))
    y = np.repeat([0, 1], [n0, n1])
    return _shuffled(X, y, rng)


def make_xor(n_samples=200, *, noise=0.1, seed=None):
    """Points in the four quadrants of [-1, 1]^2; label 1 where ``x1 * x2 < 0``.

    No straight line separates the classes: the classic case for a hidden layer.
    Labels come from the clean points, then Gaussian noise of std ``noise`` is added.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(int)
    X = X + noise * rng.standard_normal(X.shape)
    return X, y


def make_imbalanced(n_samples=1000, *, positive_fraction=0.05, separation=2.0, seed=None):
    """Two overlapping Gaussian clouds where class 1 is rare (like fraud among payments).

    Class 0 is centred at (0, 0), class 1 at distance ``separation`` along the
    diagonal; both have unit standard deviation, so the clouds overlap.

    Parameters
    ----------
    n_samples : int, default=1000
    positive_fraction : float, default=0.05
        Share of samples in class 1, in (0, 1); the count is rounded (at least 1).
    separation : float, default=2.0
        Distance between the two centres (> 0); smaller means more overlap.
    seed : int, numpy Generator or None

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), int
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    positive_fraction = check_in_range(positive_fraction, "positive_fraction", 0.0, 1.0)
    if positive_fraction == 0.0:
        raise ValueError("positive_fraction must be > 0. Received: positive_fraction=0.0")
    separation = check_positive(separation, "separation")
    rng = np.random.default_rng(seed)
    n1 = min(max(1, int(round(positive_fraction * n_samples))), n_samples - 1)
    centre = np.full(2, separation / np.sqrt(2.0))
    X = rng.standard_normal((n_samples, 2))
    X[n_samples - n1 :] += centre
    y = np.repeat([0, 1], [n_samples - n1, n1])
    return _shuffled(X, y, rng)


def make_spirals(n_samples=200, *, n_classes=2, noise=0.1, turns=1.5, seed=None):
    """Interleaved spiral arms, one per class (labels 0 .. n_classes - 1).

    Parameters
    ----------
    n_classes : int, default=2
    turns : float, default=1.5
        How many full turns each arm makes around the centre.
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    noise = check_positive(noise, "noise", allow_zero=True)
    turns = check_positive(turns, "turns")
    rng = np.random.default_rng(seed)
    counts = _split_counts(n_samples, n_classes)
    parts, labels = [], []
    for k, n_k in enumerate(counts):
        r = np.linspace(0.05, 1.0, n_k)
        angle = 2 * np.pi * (turns * r + k / n_classes)
        parts.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
        labels.append(np.full(n_k, k))
    X = np.vstack(parts) + noise * rng.standard_normal((n_samples, 2))
    return _shuffled(X, np.concatenate(labels), rng)


def _shuffled(X, y, rng):
    order = rng.permutation(len(y))
    return X[order], y[order]


def one_hot(y, n_classes=None):
    """Integer labels ``(n_samples,)`` -> one-hot rows ``(n_samples, n_classes)``.

    >>> one_hot([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    y = np.asarray(y)
    if y.ndim != 1 or (y.size and (not np.issubdtype(y.dtype, np.integer) and
                                   not np.all(np.mod(y, 1) == 0))):
        raise ValueError(
            f"one_hot expects a 1-D array of integer labels, got shape {y.shape} "
            f"and dtype {y.dtype}."
        )
    y = y.astype(int)
    if y.size and y.min() < 0:
        raise ValueError(f"one_hot expects labels >= 0, got {y.min()}.")
    k = int(y.max()) + 1 if n_classes is None and y.size else n_classes
    if k is None or (y.size and y.max() >= k):
        raise ValueError(f"n_classes={n_classes} is too small for a label of {y.max()}.")
    out = np.zeros((y.size, k))
    out[np.arange(y.size), y] = 1.0
    return out


def train_test_split(X, y, *, test_size=0.25, shuffle=True, seed=None):
    """Split ``X`` and ``y`` into a training part and a held-out test part.

    Parameters
    ----------
    X : array_like of shape (n_samples, ...)
    y : array_like of shape (n_samples, ...)
    test_size : float in (0, 1) or int, default=0.25
        Fraction (or number) of samples that go to the test set.
    shuffle : bool, default=True
        Shuffle before splitting (otherwise the last samples are the test set).
    seed : int, numpy Generator or None

    Returns
    -------
    X_train, X_test, y_train, y_test
        In scikit-learn's order.
    """
    X = as_float_array(X, "X")
    y = np.asarray(y)
    check_same_length(X, y, "X", "y")
    n = X.shape[0]
    if isinstance(test_size, float):
        check_in_range(test_size, "test_size", 0.0, 1.0)
        n_test = int(np.ceil(test_size * n))
    else:
        n_test = check_positive_int(test_size, "test_size")
    if not 0 < n_test < n:
        raise ValueError(
            f"test_size={test_size} leaves {n_test} test and {n - n_test} training samples "
            f"out of {n}; both parts need at least one sample."
        )
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    train, test = order[: n - n_test], order[n - n_test :]
    return X[train], X[test], y[train], y[test]


def iterate_minibatches(X, y, batch_size=32, *, shuffle=True, seed=None):
    """Yield ``(X_batch, y_batch)`` pairs covering one epoch.

    Parameters
    ----------
    X : array_like of shape (n_samples, ...)
    y : array_like of shape (n_samples, ...)
    batch_size : int, default=32
    shuffle : bool, default=True
    seed : int, numpy Generator or None
    """
    X, y = np.asarray(X), np.asarray(y)
    check_same_length(X, y, "X", "y")
    batch_size = check_positive_int(batch_size, "batch_size")
    for idx in batch_indices(X.shape[0], batch_size, shuffle=shuffle, rng=seed):
        yield X[idx], y[idx]


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
