"""Plots of losses and of gradient descent on them (notebook 03), and the figures of
its widgets (``LineFitFigure``, ``GradientDescentFigure``).

The loss values come from ``nnlib.losses``, or are passed in (a grid from
``course.descent.line_mse_grid``, a problem such as ``course.descent.Quadratic1D``);
this module only draws.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from course.explorer import boxed_legend
from course.figures import OKABE_ITO, new_axes, plot_fit
from nnlib import losses


def plot_loss_vs_prediction(target=1.0, ax=None, *, n_points=199, y_max=5.0):
    """MSE and binary cross-entropy of a single prediction ``y_hat`` in (0, 1).

    Parameters
    ----------
    target : {0.0, 1.0}, default=1.0
        The true label ``y``.
    ax : matplotlib Axes, optional
    n_points : int, default=199
        Predictions evenly spaced strictly between 0 and 1.
    y_max : float, default=5.0
        Upper limit of the y axis (cross-entropy grows without bound towards the
        wrong end).

    Returns
    -------
    ax : matplotlib Axes
        Its two lines (MSE first) hold the values from ``nnlib.losses``.
    """
    if target not in (0, 1):
        raise ValueError(f"target must be 0 or 1. Received: target={target!r}")
    fig, ax = new_axes(ax)
    p = np.linspace(0.0, 1.0, n_points + 2)[1:-1]
    y = [[float(target)]]
    mse = [losses.mse(y, [[v]]) for v in p]
    bce = [losses.binary_cross_entropy(y, [[v]]) for v in p]
    every = max(1, n_points // 12)
    ax.plot(p, mse, color=OKABE_ITO["blue"], linestyle="-", marker="o", markevery=every,
            label=r"MSE $(y - \hat y)^2$")
    ax.plot(p, bce, color=OKABE_ITO["vermillion"], linestyle="--", marker="s", markevery=every,
            label=r"cross-entropy $-\log \hat y$" if target == 1 else
            r"cross-entropy $-\log (1 - \hat y)$")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, y_max)
    ax.set_xlabel(r"prediction $\hat y$")
    ax.set_ylabel("loss")
    ax.set_title(f"Loss of one prediction when the true label is y = {target:g}")
    ax.legend()
    return ax


def plot_loss_contour(w_values, b_values, loss_grid, ax=None, *, levels=12, title=None):
    """Contour lines of a loss over the plane of two parameters ``(w, b)``.

    Parameters
    ----------
    w_values : array_like of shape (n_w,)
    b_values : array_like of shape (n_b,)
    loss_grid : array_like of shape (n_b, n_w)
        E.g. ``course.descent.line_mse_grid(w_values, b_values, X, y)``.
    ax : matplotlib Axes, optional
    levels : int, default=12
        Number of contour lines, spaced evenly on a log scale (so the bottom of the
        bowl gets lines too).
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    grid = np.asarray(loss_grid, float)
    low, high = float(grid.min()), float(grid.max())
    low = max(low, high * 1e-6, np.finfo(float).tiny)
    values = np.geomspace(low * 1.05, high, levels) if high > low * 1.05 else levels
    cs = ax.contour(w_values, b_values, grid, levels=values, cmap="viridis", linewidths=1.2)
    ax.clabel(cs, cs.levels[::2], fmt="%.2g", fontsize=8)
    ax.set_aspect("equal")
    ax.set_xlabel("w (slope)")
    ax.set_ylabel("b (intercept)")
    ax.grid(False)
    ax.set_title(title or "MSE over (w, b)")
    return ax


