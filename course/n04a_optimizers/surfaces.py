"""Two-parameter loss surfaces, and optimizers run on them step by step.

Notebook 04 watches optimizers walk on surfaces ``L(p)`` of a point ``p = (x, y)``,
where every step can be drawn:

- ``QuadraticBowl``: an elongated bowl ``L = (h_x x^2 + h_y y^2) / 2`` with known
  curvatures, so the largest stable learning rate of plain gradient descent is
  exactly ``2 / L`` with ``L = max(h_x, h_y)``;
- ``Rosenbrock``: a curved, flat-bottomed valley ``(a - x)^2 + b (y - x^2)^2``;
- ``TwoMinima``: ``(x^2 - 1)^2 + tilt * x + y^2 / 2``, a shallow and a deep valley.

``run_optimizer`` repeats the article's three steps (gradient at the current point,
step against it, repeat) with an optimizer from ``nnlib.optimizers`` and keeps every
point, the loss there, and whether (and when) the loss blew up.

Only numpy is used (and nnlib's numpy modules).
"""

from __future__ import annotations

import numpy as np

from course.descent import DescentPath, descend, stability_limit
from nnlib.validation import check_positive, check_positive_int, unknown_name_error


def _points(p):
    """``p`` as a float array whose last axis holds ``(x, y)``."""
    p = np.asarray(p, dtype=float)
    if p.shape[-1:] != (2,):
        raise ValueError(
            f"p must hold points (x, y) on its last axis, shape (2,) or (..., 2). "
            f"Received: shape {p.shape}"
        )
    return p


class Surface:
    """Base class: a loss of two parameters with its gradient.

    Subclasses define ``_value(x, y)`` and ``_grad(x, y)`` (arrays of any shape) and
    the attributes ``name``, ``xlim``, ``ylim`` (the window to draw), ``start`` (a
    good starting point) and ``minima`` (array of shape ``(n_minima, 2)``).
    """

    name = "surface"
    formula = ""
    xlim = (-2.0, 2.0)
    ylim = (-2.0, 2.0)
    start = (-1.5, 1.5)
    minima = np.zeros((1, 2))

    def __call__(self, p):
        """The loss at ``p``.

        Parameters
        ----------
        p : array_like of shape (2,) or (..., 2)

        Returns
        -------
        float or ndarray of shape p.shape[:-1]
        """
        p = _points(p)
        value = self._value(p[..., 0], p[..., 1])
        return float(value) if np.ndim(value) == 0 else value

    def grad(self, p):
        """The gradient ``(dL/dx, dL/dy)`` at ``p``, same shape as ``p``."""
        p = _points(p)
        gx, gy = self._grad(p[..., 0], p[..., 1])
        return np.stack([np.asarray(gx, float), np.asarray(gy, float)], axis=-1)

    @property
    def min_value(self) -> float:
        """The smallest value of the loss (at its global minimum)."""
        return float(min(self(m) for m in self.minima))

    def grid(self, n=121):
        """The loss on a regular grid over the drawing window, for contour plots.

        Parameters
        ----------
        n : int, default=121
            Points per axis.

        Returns
        -------
        xs : ndarray of shape (n,)
        ys : ndarray of shape (n,)
        values : ndarray of shape (n, n)
            ``values[i, j] = L(xs[j], ys[i])`` (rows follow y, as contour expects).
        """
        n = check_positive_int(n, "n", minimum=2)
        xs = np.linspace(*self.xlim, n)
        ys = np.linspace(*self.ylim, n)
        X, Y = np.meshgrid(xs, ys)
        return xs, ys, self._value(X, Y)

    def __repr__(self):
        return f"{type(self).__name__}()"


