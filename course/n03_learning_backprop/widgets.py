"""Gradient descent by hand and by rule (notebook 03).

``be_the_optimizer``: you move ``w`` and ``b`` of a line and watch its MSE (and the
gradient). ``gradient_descent_explorer``: a learning-rate slider for gradient
descent on a one-parameter quadratic. The numbers come from ``course.descent``; the
figures, and how they change, are ``plots.LineFitFigure`` and
``plots.GradientDescentFigure``.
"""

from __future__ import annotations

import math

import ipywidgets as ipw
import numpy as np

from course import descent
from course.explorer import Explorer, log_slider

from .plots import GradientDescentFigure, LineFitFigure


class LineFitExplorer(Explorer):
    """The "be the optimizer" widget: sliders for the slope ``w`` and intercept ``b``.

    The line ``y_hat = w x + b`` is drawn over the data and its MSE is shown live.
    With ``show_gradient=True`` a second panel shows the contour lines of the MSE over
    ``(w, b)``, the current point, and the arrow ``-arrow_learning_rate * gradient``:
    the step gradient descent would take from here (downhill). The sliders update the
    picture while they are dragged (continuous updates: ~10 ms each).

    Parameters
    ----------
    X : array_like of shape (n_samples, 1)
    y : array_like of shape (n_samples, 1)
    w, b : float, default=0.0
        Starting slider values.
    show_gradient : bool, default=False
    arrow_learning_rate : float, default=0.25
        Scale of the arrow: it is one gradient-descent step with this learning rate.
    w_range, b_range : (float, float), default=(-2.0, 6.0) and (-3.0, 5.0)
        Slider ranges (and the extent of the contour plot).

    Attributes
    ----------
    w, b : float
        The current slider values.
    y_hat : ndarray of shape (n_samples, 1)
    mse : float
        ``course.descent.line_mse(w, b, X, y)``.
    best_mse : float
        The lowest MSE reached so far.
    grad : (float, float)
        ``(dL/dw, dL/db)`` from ``course.descent.line_mse_grad``.
    arrow : (float, float)
        The arrow's components ``-arrow_learning_rate * grad`` (drawn only with
        ``show_gradient``).
    loss_grid : ndarray of shape (121, 121) or None
        The MSE over the grid of ``(w, b)`` of the contour panel (None without
        ``show_gradient``).
    figure : plots.LineFitFigure
        The figure and its artists.
    message : str
        The MSE and the lowest so far, as plain text.
    readout : ipywidgets.HTML
        The MSE (and gradient) as text.
    """

    def __init__(self, X, y, *, w=0.0, b=0.0, show_gradient=False, arrow_learning_rate=0.25,
                 w_range=(-2.0, 6.0), b_range=(-3.0, 5.0)):
        self.X = np.asarray(X, float)
        self.y = np.asarray(y, float)
        descent.line_mse(w, b, self.X, self.y)  # validates X and y early
        self.show_gradient = bool(show_gradient)
        self.arrow_learning_rate = float(arrow_learning_rate)
        style = {"description_width": "initial"}
        self.controls = {
            "w": ipw.FloatSlider(value=w, min=w_range[0], max=w_range[1], step=0.05,
                               description="w (slope)", readout_format=".2f", style=style,
                               continuous_update=True),
            "b": ipw.FloatSlider(value=b, min=b_range[0], max=b_range[1], step=0.05,
                               description="b (intercept)", readout_format=".2f", style=style,
                               continuous_update=True),
        }
        self.controls["w"].add_class("w-slider")
        self.controls["b"].add_class("b-slider")
        self.readout = ipw.HTML()
        self.readout.add_class("mse-readout")
        self.best_mse = math.inf

        self._x_line = np.array([[self.X.min()], [self.X.max()]])  # the ends of the line
        contours = self.loss_grid = None
        if self.show_gradient:
            w_grid = np.linspace(*w_range, 121)
            b_grid = np.linspace(*b_range, 121)
            self.loss_grid = descent.line_mse_grid(w_grid, b_grid, self.X, self.y)
            contours = (w_grid, b_grid, self.loss_grid)
        self.figure = LineFitFigure(self.X, self.y, self._x_line, start=(w, b),
                                    contours=contours)
        self._start(self.figure.fig, dynamic=self.figure.dynamic, on_top=self.figure.legends)

    def update(self):
        self.w = float(self.controls["w"].value)
        self.b = float(self.controls["b"].value)
        self.y_hat = descent.line_predict(self.w, self.b, self.X)
        self.mse = descent.line_mse(self.w, self.b, self.X, self.y)
        self.best_mse = min(self.best_mse, self.mse)
        self.grad = descent.line_mse_grad(self.w, self.b, self.X, self.y)
        self.arrow = (-self.arrow_learning_rate * self.grad[0],
                      -self.arrow_learning_rate * self.grad[1])
        text = (f"MSE = <b>{self.mse:.4f}</b> &nbsp; (lowest so far: {self.best_mse:.4f})")
        if self.show_gradient:
            text += (f"<br>gradient: ∂L/∂w = {self.grad[0]:+.3f}, ∂L/∂b = {self.grad[1]:+.3f}"
                     f" &nbsp; → downhill: {_direction('w', self.grad[0])}, "
                     f"{_direction('b', self.grad[1])}")
        self.message = f"MSE = {self.mse:.4f} (lowest so far: {self.best_mse:.4f})"
        self.readout.value = text
        self.figure.show(descent.line_predict(self.w, self.b, self._x_line), self.mse,
                         self.w, self.b, self.arrow)
        self.view.redraw()


