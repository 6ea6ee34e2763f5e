"""Gradient checking: compare backpropagation with finite differences.

A derivative is a limit of slopes, so we can estimate it by nudging one number at
a time and watching the loss (central differences)::

    dL/dtheta_i  ~  (L(theta_i + h) - L(theta_i - h)) / (2h)

The error of this estimate shrinks like ``h**2``. Backprop is right when the two
agree: a relative error around 1e-7 or below is good, above 1e-2 means a bug.
ReLU's kink at 0 can cause a false alarm if a nudge crosses it.
"""

from __future__ import annotations

import numpy as np


def numerical_gradient(f, x, h=1e-6):
    """Estimate the gradient of a scalar function by central differences.

    Parameters
    ----------
    f : callable
        ``f()`` returns a float and reads ``x`` (which is modified in place and restored),
        or ``f(x)`` if it takes one argument.
    x : ndarray
        The point, a float array (changed temporarily, restored on return).
    h : float, default=1e-6
        The nudge.

    Returns
    -------
    grad : ndarray, same shape as ``x``
    """
    x = np.asarray(x)
    if x.dtype.kind != "f":
        raise TypeError(f"x must be a float array so it can be nudged, got dtype {x.dtype}.")
    try:
        import inspect

        takes_arg = len(inspect.signature(f).parameters) > 0
    except (TypeError, ValueError):
        takes_arg = True
    call = (lambda: f(x)) if takes_arg else f
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = float(call())
        flat[i] = old - h
        down = float(call())
        flat[i] = old
        gflat[i] = (up - down) / (2 * h)
    return grad


def relative_error(a, b, tiny=1e-12) -> float:
    """``max|a - b| / max(|a| + |b|)``: scale-free distance between two gradients."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}.")
    scale = max(float(np.max(np.abs(a) + np.abs(b), initial=0.0)), tiny)
    return float(np.max(np.abs(a - b), initial=0.0)) / scale


def check_model_gradients(model, X, y, *, loss="mse", l1=0.0, l2=0.0, h=1e-6):
    """Compare ``model.loss_and_grads`` with central differences, parameter by parameter.

    Parameters
    ----------
    model : nnlib.MLP
    X, y : arrays as for ``model.loss_and_grads``
    loss : str, default="mse"
    l1, l2 : float, default=0.0
    h : float, default=1e-6

    Returns
    -------
    list of dict
        One row per parameter (``"W1"``, ``"b1"``, ...) with ``shape``,
        ``max_abs_diff`` and ``relative_error``. Dropout is off (a gradient check
        needs a deterministic loss).
    """
    _, grads = model.loss_and_grads(X, y, loss=loss, l1=l1, l2=l2)
    rows = []
    for i, (p, g) in enumerate(zip(model.params, grads)):
        num = numerical_gradient(lambda: model.loss(X, y, loss=loss, l1=l1, l2=l2), p, h=h)
        name = f"{'W' if i % 2 == 0 else 'b'}{i // 2 + 1}"
        rows.append({
            "param": name,
            "shape": p.shape,
            "max_abs_diff": float(np.max(np.abs(num - g))),
            "relative_error": relative_error(num, g),
        })
    return rows