class QuadraticBowl(Surface):
    """The elongated bowl ``L(x, y) = (h_x x^2 + h_y y^2) / 2``, minimum 0 at (0, 0).

    Parameters
    ----------
    h_x : float, default=1.0
        Curvature along x, ``d^2L/dx^2`` (> 0).
    h_y : float, default=10.0
        Curvature along y, ``d^2L/dy^2`` (> 0). With ``h_y >> h_x`` the bowl is a
        narrow valley: the steep direction limits the learning rate while the flat
        one needs many steps.

    Notes
    -----
    One gradient-descent step multiplies ``x`` by ``1 - lr * h_x`` and ``y`` by
    ``1 - lr * h_y``. Both shrink exactly when ``lr < 2 / L`` with
    ``L = max(h_x, h_y)``, the largest curvature. With momentum ``beta`` the limit
    becomes ``2 (1 + beta) / L`` (see ``stability_limit``).

    Examples
    --------
    >>> bowl = QuadraticBowl()
    >>> bowl([1.0, 1.0]), bowl.stability_limit()
    (5.5, 0.2)
    """

    name = "quadratic bowl"

    def __init__(self, h_x=1.0, h_y=10.0):
        self.h_x = check_positive(h_x, "h_x")
        self.h_y = check_positive(h_y, "h_y")
        self.formula = f"L = ({self.h_x:g} x² + {self.h_y:g} y²) / 2"
        self.xlim = (-2.5, 2.5)
        self.ylim = (-2.0, 2.0)
        self.start = (-2.0, 1.5)
        self.minima = np.zeros((1, 2))

    @property
    def largest_curvature(self) -> float:
        """``L = max(h_x, h_y)``, the largest eigenvalue of the Hessian."""
        return max(self.h_x, self.h_y)

    def stability_limit(self, momentum=0.0) -> float:
        """The rate above which SGD (with ``momentum``) diverges: ``2 (1 + momentum) / L``."""
        return stability_limit(self.largest_curvature, momentum)

    @property
    def condition_number(self) -> float:
        """``kappa = L / mu``, largest over smallest curvature: how elongated the bowl is."""
        return max(self.h_x, self.h_y) / min(self.h_x, self.h_y)

    def best_settings(self):
        """The fastest ``(learning_rate, momentum)`` for plain SGD and for SGD with momentum.

        Returns
        -------
        list of two tuples
            ``[(2 / (L + mu), 0.0), (4 / (sqrt(L) + sqrt(mu))**2, beta)]`` with
            ``beta = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2``.

        Notes
        -----
        Each step shrinks the distance to the minimum by at best ``(kappa - 1) / (kappa + 1)``
        without momentum and ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)`` with it (Polyak's
        heavy ball): the number of steps grows like ``kappa`` without momentum and like
        ``sqrt(kappa)`` with it.
        """
        mu, L = min(self.h_x, self.h_y), max(self.h_x, self.h_y)
        root = np.sqrt(self.condition_number)
        return [(2.0 / (L + mu), 0.0),
                (4.0 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((root - 1) / (root + 1)) ** 2)]

    def convergence_rate(self, learning_rate, momentum=0.0, nesterov=False):
        """How much SGD with momentum shrinks the distance to the minimum per step, in the
        long run: the largest ``|z|`` over both directions, where ``z`` solves
        ``z^2 - (1 + momentum - learning_rate h) z + momentum = 0`` for the curvature ``h``
        (with ``nesterov=True``, ``z^2 - (1 + momentum)(1 - learning_rate h) z
        + momentum (1 - learning_rate h) = 0``).

        One direction with curvature ``h`` moves as
        ``w_{t+1} = w_t - learning_rate h w_t + momentum (w_t - w_{t-1})``; the roots of that
        recurrence's characteristic polynomial say how fast it shrinks (or grows, at 1 or
        more). Takes arrays of rates and momenta (broadcast together) and returns one rate
        for each pair: Distill's map of "Why Momentum Really Works".

        Examples
        --------
        >>> bowl = QuadraticBowl(h_x=1.0, h_y=9.0)   # kappa = 9: best rates 0.8 and 0.5
        >>> [round(float(bowl.convergence_rate(lr, beta)), 6) for lr, beta in bowl.best_settings()]
        [0.8, 0.5]
        """
        lr = np.asarray(learning_rate, dtype=float)
        beta = np.asarray(momentum, dtype=float)
        if np.any(lr <= 0) or np.any(beta < 0) or np.any(beta >= 1):
            raise ValueError("learning_rate must be > 0 and momentum in [0, 1). Received: "
                             f"learning_rate from {lr.min():g} to {lr.max():g}, momentum "
                             f"from {beta.min():g} to {beta.max():g}.")
        rates = []
        for h in (self.h_x, self.h_y):
            if nesterov:
                trace, product = (1.0 + beta) * (1.0 - lr * h), beta * (1.0 - lr * h)
            else:
                trace, product = 1.0 + beta - lr * h, beta
            disc = trace**2 - 4.0 * product
            real = np.sqrt(np.maximum(disc, 0.0))
            # complex roots (disc < 0) have |z| = sqrt(product); real ones (|trace| + root) / 2
            rates.append(np.where(disc < 0, np.sqrt(np.abs(product)),
                                  (np.abs(trace) + real) / 2.0))
        return np.maximum(*rates)

    def _value(self, x, y):
        return 0.5 * (self.h_x * x * x + self.h_y * y * y)

    def _grad(self, x, y):
        return self.h_x * x, self.h_y * y

    def __repr__(self):
        return f"QuadraticBowl(h_x={self.h_x:g}, h_y={self.h_y:g})"


