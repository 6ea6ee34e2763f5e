"""Activation functions and their derivatives.

An activation ``f`` is applied after a layer's linear step ``Z = X @ W + b``:
``A = f(Z)``. Without it, a stack of layers would collapse into one linear map.

Each function comes with its derivative, named with the ``_grad`` suffix, so that
backpropagation can use the chain rule ``dZ = dA * f'(Z)``. Softmax mixes the
entries of a row, so its derivative is a Jacobian matrix per sample; backprop uses
``softmax_backward`` (a Jacobian-vector product) instead of building it.

Use ``get(name)`` to look an activation up by its Keras name.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from .validation import unknown_name_error

# ---------------------------------------------------------------- functions


def linear(z):
    """Identity: ``f(z) = z`` (Keras' ``"linear"``)."""
    return np.asarray(z)


def linear_grad(z):
    """Derivative of ``linear``: ``f'(z) = 1``."""
    return np.ones_like(z)


def relu(z):
    """Rectified linear unit: ``f(z) = max(0, z)``."""
    return np.maximum(z, 0)


def relu_grad(z):
    """Derivative of ReLU: 1 where ``z > 0``, else 0.

    Notes
    -----
    ReLU has a kink at ``z = 0``; like TensorFlow we use 0 there.
    """
    return (np.asarray(z) > 0).astype(np.result_type(z, np.float32))


def sigmoid(z):
    """Logistic sigmoid: ``sigma(z) = 1 / (1 + exp(-z))``.

    Notes
    -----
    Written as ``exp(-log(1 + exp(-z)))`` with ``np.logaddexp``, which never overflows:
    ``sigmoid(-1000)`` is 0.0 and ``sigmoid(1000)`` is 1.0, without warnings.
    """
    z = np.asarray(z)
    return np.exp(-np.logaddexp(0, -z))


def sigmoid_grad(z):
    """Derivative of the sigmoid: ``sigma'(z) = sigma(z) * (1 - sigma(z))``."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """Hyperbolic tangent: ``tanh(z) = (e^z - e^-z) / (e^z + e^-z)``."""
    return np.tanh(z)


def tanh_grad(z):
    """Derivative of tanh: ``1 - tanh(z)**2``."""
    t = np.tanh(z)
    return 1 - t * t


def softmax(z, axis: int = -1):
    """Softmax: turn each row of scores into probabilities that sum to 1.

    ``softmax(z)_i = exp(z_i) / sum_j exp(z_j)``

    Parameters
    ----------
    z : array_like of shape (n_samples, n_classes)
        Scores ("logits").
    axis : int, default=-1
        The axis along which the probabilities sum to 1.

    Notes
    -----
    Subtracting the row maximum first changes nothing mathematically
    (it cancels in the ratio) but keeps ``exp`` from overflowing for large scores.
    """
    z = np.asarray(z)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_grad(z):
    """Jacobian of softmax for every row.

    Parameters
    ----------
    z : array_like of shape (n_samples, n_classes)

    Returns
    -------
    J : ndarray of shape (n_samples, n_classes, n_classes)
        ``J[n, i, j] = d softmax(z)_i / d z_j = s_i * (delta_ij - s_j)``.
    """
    s = softmax(z)
    return s[:, :, None] * (np.eye(s.shape[-1]) - s[:, None, :])


def softmax_backward(z, dA):
    """Backpropagate ``dA = dL/dA`` through softmax without building the Jacobian.

    ``dZ = s * (dA - sum(dA * s, axis=1))``, which equals ``J^T @ dA`` row by row.
    """
    s = softmax(z)
    return s * (dA - np.sum(dA * s, axis=-1, keepdims=True))


# ---------------------------------------------------------------- lookup by name


class Activation(NamedTuple):
    """An activation with its derivative, as found by ``get(name)``.

    Attributes
    ----------
    name : str
    fn : callable ``f(Z) -> A``
    grad : callable ``f'(Z)`` (a Jacobian per row for softmax)
    backward : callable ``(Z, dA) -> dZ``, the chain rule through ``f``
    """

    name: str
    fn: Callable
    grad: Callable
    backward: Callable


def _elementwise_backward(grad):
    def backward(z, dA):
        return dA * grad(z)

    return backward


def _linear_backward(z, dA):
    return dA


ACTIVATIONS = {
    "linear": Activation("linear", linear, linear_grad, _linear_backward),
    "relu": Activation("relu", relu, relu_grad, _elementwise_backward(relu_grad)),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_grad, _elementwise_backward(sigmoid_grad)),
    "tanh": Activation("tanh", tanh, tanh_grad, _elementwise_backward(tanh_grad)),
    "softmax": Activation("softmax", softmax, softmax_grad, softmax_backward),
}


def get(name) -> Activation:
    """Look an activation up by name (``"relu"``, ``"sigmoid"``, ``"tanh"``, ...).

    Parameters
    ----------
    name : str or Activation
        One of ``ACTIVATIONS``' keys; ``None`` means ``"linear"`` as in Keras.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.
    """
    if isinstance(name, Activation):
        return name
    if name is None:
        name = "linear"
    if not isinstance(name, str):
        raise TypeError(
            f"An activation must be given by name, e.g. 'relu'. Received: {name!r} "
            f"of type {type(name).__name__}."
        )
    key = name.lower()
    if key not in ACTIVATIONS:
        raise unknown_name_error("activation", name, ACTIVATIONS)
    return ACTIVATIONS[key]