def _direction(name, derivative):
    if abs(derivative) < 5e-4:
        return f"{name} is fine"
    return f"{'decrease' if derivative > 0 else 'increase'} {name}"


def be_the_optimizer(X, y, *, w=0.0, b=0.0, show_gradient=False, **kwargs) -> LineFitExplorer:
    """Build the "be the optimizer" widget (see ``LineFitExplorer`` for all options).

    Examples
    --------
    >>> from course import descent
    >>> from nnlib.data import make_linear
    >>> X, y = make_linear(seed=0)
    >>> explorer = be_the_optimizer(X, y, show_gradient=True)
    >>> explorer.controls["w"].value = 2.0
    >>> explorer.grad == descent.line_mse_grad(2.0, 0.0, X, y)
    True
    """
    return LineFitExplorer(X, y, w=w, b=b, show_gradient=show_gradient, **kwargs)


class GradientDescentExplorer(Explorer):
    """Gradient descent on a one-parameter quadratic loss, with a learning-rate slider.

    The left panel shows the loss curve and the path of ``w`` on it; the right panel
    shows ``w`` after each step. A text on the plot says how the descent behaves:
    creeping, converging, oscillating, growing, or "diverged at step k". The sliders
    update the picture while they are dragged (continuous updates: ~15 ms each).

    Parameters
    ----------
    problem : course.descent.Quadratic1D, optional
        The loss; default ``Quadratic1D()``, i.e. ``L(w) = (w - 3)^2`` with ``L'' = 2``.
    w0 : float, default=-1.0
        The start (slider "start w0").
    learning_rate : float, default=0.05
        Starting value of the log-scale learning-rate slider (1e-3 up to about three
        times the stability limit ``2 / L''``).
    steps : int, default=20
        Starting value of the steps slider.
    max_steps : int, default=100
    w_range : (float, float), optional
        The ``w`` shown; default 5 on each side of the minimum.
    max_loss : float, default=1e6
        Passed to ``course.descent.gradient_descent_1d``: above it the descent is
        declared diverged.

    Attributes
    ----------
    path : course.descent.DescentPath
        The last computed path (``path.w``, ``path.loss``).
    diverged : bool
    diverged_at : int or None
        The step at which the loss passed ``max_loss``.
    message : str
        The text shown on the plot.
    figure : plots.GradientDescentFigure
        The figure and its artists (``figure.plot``: the loss curve and the path).
    """

    def __init__(self, problem=None, *, w0=-1.0, learning_rate=0.05, steps=20, max_steps=100,
                 w_range=None, max_loss=1e6):
        self.problem = problem if problem is not None else descent.Quadratic1D()
        self.max_loss = float(max_loss)
        limit = self.problem.stability_limit()
        if w_range is None:
            w_range = (self.problem.minimum - 5.0, self.problem.minimum + 5.0)
        style = {"description_width": "initial"}
        top = math.log10(3.0 * limit)
        self.controls = {
            "lr": log_slider(learning_rate, -3, top, 0.01,
                                   description="learning rate", readout_format=".3g",
                                   style=style, continuous_update=True),
            "steps": ipw.IntSlider(value=steps, min=1, max=max_steps, description="steps",
                                 style=style, continuous_update=True),
            "w0": ipw.FloatSlider(value=w0, min=w_range[0], max=w_range[1], step=0.1,
                                description="start w0", readout_format=".1f", style=style,
                                continuous_update=True),
        }
        for key, css in (("lr", "lr-slider"), ("steps", "steps-slider"), ("w0", "w0-slider")):
            self.controls[key].add_class(css)

        self.figure = GradientDescentFigure(
            self.problem, w_range=w_range, max_steps=max_steps,
            title=f"{_quadratic_label(self.problem)};  2/L'' = {limit:.3g}")
        self._start(self.figure.fig, dynamic=self.figure.dynamic, on_top=self.figure.legends)

    def update(self):
        lr = float(self.controls["lr"].value)
        steps = int(self.controls["steps"].value)
        w0 = float(self.controls["w0"].value)
        p = self.problem
        self.path = descent.gradient_descent_1d(p, p.grad, w0, lr, steps,
                                                max_loss=self.max_loss)
        self.diverged = self.path.diverged
        self.diverged_at = self.path.diverged_at
        self.message = _describe_descent(p, lr, self.path)
        self.figure.show(self.path, self.message, steps)
        self.view.redraw()


