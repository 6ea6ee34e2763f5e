"""Plots for the Keras/nnlib comparison (notebook 07).

The numbers come from ``comparison`` and ``keras_article``;
this module only draws: a model's fit next to its loss curve (also the figure of
``widgets.learning_rate_explorer``, ``LearningRateFigure``), the weight gap between two
libraries epoch by epoch, and the final error of many seeds per setting.
"""

from __future__ import annotations

import numpy as np

from course.explorer import boxed_legend, stepped_limits
from course.figures import CYCLE_COLORS, OKABE_ITO, new_axes

RUN_STYLES = [
    {"color": OKABE_ITO["black"], "linestyle": "--", "marker": "o"},
    {"color": OKABE_ITO["vermillion"], "linestyle": "-", "marker": "s"},
    {"color": OKABE_ITO["blue"], "linestyle": ":", "marker": "^"},
    {"color": OKABE_ITO["reddish_purple"], "linestyle": "-.", "marker": "D"},
]
"""Style of the first, second, ... run in ``plot_fit_and_loss`` and ``plot_weight_gaps``."""

SEED_MARKERS = ["o", "s", "^", "D", "v", "P"]
"""Marker of each setting (column) in ``plot_seed_spread``."""

GAP_FLOOR = 1e-17
"""Gaps of exactly 0 are drawn at this value, so that they fit on a log axis."""

KERAS_LABEL = "Keras (article settings)"
NNLIB_LABEL = "nnlib, this setting"
"""Legend labels of the Keras reference and of the live run in ``LearningRateFigure``."""


def _run_style(k, styles):
    style = dict(RUN_STYLES[k % len(RUN_STYLES)])
    if styles is not None:
        style.update(styles[k])
    return style


def plot_fit_and_loss(X, y, runs, axes=None, *, floor=0.01, styles=None):
    """The data with each run's predictions (left) and each run's loss per epoch (right).

    Parameters
    ----------
    X, y : array_like of shape (n_samples, 1)
        The data, drawn as dots.
    runs : dict of str to (predictions, losses)
        Legend label -> ``predictions`` on ``X`` (array_like of shape (n_samples, 1), or
        None for no line yet) and ``losses`` (one value per epoch, or None / empty).
    axes : pair of matplotlib Axes, optional
        ``(ax_fit, ax_loss)``; default: a new figure of two panels.
    floor : float or None, default=0.01
        Drawn as a dotted horizontal "noise floor" line on the (log) loss axis.
    styles : list of dict, optional
        Per run, overrides of ``RUN_STYLES`` (e.g. ``[RUN_STYLES[1]]`` for a single run
        in the second style).

    Returns
    -------
    fig : matplotlib Figure
    lines : dict of str to (Line2D, Line2D)
        Label -> ``(fit_line, loss_line)``, to update with ``set_ydata`` / ``set_data``
        (the fit line's x values are ``X`` sorted).
    """
    x = np.asarray(X, float).ravel()
    y = np.asarray(y, float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"X and y must hold the same number of values. Received: "
                         f"{np.shape(X)} and {np.shape(y)}")
    if axes is None:
        fig, (ax_fit, ax_loss) = new_axes(ncols=2, figsize=(9.6, 4.0))
    else:
        ax_fit, ax_loss = axes
        fig = ax_fit.figure
    order = np.argsort(x)
    ax_fit.scatter(x, y, s=16, color=OKABE_ITO["blue"], marker="o", alpha=0.5, label="data")
    lines = {}
    for k, (label, (pred, losses)) in enumerate(runs.items()):
        style = _run_style(k, styles)
        pred = (np.full(x.size, np.nan) if pred is None
                else np.asarray(pred, float).ravel())
        if pred.shape != x.shape:
            raise ValueError(f"predictions of {label!r} must have {x.size} values. "
                             f"Received: {pred.size}")
        (fit_line,) = ax_fit.plot(x[order], pred[order], linewidth=2,
                                  markevery=(k * 3 % 10, 10), label=label, **style)
        losses = np.asarray([] if losses is None else losses, float).ravel()
        # markevery as a share of the axes diagonal: stays sparse when set_data adds points
        (loss_line,) = ax_loss.plot(np.arange(1, losses.size + 1), losses,
                                    markevery=(0.04 * k, 0.1), label=label, **style)
        lines[label] = (fit_line, loss_line)
    pad = 0.3 * np.ptp(y)
    ax_fit.set_ylim(y.min() - pad, y.max() + pad)
    ax_fit.set_xlabel("x")
    ax_fit.set_ylabel("y")
    ax_fit.set_title("Predictions")
    ax_fit.legend(loc="upper left")
    if floor is not None:
        ax_loss.axhline(floor, color=OKABE_ITO["bluish_green"], linestyle=":", marker="",
                        label=f"noise floor {floor:g}")
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("training MSE")
    ax_loss.set_title("Loss per epoch")
    ax_loss.legend(loc="upper right")
    fig.tight_layout()
    return fig, lines


