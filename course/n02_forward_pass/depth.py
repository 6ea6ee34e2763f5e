"""Where training starts: why not all-equal weights, why Glorot (notebook 02).

- ``train_from_constant``: every weight starts at the same value, so the hidden neurons of
  a layer are twins, get the same gradient, and stay twins however long they train.
- ``depth_profile``: a deep stack of equal layers run on one batch from a given start;
  per layer, the spread of the activations and the size of the loss gradient of its
  kernel. Too small a start makes the activations shrink layer after layer and every
  gradient tiny (vanishing); too large a start saturates tanh and makes the gradients
  grow towards the first layers (exploding); Glorot's scale keeps them about level.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from nnlib import activations
from nnlib.model import MLP
from nnlib.optimizers import Adam


def train_from_constant(X, y, value, *, hidden=(8,), activation="tanh", epochs=100,
                        learning_rate=0.01, seed=0) -> MLP:
    """Train an ``MLP`` whose weights and biases all start at ``value``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_outputs)
    value : float
        The starting value of every weight and bias.
    hidden : tuple of int, default=(8,)
    activation : str, default="tanh"
        Activation of the hidden layers (the output is linear).
    epochs : int, default=100
    learning_rate : float, default=0.01
        Adam's learning rate; batches of 32, loss MSE.
    seed : int, default=0
        Seeds the batch order.

    Returns
    -------
    MLP
        The trained network.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    model = MLP([X.shape[1], *hidden, y.shape[1]], [activation] * len(hidden) + ["linear"],
                seed=seed)
    model.set_weights([np.full_like(p, float(value)) for p in model.get_weights()])
    model.fit(X, y, optimizer=Adam(learning_rate), epochs=epochs, seed=seed)
    return model


class DepthProfile(NamedTuple):
    """Per hidden layer: spread of the activations and size of the kernel's gradient.

    Both are ndarrays of shape (n_layers,).
    """

    activation_std: np.ndarray
    gradient_norm: np.ndarray


def depth_profile(X, y, *, n_layers=10, width=64, activation="tanh", scale="glorot",
                  seed=0) -> DepthProfile:
    """Run a deep stack of equal layers once, forward and backward, from a given start.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_outputs)
        Targets of an MSE loss (only its gradient is used).
    n_layers : int, default=10
        Hidden layers, each ``width`` neurons with ``activation``; a linear output follows.
    width : int, default=64
    activation : str, default="tanh"
    scale : "glorot" or float, default="glorot"
        ``"glorot"``: Keras' default start (``glorot_uniform``); a number: every kernel
        drawn from a normal distribution with that standard deviation. Biases are 0.
    seed : int, default=0

    Returns
    -------
    DepthProfile
        ``activation_std``, shape (n_layers,): the standard deviation of all of layer
        ``l``'s outputs (every sample and neuron of the batch); ``gradient_norm``, shape
        (n_layers,): the Frobenius norm of ``dL/dW`` of layer ``l``'s kernel.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if scale != "glorot" and (isinstance(scale, bool) or not isinstance(scale, numbers.Real)
                              or not scale > 0):
        raise ValueError(f"scale must be 'glorot' or a positive number. Received: scale={scale!r}")
    act = activations.get(activation)
    model = MLP([X.shape[1]] + [width] * n_layers + [y.shape[1]],
                [activation] * n_layers + ["linear"], seed=seed)
    rng = np.random.default_rng(seed)
    weights = []
    for W, b in zip(model.weights, model.biases):
        weights += [W if scale == "glorot" else rng.normal(0.0, scale, W.shape),
                    np.zeros_like(b)]
    model.set_weights(weights)
    A, stds = X, []
    for W in model.weights[:-1]:  # the hidden layers' forward pass, written out (biases are 0)
        A = act.fn(A @ W)
        stds.append(float(A.std()))
    _, grads = model.loss_and_grads(X, y, loss="mse")
    norms = [float(np.linalg.norm(dW)) for dW in grads[0::2][:-1]]
    return DepthProfile(np.array(stds), np.array(norms))
