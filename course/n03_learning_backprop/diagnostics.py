"""Debugging habits before a long training run (notebook 03, after CS231n's "babysitting").

- ``output_scores``   the output layer's scores Z (before softmax or sigmoid)
- ``layer_values``    each layer's activations and each kernel's gradient, for histograms
- ``update_ratios``   how far one optimizer step moves each kernel, relative to its size
- ``overfit_tiny``    train on a handful of samples until the loss is (nearly) zero

The checks they support: the loss at initialisation is about ln C for C balanced classes
(the network guesses 1/C for each), a working model can memorise a tiny batch, and one
step changes each weight matrix by about 1e-3 of its size (far less: learning is slow;
far more: it is unstable).
"""

from __future__ import annotations

import numpy as np

from nnlib.model import MLP


def _forward_layers(model: MLP, X):
    """``[(Z_1, A_1), (Z_2, A_2), ...]`` of the layers after the input (no dropout)."""
    A = np.asarray(X, dtype=model.dtype)
    out = []
    for act, W, b in zip(model.activations, model.params[0::2], model.params[1::2]):
        Z = A @ W + b
        A = act.fn(Z)
        out.append((Z, A))
    return out


def output_scores(model: MLP, X):
    """The last layer's ``Z = A @ W + b``, before its activation.

    Returns
    -------
    ndarray of shape (n_samples, layer_sizes[-1])
    """
    return _forward_layers(model, X)[-1][0]


def layer_values(model: MLP, X, y, *, loss="mse"):
    """What a histogram per layer shows: activations and kernel gradients.

    Returns
    -------
    dict
        ``"activations"``: list of arrays, the outputs ``A_l`` of the hidden layers
        (n_samples, n_l); ``"gradients"``: list of ``dL/dW_l`` of every layer, same shapes
        as the kernels.
    """
    layers = _forward_layers(model, X)
    _, grads = model.loss_and_grads(X, y, loss=loss)
    return {"activations": [A for _, A in layers[:-1]], "gradients": grads[0::2]}


def update_ratios(model: MLP, X, y, optimizer, *, loss="mse"):
    """``|dW| / |W|`` of each kernel (Frobenius norms) for one step on ``(X, y)``.

    The model is not changed: the step is taken on a copy, with a fresh copy of
    ``optimizer``'s settings.
    """
    trial = model.copy()
    fresh = type(optimizer)(**optimizer.get_config())
    before = [W.copy() for W in trial.params[0::2]]
    _, grads = trial.loss_and_grads(X, y, loss=loss)
    fresh.step(trial.params, grads)
    return [float(np.linalg.norm(W - W0) / np.linalg.norm(W0))
            for W, W0 in zip(trial.params[0::2], before)]


def overfit_tiny(model: MLP, X, y, *, loss, optimizer, epochs=300, seed=None):
    """Train ``model`` on a few samples in one batch; return the loss history."""
    return model.fit(X, y, optimizer=optimizer, loss=loss, epochs=epochs,
                     batch_size=len(X), seed=seed)["loss"]
