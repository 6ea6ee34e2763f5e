"""Notebook 06b's figures: digit images, softmax regression's weights as ten images
(``WeightImagesFigure``, drawn and updated by itself, used by the epoch widget), the
confusion matrix of the digits and cross-validation against single splits.

The numbers come from ``digits``; this module only draws.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from course.figures import OKABE_ITO, styled_subplots

from .digits import IMAGE_SHAPE, N_CLASSES

WEIGHT_CMAP = "RdBu_r"
"""Red: a bright pixel there raises the digit's score; blue: it lowers it."""


def show_digits(X, y, *, per_class=2):
    """The first ``per_class`` images of each digit, in grey (white background, dark ink).

    Returns
    -------
    fig : matplotlib Figure
    """
    fig, axes = styled_subplots(per_class, N_CLASSES, figsize=(8.0, 0.9 * per_class + 0.5))
    axes = np.atleast_2d(axes)
    for digit in range(N_CLASSES):
        rows = np.flatnonzero(np.asarray(y) == digit)[:per_class]
        for row, ax in zip(rows, axes[:, digit]):
            ax.imshow(np.asarray(X[row]).reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0, vmax=1)
        axes[0, digit].set_title(str(digit))
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.tight_layout()
    return fig


class WeightImagesFigure:
    """Softmax regression's weights as ten 8 x 8 images, and the accuracy per epoch.

    Top: one image per digit, the weight of each pixel in that digit's score (red
    positive, blue negative, scaled to the largest |weight| of the epoch), laid out in
    two rows of five as one picture (one image to draw, so a slider stays quick).
    Bottom: the test accuracy after every epoch, the epoch shown marked.

    Parameters
    ----------
    accuracies : array_like of float, shape (n_epochs + 1,)
        The accuracy before training (index 0) and after each epoch.

    Attributes
    ----------
    fig : matplotlib Figure
    mosaic : AxesImage
        The ten images, digits 0-4 above 5-9, blank (NaN) between them.
    marker : Line2D
        The epoch shown, on the accuracy curve.
    title : matplotlib Text
        The epoch and its accuracy.
    dynamic : list of matplotlib Artist
        What ``show`` changes (a widget redraws only these).
    """

    GAP = 1  # blank pixels between two images side by side
    LABEL = 2  # blank rows under each image, for its digit
    COLUMNS = 5

    def __init__(self, accuracies):
        accuracies = np.asarray(accuracies, dtype=float)
        fig, (ax, self.ax_accuracy) = styled_subplots(
            2, 1, figsize=(7.0, 5.6), gridspec_kw={"height_ratios": [2.2, 1.0]})
        cmap = plt.get_cmap(WEIGHT_CMAP).with_extremes(bad=(0, 0, 0, 0))  # see-through
        self.mosaic = ax.imshow(self._layout(np.zeros((N_CLASSES, *IMAGE_SHAPE))),
                                cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
        height, width = IMAGE_SHAPE
        for digit in range(N_CLASSES):
            row, column = divmod(digit, self.COLUMNS)
            ax.text(column * (width + self.GAP) + (width - 1) / 2,
                    row * (height + self.LABEL) + height + 0.4, str(digit), ha="center",
                    va="center", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        self.ax_images = ax
        epochs = np.arange(len(accuracies))
        self.ax_accuracy.plot(epochs, accuracies, color=OKABE_ITO["blue"], marker="o",
                              markersize=3)
        (self.marker,) = self.ax_accuracy.plot([0], [accuracies[0]], "o", markersize=9,
                                               color=OKABE_ITO["vermillion"])
        self.ax_accuracy.set_xlim(-0.3, len(accuracies) - 0.7)
        self.ax_accuracy.set_ylim(0.0, 1.02)
        self.ax_accuracy.set_xlabel("epoch")
        self.ax_accuracy.set_ylabel("test accuracy")
        self.title = ax.set_title(" ", fontsize=11)
        fig.tight_layout()
        self.fig = fig
        self.dynamic = [self.mosaic, self.marker, self.title]

    def _layout(self, images):
        """The ten images as one array, blank (NaN) between them."""
        height, width = IMAGE_SHAPE
        rows = -(-N_CLASSES // self.COLUMNS)
        out = np.full((rows * (height + self.LABEL),
                       self.COLUMNS * (width + self.GAP) - self.GAP), np.nan)
        for digit, picture in enumerate(images):
            row, column = divmod(digit, self.COLUMNS)
            top, left = row * (height + self.LABEL), column * (width + self.GAP)
            out[top:top + height, left:left + width] = picture
        return out

    def show(self, images, epoch, accuracy):
        """Show the weight ``images`` (shape (10, 8, 8)) after ``epoch`` and its accuracy."""
        images = np.asarray(images, dtype=float)
        scale = float(np.max(np.abs(images))) or 1.0
        self.mosaic.set_data(self._layout(images))
        self.mosaic.set_clim(-scale, scale)
        self.marker.set_data([epoch], [accuracy])
        when = "before training" if epoch == 0 else f"after epoch {epoch}"
        self.title.set_text(f"Each digit's weights {when} (largest |weight| {scale:.2f})")


def plot_confusion(C, ax=None, *, title="Confusion matrix"):
    """A confusion matrix of the digits with the count in every cell that is not 0.

    Rows are the true digit, columns the predicted one.
    """
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"C must be a square matrix. Received: shape {C.shape}")
    if ax is None:
        fig, ax = styled_subplots(figsize=(5.0, 4.4))
    ax.imshow(np.log1p(C), cmap="Blues")
    high = np.log1p(C.max()) / 2
    for (i, j), count in np.ndenumerate(C):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8,
                    color="white" if np.log1p(count) > high else "black")
    ticks = np.arange(len(C))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(title)
    ax.grid(False)
    return ax


def plot_cross_validation(scores):
    """Single splits against cross-validation, for each model, and the gap between them.

    Parameters
    ----------
    scores : dict of str to ndarray of shape (repeats, k)
        ``digits.repeated_cv``'s validation accuracies; the first two models are compared.

    Returns
    -------
    fig : matplotlib Figure
    """
    names = list(scores)
    fig, (ax, ax_gap) = styled_subplots(1, 2, figsize=(9.0, 3.6),
                                        gridspec_kw={"width_ratios": [1.4, 1.0]})
    colours = [OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
    for row, (name, colour) in enumerate(zip(names, colours)):
        s = np.asarray(scores[name])
        jitter = np.linspace(-0.12, 0.12, s.size)
        ax.plot(s.ravel(), row + 0.15 + jitter, "o", color=colour, alpha=0.6, markersize=5,
                linestyle="none", label="single splits" if row == 0 else None)
        ax.plot(s.mean(axis=1), np.full(len(s), row - 0.2), "D", color=colour, markersize=8,
                markeredgecolor="black", linestyle="none",
                label="5-fold cross-validation" if row == 0 else None)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlabel("validation accuracy")
    ax.set_title("Each dot: one split; each diamond: one CV")
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.legend(loc="center left", fontsize=9)
    gaps = np.asarray(scores[names[1]]) - np.asarray(scores[names[0]])
    ax_gap.hist(gaps.ravel() * 100, bins=10, color=OKABE_ITO["sky_blue"], edgecolor="white",
                label="single splits")
    ax_gap.axvline(gaps.mean() * 100, color="black", linestyle="--", marker="",
                   label="cross-validation")
    ax_gap.axvline(0.0, color=OKABE_ITO["vermillion"], linestyle=":", marker="")
    ax_gap.set_xlabel("gap in accuracy (points)")
    ax_gap.set_ylabel("splits")
    ax_gap.set_title(f"{names[1]} minus {names[0]}", fontsize=10)
    ax_gap.legend(fontsize=9)
    fig.tight_layout()
    return fig
