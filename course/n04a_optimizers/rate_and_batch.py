"""Practical tools for choosing how to train: a learning-rate range test, and
per-sample, mini-batch and full-batch gradient descent side by side.

Learning-rate range test (L. Smith, 2017): train one copy of the model for a few
hundred mini-batch steps while the learning rate grows geometrically from tiny to
huge, and record the loss at every step. The loss first barely moves (rate too
small), then falls fast (good rates), then shoots up (too large). A rate somewhat
below the one with the lowest loss is a good choice; ``suggested_rate`` takes the
lowest point's rate divided by 10, a common rule of thumb.

Batch sizes: the article's stochastic gradient descent updates the weights after
every sample (``batch_size=1``); full-batch descent after a pass over all data
(``batch_size=n``); mini-batches sit in between. ``compare_batch_sizes`` trains the
same starting model each way with the same optimizer settings and records the
training loss after every update and the time each epoch took.

Only numpy is used (and nnlib's numpy modules).
"""

from __future__ import annotations

import math
import time
from typing import NamedTuple

import numpy as np

from nnlib import losses as _losses
from nnlib import optimizers
from nnlib.optimizers import SGD
from nnlib.validation import check_positive, check_positive_int


class RangeTest(NamedTuple):
    """The result of ``lr_range_test``.

    Attributes
    ----------
    learning_rates : ndarray of shape (n_done,)
        The rate used at each step.
    loss : ndarray of shape (n_done,)
        The mini-batch loss at each step, before that step's update.
    smoothed : ndarray of shape (n_done,)
        ``loss`` smoothed by an exponential moving average (bias-corrected).
    suggested_rate : float
        The rate at the lowest smoothed loss, divided by 10.
    stopped_at : int or None
        The step (from 1) at which the smoothed loss passed ``stop_factor`` times its
        lowest value (or stopped being finite) and the test ended, or None.
    """

    learning_rates: np.ndarray
    loss: np.ndarray
    smoothed: np.ndarray
    suggested_rate: float
    stopped_at: int | None


def lr_range_test(model, X, y, *, loss="mse", optimizer="sgd", min_rate=1e-4, max_rate=10.0,
                  steps=200, batch_size=32, smoothing=0.9, stop_factor=4.0,
                  seed=None) -> RangeTest:
    """Sweep the learning rate geometrically during one short training run.

    The model itself is not changed: a copy is trained.

    Parameters
    ----------
    model : nnlib.MLP
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_outputs)
    loss : str, default="mse"
    optimizer : {"sgd", "adam"}, default="sgd"
        A fresh ``nnlib.optimizers.SGD()`` or ``Adam()`` whose ``learning_rate`` is set
        before every step.
    min_rate, max_rate : float, default=1e-4, 10.0
        The first and last rate; ``steps`` rates evenly spaced on a log scale.
    steps : int, default=200
    batch_size : int, default=32
    smoothing : float, default=0.9
        Weight of the past in the moving average, in [0, 1).
    stop_factor : float, default=4.0
        Stop once the smoothed loss exceeds this many times its lowest value.
    seed : int, numpy Generator or None, default=None
        Seeds the order of the mini-batches.

    Returns
    -------
    RangeTest

    Raises
    ------
    ValueError, TypeError
        For non-positive rates, ``max_rate <= min_rate``, fewer than 2 steps, an
        unknown optimizer or a smoothing outside [0, 1).
    """
    min_rate = check_positive(min_rate, "min_rate")
    max_rate = check_positive(max_rate, "max_rate")
    if not max_rate > min_rate:
        raise ValueError(f"max_rate must be above min_rate. Received: min_rate={min_rate!r}, "
                         f"max_rate={max_rate!r}")
    steps = check_positive_int(steps, "steps", minimum=2)
    batch_size = check_positive_int(batch_size, "batch_size")
    if not 0.0 <= smoothing < 1.0:
        raise ValueError(f"smoothing must be in [0, 1). Received: smoothing={smoothing!r}")
    stop_factor = check_positive(stop_factor, "stop_factor")
    opt = optimizers.get(optimizer)  # an unknown name: ValueError listing the valid ones
    net = model.copy()
    rates = np.geomspace(min_rate, max_rate, steps)
    values, smooth = [], []
    state = {"average": 0.0, "best": math.inf, "stopped_at": None}

    def before_update(k, value):  # MLP.fit's step_callback: record, stop, or set rate k
        if k > steps:
            return True
        state["average"] = smoothing * state["average"] + (1 - smoothing) * value
        smoothed = state["average"] / (1 - smoothing**k)
        values.append(value)
        smooth.append(smoothed)
        if not math.isfinite(smoothed) or smoothed > stop_factor * state["best"]:
            state["stopped_at"] = k
            return True
        state["best"] = min(state["best"], smoothed)
        opt.learning_rate = float(rates[k - 1])
        return False

    # enough epochs for steps + 1 calls of before_update (the last one stops)
    epochs = math.ceil((steps + 1) / math.ceil(len(X) / batch_size))
    net.fit(X, y, optimizer=opt, loss=loss, epochs=epochs, batch_size=batch_size, seed=seed,
            step_callback=before_update, warn=False)
    stopped_at = state["stopped_at"]
    smooth_arr = np.array(smooth)
    finite = np.where(np.isfinite(smooth_arr), smooth_arr, np.inf)
    suggested = float(rates[int(np.argmin(finite))] / 10.0)
    return RangeTest(rates[:len(values)], np.array(values), smooth_arr, suggested, stopped_at)


