"""Figures of notebook 04c: loss curves of the deep networks, and the figure of the
training explorer (per-layer activation spread and gradient size at one step)."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from course.figures import OKABE_ITO, new_axes

VARIANT_COLORS = {
    "Glorot": OKABE_ITO["vermillion"],
    "He": OKABE_ITO["blue"],
    "LayerNorm": OKABE_ITO["bluish_green"],
    "residual": OKABE_ITO["reddish_purple"],
}


def _power_label(value, _position=None):
    """Tick labels such as 1e-4 in plain text (mathtext costs time in a widget)."""
    if 1e-2 <= value < 1e3:
        return f"{value:g}"
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _log_axis(ax):
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(numticks=6))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(_power_label))


def plot_losses(curves, ax=None, *, title="Training loss", log=True):
    """One loss curve per entry of ``curves`` (``{label: losses}``), against the step.

    A curve that stopped early (diverged) ends with a cross.

    Returns
    -------
    ax : matplotlib Axes
    """
    _, ax = new_axes(ax, figsize=(6.4, 3.6))
    for k, (label, losses) in enumerate(curves.items()):
        losses = np.asarray(losses, dtype=float)
        color = VARIANT_COLORS.get(label.split(" ")[0])
        (line,) = ax.plot(np.arange(len(losses)), losses, label=label, marker="",
                          color=color, linestyle=["-", "--", "-.", ":"][k % 4])
        if len(losses) and not np.isfinite(losses[-1]) or "diverged" in label:
            finite = np.flatnonzero(np.isfinite(losses))
            last = finite[-1] if finite.size else 0
            ax.plot([last], [losses[last]], marker="X", markersize=10,
                    color=line.get_color(), linestyle="")
    if log:
        _log_axis(ax)
    ax.set_xlabel("step")
    ax.set_ylabel("loss" + (" (log scale)" if log else ""))
    ax.set_title(title)
    ax.legend(fontsize=9)
    return ax


def plot_rates(rates, ax=None, *, title="Learning rate per step"):
    """The learning rate of each step, one line per schedule (``{label: rates}``)."""
    _, ax = new_axes(ax, figsize=(6.4, 3.0))
    for label, values in rates.items():
        ax.plot(np.arange(len(values)), values, label=label, marker="")
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.set_title(title)
    ax.legend(fontsize=9)
    return ax


class DeepTrainingFigure:
    """The figure of ``widgets.deep_training_explorer``: one network at one step.

    Left: the spread (standard deviation) of every hidden layer's output; middle: the
    norm of the loss gradient of every hidden layer's kernel; both on log axes, the
    current step in colour and step 0 in grey. Right: the whole loss curve of the network
    with the current step marked. The axes' limits are fixed when the figure is built
    (they fit every recording the widget holds), so moving the slider redraws only the
    lines.

    Parameters
    ----------
    depth : int
    steps : int
        The last step (the loss axis' width).
    activation_limits, gradient_limits, loss_limits : (float, float)

    Attributes
    ----------
    fig : matplotlib Figure
    ax_act, ax_grad, ax_loss : matplotlib Axes
    act_now, act_start, grad_now, grad_start, loss_line, loss_marker : matplotlib Line2D
    title : matplotlib Text
    dynamic : list of matplotlib Artist
        What ``show`` changes (``FigureView.set_dynamic``).
    """

    def __init__(self, depth, steps, activation_limits, gradient_limits, loss_limits):
        fig, (self.ax_act, self.ax_grad, self.ax_loss) = new_axes(
            ncols=3, figsize=(9.6, 3.6), gridspec_kw={"width_ratios": [1, 1, 0.9]})
        layers = np.arange(1, depth + 1)
        grey = "#999999"
        for ax, limits, label in ((self.ax_act, activation_limits, "spread of the layer's output"),
                                  (self.ax_grad, gradient_limits, "size of dL/dW")):
            _log_axis(ax)
            ax.set_xlim(0.5, depth + 0.5)
            ax.set_ylim(*limits)
            ax.set_xlabel("hidden layer")
            ax.set_title(label, fontsize=10.5)
        (self.act_start,) = self.ax_act.plot(layers, np.ones(depth), color=grey, marker="",
                                             linestyle="--", linewidth=1.3, label="step 0")
        (self.act_now,) = self.ax_act.plot(layers, np.ones(depth), color=OKABE_ITO["blue"],
                                           marker="o", markersize=3.5, linestyle="-",
                                           label="this step")
        (self.grad_start,) = self.ax_grad.plot(layers, np.ones(depth), color=grey, marker="",
                                               linestyle="--", linewidth=1.3)
        (self.grad_now,) = self.ax_grad.plot(layers, np.ones(depth), color=OKABE_ITO["blue"],
                                             marker="o", markersize=3.5, linestyle="-")
        self.ax_act.legend(loc="lower left", fontsize=8.5)
        _log_axis(self.ax_loss)
        self.ax_loss.set_xlim(0, steps)
        self.ax_loss.set_ylim(*loss_limits)
        self.ax_loss.set_xlabel("step")
        self.ax_loss.set_title("loss", fontsize=10.5)
        (self.loss_line,) = self.ax_loss.plot([0], [1], marker="", linestyle="-",
                                              color=OKABE_ITO["blue"])
        (self.loss_marker,) = self.ax_loss.plot([0], [1], marker="o", markersize=8,
                                                linestyle="", color=OKABE_ITO["black"])
        self.title = fig.suptitle(" ", fontsize=11)
        fig.tight_layout()
        self.fig = fig
        self.dynamic = [self.act_start, self.act_now, self.grad_start, self.grad_now,
                        self.loss_line, self.loss_marker, self.title]

    def show(self, name, run, index):
        """Draw the recording number ``index`` of ``run`` (a ``deep.Run``) of network ``name``."""
        step = run.recorded_steps[index]
        for start, now, values in ((self.act_start, self.act_now, run.activation_std),
                                   (self.grad_start, self.grad_now, run.gradient_norm)):
            start.set_ydata(values[0])
            now.set_ydata(values[index])
        self.loss_line.set_data(np.arange(len(run.losses)), run.losses)
        self.loss_marker.set_data([step], [run.losses[step]])
        self.title.set_text(f"{name} network, step {step}: loss {run.losses[step]:.3f}")


def plot_decay(paths, axes=None):
    """The two weights of ``deep.decay_paths`` under each optimizer, one panel each
    (``{title: path}``), on a log axis."""
    if axes is None:
        _, axes = new_axes(ncols=len(paths), figsize=(3.3 * len(paths), 3.2), sharey=True)
    for ax, (title, path) in zip(np.atleast_1d(axes), paths.items()):
        steps = np.arange(len(path))
        ax.plot(steps, path[:, 0], marker="", label="large gradients (10)",
                color=OKABE_ITO["blue"])
        ax.plot(steps, path[:, 1], marker="", linestyle="--", label="small gradients (0.01)",
                color=OKABE_ITO["vermillion"])
        _log_axis(ax)
        ax.set_xlabel("step")
        ax.set_title(title, fontsize=10.5)
    np.atleast_1d(axes)[0].set_ylabel("weight (log scale)")
    np.atleast_1d(axes)[0].legend(fontsize=8.5, loc="lower left")
    return axes
