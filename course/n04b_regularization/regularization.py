"""Regularization: keeping a large network from memorising its training points.

The penalties are the ones of Keras' ``kernel_regularizer`` and of
``MLP.loss_and_grads(..., l1=, l2=)``, summed over the kernels ``W`` (biases are not
penalised)::

    L1 penalty = l1 * sum(|W|)        gradient l1 * sign(W)
    L2 penalty = l2 * sum(W**2)       gradient 2 * l2 * W

L2 pulls every weight towards 0 in proportion to its size (large weights shrink
most); L1 pulls every weight by the same amount ``l1``, so small weights reach 0 and
stay there. Dropout is the third tool: ``MLP(..., dropout=rate)`` switches off a
random fraction of the hidden neurons at each training step.

``overfitting_data`` makes the classroom setting (few noisy points from the smooth
curve ``true_curve``, plus many test points) and ``fit_regularized`` trains a large ``MLP`` on it.

Only numpy is used (and nnlib's numpy modules).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nnlib.losses import mse
from nnlib.model import MLP, History
from nnlib.optimizers import Adam
from nnlib.penalties import l1_penalty, l2_penalty
from nnlib.validation import check_positive, check_positive_int


def kernel_values(model) -> np.ndarray:
    """All kernel entries of an ``MLP`` as one flat vector (biases left out)."""
    return np.concatenate([W.ravel() for W in model.weights])


NEAR_ZERO = 1e-2
"""A weight with ``|w| <= NEAR_ZERO`` counts as "near zero" (notebook 04, its plots and
widget): L1 drives weights there, L2 only shrinks them towards it."""


def near_zero_fraction(values, tol=NEAR_ZERO) -> float:
    """The fraction of ``values`` with ``|value| <= tol`` (default ``NEAR_ZERO``)."""
    tol = check_positive(tol, "tol", allow_zero=True)
    values = np.asarray(values, dtype=float)
    return float(np.mean(np.abs(values) <= tol)) if values.size else 0.0


def true_curve(x):
    """The curve behind ``overfitting_data``: ``sin(2x)``, same shape as ``x``.

    Examples
    --------
    >>> float(true_curve(np.pi / 4))
    1.0
    """
    return np.sin(2.0 * np.asarray(x, dtype=float))


def overfitting_data(n_train=12, n_test=200, *, noise=0.3, seed=None):
    """Few noisy training points and many test points from ``y = true_curve(x) = sin(2x)``
    on [-1.5, 1.5].

    Parameters
    ----------
    n_train : int, default=12
    n_test : int, default=200
    noise : float, default=0.3
        Standard deviation of the Gaussian noise added to every ``y``.
    seed : int, numpy Generator or None, default=None

    Returns
    -------
    X_train : ndarray of shape (n_train, 1)
    y_train : ndarray of shape (n_train, 1)
    X_test : ndarray of shape (n_test, 1)
    y_test : ndarray of shape (n_test, 1)
    """
    n_train = check_positive_int(n_train, "n_train")
    n_test = check_positive_int(n_test, "n_test")
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    X_train = np.sort(rng.uniform(-1.5, 1.5, size=(n_train, 1)), axis=0)
    X_test = rng.uniform(-1.5, 1.5, size=(n_test, 1))
    y_train = true_curve(X_train) + noise * rng.normal(size=(n_train, 1))
    y_test = true_curve(X_test) + noise * rng.normal(size=(n_test, 1))
    return X_train, y_train, X_test, y_test


class RegularizedFit(NamedTuple):
    """The result of ``fit_regularized``: the trained ``model`` and its ``history``."""

    model: MLP
    history: History


def fit_regularized(X, y, *, validation_data=None, l1=0.0, l2=0.0, dropout=0.0,
                    layer_sizes=(1, 64, 64, 1), activations=("tanh", "tanh", "linear"),
                    epochs=600, learning_rate=0.02, seed=0, record_every=1) -> RegularizedFit:
    """Train a (large) ``MLP`` with full-batch Adam and the given regularization.

    The default network has two hidden layers of 64 tanh neurons and a linear output
    (4,353 parameters); every epoch is one Adam step on the whole training set. With
    12 noisy points and 600 epochs it interpolates them (training MSE far below the
    noise level) while the test MSE rises: clear overfitting.

    The same ``seed`` gives the same starting weights whatever the penalties, so two
    fits differ only by their regularization.

    Parameters
    ----------
    X : ndarray of shape (n_samples, layer_sizes[0])
    y : ndarray of shape (n_samples, layer_sizes[-1])
    validation_data : tuple (X_test, y_test), optional
        Evaluated after each epoch into ``history["val_loss"]`` (plain MSE plus penalty).
    l1, l2 : float, default=0.0
        Kernel penalties (see the module docstring).
    dropout : float, default=0.0
        Dropout rate after each hidden layer, in [0, 1).
    layer_sizes : sequence of int, default=(1, 64, 64, 1)
    activations : sequence of str, default=("tanh", "tanh", "linear")
    epochs : int, default=600
        Full-batch steps.
    learning_rate : float, default=0.02
        Adam's learning rate.
    seed : int, default=0
        Seeds the weights and the dropout masks.
    record_every : int, default=1
        Record the MSEs after every ``record_every``-th epoch only (and after the last):
        a plot of 600 epochs needs no more than ~120 points, and the recording takes
        most of the time of a fit.

    Returns
    -------
    RegularizedFit
        ``history`` also holds ``"train_mse"`` and ``"test_mse"``: the plain MSE
        (no penalty, no dropout) after each recorded epoch, listed in
        ``"mse_epochs"``. If training diverges,
        ``history.diverged`` is True and ``history.message`` says where (no warning
        is issued).
    """
    record_every = check_positive_int(record_every, "record_every")
    model = MLP(list(layer_sizes), list(activations), dropout=dropout, seed=seed)
    history_mse = {"train_mse": [], "test_mse": [], "mse_epochs": []}
    if validation_data is not None:
        history_mse["val_loss"] = []
    X, y = np.asarray(X, float), np.asarray(y, float)
    n_train = len(X)
    # One forward pass over the training and the test points together per record
    # (MLP.fit's validation_data would add one more): val_loss is the same plain MSE
    # plus the penalties.
    X_all, y_all = X, y
    if validation_data is not None:
        X_all, y_all = np.vstack([X, validation_data[0]]), np.vstack([y, validation_data[1]])

    def record(epoch, logs):
        if epoch % record_every and epoch != epochs:
            return
        y_hat = model.predict(X_all)
        history_mse["mse_epochs"].append(epoch)
        history_mse["train_mse"].append(mse(y_all[:n_train], y_hat[:n_train]))
        if validation_data is not None:
            test_mse = mse(y_all[n_train:], y_hat[n_train:])
            history_mse["test_mse"].append(test_mse)
            history_mse["val_loss"].append(test_mse + l1_penalty(model.weights, l1)
                                           + l2_penalty(model.weights, l2))

    history = model.fit(X, y, optimizer=Adam(learning_rate), epochs=epochs,
                        batch_size=len(X), shuffle=False, l1=l1, l2=l2, callback=record, warn=False)
    history.update(history_mse)
    return RegularizedFit(model, history)


def test_mse_over_draws(settings, seeds, *, n_train=12, noise=0.3, **fit_kwargs):
    """Final test MSE of ``fit_regularized`` for each setting, on several draws of the data.

    One draw of a dozen noisy points is one draw: whether a penalty helps on it is
    partly luck. For each seed, draw ``overfitting_data(n_train, noise=noise, seed=seed)``
    and train every setting on it from the same starting weights (``seed``).

    Parameters
    ----------
    settings : dict of str to dict
        Name -> keyword arguments of ``fit_regularized`` (``{}`` for no regularization),
        e.g. ``{"none": {}, "L2": {"l2": 3e-3}}``.
    seeds : sequence of int
        One draw of the data (and one starting point) per seed.
    n_train : int, default=12
    noise : float, default=0.3
    **fit_kwargs
        Passed to every ``fit_regularized`` call (``epochs``, ``layer_sizes``, ...).

    Returns
    -------
    dict of str to ndarray of shape (len(seeds),)
        The test MSE after the last epoch, per setting and draw.
    """
    seeds = [int(s) for s in seeds]
    if not seeds or not settings:
        raise ValueError(f"settings and seeds must not be empty. Received: "
                         f"settings={settings!r}, seeds={seeds}")
    results = {name: [] for name in settings}
    for seed in seeds:
        X, y, X_test, y_test = overfitting_data(n_train, noise=noise, seed=seed)
        for name, kwargs in settings.items():
            fit = fit_regularized(X, y, validation_data=(X_test, y_test), seed=seed,
                                  **fit_kwargs, **kwargs)
            results[name].append(fit.history["test_mse"][-1])
    return {name: np.array(values) for name, values in results.items()}
