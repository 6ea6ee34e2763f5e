"""Loss functions: how far the predictions ``y_hat`` are from the targets ``y``.

Every loss is a pure function ``loss(y, y_hat) -> float`` averaged over the batch,
with its gradient ``loss_grad(y, y_hat) -> dL/dy_hat`` of the same shape as
``y_hat``. Conventions follow Keras so the numbers agree:

- ``mse`` is the plain mean of squares over every entry (no factor 1/2);
- cross-entropies clip probabilities to ``[EPSILON, 1 - EPSILON]`` so ``log(0)``
  never happens, and have a ``from_logits=True`` form that works on the scores
  before the sigmoid/softmax, which is exact and stable even for scores of +-1000.

Shapes: ``y`` and ``y_hat`` are ``(n_samples, n_outputs)``; a 1-D ``y`` is read as
one column.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import activations
from .validation import as_float_array, unknown_name_error

EPSILON = 1e-7  # Keras' backend.epsilon(): how far probabilities are kept from 0 and 1


def _prepare(y, y_hat):
    """Check inputs of a public loss and return two float arrays of equal shape."""
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    if y.ndim == 1 and y_hat.ndim == 2 and y_hat.shape[1] == 1:
        y = y[:, None]
    if y.shape != y_hat.shape:
        raise ValueError(
            f"y and y_hat must have the same shape, got y.shape={y.shape} and "
            f"y_hat.shape={y_hat.shape}."
        )
    if y.size == 0:
        raise ValueError("y and y_hat are empty; a loss needs at least one sample.")
    return y, y_hat


def _n_samples(y):
    return y.shape[0] if y.ndim > 1 else y.size


# ---------------------------------------------------------------- mean squared error


def mse(y, y_hat) -> float:
    """Mean squared error.

    Parameters
    ----------
    y : array_like of shape (n_samples, n_outputs)
        Targets.
    y_hat : array_like of shape (n_samples, n_outputs)
        Predictions.

    Returns
    -------
    float

    Notes
    -----
    ``L = 1/N * sum_i (y_i - y_hat_i)^2`` over all ``N`` entries.
    """
    y, y_hat = _prepare(y, y_hat)
    return _mse(y, y_hat)


def mse_grad(y, y_hat):
    """Gradient of ``mse`` with respect to ``y_hat``: ``2 * (y_hat - y) / N``."""
    y, y_hat = _prepare(y, y_hat)
    return _mse_grad(y, y_hat)


def _mse(y, y_hat):
    d = y_hat - y
    return float(np.mean(d * d))


def _mse_grad(y, y_hat):
    return (y_hat - y) * (2.0 / y_hat.size)


# ---------------------------------------------------------------- binary cross-entropy


def _check_binary_labels(y):
    if np.any((y < 0) | (y > 1)):
        raise ValueError(
            "binary_cross_entropy expects targets y in [0, 1] (class 1 probability, "
            f"usually 0 or 1), got values from {y.min():g} to {y.max():g}."
        )


def binary_cross_entropy(y, y_hat, *, from_logits: bool = False) -> float:
    """Binary cross-entropy for yes/no targets.

    Parameters
    ----------
    y : array_like of shape (n_samples, n_outputs)
        Targets in [0, 1] (usually 0 or 1).
    y_hat : array_like of shape (n_samples, n_outputs)
        Predicted probabilities of class 1, or scores if ``from_logits=True``.
    from_logits : bool, default=False
        Whether ``y_hat`` holds scores ``z`` with ``p = sigmoid(z)``.

    Returns
    -------
    float

    Notes
    -----
    ``L = -1/N * sum_i [y_i log(p_i) + (1 - y_i) log(1 - p_i)]``, with ``p`` clipped to
    ``[1e-7, 1 - 1e-7]``. From logits the same value is computed as
    ``max(z, 0) - z*y + log(1 + exp(-|z|))``, which never overflows.
    """
    y, y_hat = _prepare(y, y_hat)
    _check_binary_labels(y)
    return _bce_logits(y, y_hat) if from_logits else _bce(y, y_hat)


def binary_cross_entropy_grad(y, y_hat, *, from_logits: bool = False):
    """Gradient of ``binary_cross_entropy`` with respect to ``y_hat``.

    For probabilities: ``(p - y) / (p (1 - p)) / N`` inside the clipping range, 0 outside.
    From logits: ``(sigmoid(z) - y) / N``.
    """
    y, y_hat = _prepare(y, y_hat)
    _check_binary_labels(y)
    return _bce_logits_grad(y, y_hat) if from_logits else _bce_grad(y, y_hat)


def _bce(y, p):
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _bce_grad(y, p):
    inside = (p > EPSILON) & (p < 1 - EPSILON)
    pc = np.clip(p, EPSILON, 1 - EPSILON)
    return inside * (pc - y) / (pc * (1 - pc)) / p.size


def _bce_logits(y, z):
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def _bce_logits_grad(y, z):
    return (activations.sigmoid(z) - y) / z.size


# ---------------------------------------------------------------- categorical cross-entropy


def _check_one_hot(y):
    if y.ndim != 2 or y.shape[1] < 2:
        raise ValueError(
            "categorical_cross_entropy expects one-hot targets of shape (n_samples, n_classes) "
            f"with n_classes >= 2, got y.shape={y.shape}. Turn integer class labels into "
            "one-hot rows with nnlib.data.one_hot(y)."
        )
    if np.any(y < 0) or not np.allclose(y.sum(axis=1), 1.0):
        raise ValueError(
            "categorical_cross_entropy expects each row of y to be a probability "
            "distribution (one-hot: a single 1, the rest 0); some rows have negative "
            "entries or do not sum to 1."
        )


def categorical_cross_entropy(y, y_hat, *, from_logits: bool = False) -> float:
    """Categorical cross-entropy for one-of-K targets.

    Parameters
    ----------
    y : array_like of shape (n_samples, n_classes)
        One-hot targets (each row sums to 1).
    y_hat : array_like of shape (n_samples, n_classes)
        Predicted class probabilities, or scores if ``from_logits=True``.
    from_logits : bool, default=False
        Whether ``y_hat`` holds scores ``z`` with ``p = softmax(z)``.

    Returns
    -------
    float

    Notes
    -----
    ``L = -1/n * sum_samples sum_classes y_k log(p_k)``, with ``p`` clipped to
    ``[1e-7, 1 - 1e-7]``. From logits, ``log(p) = z - max(z) - log(sum(exp(z - max(z))))``
    is used, which stays finite for any scores.
    """
    y, y_hat = _prepare(y, y_hat)
    _check_one_hot(y)
    return _cce_logits(y, y_hat) if from_logits else _cce(y, y_hat)


def categorical_cross_entropy_grad(y, y_hat, *, from_logits: bool = False):
    """Gradient of ``categorical_cross_entropy`` with respect to ``y_hat``.

    For probabilities: ``-y / p / n`` inside the clipping range. From logits:
    ``(softmax(z) - y) / n`` (for rows of ``y`` summing to 1).
    """
    y, y_hat = _prepare(y, y_hat)
    _check_one_hot(y)
    return _cce_logits_grad(y, y_hat) if from_logits else _cce_grad(y, y_hat)


def _cce(y, p):
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return float(-np.sum(y * np.log(p)) / _n_samples(y))


def _cce_grad(y, p):
    inside = (p > EPSILON) & (p < 1 - EPSILON)
    return -(inside * y) / np.clip(p, EPSILON, 1 - EPSILON) / _n_samples(y)


def _log_softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _cce_logits(y, z):
    return float(-np.sum(y * _log_softmax(z)) / _n_samples(y))


def _cce_logits_grad(y, z):
    return (activations.softmax(z) * np.sum(y, axis=-1, keepdims=True) - y) / _n_samples(y)


# ---------------------------------------------------------------- lookup by name


class Loss(NamedTuple):
    """A loss as used by ``MLP``: unchecked fast functions plus the fused logits form.

    Attributes
    ----------
    name : str
    value, grad : callables ``(y, y_hat)`` on already-checked arrays
    check_targets : callable ``(y)`` raising ``ValueError`` for a wrong label format
    output_activation : str or None
        The output activation this loss pairs with; with it, ``MLP`` uses
        ``value_from_logits``/``grad_from_logits`` on the scores, as Keras does.
    """

    name: str
    value: Callable
    grad: Callable
    check_targets: Callable
    output_activation: str | None = None
    value_from_logits: Callable | None = None
    grad_from_logits: Callable | None = None


def _no_check(y):
    return None


LOSSES = {
    "mse": Loss("mse", _mse, _mse_grad, _no_check),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy", _bce, _bce_grad, _check_binary_labels,
        "sigmoid", _bce_logits, _bce_logits_grad,
    ),
    "categorical_cross_entropy": Loss(
        "categorical_cross_entropy", _cce, _cce_grad, _check_one_hot,
        "softmax", _cce_logits, _cce_logits_grad,
    ),
}

# Keras' spellings, accepted so code can be copied across.
ALIASES = {
    "mean_squared_error": "mse",
    "binary_crossentropy": "binary_cross_entropy",
    "categorical_crossentropy": "categorical_cross_entropy",
}


def get(name) -> Loss:
    """Look a loss up by name (``"mse"``, ``"binary_cross_entropy"``, ...).

    Keras' spellings (``"binary_crossentropy"``, ``"mean_squared_error"``, ...) work too.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.
    """
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str):
        raise TypeError(f"A loss must be given by name, e.g. 'mse'. Received: {name!r}.")
    key = ALIASES.get(name.lower(), name.lower())
    if key not in LOSSES:
        raise unknown_name_error("loss", name, list(LOSSES) + list(ALIASES))
    return LOSSES[key]
