"""The course's plotting style and the generic plots several notebooks share.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common kinds of colour blindness. Four of its colours are the article's layer
colours: orange for the input layer, sky blue for the first hidden layer, reddish
purple for the second, bluish green for the output.

Figures get an opaque white background (Jupyter's inline backend makes it
transparent by default, which puts black text on JupyterLab's dark theme), and
lines differ by marker and line style as well as colour.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.ticker import MaxNLocator

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# The article's figure: input, hidden 1, hidden 2, output.
LAYER_COLORS = {
    "input": OKABE_ITO["orange"],
    "hidden1": OKABE_ITO["sky_blue"],
    "hidden2": OKABE_ITO["reddish_purple"],
    "output": OKABE_ITO["bluish_green"],
}

# Line cycle: colour, marker and dash all change, so lines differ without colour too.
CYCLE_COLORS = [OKABE_ITO[k] for k in
                ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue")]
CYCLE_MARKERS = ["o", "s", "^", "D", "v", "P"]
CYCLE_LINESTYLES = ["-", "--", "-.", ":", "-", "--"]

STYLE = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#000000",
    "text.color": "#000000",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "font.size": 11,
    "lines.linewidth": 2.0,
    "lines.markersize": 5,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=CYCLE_COLORS) + cycler(marker=CYCLE_MARKERS)
    + cycler(linestyle=CYCLE_LINESTYLES),
}


def use_style():
    """Apply the course style to matplotlib (call once at the top of a notebook)."""
    mpl.rcParams.update(STYLE)


def new_axes(ax=None, **subplots_kw):
    """Return ``(fig, ax)``: the given axes and its figure, or a new styled figure."""
    if ax is not None:
        return ax.figure, ax
    return styled_subplots(**subplots_kw)


def styled_subplots(*args, **subplots_kw):
    """``plt.subplots(*args, **subplots_kw)`` under the course style, keeping interactive mode.

    The first figure of a Jupyter session switches matplotlib to the inline backend,
    which turns interactive mode on; ``rc_context`` would restore the old value on exit
    and every later figure would then stay hidden. The mode set inside is kept.
    """
    with mpl.rc_context(STYLE):
        result = plt.subplots(*args, **subplots_kw)
        interactive = mpl.is_interactive()
    mpl.interactive(interactive)
    return result


def plot_history(history, ax=None, *, title="Loss per epoch", log_scale=False):
    """Plot ``history["loss"]`` (and ``"val_loss"``) against the epoch.

    Parameters
    ----------
    history : dict-like
        What ``MLP.fit`` returns (or Keras' ``History.history``).
    ax : matplotlib Axes, optional
    log_scale : bool, default=False

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    n_points = len(history["loss"])
    every = max(1, n_points // 15)  # markers on a few points only
    for key, label, color, marker, style in (
        ("loss", "training loss", OKABE_ITO["blue"], "o", "-"),
        ("val_loss", "validation loss", OKABE_ITO["vermillion"], "s", "--"),
    ):
        values = history.get(key) if hasattr(history, "get") else None
        if values:
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, color=color, marker=marker, linestyle=style,
                    markevery=every, label=label)
    if getattr(history, "diverged", False):
        ax.text(0.5, 0.5, history.message, transform=ax.transAxes, ha="center", va="center",
                wrap=True, color=OKABE_ITO["vermillion"], fontsize=11,
                bbox={"facecolor": "white", "edgecolor": OKABE_ITO["vermillion"]})
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_fit(X, y, y_hat=None, ax=None, *, title=None, label_pred="model prediction"):
    """Scatter 1-D data and draw a model's predictions as a line.

    Parameters
    ----------
    X : array_like of shape (n_samples, 1)
    y : array_like of shape (n_samples, 1)
    y_hat : array_like of shape (n_samples, 1), optional
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    x = np.asarray(X, float).ravel()
    ax.scatter(x, np.asarray(y, float).ravel(), s=18, color=OKABE_ITO["blue"], marker="o",
               alpha=0.7, label="data")
    if y_hat is not None:
        order = np.argsort(x)
        ax.plot(x[order], np.asarray(y_hat, float).ravel()[order], color=OKABE_ITO["vermillion"],
                linestyle="-", marker="", label=label_pred)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))  # readable in narrow subplots
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def plot_curves(x, curves, ax=None, *, title=None, xlabel="x", ylabel=None):
    """Draw several labelled curves over the same ``x``, each with its own colour, marker and dash.

    Parameters
    ----------
    x : array_like of shape (n_points,)
    curves : dict of str to array_like of shape (n_points,) or (n_points, 1)
        Legend label -> values.
    ax : matplotlib Axes, optional
    title, xlabel, ylabel : str, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    x = np.asarray(x, dtype=float).ravel()
    fig, ax = new_axes(ax)
    every = max(1, len(x) // 12)
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float).ravel()
        if values.shape != x.shape:
            raise ValueError(
                f"curve {label!r} must have one value per x ({x.size}). "
                f"Received: {values.size} values."
            )
        k = i % len(CYCLE_COLORS)
        ax.plot(x, values, color=CYCLE_COLORS[k], marker=CYCLE_MARKERS[k],
                linestyle=CYCLE_LINESTYLES[k], markevery=(i * every // 3, every), label=label)
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
