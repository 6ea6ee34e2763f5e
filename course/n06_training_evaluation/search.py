"""Hyperparameter tuning: grid search and random search over nnlib MLPs.

A *hyperparameter* is a choice made before training (learning rate, batch size,
number of layers and neurons); training does not change it. Tuning trains one model
per candidate setting on the training set and compares them on the **validation**
set; the test set stays untouched until the very end.

- ``grid``            every combination of candidate values (a list of settings)
- ``LogUniform``      a range to sample from at random on a log scale
- ``grid_search``     try every setting of a grid
- ``random_search``   try ``n_iter`` settings drawn at random

Beside it: ``trainer.MLPTrainer`` trains one MLP for a setting and returns its validation
loss; ``search_result.SearchResult`` is the table of results (the best setting, the total
time, ``pivot`` for a heat map over two hyperparameters); ``selection_bias`` shows why the
test set is touched once.

Everything is seeded: the same seed gives the same weights and batches for every
setting, so settings are compared on equal terms and results repeat exactly.
"""

from __future__ import annotations

import itertools
import math
import time

import numpy as np

from nnlib.validation import check_positive, check_positive_int

from .search_result import SearchResult
from .trainer import check_setting


def grid(**candidates) -> list[dict]:
    """Every combination of the candidate values, as a list of settings.

    Parameters
    ----------
    **candidates : list
        One list of values per hyperparameter, e.g.
        ``grid(learning_rate=[0.001, 0.01], n_layers=[1, 2])``.

    Returns
    -------
    list of dict
        ``prod(len(values))`` settings; the last hyperparameter varies fastest.

    Examples
    --------
    >>> grid(learning_rate=[0.1, 0.01], n_layers=[1, 2])
    [{'learning_rate': 0.1, 'n_layers': 1}, {'learning_rate': 0.1, 'n_layers': 2}, \
{'learning_rate': 0.01, 'n_layers': 1}, {'learning_rate': 0.01, 'n_layers': 2}]
    """
    if not candidates:
        raise ValueError("grid needs at least one hyperparameter, e.g. grid(learning_rate=[0.01]).")
    check_setting(dict.fromkeys(candidates))
    for name, values in candidates.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or not len(values):
            raise ValueError(f"{name} must be a non-empty list of candidate values. "
                             f"Received: {name}={values!r}")
    names = list(candidates)
    return [dict(zip(names, combo)) for combo in itertools.product(*candidates.values())]


class LogUniform:
    """A range ``[low, high]`` sampled uniformly on a log scale (for random search).

    Each power of ten is equally likely: ``LogUniform(1e-4, 1e-1)`` draws as many
    values between 1e-4 and 1e-3 as between 1e-2 and 1e-1.

    Parameters
    ----------
    low, high : float
        ``0 < low < high``.
    integer : bool, default=False
        Round the draws to integers (e.g. a number of neurons).
    """

    def __init__(self, low, high, *, integer=False):
        self.low = check_positive(low, "low")
        self.high = check_positive(high, "high")
        if not self.low < self.high:
            raise ValueError(f"LogUniform needs low < high. Received: low={low!r}, high={high!r}")
        self.integer = bool(integer)

    def sample(self, rng):
        """One draw, using the numpy Generator ``rng``."""
        value = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        return int(round(value)) if self.integer else float(value)

    def __repr__(self):
        kind = ", integer=True" if self.integer else ""
        return f"LogUniform({self.low:g}, {self.high:g}{kind})"


def sample_settings(space, n_iter, *, seed=None) -> list[dict]:
    """Draw ``n_iter`` settings at random from ``space``.

    Parameters
    ----------
    space : dict
        Hyperparameter name -> a list of values (one is picked uniformly) or a
        ``LogUniform`` range (or anything with ``sample(rng)``).
    n_iter : int
    seed : int, numpy Generator or None

    Returns
    -------
    list of dict
    """
    check_setting(space)
    n_iter = check_positive_int(n_iter, "n_iter")
    rng = np.random.default_rng(seed)
    settings = []
    for _ in range(n_iter):
        setting = {}
        for name, values in space.items():
            if hasattr(values, "sample"):
                setting[name] = values.sample(rng)
            elif hasattr(values, "__len__") and len(values) and not isinstance(values, str):
                pick = values[int(rng.integers(len(values)))]
                setting[name] = pick.item() if isinstance(pick, np.generic) else pick
            else:
                raise ValueError(f"space[{name!r}] must be a non-empty list or a LogUniform. "
                                 f"Received: {values!r}")
        settings.append(setting)
    return settings


def _run(objective, settings, method):
    if not callable(objective):
        raise TypeError(f"objective must be callable, e.g. an MLPTrainer. Received: {objective!r}")
    if not settings:
        raise ValueError("there are no settings to try.")
    for s in settings:
        check_setting(s)
    names = list(dict.fromkeys(k for s in settings for k in s))
    rows = []
    start = time.perf_counter()
    for setting in settings:
        t0 = time.perf_counter()
        out = objective(dict(setting))
        if not isinstance(out, dict) or "val_loss" not in out:
            raise TypeError("objective(setting) must return a dict with a 'val_loss' entry. "
                            f"Received: {out!r}")
        rows.append({**setting, **out, "seconds": time.perf_counter() - t0})
    return SearchResult(rows, names, time.perf_counter() - start, method)


def grid_search(objective, settings) -> SearchResult:
    """Try every setting of a grid; the best has the lowest validation loss.

    Parameters
    ----------
    objective : callable ``objective(setting) -> dict``
        Returns at least ``{"val_loss": float}`` (inf for a failed run), e.g. an
        ``MLPTrainer``.
    settings : list of dict or dict of lists
        The settings (e.g. from ``grid(...)``), or the candidate lists themselves
        (passed to ``grid``).

    Returns
    -------
    SearchResult
    """
    if isinstance(settings, dict):
        settings = grid(**settings)
    return _run(objective, list(settings), "grid")


def random_search(objective, space, n_iter, *, seed=None) -> SearchResult:
    """Try ``n_iter`` settings drawn at random from ``space`` (see ``sample_settings``).

    With the same budget as a grid, random search tries more distinct values of each
    hyperparameter: if only one of them matters, it explores that one much better.

    Returns
    -------
    SearchResult
    """
    return _run(objective, sample_settings(space, n_iter, seed=seed), "random")
