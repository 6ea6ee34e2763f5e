"""Sequence data made on the spot (seeded, nothing downloaded) for notebook 05b.

- ``noisy_periodic_series`` and ``make_windows``: a forecasting task.
- ``make_recall_task``: a task that needs a long memory (recall a marked value many
  steps later), where a plain RNN fails and an LSTM succeeds.

Sequences are batch-first: ``X`` has shape ``(n_samples, n_steps, n_features)``.
"""

from __future__ import annotations

import numpy as np

from nnlib.validation import as_float_array, check_positive, check_positive_int


def noisy_periodic_series(n_steps=600, *, period=40, noise=0.1, seed=None):
    """A sum of two sines plus Gaussian noise: a series with a pattern worth learning.

    Parameters
    ----------
    n_steps : int, default=600
    period : float, default=40
        Period of the main sine, in steps; a second sine with period ``period / 3`` and
        amplitude 0.5 rides on it.
    noise : float, default=0.1
        Standard deviation of the noise.
    seed : int, numpy Generator or None

    Returns
    -------
    t : ndarray of shape (n_steps,)
        Time steps ``0, 1, ..., n_steps - 1``.
    series : ndarray of shape (n_steps,)

    Notes
    -----
    .. math:: s_t = \\sin(2\\pi t / P) + 0.5 \\sin(6\\pi t / P) + \\varepsilon_t,
              \\quad \\varepsilon_t \\sim \\mathcal N(0, \\text{noise}^2)
    """
    n_steps = check_positive_int(n_steps, "n_steps")
    period = check_positive(period, "period")
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    t = np.arange(n_steps, dtype=float)
    clean = np.sin(2 * np.pi * t / period) + 0.5 * np.sin(6 * np.pi * t / period)
    return t, clean + noise * rng.standard_normal(n_steps)


def make_windows(series, window, *, horizon=1):
    """Cut a series into (past window, next value) pairs for one-step forecasting.

    Parameters
    ----------
    series : array_like of shape (n_steps,)
    window : int
        How many past values the model sees.
    horizon : int, default=1
        Predict the value ``horizon`` steps after the window's last one.

    Returns
    -------
    X : ndarray of shape (n_windows, window, 1)
        ``X[k] = series[k : k + window]``.
    y : ndarray of shape (n_windows, 1)
        ``y[k] = series[k + window + horizon - 1]``.

    Raises
    ------
    ValueError
        If the series is not 1-D or is shorter than ``window + horizon``.
    """
    series = as_float_array(series, "series", ndim=1)
    window = check_positive_int(window, "window")
    horizon = check_positive_int(horizon, "horizon")
    n = series.size - window - horizon + 1
    if n < 1:
        raise ValueError(
            f"series must be longer than window + horizon - 1 = {window + horizon - 1}. "
            f"Received: a series of {series.size} values"
        )
    idx = np.arange(n)[:, None] + np.arange(window)[None, :]
    X = series[idx][:, :, None]
    y = series[np.arange(n) + window + horizon - 1][:, None]
    return X, y


def make_recall_task(n_samples=4000, n_steps=40, *, seed=None):
    """Recall a marked value after many steps of distraction: a task that needs long memory.

    Each sequence has two features per step: a random value, and a marker that is 1 at
    a single step (somewhere in the first quarter of the sequence) and 0 elsewhere. The
    target is the value at the marked step. The model sees the answer once, early, and
    must carry it through all the later steps while ignoring the other values.

    Parameters
    ----------
    n_samples : int, default=4000
    n_steps : int, default=40
        Sequence length, at least 4; the value travels at least ``3 n_steps / 4`` steps.
    seed : int, numpy Generator or None

    Returns
    -------
    X : ndarray of shape (n_samples, n_steps, 2)
        ``X[..., 0]``: values uniform in [-1, 1]; ``X[..., 1]``: the marker (0 or 1).
    y : ndarray of shape (n_samples, 1)
        The marked value. Predicting 0 (the mean) gives an MSE of 1/3 (the variance of
        the uniform distribution); only a model that remembers does better.
    marked : ndarray of int of shape (n_samples,)
        The marked step of each sequence.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_steps = check_positive_int(n_steps, "n_steps", minimum=4)
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 1.0, size=(n_samples, n_steps))
    marked = rng.integers(0, n_steps // 4, size=n_samples)
    marker = np.zeros((n_samples, n_steps))
    rows = np.arange(n_samples)
    marker[rows, marked] = 1.0
    X = np.stack([values, marker], axis=-1)
    return X, values[rows, marked][:, None], marked
