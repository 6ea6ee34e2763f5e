"""The figures of notebook 05d: the bigram counts, the training curve, and the
next-character distribution at a temperature (the sampling widget's figure)."""

from __future__ import annotations

import numpy as np

from course.explorer import boxed_legend
from course.figures import OKABE_ITO, new_axes

from .text import END


def token_label(ch):
    """How a token is written under a bar or on an axis: the newline and the space get
    a visible sign."""
    return {END: "⏎", " ": "␣"}.get(ch, ch)


def plot_bigram_counts(counts, alphabet, *, ax=None):
    """The bigram counts as a heat map: row = the previous character, column = the next;
    the colour is ``ln(1 + count)`` (the counts span four orders of magnitude).

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax, figsize=(7.2, 6.4))
    image = ax.imshow(np.log1p(counts), cmap="viridis")
    labels = [token_label(ch) for ch in alphabet]
    ticks = np.arange(len(alphabet))
    ax.set_xticks(ticks, labels, fontsize=8)
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set_xlabel("next character")
    ax.set_ylabel("previous character")
    ax.set_title("How often each character follows another", fontsize=11)
    fig.colorbar(image, ax=ax, shrink=0.8, label="ln(1 + count)")
    return ax


def plot_training(losses, levels, *, ax=None, window=50):
    """The minibatch loss of every step (faint) and its running mean over ``window``
    steps, with horizontal lines at the given levels.

    Parameters
    ----------
    losses : list of float
    levels : dict of str to float
        Label -> loss, e.g. ``{"uniform guess, ln V": 3.58, ...}``, drawn dashed.

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax, figsize=(7.5, 3.8))
    losses = np.asarray(losses, dtype=float)
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, color=OKABE_ITO["sky_blue"], linewidth=0.6, alpha=0.6,
            marker="", linestyle="-", label="minibatch loss")
    if len(losses) >= window:
        mean = np.convolve(losses, np.ones(window) / window, mode="valid")
        ax.plot(steps[window - 1:], mean, color=OKABE_ITO["blue"], linewidth=2,
                marker="", linestyle="-", label=f"mean of the last {window} steps")
    styles = ["--", ":", "-."]
    colours = [OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"], OKABE_ITO["orange"]]
    for i, (label, level) in enumerate(levels.items()):
        ax.axhline(level, linestyle=styles[i % 3], color=colours[i % 3], linewidth=1.5,
                   label=f"{label}: {level:.3f}")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (nats per character)")
    ax.legend(fontsize=9, loc="upper right")
    return ax


class NextTokenFigure:
    """The figure of ``widgets.SamplingExplorer``: the probability of each next token
    after one context, at the slider's temperature (bars) and at T = 1 (outline).

    ``show`` changes the bars, the outline and the title (``dynamic``).

    Parameters
    ----------
    alphabet : str
        The tokens, in index order (one bar each).

    Attributes
    ----------
    fig : matplotlib Figure
    ax : matplotlib Axes
    bars : matplotlib BarContainer
    outline : matplotlib Line2D
        The probabilities at T = 1, as a step line over the bars.
    legend : matplotlib Legend
        Opaque: kept on top of the bars (``FigureView.set_dynamic``'s ``on_top``).
    dynamic : list of matplotlib Artist
    """

    def __init__(self, alphabet):
        fig, ax = new_axes(figsize=(9.0, 3.3), layout="constrained")
        positions = np.arange(len(alphabet))
        self.bars = ax.bar(positions, np.zeros(len(alphabet)), width=0.8,
                           color=OKABE_ITO["bluish_green"], edgecolor="#333333",
                           linewidth=0.5, label="at the slider's T")
        (self.outline,) = ax.step(np.r_[positions - 0.5, positions[-1] + 0.5],
                                  np.zeros(len(alphabet) + 1), where="post",
                                  color=OKABE_ITO["vermillion"], linewidth=1.2,
                                  marker="", linestyle="-",
                                  label="at T = 1 (the model's own)")
        ax.set_xticks(positions, [token_label(ch) for ch in alphabet])
        ax.set_xlim(-0.7, len(alphabet) - 0.3)
        ax.set_ylim(0, 1.02)
        ax.grid(axis="x", visible=False)
        ax.set_axisbelow(True)
        ax.set_ylabel("probability")
        self.legend = boxed_legend(ax, loc="upper right", fontsize=9)
        self.fig, self.ax = fig, ax
        self.dynamic = [*self.bars, self.outline, ax.title]

    def show(self, probs, probs_at_one, temperature, context):
        """Draw the distribution after ``context`` (a str) at ``temperature``.

        Returns
        -------
        self
        """
        for bar, p in zip(self.bars, probs, strict=True):
            bar.set_height(p)
        self.outline.set_ydata(np.r_[probs_at_one, probs_at_one[-1]])
        shown = "".join(token_label(ch) for ch in context)
        self.ax.set_title(f"the next character after “{shown}”, at T = {temperature:.2f}",
                          fontsize=11)
        return self
