"""Plots for regularization (notebook 04): weight histograms and fitted curves.

The numbers come from ``nnlib.lessons.regularization`` and ``nnlib.MLP``; this module only draws.
"""

from __future__ import annotations

import numpy as np

from ..lessons.regularization import NEAR_ZERO, near_zero_fraction
from .style import CYCLE_COLORS, CYCLE_LINESTYLES, CYCLE_MARKERS, OKABE_ITO, new_axes

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
    near_zero : float, default=``nnlib.lessons.regularization.NEAR_ZERO`` (0.01)
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