class LearningRateFigure:
    """The figure of ``widgets.learning_rate_explorer``: the fit and the loss per epoch of
    the live nnlib run, next to a fixed Keras reference (``plot_fit_and_loss``).

    ``show`` changes the live run's fit and loss lines and a status text (``dynamic``);
    the loss axis' limits change only in steps, so most updates redraw only those.

    Parameters
    ----------
    X, y : ndarray of shape (n_samples, 1)
        The data, drawn as dots.
    keras_predictions : array_like of shape (n_samples, 1), optional
        Keras' predictions on ``X``, a fixed dashed reference line.
    keras_history : sequence of float, optional
        Keras' loss per epoch, a fixed dashed reference curve. Without either, no Keras
        run is drawn.
    floor : float, default=0.01
        The dotted "noise floor" line on the loss axis.

    Attributes
    ----------
    fig : matplotlib Figure
    ax_fit, ax_loss : matplotlib Axes
    fit_line, loss_line : matplotlib Line2D
        The live run's predictions (against ``X`` sorted) and loss per epoch.
    status_text : matplotlib Text
        Why there is no fit (training diverged); empty otherwise.
    dynamic : list of matplotlib Artist
        What ``show`` changes (``FigureView.set_dynamic``).
    legends : list of matplotlib Legend
        Opaque legends over the dynamic artists (``on_top``).
    """

    def __init__(self, X, y, *, keras_predictions=None, keras_history=None, floor=0.01):
        runs, styles = {}, []
        if keras_predictions is not None or keras_history is not None:
            runs[KERAS_LABEL] = (keras_predictions, keras_history)
            styles.append(RUN_STYLES[0])
        runs[NNLIB_LABEL] = (None, None)
        styles.append(RUN_STYLES[1])
        fig, lines = plot_fit_and_loss(X, y, runs, floor=floor, styles=styles)
        self.fig = fig
        self.ax_fit, self.ax_loss = fig.axes[:2]
        self.fit_line, self.loss_line = lines[NNLIB_LABEL]
        self._order = np.argsort(np.asarray(X, float).ravel())
        self.status_text = self.ax_loss.text(0.5, 0.5, "", transform=self.ax_loss.transAxes,
                                             ha="center", va="center", wrap=True,
                                             color=OKABE_ITO["vermillion"], fontsize=11)
        # Legends in boxes, pasted back over the new lines (FigureView.set_dynamic).
        self.legends = [boxed_legend(self.ax_fit, loc="upper left"),
                        boxed_legend(self.ax_loss, loc="upper right")]
        self.dynamic = [self.fit_line, self.loss_line, self.status_text]

    def show(self, y_hat, losses, epochs, status=""):
        """Draw one run: its predictions, its loss per epoch and a status text.

        Parameters
        ----------
        y_hat : ndarray of shape (n_samples, 1) or None
            The predictions on ``X`` (in the order of ``X``); None: no fit line.
        losses : ndarray of shape (n_epochs,)
            The loss after each epoch (non-finite values are left out of the limits).
        epochs : int
            The epochs asked for (the loss axis' width).
        status : str, default=""
            Written across the loss plot (e.g. why training stopped).
        """
        if y_hat is None:
            self.fit_line.set_ydata(np.full(self._order.size, np.nan))
        else:
            self.fit_line.set_ydata(np.asarray(y_hat).ravel()[self._order])
        self.status_text.set_text(status)
        self.loss_line.set_data(np.arange(1, losses.size + 1), losses)
        self.ax_loss.set_xlim(0, epochs + 1)
        finite = losses[np.isfinite(losses)]
        if finite.size:  # limits in steps: most updates redraw only the lines
            self.ax_loss.set_ylim(*stepped_limits(
                min(finite.min(), 0.01) / 2, max(finite.max(), 1.0) * 2, log=True,
                current=self.ax_loss.get_ylim()))


def plot_weight_gaps(gaps, ax=None, *, steps_per_epoch=4,
                     title="nnlib against Keras, float64, same batches"):
    """Relative weight gap between two runs after every epoch, on a log axis.

    Parameters
    ----------
    gaps : dict of str to array_like of shape (n_epochs + 1,)
        Label -> ``comparison.relative_gap(thetas_a, thetas_b)`` (row 0: the start).
        Zeros are drawn at ``GAP_FLOOR``.
    ax : matplotlib Axes, optional
    steps_per_epoch : int, default=4
        Only for the x-axis label.

    Returns
    -------
    ax : matplotlib Axes
        One line per entry of ``gaps``, in order.
    """
    fig, ax = new_axes(ax, figsize=(6.5, 3.8))
    for k, (label, gap) in enumerate(gaps.items()):
        gap = np.asarray(gap, float).ravel()
        every = max(1, gap.size // 10)
        ax.semilogy(np.arange(gap.size), np.maximum(gap, GAP_FLOOR), label=label,
                    markevery=every, **_run_style(k, None))
    ax.set_xlabel(f"epoch ({steps_per_epoch} steps each)")
    ax.set_ylabel("max |nnlib - Keras| / max |w|")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return ax


def plot_seed_spread(values_by_setting, floor=None, ax=None, *,
                     ylabel="final training MSE (one dot per seed)",
                     title="Where the article's network ends up"):
    """One column of dots per setting, one dot per seed, on a log axis.

    Parameters
    ----------
    values_by_setting : dict of str to array_like of shape (n_seeds,)
        Setting name (x tick label; its first ", " becomes a line break) -> values.
    floor : float, optional
        Drawn as a dotted horizontal "noise floor" line.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
        ``ax.collections[i]`` holds the dots of the i-th setting.
    """
    fig, ax = new_axes(ax, figsize=(8, 3.8))
    names = list(values_by_setting)
    for i, name in enumerate(names):
        values = np.asarray(values_by_setting[name], float).ravel()
        ax.scatter(np.full(values.size, i), values, s=40, zorder=3,
                   marker=SEED_MARKERS[i % len(SEED_MARKERS)],
                   color=CYCLE_COLORS[i % len(CYCLE_COLORS)])
    if floor is not None:
        ax.axhline(floor, color=OKABE_ITO["bluish_green"], linestyle=":", marker="",
                   label="noise floor")
        ax.legend()
    ax.set_xticks(range(len(names)), [n.replace(", ", ",\n", 1) for n in names], fontsize=9)
    ax.set_xlim(-0.5, len(names) - 0.5)
    ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    return ax