def _quadratic_label(problem):
    """``"L(w) = (w − 3)²"``, ``"L(w) = 0.34(w − 2.1)² + 1.02"``: the title of the curve."""
    a = "" if problem.a == 1 else f"{problem.a:.3g}"
    m = problem.minimum
    inner = "w" if m == 0 else (f"w − {m:.3g}" if m > 0 else f"w + {-m:.3g}")
    offset = "" if problem.offset == 0 else f" {'+' if problem.offset > 0 else '−'} " \
        f"{abs(problem.offset):.3g}"
    return f"L(w) = {a}({inner})²{offset}"


def _describe_descent(problem, lr, path):
    """The sentence shown on the plot: the path's ending plus why, from ``L''``."""
    limit = problem.stability_limit()
    factor = problem.step_factor(lr)
    if path.diverged:
        why = f"learning rate {lr:.3g} > 2/L'' = {limit:.3g}"
        return f"{path.message}\n{why}"
    if math.isclose(abs(factor), 1.0, rel_tol=1e-9) and factor < 0:
        how = "bounces between two points forever (learning rate = 2/L'')"
    elif abs(factor) > 1:
        how = (f"unstable: learning rate > 2/L'' = {limit:.3g}, the distance to the "
               f"minimum grows ×{abs(factor):.3g} per step")
    elif factor < 0:
        how = f"oscillates around the minimum, the distance shrinks ×{abs(factor):.3g} per step"
    elif factor == 0:
        how = "lands on the minimum in one step (learning rate = 1/L'')"
    elif factor > 0.95:
        how = f"crawls: the distance to the minimum shrinks only ×{factor:.3g} per step"
    else:
        how = f"converges from one side, the distance shrinks ×{factor:.3g} per step"
    return f"{how}\n{path.message}"


def gradient_descent_explorer(problem=None, *, w0=-1.0, learning_rate=0.05, steps=20,
                              **kwargs) -> GradientDescentExplorer:
    """Build the 1-D gradient-descent widget (see ``GradientDescentExplorer``).

    Examples
    --------
    >>> explorer = gradient_descent_explorer()          # L(w) = (w - 3)^2
    >>> explorer.controls["lr"].value = 1.5             # above 2/L'' = 1
    >>> explorer.diverged, explorer.diverged_at
    (True, 8)
    """
    return GradientDescentExplorer(problem, w0=w0, learning_rate=learning_rate, steps=steps,
                                   **kwargs)