class DescentPlot:
    """A one-parameter loss curve with a gradient-descent path drawn on it.

    Build once, then call ``show(path)`` for each new path: only the artists change.

    Parameters
    ----------
    problem : callable ``problem(w)``
        The loss, e.g. ``course.descent.Quadratic1D()``; called on an array of ``w``.
    ax : matplotlib Axes, optional
    w_range : (float, float), optional
        The ``w`` shown; default: 5 on each side of ``problem.minimum`` (or of 0).

    Attributes
    ----------
    curve, path_line, start, end : matplotlib Line2D
    text : matplotlib Text
        How the descent ended (``path.message``); red when it diverged.
    """

    def __init__(self, problem, ax=None, *, w_range=None):
        fig, ax = new_axes(ax)
        if w_range is None:
            centre = float(getattr(problem, "minimum", 0.0))
            w_range = (centre - 5.0, centre + 5.0)
        self.ax = ax
        ws = np.linspace(*w_range, 301)
        values = np.asarray(problem(ws), float)
        (self.curve,) = ax.plot(ws, values, color=OKABE_ITO["black"], linestyle="-", marker="",
                                linewidth=1.5, label="loss L(w)")
        (self.path_line,) = ax.plot([], [], color=OKABE_ITO["vermillion"], linestyle="-",
                                    linewidth=1.0, marker="o", markersize=5, alpha=0.85,
                                    label="gradient descent")
        (self.start,) = ax.plot([], [], color=OKABE_ITO["blue"], linestyle="", marker="s",
                                markersize=9, label="start")
        (self.end,) = ax.plot([], [], color=OKABE_ITO["bluish_green"], linestyle="", marker="*",
                              markersize=14, label="last step")
        span = float(values.max() - values.min())
        ax.set_xlim(*w_range)
        ax.set_ylim(float(values.min()) - 0.05 * span, float(values.max()) + 0.25 * span)
        # opaque and on top: a diverging path leaves the axes through this corner
        self.text = ax.text(0.5, 0.97, "", transform=ax.transAxes, ha="center", va="top",
                            fontsize=10, zorder=5, bbox={"facecolor": "white",
                                                         "edgecolor": "#999999", "alpha": 1.0})
        ax.set_xlabel("w")
        ax.set_ylabel("L(w)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, fontsize=9)

    def show(self, path, message=None):
        """Draw a ``course.descent.DescentPath`` (or anything with ``w`` and ``loss``)."""
        w, loss = np.asarray(path.w, float), np.asarray(path.loss, float)
        self.path_line.set_data(w, loss)
        self.start.set_data(w[:1], loss[:1])
        self.end.set_data(w[-1:], loss[-1:])
        diverged = bool(getattr(path, "diverged", False))
        self.text.set_text(message if message is not None else getattr(path, "message", ""))
        self.text.set_color(OKABE_ITO["vermillion"] if diverged else OKABE_ITO["black"])
        self.text.get_bbox_patch().set_edgecolor(
            OKABE_ITO["vermillion"] if diverged else "#999999")
        return self


class LineFitFigure:
    """The figure of ``widgets.be_the_optimizer``: a line through the data, and its MSE.

    Left: the data, the line ``y_hat = w x + b`` and its MSE written in a box. With
    ``contours``, right: the contour lines of the MSE over ``(w, b)``, the current point
    and an arrow, one gradient-descent step from it. ``show`` changes only the line,
    the text, the point and the arrow (``dynamic``); the rest is drawn once.

    Parameters
    ----------
    X : ndarray of shape (n_samples, 1)
    y : ndarray of shape (n_samples, 1)
    x_line : ndarray of shape (2, 1)
        The ends of the line (the smallest and largest ``x``).
    start : (float, float)
        ``(w, b)`` where the point starts.
    contours : (ndarray, ndarray, ndarray), optional
        ``(w_values, b_values, loss_grid)`` for the contour panel, which spans
        ``w_values`` and ``b_values`` (see ``plot_loss_contour``); without it, the
        figure has the left panel only.

    Attributes
    ----------
    fig : matplotlib Figure
    ax_fit : matplotlib Axes
    ax_loss : matplotlib Axes or None
        The contour panel (None without ``contours``).
    line : matplotlib Line2D
    mse_text : matplotlib Text
    point : matplotlib Line2D or None
    quiver : matplotlib Quiver or None
    dynamic : list of matplotlib Artist
        What ``show`` changes (``FigureView.set_dynamic``).
    legends : list of matplotlib Legend
        The boxed legend over the line (``FigureView.set_dynamic(..., on_top=...)``).
    """

    def __init__(self, X, y, x_line, *, start, contours=None):
        n_panels = 2 if contours is not None else 1
        fig, axes = new_axes(ncols=n_panels, figsize=(4.8 * n_panels, 4.3))
        axes = np.atleast_1d(axes)
        self.ax_fit = axes[0]
        plot_fit(X, y, ax=self.ax_fit, title="Your line through the data")
        self.x_line = x_line
        (self.line,) = self.ax_fit.plot(x_line.ravel(), x_line.ravel(),
                                        color=OKABE_ITO["vermillion"], linestyle="-",
                                        marker="", label=r"$\hat y = w x + b$")
        boxed_legend(self.ax_fit, loc="upper left")
        y_all = y.ravel()
        pad = 0.5 * (y_all.max() - y_all.min())
        self.ax_fit.set_ylim(y_all.min() - pad, y_all.max() + pad)
        self.mse_text = self.ax_fit.text(0.97, 0.04, "", transform=self.ax_fit.transAxes,
                                         ha="right", va="bottom", fontsize=11,
                                         bbox={"facecolor": "white", "edgecolor": "#999999"})
        self.ax_loss = self.point = self.quiver = None
        if contours is not None:
            w_values, b_values, loss_grid = contours
            w, b = start
            self.ax_loss = axes[1]
            plot_loss_contour(w_values, b_values, loss_grid, ax=self.ax_loss,
                              title="MSE over (w, b); arrow = one step downhill")
            (self.point,) = self.ax_loss.plot([w], [b], color=OKABE_ITO["black"],
                                              marker="o", markersize=8, linestyle="")
            self.quiver = self.ax_loss.quiver([w], [b], [0.0], [0.0], angles="xy",
                                              scale_units="xy", scale=1,
                                              color=OKABE_ITO["vermillion"], width=0.012,
                                              zorder=3)
            self.ax_loss.set_xlim(w_values[0], w_values[-1])
            self.ax_loss.set_ylim(b_values[0], b_values[-1])
        fig.tight_layout()
        self.fig = fig
        self.dynamic = [self.line, self.mse_text]
        if self.ax_loss is not None:
            self.dynamic += [self.point, self.quiver]
        self.legends = [self.ax_fit.get_legend()]

    def show(self, y_line, mse, w, b, arrow=(0.0, 0.0)):
        """Draw one line.

        Parameters
        ----------
        y_line : ndarray of shape (2, 1)
            The line's values at ``x_line``.
        mse : float
            Written in the box.
        w, b : float
            The point on the contour panel (if any).
        arrow : (float, float), default=(0.0, 0.0)
            The arrow's components from the point, e.g. ``-learning_rate * gradient``.

        Returns
        -------
        self
        """
        self.line.set_data(self.x_line.ravel(), y_line.ravel())
        self.mse_text.set_text(f"MSE = {mse:.4f}")
        if self.ax_loss is not None:
            self.point.set_data([w], [b])
            self.quiver.set_offsets([[w, b]])
            self.quiver.set_UVC([arrow[0]], [arrow[1]])
        return self


class GradientDescentFigure:
    """The figure of ``widgets.gradient_descent_explorer``: the path on the loss, and ``w``.

    Left: a ``DescentPlot`` (the loss curve, the path on it and a text saying how the
    descent behaves); right: ``w`` after each step, with the minimum dotted. ``show``
    changes only the path, its text and the steps' line (``dynamic``), and the width of
    the right panel.

    Parameters
    ----------
    problem : course.descent.Quadratic1D
        The loss (``problem.minimum``: the dotted line).
    w_range : (float, float)
        The ``w`` shown (the x axis on the left, the y axis on the right).
    max_steps : int
        The right panel's first width.
    title : str
        Over the loss curve.

    Attributes
    ----------
    fig : matplotlib Figure
    plot : DescentPlot
        The left panel (``plot.ax``, ``plot.path_line``, ``plot.text``, ...).
    ax_steps : matplotlib Axes
    w_line : matplotlib Line2D
        ``w`` after each step.
    dynamic : list of matplotlib Artist
        What ``show`` changes (``FigureView.set_dynamic``).
    legends : list of matplotlib Legend
        The boxed legend over the steps' line (``FigureView.set_dynamic(..., on_top=...)``).
    """

    def __init__(self, problem, *, w_range, max_steps, title):
        fig, (ax_curve, ax_steps) = new_axes(
            ncols=2, figsize=(9.6, 4.0), gridspec_kw={"width_ratios": [3, 2]})
        self.plot = DescentPlot(problem, ax_curve, w_range=w_range)
        ax_curve.set_title(title)
        ax_steps.axhline(problem.minimum, color=OKABE_ITO["black"],
                         linestyle=":", marker="", linewidth=1.2, label="minimum w*")
        (self.w_line,) = ax_steps.plot([], [], color=OKABE_ITO["vermillion"],
                                       linestyle="-", marker="o", markersize=4, linewidth=1.0,
                                       label="w after step k")
        ax_steps.set_xlim(0, max_steps)
        ax_steps.set_ylim(*w_range)
        ax_steps.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax_steps.set_xlabel("step k")
        ax_steps.set_ylabel("w")
        ax_steps.set_title("w step by step")
        boxed_legend(ax_steps, loc="lower right", fontsize=9)
        self.ax_steps = ax_steps
        fig.tight_layout()
        self.fig = fig
        plot = self.plot
        self.dynamic = [plot.path_line, plot.start, plot.end, plot.text, self.w_line]
        self.legends = [ax_steps.get_legend()]

    def show(self, path, message, steps):
        """Draw one descent.

        Parameters
        ----------
        path : course.descent.DescentPath
            ``path.w`` and ``path.loss`` after each step (and whether it diverged).
        message : str
            The text on the loss curve.
        steps : int
            The steps asked for: the right panel's width.

        Returns
        -------
        self
        """
        self.plot.show(path, message)
        self.ax_steps.set_xlim(0, max(steps, 1))
        self.w_line.set_data(np.arange(len(path.w)), path.w)
        return self


def plot_descent_path(problem, path, ax=None, *, w_range=None, title=None):
    """Static version of ``DescentPlot``: the loss curve and one descent path.

    Parameters
    ----------
    problem : callable ``problem(w)``
    path : course.descent.DescentPath
    ax : matplotlib Axes, optional
    w_range : (float, float), optional
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    plot = DescentPlot(problem, ax, w_range=w_range).show(path)
    if title:
        plot.ax.set_title(title)
    return plot.ax


def plot_layer_histograms(values, *, bins=30):
    """One histogram per layer: activations on top, kernel gradients below.

    Parameters
    ----------
    values : dict
        From ``diagnostics.layer_values``: ``"activations"`` (one array per hidden
        layer) and ``"gradients"`` (one per kernel).
    bins : int, default=30

    Returns
    -------
    fig : matplotlib Figure
        ``fig.axes`` holds the activation panels first, then the gradient panels.
    """
    from course.figures import styled_subplots

    acts, grads = values["activations"], values["gradients"]
    n = max(len(acts), len(grads))
    fig, axes = styled_subplots(2, n, figsize=(3.2 * n, 5.0), squeeze=False)
    for l in range(n):
        top, bottom = axes[0, l], axes[1, l]
        if l < len(acts):
            A = np.ravel(acts[l])
            top.hist(A, bins=bins, color=OKABE_ITO["blue"])
            top.set_title(f"layer {l + 1}: activations\n{np.mean(A == 0):.0%} exactly 0",
                          fontsize=10)
        else:
            top.set_axis_off()
        g = np.ravel(grads[l])
        bottom.hist(g, bins=bins, color=OKABE_ITO["vermillion"])
        bottom.set_title(f"dL/dW{l + 1}: std {np.std(g):.1e}", fontsize=10)
        bottom.ticklabel_format(axis="x", style="sci", scilimits=(-2, 2))
    fig.tight_layout()
    return fig
