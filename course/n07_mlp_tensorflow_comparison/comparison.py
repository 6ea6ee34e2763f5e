"""The article's experiment (notebook 07) on the numpy side: train, summarise, compare.

The article fits ``y = 2x + 1 + noise`` with Dense(10, relu) -> Dense(5, relu) ->
Dense(1) trained by Adam on the mean squared error. This module trains that model
with nnlib, records the weights after every epoch (to compare them with Keras' step
for step), and reads the learned line back from the predictions.

Numpy only; the Keras side lives in ``keras_article``.
"""

from __future__ import annotations

import numpy as np

from nnlib.model import MLP
from nnlib.optimizers import Adam
from nnlib.validation import as_float_array, check_positive_int

ARTICLE_SIZES = [1, 10, 5, 1]
ARTICLE_ACTIVATIONS = ["relu", "relu", "linear"]

#: Adam hyperparameters that float32 represents exactly: with them, a float64 Keras model
#: and nnlib agree to rounding (Keras keeps the learning rate in a float32 variable).
EXACT_ADAM = {"learning_rate": 2**-7, "beta_1": 0.875, "beta_2": 1 - 2**-10, "epsilon": 2**-23}


def _float32(value):
    return float(np.float32(value))


class KerasRoundedAdam(Adam):
    """Adam with the roundings Keras 3 applies to its hyperparameters, in float64.

    Keras keeps the learning rate in a float32 variable, and it converts the betas to
    tensors before raising them to the power ``t`` for the bias correction, which goes
    through float32 as well. The other uses of the betas (``1 - beta``) and epsilon stay
    in float64. So with values float32 cannot hold (the defaults 0.001, 0.9, 0.999) a
    float64 Keras model follows::

        alpha = f32(lr) * sqrt(1 - f32(beta_2)**t) / (1 - f32(beta_1)**t)
        m := m + (g - m) * (1 - beta_1)
        v := v + (g*g - v) * (1 - beta_2)
        w := w - alpha * m / (sqrt(v) + epsilon)

    where ``f32(x)`` is ``x`` rounded to float32. With float32-exact values (e.g.
    ``EXACT_ADAM``) this is ``Adam`` exactly. Same parameters as ``nnlib.Adam``; only
    the rounding differs (``Adam.step_size`` holds the formula).
    """

    def _hyperparameter(self, value):
        return _float32(value)


def step_size_ratio(steps, *, learning_rate=0.001, beta_1=0.9, beta_2=0.999):
    """Keras' Adam step size over nnlib's, minus 1, at each step ``t = 1 .. steps``.

    Both use ``alpha_t = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)``; Keras rounds ``lr``,
    ``beta_1`` and ``beta_2`` to float32 first (see ``KerasRoundedAdam``). Rounding
    ``0.999`` changes it by only 1.3e-8, but ``1 - beta_2**t`` cancels most digits for
    small ``t``, so the relative difference of the step size is about a thousand times
    larger.

    Parameters
    ----------
    steps : int
        Number of optimizer steps.
    learning_rate, beta_1, beta_2 : float, default=0.001, 0.9, 0.999

    Returns
    -------
    ndarray of shape (steps,)
        ``alpha_keras(t) / alpha_nnlib(t) - 1``; all zeros for float32-exact values.
    """
    steps = check_positive_int(steps, "steps")
    t = np.arange(1, steps + 1, dtype=float)
    settings = {"learning_rate": learning_rate, "beta_1": beta_1, "beta_2": beta_2}
    return KerasRoundedAdam(**settings).step_size(t) / Adam(**settings).step_size(t) - 1


def _relu_masks(model, X):
    """``Z > 0`` of every hidden layer (all True for non-ReLU layers), and the weights."""
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an nnlib.MLP. Received: {type(model).__name__}")
    A = as_float_array(X, "X")
    if A.ndim != 2 or A.shape[1] != model.layer_sizes[0]:
        raise ValueError(f"X must have shape (n_samples, {model.layer_sizes[0]}). "
                         f"Received: {A.shape}")
    weights = model.get_weights()
    masks = []
    for layer, act in enumerate(model.activations[:-1]):
        Z = A @ weights[2 * layer] + weights[2 * layer + 1]
        masks.append(Z > 0 if act.name == "relu" else np.ones(Z.shape, bool))
        A = act.fn(Z)
    return masks, weights


def inactive_relus(model, X):
    """Hidden ReLU neurons whose input is negative (or 0) on every sample of ``X``.

    Such a neuron outputs 0 for all of the data, so no gradient reaches its weights:
    on this data it is "dead" and training cannot bring it back.

    Parameters
    ----------
    model : nnlib.MLP
    X : array_like of shape (n_samples, n_inputs)

    Returns
    -------
    list of int
        One count per hidden layer (0 for layers that are not ReLU).
    """
    masks, _ = _relu_masks(model, X)
    return [int(np.sum(~mask.any(axis=0))) for mask in masks]


