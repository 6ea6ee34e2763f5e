"""Figures of notebook 05e: the depth explorer's figure, and training curves."""

from __future__ import annotations

import numpy as np

from course.figures import OKABE_ITO, new_axes

VARIANT_COLORS = {
    "full block": OKABE_ITO["blue"],
    "no residual": OKABE_ITO["vermillion"],
    "no LayerNorm": OKABE_ITO["reddish_purple"],
    "no feed-forward": OKABE_ITO["bluish_green"],
}


class DepthFigure:
    """The figure of ``widgets.DepthExplorer``: one network at one depth.

    Left: how alike the positions of one sequence are after the chosen block, the cosine
    similarity of every two positions (1 = pointing the same way). Right: how far apart
    the positions are, ``block.position_spread``, after every block, one line per
    network, with the chosen network and block marked. The colour scale and the axes are
    fixed when the figure is built, so a move of a control redraws only the image, the
    marker and the title.

    Parameters
    ----------
    spreads : dict of str to sequence of float
        Each network's spread before the first block and after each.
    n_steps : int
        The positions of a sequence (the image is ``n_steps`` by ``n_steps``).

    Attributes
    ----------
    fig : matplotlib Figure
    ax_image, ax_spread : matplotlib Axes
    image : matplotlib AxesImage
    marker : matplotlib Line2D
    title : matplotlib Text
    dynamic : list of matplotlib Artist
        What ``show`` changes (``FigureView.set_dynamic``).
    """

    def __init__(self, spreads, n_steps):
        fig, (self.ax_image, self.ax_spread) = new_axes(
            ncols=2, figsize=(9.4, 3.9), gridspec_kw={"width_ratios": [1, 1.15]})
        self.image = self.ax_image.imshow(np.eye(n_steps), vmin=-1, vmax=1, cmap="RdBu_r",
                                          interpolation="nearest")
        self.ax_image.set_xlabel("position")
        self.ax_image.set_ylabel("position")
        self.ax_image.grid(False)
        self.ax_image.set_title("how alike two positions are (cosine)", fontsize=10.5)
        fig.colorbar(self.image, ax=self.ax_image, fraction=0.046, pad=0.04)
        depth = len(next(iter(spreads.values()))) - 1
        for k, (name, values) in enumerate(spreads.items()):
            self.ax_spread.plot(np.arange(depth + 1), values, label=name,
                                color=VARIANT_COLORS.get(name), linestyle=["-", "--", "-."][k % 3],
                                marker="o", markersize=3)
        self.ax_spread.set_yscale("log")
        low = min(min(v) for v in spreads.values())
        self.ax_spread.set_ylim(low / 2, 2.0)
        self.ax_spread.set_xlim(-0.3, depth + 0.3)
        self.ax_spread.set_xlabel("after block (0 = the embeddings)")
        self.ax_spread.set_title("how far apart the positions are", fontsize=10.5)
        self.ax_spread.legend(fontsize=8.5, loc="lower left")
        (self.marker,) = self.ax_spread.plot([0], [1.0], marker="o", markersize=11,
                                             linestyle="", markerfacecolor="none",
                                             markeredgecolor=OKABE_ITO["black"],
                                             markeredgewidth=2)
        self.title = fig.suptitle(" ", fontsize=11)
        fig.tight_layout()
        self.fig = fig
        self.dynamic = [self.image, self.marker, self.title]

    def show(self, name, depth, similarity, spread, size):
        """Draw network ``name`` after block ``depth``: its ``similarity`` matrix, and a
        marker at its ``spread``; the title gives the stream's ``size``."""
        self.image.set_data(similarity)
        self.marker.set_data([depth], [spread])
        where = "the embeddings" if depth == 0 else f"after block {depth}"
        self.title.set_text(f"{name}, {where}: the stream's size {size:.3g}")
        return self


def plot_losses(curves, ax=None, *, levels=None, window=25, title="Training loss"):
    """Each network's minibatch loss (``{label: losses}``), smoothed over ``window`` steps,
    with horizontal lines at ``levels`` (``{label: value}``).

    Returns
    -------
    ax : matplotlib Axes
    """
    _, ax = new_axes(ax, figsize=(7.0, 3.6))
    for k, (label, losses) in enumerate(curves.items()):
        losses = np.asarray(losses, dtype=float)
        window_here = max(1, min(window, len(losses)))
        smooth = np.convolve(losses, np.ones(window_here) / window_here, mode="valid")
        ax.plot(np.arange(len(smooth)) + window_here - 1, smooth, label=label, marker="",
                color=VARIANT_COLORS.get(label), linestyle=["-", "--", "-.", ":"][k % 4])
    for label, value in (levels or {}).items():
        ax.axhline(value, color="#777777", linewidth=1, linestyle=":")
        ax.annotate(label, (0, value), xytext=(4, 3), textcoords="offset points",
                    fontsize=8.5, color="#555555")
    ax.set_xlabel("step")
    ax.set_ylabel(f"loss, mean of {window} steps")
    ax.set_title(title)
    ax.legend(fontsize=9)
    return ax
