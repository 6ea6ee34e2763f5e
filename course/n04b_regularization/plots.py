"""Plots for regularization (notebook 04): weight histograms and fitted curves.

The numbers come from ``regularization`` and ``nnlib.MLP``; this module only draws.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from course.explorer import boxed_legend
from course.figures import CYCLE_COLORS, CYCLE_LINESTYLES, CYCLE_MARKERS, OKABE_ITO, new_axes

from .regularization import NEAR_ZERO, near_zero_fraction, true_curve

WEIGHT_BINS = np.linspace(-1.5, 1.5, 61)
"""Default histogram bins for kernel values (width 0.05; values outside go to the end bins)."""

HISTOGRAM_STYLES = [
    {"color": OKABE_ITO["black"], "linestyle": "--", "linewidth": 1.3, "fill": False},
    {"color": OKABE_ITO["blue"], "linestyle": "-", "linewidth": 1.6, "fill": True,
     "alpha": 0.45},
    {"color": OKABE_ITO["vermillion"], "linestyle": ":", "linewidth": 1.6, "fill": False},
]
"""Style of the first, second and third histogram of ``plot_weight_histograms``."""

MAGNITUDE_BINS = np.linspace(-6.0, 1.0, 57)
"""Default bins of ``log10|w|`` for ``plot_weight_magnitudes`` (8 per decade, 1e-6 to 10)."""


def weight_counts(values, bins=WEIGHT_BINS):
    """Histogram counts of ``values`` with everything outside ``bins`` put in the end bins.

    Parameters
    ----------
    values : array_like of shape (n,)
    bins : array_like of shape (n_bins + 1,), default=WEIGHT_BINS

    Returns
    -------
    counts : ndarray of shape (n_bins,)
    """
    bins = np.asarray(bins, float)
    clipped = np.clip(np.asarray(values, float).ravel(), bins[0], bins[-1])
    return np.histogram(clipped, bins=bins)[0]


def plot_weight_histograms(values_by_label, ax=None, *, bins=WEIGHT_BINS,
                           title="Distribution of the weights"):
    """Overlaid step histograms of weight values (e.g. ``regularization.kernel_values``).

    Parameters
    ----------
    values_by_label : dict of str to array_like
        Legend label -> weights (at most three).
    ax : matplotlib Axes, optional
    bins : array_like, default=WEIGHT_BINS

    Returns
    -------
    ax : matplotlib Axes
        Its ``patches`` are the ``StepPatch`` of each histogram, in order.
    """
    fig, ax = new_axes(ax)
    for k, (label, values) in enumerate(values_by_label.items()):
        ax.stairs(weight_counts(values, bins), bins, label=label,
                  **HISTOGRAM_STYLES[k % len(HISTOGRAM_STYLES)])
    ax.set_yscale("symlog", linthresh=10)
    ax.set_xlabel("weight value (outside the axis: counted at its ends)")
    ax.set_ylabel("number of weights")
    ax.set_title(title)
    ax.legend()
    return ax


def magnitude_counts(values, bins=MAGNITUDE_BINS):
    """Histogram counts of ``log10|w|``; values outside ``bins`` (and exact zeros) go to the
    end bins.

    Parameters
    ----------
    values : array_like of shape (n,)
    bins : array_like of shape (n_bins + 1,), default=MAGNITUDE_BINS
        Edges on the ``log10|w|`` axis.

    Returns
    -------
    counts : ndarray of shape (n_bins,)
    """
    bins = np.asarray(bins, float)
    magnitude = np.abs(np.asarray(values, float).ravel())
    with np.errstate(divide="ignore"):
        logs = np.log10(magnitude)  # -inf for exact zeros: clipped into the first bin
    return weight_counts(np.clip(logs, bins[0], bins[-1]), bins)


def plot_weight_magnitudes(values_by_label, ax=None, *, near_zero=NEAR_ZERO, bins=MAGNITUDE_BINS,
                           title="Size of the weights"):
    """Overlaid histograms of ``log10|w|``, with the share of weights below ``near_zero``.

    On a linear axis every setting's weights pile up in the bin around 0; on a log
    axis one sees *how* close to 0 they are (L1 pushes many weights far below the
    others).

    Parameters
    ----------
    values_by_label : dict of str to array_like
        Legend label -> weights (at most three).
    ax : matplotlib Axes, optional
    near_zero : float, default=``regularization.NEAR_ZERO`` (0.01)
        Weights with ``|w| <= near_zero`` count as "near zero"; a dotted line marks it
        and each legend entry gives that share in percent.
    bins : array_like, default=MAGNITUDE_BINS

    Returns
    -------
    ax : matplotlib Axes
        Its ``patches`` are the ``StepPatch`` of each histogram, in order.
    """
    if not (isinstance(near_zero, (int, float)) and near_zero > 0):
        raise ValueError(f"near_zero must be a positive number. Received: near_zero={near_zero!r}")
    fig, ax = new_axes(ax)
    for k, (label, values) in enumerate(values_by_label.items()):
        values = np.asarray(values, float).ravel()
        share = near_zero_fraction(values, near_zero)
        ax.stairs(magnitude_counts(values, bins), bins,
                  label=f"{label}: {100 * share:.0f}% with |w| ≤ {near_zero:g}",
                  **HISTOGRAM_STYLES[k % len(HISTOGRAM_STYLES)])
    ax.axvline(np.log10(near_zero), color=OKABE_ITO["black"], linestyle=":", marker="",
               linewidth=1.2)
    ax.set_xlabel("log10 |w|  (−2 means |w| = 0.01; smaller values counted at the left end)")
    ax.set_ylabel("number of weights")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8.5)
    return ax


def plot_mse_curves(histories_by_label, ax=None, *, key="test_mse", noise_level=None,
                    title="Test MSE after each epoch"):
    """One curve per setting of ``history[key]`` against the epoch, on a log scale.

    Parameters
    ----------
    histories_by_label : dict of str to dict-like
        Legend label -> a history holding ``key`` (e.g. ``fit_regularized(...).history``).
    ax : matplotlib Axes, optional
    key : str, default="test_mse"
        E.g. ``"train_mse"``.
    noise_level : float, optional
        Draw a dotted horizontal line there (the best MSE one can hope for).

    Returns
    -------
    ax : matplotlib Axes
        One line per setting, in order (then the noise line, if any).
    """
    fig, ax = new_axes(ax)
    for k, (label, history) in enumerate(histories_by_label.items()):
        if key not in history:
            raise ValueError(f"every history must hold {key!r}. Received for {label!r}: "
                             f"keys {sorted(history)}")
        values = np.asarray(history[key], float)
        i = k % len(CYCLE_COLORS)
        ax.plot(np.arange(1, len(values) + 1), np.clip(values, 1e-6, 1e6), label=label,
                color=CYCLE_COLORS[i], linestyle=CYCLE_LINESTYLES[i], marker=CYCLE_MARKERS[i],
                markevery=max(1, len(values) // 8), markersize=4.5, linewidth=1.5)
    if noise_level is not None:
        ax.axhline(noise_level, color=OKABE_ITO["black"], linestyle=":", marker="",
                   linewidth=1.2, label=f"noise level {noise_level:.2g}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(key.replace("_mse", " MSE").replace("_", " ") + " (log scale)")
    ax.set_title(title)
    ax.legend(fontsize=8.5)
    return ax


class RegularizationFigure:
    """The figure of ``widgets.regularization_explorer``: the fit, the loss curves and the
    weights' histogram, without regularization and with the current setting.

    Left: the training and test points, the true curve ``sin(2x)``, the fit without
    regularization (dashed) and the current one. Middle: training and test MSE along the
    epochs. Right: the histograms of the kernel values. ``show`` changes only the current
    setting's artists (``dynamic``); the rest is drawn once.

    Parameters
    ----------
    train, test : (ndarray, ndarray)
        The points ``(X, y)``.
    x_curve : ndarray of shape (n, 1)
        Where the fits are drawn.
    baseline_curve : ndarray of shape (n, 1)
        The fit without regularization on ``x_curve``.
    baseline_weights : ndarray
        Its kernel values.
    noise : float
        The noise's standard deviation (its square is the best test MSE).
    epochs : int
    record_every : int
        The epochs between two points of a loss curve.
    title : str
    """

    def __init__(self, train, test, x_curve, baseline_curve, baseline_weights, *, noise, epochs,
                 record_every, title):
        (X, y), (X_test, y_test) = train, test
        base_w = baseline_weights
        fig, (ax_fit, ax_loss, ax_hist) = new_axes(ncols=3, figsize=(9.6, 3.9))
        self.ax_fit, self.ax_loss, self.ax_hist = ax_fit, ax_loss, ax_hist
        ax_fit.scatter(X_test.ravel(), y_test.ravel(), s=8, color=OKABE_ITO["sky_blue"],
                       marker=".", alpha=0.6, label="test points")
        ax_fit.scatter(X.ravel(), y.ravel(), s=40, color=OKABE_ITO["blue"], marker="o",
                       edgecolor="black", zorder=3, label="training points")
        xc = x_curve.ravel()
        ax_fit.plot(xc, true_curve(xc), color=OKABE_ITO["bluish_green"],
                    linestyle=":", marker="", linewidth=2, label="true curve sin(2x)")
        ax_fit.plot(xc, baseline_curve.ravel(), color=OKABE_ITO["black"],
                    linestyle="--", marker="", linewidth=1.2, alpha=0.7,
                    label="no regularization")
        (self.fit_line,) = ax_fit.plot([], [], color=OKABE_ITO["vermillion"], linestyle="-",
                                       marker="", linewidth=2.2, label="with these settings")
        ax_fit.set_ylim(-2.2, 2.2)
        ax_fit.set_xlim(xc[0], xc[-1])
        ax_fit.set_xlabel("x")
        ax_fit.set_ylabel("y")
        ax_fit.set_title(title)
        boxed_legend(ax_fit, loc="lower right", fontsize=8)
        self.fit_text = ax_fit.text(0.02, 0.97, "", transform=ax_fit.transAxes, ha="left",
                                    va="top", fontsize=9.5, color=OKABE_ITO["vermillion"])

        epochs_axis = np.arange(1, epochs + 1)
        every = max(1, epochs // (10 * record_every))  # ten markers along a curve
        (self.train_line,) = ax_loss.plot(epochs_axis, epochs_axis * 0.0 + 1.0,
                                          color=OKABE_ITO["blue"], linestyle="-", marker="o",
                                          markevery=every, label="training MSE")
        (self.test_line,) = ax_loss.plot(epochs_axis, epochs_axis * 0.0 + 1.0,
                                         color=OKABE_ITO["vermillion"], linestyle="--",
                                         marker="s", markevery=every, label="test MSE")
        ax_loss.axhline(noise**2, color=OKABE_ITO["black"], linestyle=":", marker="",
                        linewidth=1, label=f"noise level {noise**2:.2g}")
        ax_loss.set_yscale("log")
        ax_loss.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0), numticks=8))
        ax_loss.yaxis.set_minor_locator(NullLocator())
        ax_loss.set_ylim(0.01, 2.0)
        ax_loss.set_xlim(0, epochs)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel("MSE (log scale)")
        ax_loss.set_title("Training and test loss")
        boxed_legend(ax_loss, loc="upper right", fontsize=8.5)

        ax_hist.stairs(weight_counts(base_w), WEIGHT_BINS, label="no regularization",
                       **HISTOGRAM_STYLES[0])
        self.hist = ax_hist.stairs(weight_counts(base_w), WEIGHT_BINS,
                                   label="with these settings", **HISTOGRAM_STYLES[1])
        ax_hist.set_yscale("symlog", linthresh=10)
        ax_hist.set_ylim(0, 60 * base_w.size)  # room above the bars for the legend and text
        ax_hist.set_xlim(WEIGHT_BINS[0], WEIGHT_BINS[-1])
        ax_hist.set_xlabel("weight value")
        ax_hist.set_ylabel("number of weights")
        ax_hist.set_title("Distribution of the weights")
        boxed_legend(ax_hist, loc="upper left", fontsize=8.5)
        self.hist_text = ax_hist.text(0.03, 0.76, "", transform=ax_hist.transAxes, ha="left",
                                      va="top", fontsize=8.5)  # under the legend
        fig.tight_layout()
        self.fig = fig
        self.x_curve = x_curve
        self.dynamic = [self.fit_line, self.fit_text, self.train_line, self.test_line, self.hist,
                        self.hist_text]
        self.legends = [ax.get_legend() for ax in (ax_fit, ax_loss, ax_hist)]


    def show(self, y_curve, history, weights, weight_norm, near_zero, note):
        """Draw one setting: its fit, its loss curves (``history``), its weights' histogram
        with their norm and near-zero share, and ``note`` on the fit (empty: none)."""
        self.fit_line.set_data(self.x_curve.ravel(), y_curve.ravel())
        epochs = history["mse_epochs"]
        self.train_line.set_data(epochs, np.clip(history["train_mse"], 1e-4, 1e4))
        self.test_line.set_data(epochs, np.clip(history["test_mse"], 1e-4, 1e4))
        self.hist.set_data(weight_counts(weights))
        self.hist_text.set_text(f"‖W‖ = {weight_norm:.3g}\n"
                                f"near zero (|w| ≤ {NEAR_ZERO:g}): {100 * near_zero:.0f}%")
        self.fit_text.set_text(note)