class Rosenbrock(Surface):
    """Rosenbrock's valley ``L(x, y) = (a - x)^2 + b (y - x^2)^2``, minimum 0 at ``(a, a^2)``.

    Parameters
    ----------
    a : float, default=1.0
    b : float, default=100.0
        Steepness of the valley walls (> 0). The valley floor is nearly flat, which
        is why plain gradient descent crawls along it.
    """

    name = "Rosenbrock"

    def __init__(self, a=1.0, b=100.0):
        self.a = float(a)
        self.b = check_positive(b, "b")
        self.formula = f"L = ({self.a:g} − x)² + {self.b:g} (y − x²)²"
        self.xlim = (-2.0, 2.0)
        self.ylim = (-1.0, 3.0)
        self.start = (-1.5, 2.0)
        self.minima = np.array([[self.a, self.a**2]])

    def _value(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def _grad(self, x, y):
        inner = y - x * x
        return -2.0 * (self.a - x) - 4.0 * self.b * x * inner, 2.0 * self.b * inner

    def __repr__(self):
        return f"Rosenbrock(a={self.a:g}, b={self.b:g})"


class TwoMinima(Surface):
    """A double well ``L(x, y) = (x^2 - 1)^2 + tilt * x + y^2 / 2`` with two valleys.

    Parameters
    ----------
    tilt : float, default=0.3
        Tips the double well: with ``tilt > 0`` the valley at negative ``x`` is the
        deeper one (the global minimum), the one at positive ``x`` a local minimum.
        Must be below about 0.77 in size, or only one valley is left.

    Attributes
    ----------
    minima : ndarray of shape (2, 2)
        The global minimum first, then the local one (roots of ``4x^3 - 4x + tilt``).
    """

    name = "two minima"

    def __init__(self, tilt=0.3):
        self.tilt = float(tilt)
        roots = np.roots([4.0, 0.0, -4.0, self.tilt])
        real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
        if real.size != 3:
            raise ValueError(
                f"tilt must be small enough to leave two valleys (|tilt| < 0.76). "
                f"Received: tilt={tilt!r}"
            )
        ends = np.array([[real[0], 0.0], [real[2], 0.0]])  # the middle root is the hump
        order = np.argsort(self._value(ends[:, 0], ends[:, 1]))
        self.minima = ends[order]
        self.formula = f"L = (x² − 1)² + {self.tilt:g} x + y² / 2"
        self.xlim = (-2.0, 2.0)
        self.ylim = (-2.0, 2.0)
        self.start = (0.3, 1.8)

    def _value(self, x, y):
        return (x * x - 1.0) ** 2 + self.tilt * x + 0.5 * y * y

    def _grad(self, x, y):
        return 4.0 * x * (x * x - 1.0) + self.tilt, y

    def __repr__(self):
        return f"TwoMinima(tilt={self.tilt:g})"


SURFACES = {"quadratic bowl": QuadraticBowl, "Rosenbrock": Rosenbrock, "two minima": TwoMinima}


def get_surface(surface) -> Surface:
    """A ``Surface`` instance: pass one through, or build one by name (``SURFACES``)."""
    if isinstance(surface, Surface):
        return surface
    if isinstance(surface, str) and surface in SURFACES:
        return SURFACES[surface]()
    if isinstance(surface, str):
        raise unknown_name_error("surface", surface, SURFACES)
    raise TypeError(f"surface must be a Surface or one of {list(SURFACES)}. "
                    f"Received: {surface!r}")


# ---------------------------------------------------------------- optimizers on a surface

def run_optimizer(surface, optimizer, start, steps, *, max_loss=1e6) -> DescentPath:
    """Run an optimizer on a surface and keep every point (``descent.descend`` on it).

    Parameters
    ----------
    surface : Surface or str
        E.g. ``QuadraticBowl()`` or ``"Rosenbrock"``.
    optimizer : object with ``step(params, grads)``
        An nnlib optimizer (or one of the student's), used as given: its state carries
        on; pass a fresh one for a fresh run.
    start : array_like of shape (2,)
        The starting point ``(x, y)``.
    steps : int
        Number of updates (0 or more).
    max_loss : float, default=1e6
        The run counts as diverged, and stops, at the first step whose loss is above
        this value or is not finite. Must be above the loss at ``start``.

    Returns
    -------
    course.descent.DescentPath
        ``steps + 1`` points, or fewer if the run diverged.

    Raises
    ------
    ValueError, TypeError
        For an optimizer without ``step``, a start that is not 2 finite numbers, a
        negative number of steps, or a start whose loss is already above ``max_loss``.

    Examples
    --------
    >>> from nnlib.optimizers import SGD
    >>> run_optimizer(QuadraticBowl(), SGD(learning_rate=0.1), [1.0, 1.0], 1).points[1]
    array([0.9, 0. ])
    """
    surface = get_surface(surface)
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError("optimizer must have a step(params, grads) method, as "
                        f"nnlib.optimizers.SGD(0.1) has. Received: {optimizer!r}")
    p = np.array(start, dtype=float)
    if p.shape != (2,) or not np.all(np.isfinite(p)):
        raise ValueError(f"start must be two finite numbers (x, y). Received: start={start!r}")
    steps = check_positive_int(steps, "steps", minimum=0)
    max_loss = check_positive(max_loss, "max_loss")
    first = surface(p)
    if not first <= max_loss:
        raise ValueError(f"The loss at start must be below max_loss={max_loss:g}. "
                         f"Received: start={start!r}, where the loss is {first!r}.")
    return descend(surface, surface.grad, p, optimizer, steps, max_loss=max_loss)


def steps_to_reach(path, fraction):
    """The first step after which ``path``'s loss is below ``fraction`` of its start (or None).

    Parameters
    ----------
    path : course.descent.DescentPath
    fraction : float
        E.g. ``1e-8``: the loss has fallen a hundred-millionfold (for a surface whose
        minimum value is 0, such as ``QuadraticBowl``).

    Returns
    -------
    int or None
        The step ``k`` (``path.loss[k]``, counted from 1), or None if the path never
        gets there.
    """
    fraction = check_positive(fraction, "fraction")
    loss = np.asarray(path.loss, dtype=float)
    below = np.nonzero(loss < fraction * loss[0])[0]
    return int(below[0]) if below.size else None
