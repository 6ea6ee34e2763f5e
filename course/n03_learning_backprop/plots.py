"""Plots of losses and of gradient descent on them (notebook 03).

The loss values come from ``nnlib.losses``, or are passed in (a grid from
``course.descent.line_mse_grid``, a problem such as ``course.descent.Quadratic1D``).
"""

from __future__ import annotations

import numpy as np

from course.figures import OKABE_ITO, new_axes
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
