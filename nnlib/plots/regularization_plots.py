"""Plots for regularization (notebook 04): weight histograms and fitted curves.

The numbers come from ``nnlib.regularization`` and ``nnlib.MLP``; this module only draws.
"""

from __future__ import annotations

import numpy as np

from .style import OKABE_ITO, new_axes

WEIGHT_BINS = np.linspace(-1.5, 1.5, 61)
"""Default histogram bins for kernel values (width 0.05; values outside go to the end bins)."""

HISTOGRAM_STYLES = [
    {"color": OKABE_ITO["black"], "linestyle": "--", "linewidth": 1.3, "fill": False},
    {"color": OKABE_ITO["blue"], "linestyle": "-", "linewidth": 1.6, "fill": True,
     "alpha": 0.45},
    {"color": OKABE_ITO["vermillion"], "linestyle": ":", "linewidth": 1.6, "fill": False},
]
"""Style of the first, second and third histogram of ``plot_weight_histograms``."""


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