class BatchRun(NamedTuple):
    """One training run of ``compare_batch_sizes``.

    Attributes
    ----------
    batch_size : int
    samples_seen : ndarray of shape (n_updates + 1,)
        How many samples the optimizer had used before each recorded loss.
    loss : ndarray of shape (n_updates + 1,)
        Loss on the whole training set, at the start and after every update.
    epoch_loss : ndarray of shape (epochs,)
        Loss on the whole training set after each epoch.
    epoch_seconds : ndarray of shape (epochs,)
        Wall time of each epoch's updates (the recording of ``loss`` is not timed).
    """

    batch_size: int
    samples_seen: np.ndarray
    loss: np.ndarray
    epoch_loss: np.ndarray
    epoch_seconds: np.ndarray

    @property
    def updates_per_epoch(self) -> int:
        """Number of optimizer steps in one pass over the data."""
        return (len(self.loss) - 1) // len(self.epoch_loss)


def compare_batch_sizes(model, X, y, batch_sizes, *, loss="mse", learning_rate=0.05,
                        epochs=5, seed=None):
    """Train copies of ``model`` with plain SGD at several batch sizes.

    Parameters
    ----------
    model : nnlib.MLP
        The starting weights; each run trains its own copy.
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_outputs)
    batch_sizes : sequence of int
        E.g. ``[1, 32, len(X)]``: per-sample SGD, mini-batches, full batch.
    loss : str, default="mse"
    learning_rate : float, default=0.05
        The same ``SGD`` learning rate for every run.
    epochs : int, default=5
    seed : int, default=None
        Seeds the shuffling; every run uses the same seed.

    Returns
    -------
    list of BatchRun
        One per batch size, in the given order.

    Raises
    ------
    ValueError, TypeError
        For an empty or non-integer list of batch sizes, or bad ``learning_rate``/``epochs``.
    """
    learning_rate = check_positive(learning_rate, "learning_rate")
    epochs = check_positive_int(epochs, "epochs")
    sizes = [check_positive_int(b, "each batch size") for b in batch_sizes]
    if not sizes:
        raise ValueError("batch_sizes must list at least one batch size. Received: []")
    loss_name = _losses.get(loss).name
    return [_batch_run(model, X, y, batch_size, loss_name, learning_rate, epochs, seed)
            for batch_size in sizes]


def _batch_run(model, X, y, batch_size, loss_name, learning_rate, epochs, seed) -> BatchRun:
    """Train a copy of ``model`` with ``MLP.fit``, recording the loss after every update."""
    net = model.copy()
    n = len(X)
    # the batches of an epoch: all of batch_size, the last one what is left
    batch_of_step = [min(batch_size, n - start) for start in range(0, n, batch_size)]
    seen, curve = [0], [net.loss(X, y, loss=loss_name)]
    epoch_loss, seconds = [], []
    clock = {"mark": time.perf_counter(), "elapsed": 0.0, "pending": False}

    def record():  # the loss after the last update, on the whole training set
        seen.append(seen[-1] + batch_of_step[(len(seen) - 1) % len(batch_of_step)])
        curve.append(net.loss(X, y, loss=loss_name))
        clock["pending"] = False

    def before_update(k, value):  # MLP.fit's step_callback; recording is not timed
        clock["elapsed"] += time.perf_counter() - clock["mark"]
        if clock["pending"]:
            record()
        clock["pending"] = True
        clock["mark"] = time.perf_counter()

    def after_epoch(epoch, logs):  # MLP.fit's callback
        clock["elapsed"] += time.perf_counter() - clock["mark"]
        record()
        epoch_loss.append(curve[-1])
        seconds.append(clock["elapsed"])
        clock["elapsed"] = 0.0
        clock["mark"] = time.perf_counter()

    with np.errstate(over="ignore", invalid="ignore"):
        net.fit(X, y, optimizer=SGD(learning_rate=learning_rate), loss=loss_name,
                epochs=epochs, batch_size=batch_size, seed=seed, callback=after_epoch,
                step_callback=before_update, warn=False)
    return BatchRun(batch_size, np.array(seen), np.array(curve), np.array(epoch_loss),
                    np.array(seconds))


def final_loss_with_rate(model, X, y, learning_rate, *, loss="mse", epochs=30, batch_size=32,
                         seed=None) -> float:
    """Train a copy of ``model`` with plain ``SGD(learning_rate)``; return the last epoch's loss.

    A quick way to check a learning rate, e.g. the one ``lr_range_test`` suggests,
    against other rates from the same starting weights.

    Parameters
    ----------
    model : nnlib.MLP
        The starting weights (not changed: a copy is trained).
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_outputs)
    learning_rate : float
    loss : str, default="mse"
    epochs : int, default=30
    batch_size : int, default=32
    seed : int, default=None
        Seeds the order of the mini-batches.

    Returns
    -------
    float
        The training loss after the last epoch (``inf`` if training diverged; no
        warning is issued).
    """


    learning_rate = check_positive(learning_rate, "learning_rate")
    net = model.copy()
    history = net.fit(X, y, optimizer=SGD(learning_rate), loss=loss, epochs=epochs,
                      batch_size=batch_size, seed=seed, warn=False)
    if history.diverged or not history["loss"]:
        return math.inf
    return float(history["loss"][-1])


def share_of_updates_that_hurt(run) -> float:
    """The fraction of updates after which the training loss went up.

    Parameters
    ----------
    run : BatchRun or array_like of shape (n_updates + 1,)
        A ``compare_batch_sizes`` run (its ``loss``), or any loss curve.

    Returns
    -------
    float
        ``mean(diff(loss) > 0)``, in [0, 1]; 0.0 for fewer than two values.

    Examples
    --------
    >>> share_of_updates_that_hurt([3.0, 2.0, 2.5, 1.0, 0.5])
    0.25
    """
    loss = np.asarray(run.loss if isinstance(run, BatchRun) else run, dtype=float).ravel()
    if loss.size < 2:
        return 0.0
    return float(np.mean(np.diff(loss) > 0))
