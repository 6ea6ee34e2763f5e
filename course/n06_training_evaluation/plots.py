"""Plots for evaluating and tuning a model (notebook 06).

The numbers come from ``nnlib.metrics``, ``nnlib.thresholds`` and ``search``
(or are passed in); this module only draws them. ``ThresholdFigure`` and
``TuningHeatmapFigure`` are the figures of the widgets in ``widgets``.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.colors as mcolors
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from course.explorer import boxed_legend
from course.figures import CYCLE_COLORS, CYCLE_MARKERS, OKABE_ITO, new_axes, plot_history
from nnlib import metrics as _metrics
from nnlib import thresholds as _thresholds

HEATMAP_CMAP = "viridis_r"
"""Colour map of the heat maps: bright yellow is a low (good) loss, dark purple a high one;
viridis stays readable for colour-blind readers and in grey."""


def _plain_log_labels(axis, minor=True):
    """Label a log axis 0.06, 0.1, 0.2 ... instead of 6 x 10^-2 (minor ticks too, if asked)."""
    fmt = FuncFormatter(lambda v, _: f"{v:.2g}")
    axis.set_major_formatter(fmt)
    axis.set_minor_formatter(fmt if minor else NullFormatter())


def plot_confusion_matrix(C, labels=None, ax=None, *, title="Confusion matrix",
                          normalize=False):
    """Draw a confusion matrix with the count written in every cell.

    Parameters
    ----------
    C : array_like of int, shape (n_classes, n_classes)
        ``nnlib.metrics.confusion_matrix(y_true, y_pred)``: rows are true classes,
        columns predicted ones.
    labels : list of str, optional
        Class names (default ``0, 1, ...``).
    ax : matplotlib Axes, optional
    title : str, default="Confusion matrix"
    normalize : bool, default=False
        Colour by the share of each true class (rows sum to 1); the cells still show
        the counts, with the share in brackets.

    Returns
    -------
    ax : matplotlib Axes
    """
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"C must be a square matrix, got shape {C.shape}.")
    n = C.shape[0]
    labels = [str(i) for i in range(n)] if labels is None else [str(s) for s in labels]
    if len(labels) != n:
        raise ValueError(f"labels must name the {n} classes. Received {len(labels)}: {labels}")
    fig, ax = new_axes(ax, figsize=(4.2, 3.8))
    rows = C.sum(axis=1, keepdims=True)
    share = np.divide(C, rows, out=np.zeros(C.shape), where=rows > 0)
    shown = share if normalize else C
    vmax = 1.0 if normalize else max(int(C.max()), 1)
    ax.imshow(shown, cmap="Blues", vmin=0, vmax=vmax)
    for i in range(n):
        for j in range(n):
            text = f"{C[i, j]}" + (f"\n({share[i, j]:.0%})" if normalize else "")
            dark = shown[i, j] > 0.55 * vmax
            ax.text(j, i, text, ha="center", va="center", fontsize=12,
                    color="white" if dark else "black")
    ax.set_xticks(range(n), labels)
    ax.set_yticks(range(n), labels)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    ax.set_title(title)
    return ax


def plot_residuals(X, y, y_hat, axes=None, *, title=None):
    """Residuals ``y - y_hat`` against ``x``, and their histogram.

    A good regression model leaves residuals that look like noise: centred on 0, no
    pattern along ``x``.

    Parameters
    ----------
    X : array_like of shape (n_samples, 1)
    y, y_hat : array_like of shape (n_samples, 1)
    axes : two matplotlib Axes, optional
    title : str, optional
        Put above the left panel.

    Returns
    -------
    axes : ndarray of two Axes
    """
    x = np.asarray(X, float).ravel()
    y = np.asarray(y, float).reshape(len(x), -1)
    y_hat = np.asarray(y_hat, float).reshape(len(x), -1)
    if y.shape != y_hat.shape:
        raise ValueError(f"y and y_hat must have the same shape, got {y.shape} and {y_hat.shape}.")
    residuals = (y - y_hat).ravel()
    if axes is None:
        fig, axes = new_axes(ncols=2, figsize=(10, 3.6))
    axes = np.asarray(axes).ravel()
    ax_x, ax_h = axes[0], axes[1]
    ax_x.axhline(0.0, color=OKABE_ITO["black"], linewidth=1, linestyle="-")
    ax_x.scatter(x, residuals, s=18, color=OKABE_ITO["blue"], marker="o", alpha=0.8)
    ax_x.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax_x.set_xlabel("x")
    ax_x.set_ylabel(r"residual $y - \hat y$")
    ax_x.set_title(title or "Residuals along x")
    low, high = float(residuals.min()), float(residuals.max())
    if high - low < 1e-9 * max(1.0, abs(low)):  # (almost) equal residuals: one visible bar
        low, high = low - 0.5, high + 0.5
    ax_h.hist(residuals, bins=15, range=(low, high), color=OKABE_ITO["sky_blue"],
              edgecolor="white")
    ax_h.axvline(0.0, color=OKABE_ITO["black"], linewidth=1)
    ax_h.set_xlabel(r"residual $y - \hat y$")
    ax_h.set_ylabel("count")
    ax_h.set_title(f"Histogram (RMSE {_metrics.rmse(y, y_hat):.3f})")
    return axes


def plot_learning_curves(history, ax=None, *, best_epoch=None, stopped_epoch=None,
                         early_stopping=None, title="Learning curves", log_scale=False):
    """Training and validation loss per epoch, with early stopping's choice marked.

    Parameters
    ----------
    history : dict-like
        ``"loss"`` and ``"val_loss"`` lists (``MLP.fit``'s ``History``).
    ax : matplotlib Axes, optional
    best_epoch : int, optional
        Marked with a vertical line and a star on the validation curve.
    stopped_epoch : int, optional
        Marked with a dotted vertical line.
    early_stopping : nnlib.callbacks.EarlyStopping, optional
        Takes ``best_epoch`` and ``stopped_epoch`` from it.
    title : str, default="Learning curves"
    log_scale : bool, default=False

    Returns
    -------
    ax : matplotlib Axes
    """
    if early_stopping is not None:
        best_epoch = early_stopping.best_epoch if best_epoch is None else best_epoch
        stopped_epoch = early_stopping.stopped_epoch if stopped_epoch is None else stopped_epoch
    ax = plot_history(history, ax, title=title, log_scale=log_scale)
    val = history.get("val_loss") if hasattr(history, "get") else None
    if best_epoch is not None:
        ax.axvline(best_epoch, color=OKABE_ITO["bluish_green"], linestyle="-", linewidth=1.5,
                   label=f"best epoch ({best_epoch})")
        if val and 1 <= best_epoch <= len(val):
            ax.plot([best_epoch], [val[best_epoch - 1]], linestyle="", marker="*",
                    markersize=16, color=OKABE_ITO["bluish_green"], markeredgecolor="black")
    if stopped_epoch is not None:
        ax.axvline(stopped_epoch, color=OKABE_ITO["reddish_purple"], linestyle=":",
                   linewidth=2, label=f"stopped ({stopped_epoch})")
    ax.legend()
    return ax


class TuningHeatmap:
    """A heat map of validation losses over two hyperparameters of a search.

    Built once; ``show(x, y, reduce)`` redraws it for another pair of hyperparameters.
    The colours always span the cells shown (their lowest to their highest finite
    value), so the differences that are on screen use the whole colour range; the
    colour bar gives the scale of each picture.

    Parameters
    ----------
    result : search_result.SearchResult
    ax : matplotlib Axes, optional

    Attributes
    ----------
    image : matplotlib AxesImage
        Its ``norm`` (log scale when every loss is positive) has ``vmin`` and ``vmax``
        at the lowest and highest finite cell of ``table``.
    x_values, y_values : list
        The values on the columns and rows.
    table : ndarray of shape (n_y, n_x)
        What is shown (``result.pivot(x, y, reduce=...)``).
    texts : list of matplotlib Text
        The value written in each cell.
    """

    def __init__(self, result, ax=None, *, colorbar=True):
        fig, ax = new_axes(ax, figsize=(6.0, 4.4))
        self.ax = ax
        self.result = result
        finite = result.val_loss[np.isfinite(result.val_loss)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (1.0, 10.0)
        if high <= low:
            high = low * 1.01 + 1e-12
        norm = (mcolors.LogNorm(low, high) if low > 0 else mcolors.Normalize(low, high))
        cmap = mpl.colormaps[HEATMAP_CMAP].with_extremes(bad="#d9d9d9")
        self.image = ax.imshow(np.zeros((1, 1)), cmap=cmap, norm=norm, aspect="auto",
                               origin="lower")
        self.colorbar = None
        if colorbar:
            self.colorbar = fig.colorbar(self.image, ax=ax, label="validation loss")
            if isinstance(norm, mcolors.LogNorm):
                _plain_log_labels(self.colorbar.ax.yaxis)
        # The star sits in the upper-left corner of the best cell, clear of its number.
        (self.best_marker,) = ax.plot([], [], linestyle="", marker="*", markersize=14,
                                      color=OKABE_ITO["orange"], markeredgecolor="black")
        ax.grid(False)
        self.texts = []

    def show(self, x, y, *, reduce="min"):
        """Show the losses over ``x`` (columns) and ``y`` (rows); mark the lowest cell."""
        self.x, self.y, self.reduce = x, y, reduce
        self.x_values, self.y_values, self.table = self.result.pivot(x, y, reduce=reduce)
        shown = np.ma.masked_invalid(self.table)
        self.image.set_data(shown)
        finite = self.table[np.isfinite(self.table)]
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            if high <= low:          # one value (or all equal): a tiny range around it
                high = low + max(abs(low) * 0.01, 1e-12)
            self.image.set_clim(low, high)
        ny, nx = self.table.shape
        self.image.set_extent((-0.5, nx - 0.5, -0.5, ny - 0.5))
        ax = self.ax
        ax.set_xlim(-0.5, nx - 0.5)
        ax.set_ylim(-0.5, ny - 0.5)
        ax.set_xticks(range(nx), [_label(v) for v in self.x_values],
                      rotation=45 if nx > 6 else 0)
        ax.set_yticks(range(ny), [_label(v) for v in self.y_values])
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        for t in self.texts:
            t.remove()
        self.texts = []
        small = nx * ny <= 64
        for i in range(ny):
            for j in range(nx):
                v = self.table[i, j]
                if np.isnan(v):
                    text = "–"
                elif np.isinf(v):
                    text = "div."
                else:
                    text = f"{v:.3g}" if small else ""
                if text:
                    self.texts.append(ax.text(j, i, text, ha="center", va="center", fontsize=9,
                                              color=self._text_color(v)))
        finite = np.isfinite(self.table)
        if finite.any():
            i, j = np.unravel_index(np.argmin(np.where(finite, self.table, np.inf)),
                                    self.table.shape)
            self.best_marker.set_data([j - 0.32], [i + 0.28])
            self.best_cell = (self.y_values[i], self.x_values[j])
        else:
            self.best_marker.set_data([], [])
            self.best_cell = None
        word = {"min": "best", "mean": "mean"}[reduce]
        ax.set_title(f"Validation loss ({word} over the other hyperparameters)", fontsize=11)
        return self

    def _text_color(self, v):
        if not np.isfinite(v):
            return "black"
        level = self.image.norm(v)
        return "white" if level > 0.6 else "black"


class TuningHeatmapFigure:
    """The figure of ``widgets.tuning_heatmap_explorer``: a ``TuningHeatmap`` and a note.

    The note, written across the middle of the map, says why no map is shown (the same
    hyperparameter on both axes). The whole figure is drawn at every update: ticks,
    labels and cells all change with the hyperparameters shown.

    Parameters
    ----------
    result : search_result.SearchResult

    Attributes
    ----------
    fig : matplotlib Figure
        Constrained layout, recomputed at every draw (the tick labels change).
    ax : matplotlib Axes
    heatmap : TuningHeatmap
        With ``x_values``, ``y_values``, ``table`` and ``best_cell`` after ``show``.
    note : matplotlib Text
        Empty while a map is shown.
    dynamic : list of matplotlib Artist
        Empty: everything changes, the whole figure is drawn every time.
    """

    def __init__(self, result):
        # constrained layout is recomputed at every draw: tick labels change with the axes
        fig, ax = new_axes(figsize=(7.0, 4.6), layout="constrained")
        self.fig, self.ax = fig, ax
        self.heatmap = TuningHeatmap(result, ax)
        self.note = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                            fontsize=12, color=OKABE_ITO["vermillion"],
                            bbox={"facecolor": "white", "edgecolor": OKABE_ITO["vermillion"]})
        self.dynamic = []

    def show(self, x, y, *, reduce="min"):
        """Show the losses over ``x`` (columns) and ``y`` (rows) (``TuningHeatmap.show``),
        without a note.

        Returns
        -------
        TuningHeatmap
            With the ``table`` and ``best_cell`` shown.
        """
        self.note.set_text("")
        return self.heatmap.show(x, y, reduce=reduce)

    def show_note(self, text):
        """Write ``text`` across the map (the map stays as it was)."""
        self.note.set_text(text)


def _label(v):
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def plot_tuning_heatmap(result, x, y, ax=None, *, reduce="min", title=None):
    """Heat map of a search's validation loss over two hyperparameters (see ``TuningHeatmap``).

    Parameters
    ----------
    result : search_result.SearchResult
    x, y : str
        Hyperparameters for the columns and the rows.
    ax : matplotlib Axes, optional
    reduce : {"min", "mean"}, default="min"
        How the cells combine settings that differ only in other hyperparameters.
    title : str, optional

    Returns
    -------
    TuningHeatmap
        With ``.ax``, ``.table``, ``.best_cell``.
    """
    heat = TuningHeatmap(result, ax).show(x, y, reduce=reduce)
    if title:
        heat.ax.set_title(title)
    return heat


def plot_search_comparison(results, param="learning_rate", ax=None, *, log_x=True,
                           title=None):
    """Validation loss against one hyperparameter for several searches (e.g. grid vs random).

    Parameters
    ----------
    results : dict of str -> search_result.SearchResult
        Label -> result.
    param : str, default="learning_rate"
    ax : matplotlib Axes, optional
    log_x : bool, default=True

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    for k, (label, result) in enumerate(results.items()):
        x = np.array([row[param] for row in result], dtype=float)
        v = result.val_loss
        ok = np.isfinite(v)
        n_distinct = len(np.unique(x))
        ax.scatter(x[ok], v[ok], s=28, marker=CYCLE_MARKERS[k], alpha=0.7,
                   color=CYCLE_COLORS[k], label=f"{label}: {n_distinct} distinct values")
        if result.best_index is not None:
            ax.plot([x[result.best_index]], [result.best_val_loss], linestyle="", marker="*",
                    markersize=18, color=CYCLE_COLORS[k], markeredgecolor="black")
    if log_x:
        ax.set_xscale("log")
    ax.set_yscale("log")
    _plain_log_labels(ax.yaxis)
    if log_x:
        _plain_log_labels(ax.xaxis, minor=False)
    ax.set_xlabel(param)
    ax.set_ylabel("validation loss")
    ax.set_title(title or f"Each setting tried (star: the best), by {param}")
    ax.legend()
    return ax


def plot_precision_recall(curve, ax=None, *, point=None, title="Precision-recall trade-off"):
    """The precision-recall curve, the random-guess baseline and, optionally, one point.

    Parameters
    ----------
    curve : nnlib.thresholds.PrecisionRecallCurve
    ax : matplotlib Axes, optional
    point : (float, float), optional
        ``(recall, precision)`` to mark (e.g. the current threshold).
    title : str

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax, figsize=(4.6, 4.2))
    ax.plot(curve.recall, curve.precision, color=OKABE_ITO["blue"], linestyle="-", marker="",
            drawstyle="steps-post", label="model, every threshold")
    ax.axhline(curve.prevalence, color=OKABE_ITO["black"], linestyle="--", linewidth=1,
               marker="", label=f"random guess ({curve.prevalence:.0%})")
    if point is not None:
        ax.plot([point[0]], [point[1]], linestyle="", marker="o", markersize=10,
                color=OKABE_ITO["vermillion"], markeredgecolor="black", label="threshold")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title(title)
    precision_recall_legend(ax)
    return ax


def precision_recall_legend(ax):
    """The legend of a precision-recall panel: lower left, in an opaque box.

    The random-guess line runs along the bottom of the panel; the opaque box keeps it
    from crossing the legend's text. Call it again after adding lines to the panel.
    """
    return ax.legend(loc="lower left", fontsize=9, frameon=True, framealpha=1.0,
                     edgecolor="none")


def plot_score_histograms(y_true, scores, ax=None, *, threshold=None, bins=20,
                          title="Scores of each class"):
    """Histograms of the scores of class 0 and class 1, and the threshold line.

    Samples right of the threshold are predicted positive.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,), labels 0 and 1
    scores : array_like of shape (n_samples,) or (n_samples, 1), in [0, 1]
    ax : matplotlib Axes, optional
    threshold : float, optional
    bins : int, default=20

    Returns
    -------
    ax : matplotlib Axes
    """
    y_true, scores = _thresholds._check_binary(y_true, scores)
    fig, ax = new_axes(ax)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ax.hist(scores[y_true == 0], bins=edges, color=OKABE_ITO["blue"], alpha=0.6,
            label=f"class 0 ({int((y_true == 0).sum())})")
    ax.hist(scores[y_true == 1], bins=edges, color=OKABE_ITO["vermillion"], alpha=0.8,
            hatch="//", edgecolor="white", label=f"class 1 ({int(y_true.sum())})")
    ax.set_yscale("log")
    if threshold is not None:
        ax.axvline(threshold, color=OKABE_ITO["black"], linestyle="--", linewidth=2,
                   label="threshold")
    ax.set_xlabel("score (predicted probability of class 1)")
    ax.set_ylabel("count (log scale)")
    ax.set_title(title)
    ax.legend(fontsize=9)
    return ax


class ThresholdFigure:
    """The figure of ``widgets.threshold_explorer``: the scores and the precision-recall curve.

    Left: histograms of the scores of each class (``plot_score_histograms``) and the
    threshold, a dashed vertical line. Right: the precision-recall curve of every
    threshold (``plot_precision_recall``), the point of the current one and its
    precision and recall in a box. ``show`` moves the line, the point and the box's
    text (``dynamic``); the rest is drawn once.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,), labels 0 and 1
    scores : ndarray of shape (n_samples,), in [0, 1]
    curve : nnlib.thresholds.PrecisionRecallCurve
    threshold : float
        Where the threshold line starts.

    Attributes
    ----------
    fig : matplotlib Figure
    ax_hist, ax_pr : matplotlib Axes
    threshold_line : matplotlib Line2D
    point : matplotlib Line2D
        The current ``(recall, precision)`` on the curve.
    text : matplotlib Text
        The current precision and recall.
    dynamic : list of matplotlib Artist
        What ``show`` changes (``FigureView.set_dynamic``).
    legends : list of matplotlib Legend
        Opaque legends over the dynamic artists (``on_top``).
    """

    def __init__(self, y_true, scores, curve, threshold):
        fig, (ax_hist, ax_pr) = new_axes(ncols=2, figsize=(9.6, 4.0),
                                         gridspec_kw={"width_ratios": [1.35, 1]})
        self.ax_hist, self.ax_pr = ax_hist, ax_pr
        plot_score_histograms(y_true, scores, ax=ax_hist)
        self.threshold_line = ax_hist.axvline(threshold, color=OKABE_ITO["black"],
                                              linestyle="--", linewidth=2, label="threshold")
        hist_legend = boxed_legend(ax_hist, fontsize=9, loc="upper right")
        plot_precision_recall(curve, ax=ax_pr)
        (self.point,) = ax_pr.plot([], [], linestyle="", marker="o", markersize=11,
                                   color=OKABE_ITO["vermillion"], markeredgecolor="black",
                                   label="current threshold")
        pr_legend = precision_recall_legend(ax_pr)
        self.text = ax_pr.text(0.97, 0.97, "", transform=ax_pr.transAxes, ha="right",
                               va="top", fontsize=10,
                               bbox={"facecolor": "white", "edgecolor": "#999999"})
        fig.tight_layout()
        self.fig = fig
        self.dynamic = [self.threshold_line, self.point, self.text]
        self.legends = [hist_legend, pr_legend]

    def show(self, threshold, precision, recall):
        """Move the threshold line to ``threshold`` and the point to ``(recall, precision)``;
        write both in the box."""
        self.threshold_line.set_xdata([threshold, threshold])
        self.point.set_data([recall], [precision])
        self.text.set_text(f"precision {precision:.2f}\nrecall {recall:.2f}")
