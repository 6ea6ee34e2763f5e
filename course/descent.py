"""Gradient descent on small losses you can see.

Notebook 03 first lets the student play the optimizer on two tiny problems:

- a loss with one parameter, the quadratic ``L(w) = a (w - w*)^2 + c``, where every
  step of gradient descent can be followed on the curve;
- the mean squared error of a line ``y_hat = w x + b`` through the article's data,
  a bowl over the plane of ``(w, b)``.

Gradient descent repeats the article's update rule::

    w := w - learning_rate * dL/dw

On the quadratic, ``dL/dw = 2a (w - w*)``, so one step multiplies the distance to
the minimum by ``1 - learning_rate * L''`` with ``L'' = 2a``. The steps shrink (and
the descent converges) exactly when ``|1 - learning_rate * L''| < 1``, that is when
``learning_rate < 2 / L''``. Above that limit the distance grows at every step.

Only numpy is used (and nnlib's numpy modules).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from nnlib import losses as _losses
from nnlib.optimizers import SGD
from nnlib.validation import as_float_array, check_in_range, check_positive, check_positive_int

# ---------------------------------------------------------------- a loss with one parameter


class Quadratic1D:
    """The one-parameter loss ``L(w) = a (w - minimum)^2 + offset``.

    Parameters
    ----------
    a : float, default=1.0
        Steepness, > 0. The second derivative is ``L'' = 2a``.
    minimum : float, default=3.0
        The ``w`` where the loss is smallest.
    offset : float, default=0.0
        The smallest value of the loss.

    Examples
    --------
    >>> problem = Quadratic1D()            # L(w) = (w - 3)^2
    >>> problem(1.0), problem.grad(1.0)
    (4.0, -4.0)
    >>> problem.stability_limit()          # 2 / L''
    1.0
    """

    def __init__(self, a=1.0, minimum=3.0, offset=0.0):
        self.a = check_positive(a, "a")
        self.minimum = _check_finite(minimum, "minimum")
        self.offset = _check_finite(offset, "offset")

    @classmethod
    def from_line_through_origin(cls, X, y):
        """The MSE of the line ``y_hat = w x`` (no bias) on data ``(X, y)``, as a quadratic.

        Parameters
        ----------
        X : array_like of shape (n_samples, 1) or (n_samples,)
        y : array_like of shape (n_samples, 1) or (n_samples,)

        Returns
        -------
        Quadratic1D

        Notes
        -----
        ``L(w) = mean((w x - y)^2) = mean(x^2) w^2 - 2 mean(x y) w + mean(y^2)``, so
        ``a = mean(x^2)``, ``minimum = mean(x y) / mean(x^2)`` and
        ``offset = mean(y^2) - a * minimum^2``.
        """
        x, t = _line_data(X, y)
        a = float(np.mean(x * x))
        if a == 0.0:
            raise ValueError("X must not be all zeros: the loss would not depend on w.")
        minimum = float(np.mean(x * t)) / a
        return cls(a, minimum, float(np.mean(t * t)) - a * minimum**2)

    def __call__(self, w):
        """The loss ``a (w - minimum)^2 + offset`` (a float, or an array for an array ``w``)."""
        d = np.asarray(w, dtype=float) - self.minimum
        value = self.a * d * d + self.offset
        return float(value) if np.ndim(value) == 0 else value

    def grad(self, w):
        """The derivative ``dL/dw = 2a (w - minimum)``."""
        value = 2.0 * self.a * (np.asarray(w, dtype=float) - self.minimum)
        return float(value) if np.ndim(value) == 0 else value

    @property
    def second_derivative(self) -> float:
        """``L'' = 2a``, the same everywhere for a quadratic."""
        return 2.0 * self.a

    def stability_limit(self, momentum=0.0) -> float:
        """``2 (1 + momentum) / L''``: gradient descent converges for rates below this
        (``stability_limit`` of this curvature)."""
        return stability_limit(self.second_derivative, momentum)

    def step_factor(self, learning_rate) -> float:
        """What one step multiplies ``w - minimum`` by: ``1 - learning_rate * L''``.

        Between 0 and 1 the descent creeps towards the minimum from one side; between
        -1 and 0 it jumps across the minimum and back, getting closer; below -1 it
        jumps further out every time (divergence).
        """
        learning_rate = check_positive(learning_rate, "learning_rate")
        return 1.0 - learning_rate * self.second_derivative

    def __repr__(self):
        return f"Quadratic1D(a={self.a:g}, minimum={self.minimum:g}, offset={self.offset:g})"


def _check_finite(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a real number. Received: {name}={value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite. Received: {name}={value!r}")
    return value


# ---------------------------------------------------------------- gradient descent in 1-D


def stability_limit(curvature, momentum=0.0) -> float:
    """``2 (1 + momentum) / curvature``: on a quadratic whose largest curvature (second
    derivative, or Hessian eigenvalue) is ``curvature``, gradient descent with this
    ``momentum`` converges for learning rates below it and diverges above.

    >>> stability_limit(10.0), stability_limit(10.0, momentum=0.9)
    (0.2, 0.38)
    """
    momentum = check_in_range(momentum, "momentum", 0.0, 1.0)
    return 2.0 * (1.0 + momentum) / check_positive(curvature, "curvature")


class DescentPath(NamedTuple):
    """The result of ``descend`` (and of ``gradient_descent_1d``, ``surfaces.run_optimizer``).

    Attributes
    ----------
    points : ndarray of shape (n_done + 1, n_parameters)
        ``points[0]`` is the start, ``points[k]`` the point after step ``k``.
    loss : ndarray of shape (n_done + 1,)
        The loss at each point.
    diverged : bool
        True if the loss passed ``max_loss`` (or stopped being finite).
    diverged_at : int or None
        The step ``k`` (from 1) whose loss passed ``max_loss``; the path ends there.
    message : str
        One sentence saying how the descent ended.
    """

    points: np.ndarray
    loss: np.ndarray
    diverged: bool
    diverged_at: int | None
    message: str

    @property
    def w(self) -> np.ndarray:
        """The path of a one-parameter descent, ``points[:, 0]``."""
        return self.points[:, 0]

    def describe(self, minima=None) -> str:
        """How the descent ended, in a few words: ``message``; or, given the ``minima`` of
        the surface (the global one first), whether it reached one of them (within 0.05),
        barely moved, or is still on its way."""
        if self.diverged or minima is None:
            return self.message
        steps, end, loss = len(self.loss) - 1, self.points[-1], self.loss[-1]
        distances = np.linalg.norm(np.asarray(minima, dtype=float) - end, axis=1)
        k = int(np.argmin(distances))
        if distances[k] < 0.05:
            which = ("the minimum" if len(distances) == 1 else
                     "the global minimum" if k == 0 else "a local minimum (not the lowest)")
            return f"reached {which} in {steps} steps (loss {loss:.3g})"
        if abs(loss - self.loss[0]) < 1e-3 * max(abs(self.loss[0]), 1.0):
            return f"barely moved in {steps} steps (loss {loss:.3g})"
        return f"still on its way after {steps} steps (loss {loss:.3g})"


def descend(loss, grad, start, optimizer, steps, *, max_loss=1e6) -> DescentPath:
    """Let ``optimizer`` walk down ``loss`` from ``start`` and keep every point.

    Each step computes the gradient ``g`` at the current point ``p`` and calls
    ``optimizer.step([p], [g])``, which moves ``p`` in place. Inputs are checked by the
    callers (``gradient_descent_1d``, ``surfaces.run_optimizer``).

    Parameters
    ----------
    loss : callable ``loss(p) -> float``
    grad : callable ``grad(p) -> ndarray`` of ``p``'s shape
    start : ndarray of shape (n_parameters,)
    optimizer : object with ``step(params, grads)``
        An nnlib optimizer, or any with the same ``step``; used as given.
    steps : int
    max_loss : float, default=1e6
        The descent counts as diverged, and stops, at the first step whose loss is above
        this value or is not finite.
    """
    p = np.array(start, dtype=float)
    points, values = np.empty((steps + 1, p.size)), np.empty(steps + 1)
    points[0], values[0] = p, float(loss(p))
    diverged_at = None
    # Overflow is what we detect below: it must not print warnings.
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            optimizer.step([p], [np.asarray(grad(p), dtype=float)])
            points[k], values[k] = p, float(loss(p))
            if not values[k] <= max_loss:  # also catches NaN
                diverged_at = k
                break
    n = steps + 1 if diverged_at is None else diverged_at + 1
    points, values = points[:n], values[:n]
    if diverged_at is not None:
        shown = "not a number" if math.isnan(values[-1]) else f"{values[-1]:.3g}"
        message = f"diverged at step {diverged_at}: the loss reached {shown} (above {max_loss:.3g})"
    elif p.size == 1:
        message = f"{steps} step(s): w = {points[-1, 0]:.4g}, loss = {values[-1]:.4g}"
    else:
        message = (f"{steps} step(s): ends at ({', '.join(f'{v:.3g}' for v in points[-1])}), "
                   f"loss {values[-1]:.3g}")
    return DescentPath(points, values, diverged_at is not None, diverged_at, message)


def gradient_descent_1d(loss, grad, w0, learning_rate, steps, *, max_loss=1e6) -> DescentPath:
    """Run gradient descent on a loss of one parameter and keep every point.

    Parameters
    ----------
    loss : callable ``loss(w) -> float``
    grad : callable ``grad(w) -> float``
        The derivative ``dL/dw``.
    w0 : float
        Where to start.
    learning_rate : float
        The step size ``alpha`` > 0.
    steps : int
        How many updates ``w := w - alpha * grad(w)`` to make (0 or more).
    max_loss : float, default=1e6
        The descent counts as diverged, and stops, at the first step whose loss is
        above this value or is not a finite number. Must be above ``loss(w0)``.

    Returns
    -------
    DescentPath
        With ``steps + 1`` points (``path.w``), or fewer if the descent diverged.

    Raises
    ------
    ValueError, TypeError
        For a non-positive learning rate, a negative or non-integer number of steps,
        a non-finite start, or a start whose loss is already above ``max_loss``.

    Examples
    --------
    >>> p = Quadratic1D()                      # L(w) = (w - 3)^2
    >>> gradient_descent_1d(p, p.grad, 0.0, 0.25, 2).w
    array([0.  , 1.5 , 2.25])
    """
    w = _check_finite(w0, "w0")
    learning_rate = check_positive(learning_rate, "learning_rate")
    steps = check_positive_int(steps, "steps", minimum=0)
    max_loss = check_positive(max_loss, "max_loss")
    first = float(loss(w))
    if not first <= max_loss:
        raise ValueError(
            f"The loss at w0 must be finite and below max_loss={max_loss:g}. "
            f"Received: w0={w0!r}, where the loss is {first!r}."
        )
    return descend(lambda p: loss(p[0]), lambda p: [grad(p[0])], [w],
                   SGD(learning_rate=learning_rate), steps, max_loss=max_loss)


# ---------------------------------------------------------------- a line through the data


def _line_data(X, y):
    x = as_float_array(X, "X").reshape(-1)
    t = as_float_array(y, "y").reshape(-1)
    if x.size != t.size:
        raise ValueError(
            f"X and y must hold one value per sample each, got X.shape={np.shape(X)} and "
            f"y.shape={np.shape(y)}."
        )
    if x.size == 0:
        raise ValueError("X and y are empty; the loss needs at least one sample.")
    return x, t


def line_predict(w, b, X):
    """The line's predictions ``y_hat = w * X + b``, same shape as ``X``.

    Parameters
    ----------
    w, b : float
        Slope and intercept.
    X : array_like of shape (n_samples, 1) or (n_samples,)

    Returns
    -------
    ndarray, same shape as ``X``
    """
    return float(w) * as_float_array(X, "X") + float(b)


def line_mse(w, b, X, y) -> float:
    """The MSE of the line ``y_hat = w x + b`` on the data ``(X, y)``.

    Parameters
    ----------
    w, b : float
        Slope and intercept.
    X : array_like of shape (n_samples, 1) or (n_samples,)
    y : array_like of shape (n_samples, 1) or (n_samples,)

    Returns
    -------
    float
        ``nnlib.losses.mse(y, w * X + b)``.
    """
    x, t = _line_data(X, y)
    return _losses.mse(t, line_predict(w, b, x))


def line_mse_grad(w, b, X, y) -> tuple[float, float]:
    """The gradient ``(dL/dw, dL/db)`` of ``line_mse``, worked out by hand.

    Returns
    -------
    (dL_dw, dL_db) : tuple of float

    Notes
    -----
    With the residuals ``r_i = w x_i + b - y_i`` and ``L = 1/n sum_i r_i^2``::

        dL/dw = 2/n sum_i r_i x_i
        dL/db = 2/n sum_i r_i
    """
    x, t = _line_data(X, y)
    r = float(w) * x + float(b) - t
    return 2.0 * float(np.mean(r * x)), 2.0 * float(np.mean(r))


def line_mse_grid(w_values, b_values, X, y):
    """The MSE of ``y_hat = w x + b`` for every pair on a grid, for contour plots.

    Parameters
    ----------
    w_values : array_like of shape (n_w,)
    b_values : array_like of shape (n_b,)
    X, y : array_like of shape (n_samples, 1) or (n_samples,)

    Returns
    -------
    ndarray of shape (n_b, n_w)
        Entry ``[i, j]`` is ``line_mse(w_values[j], b_values[i], X, y)`` (rows follow
        ``b``, as ``matplotlib.pyplot.contour(w_values, b_values, grid)`` expects).
    """
    x, t = _line_data(X, y)
    w = as_float_array(w_values, "w_values", ndim=1)
    b = as_float_array(b_values, "b_values", ndim=1)
    r = w[None, :, None] * x[None, None, :] + b[:, None, None] - t[None, None, :]
    return np.mean(r * r, axis=-1)