def flat_share(model, X):
    """Share of the samples where a ReLU network's output does not change with ``x``.

    For a 1-input network whose hidden layers are ReLU (or linear), the slope
    ``d y_hat / d x`` at a sample is the product of the weight matrices with the
    inactive neurons removed. Where it is 0, every path from the input to the output
    is switched off: the prediction is a constant there and no gradient moves it.

    Parameters
    ----------
    model : nnlib.MLP
        One input, one output, hidden layers "relu" or "linear".
    X : array_like of shape (n_samples, 1)

    Returns
    -------
    float in [0, 1]
    """
    if model.layer_sizes[0] != 1 or model.layer_sizes[-1] != 1:
        raise ValueError(f"flat_share needs a network with 1 input and 1 output. "
                         f"Received: layer_sizes={model.layer_sizes}")
    names = {act.name for act in model.activations[:-1]}
    if not names <= {"relu", "linear"}:
        raise ValueError(f"flat_share needs relu or linear hidden layers. Received: {names}")
    masks, weights = _relu_masks(model, X)
    slope = np.ones((len(masks[0]) if masks else 1, 1))  # d x / d x, one row per sample
    for layer, mask in enumerate(masks):
        slope = (slope @ weights[2 * layer]) * mask  # d a_layer / d x
    slope = slope @ weights[-2]  # d y_hat / d x
    return float(np.mean(slope.ravel() == 0))


def article_mlp(seed=None, initial_weights=None) -> MLP:
    """The article's network in nnlib: ``MLP([1, 10, 5, 1], ["relu", "relu", "linear"])``.

    Parameters
    ----------
    seed : int, numpy Generator or None, default=None
        Seeds the Glorot-uniform initial weights.
    initial_weights : list of ndarray, optional
        ``[W1, b1, W2, b2, W3, b3]`` to start from (e.g. a Keras model's ``get_weights()``).
    """
    model = MLP(ARTICLE_SIZES, ARTICLE_ACTIVATIONS, seed=seed)
    if initial_weights is not None:
        model.set_weights(initial_weights)
    return model


def train_with_trajectory(model, X, y, *, optimizer=None, epochs=200, batch_size=32,
                          shuffle=True, seed=None):
    """``model.fit`` that also keeps a copy of the weights after every epoch.

    Parameters
    ----------
    model : nnlib.MLP
        Trained in place.
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, n_outputs)
    optimizer : nnlib optimizer, optional
        Default: ``Adam()`` with Keras' defaults (learning rate 0.001).
    epochs : int, default=200
    batch_size : int, default=32
    shuffle : bool, default=True
    seed : int, numpy Generator or None, default=None
        Seeds the shuffling.

    Returns
    -------
    history : nnlib.History
        ``history["loss"]``: mean loss per epoch.
    thetas : ndarray of shape (epochs_run + 1, n_params)
        Row 0 holds the starting weights, row ``e`` the weights after epoch ``e``
        (all parameters flattened in ``get_weights()`` order, as ``model.theta``).
    """
    thetas = [model.theta.copy()]

    def keep(epoch, logs):
        thetas.append(model.theta.copy())
        return False

    history = model.fit(X, y, optimizer=optimizer if optimizer is not None else Adam(),
                        loss="mse", epochs=epochs, batch_size=batch_size, shuffle=shuffle,
                        seed=seed, callback=keep)
    return history, np.array(thetas)


def learned_line(X, y_hat):
    """Slope and intercept of the least-squares line through a model's predictions.

    Parameters
    ----------
    X : array_like of shape (n_samples, 1)
    y_hat : array_like of shape (n_samples, 1) or (n_samples,)

    Returns
    -------
    slope, intercept : float
        Minimise ``sum((slope * x + intercept - y_hat)**2)``; for the article's data a
        good model gives about 2 and 1.
    """
    x = as_float_array(X, "X").ravel()
    y_hat = as_float_array(y_hat, "y_hat").ravel()
    if x.shape != y_hat.shape or x.size < 2:
        raise ValueError(f"X and y_hat must hold the same number (>= 2) of values. Received: "
                         f"X of shape {np.shape(X)}, y_hat of shape {np.shape(y_hat)}")
    slope, intercept = np.polyfit(x, y_hat, 1)
    return float(slope), float(intercept)


def relative_gap(a, b):
    """Largest ``|a - b|`` relative to the largest ``|b|``: ``max|a - b| / max|b|``.

    Parameters
    ----------
    a, b : array_like of the same shape
        E.g. weight trajectories of shape ``(n_epochs + 1, n_params)``. With 2-D input
        the gap is computed row by row (one value per row).

    Returns
    -------
    float or ndarray of shape (n_rows,)
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape. Received: {a.shape} and {b.shape}")
    if a.ndim == 2:
        return np.abs(a - b).max(axis=1) / np.maximum(np.abs(b).max(axis=1), 1e-300)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))


def final_mse_over_seeds(X, y, seeds, *, learning_rate=0.001, epochs=200, batch_size=32,
                         return_models=False):
    """Train the article's network once per seed and return each final training MSE.

    Parameters
    ----------
    X, y : ndarray of shape (n_samples, 1)
    seeds : sequence of int
        Each seed sets both the initial weights and the shuffling.
    learning_rate : float, default=0.001
    epochs : int, default=200
    batch_size : int, default=32

    return_models : bool, default=False
        Also return the trained networks.

    Returns
    -------
    mse : ndarray of shape (len(seeds),)
        MSE of the trained model on ``(X, y)`` (noise std 0.1 gives a floor near 0.01).
    models : list of nnlib.MLP
        Only with ``return_models=True``: the trained networks, in the order of ``seeds``.
    """
    epochs = check_positive_int(epochs, "epochs")
    out, models = [], []
    for seed in seeds:
        model = article_mlp(seed=seed)
        model.fit(X, y, optimizer=Adam(learning_rate=learning_rate), loss="mse", epochs=epochs,
                  batch_size=batch_size, seed=seed)
        out.append(model.loss(X, y))
        models.append(model)
    return (np.array(out), models) if return_models else np.array(out)
