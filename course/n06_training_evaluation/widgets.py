"""Widgets for evaluation and tuning (notebook 06).

``threshold_explorer``: a decision-threshold slider that moves precision and recall
live, on the precision-recall curve. ``tuning_heatmap_explorer``: pick two
hyperparameters of a finished search and see its validation loss as a heat map.
The numbers come from ``nnlib.thresholds`` and ``search``; the figures, and how they
change, are ``plots.ThresholdFigure`` and ``plots.TuningHeatmapFigure``.
"""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer
from course.figures import OKABE_ITO
from nnlib import thresholds as _thresholds

from .plots import ThresholdFigure, TuningHeatmapFigure


class ThresholdExplorer(Explorer):
    """A threshold slider for a binary classifier's scores: precision and recall follow.

    Left: histograms of the scores of each class and the threshold (samples to its
    right are predicted positive). Right: the precision-recall curve of all thresholds
    and the point of the current one. The slider updates the picture while it is
    dragged (continuous updates).

    Parameters
    ----------
    y_true : array_like of shape (n_samples,), labels 0 and 1
    scores : array_like of shape (n_samples,) or (n_samples, 1), in [0, 1]
        E.g. ``model.predict(X_val)`` of a sigmoid output.
    threshold : float, default=0.5

    Attributes
    ----------
    threshold : float
    result : dict
        ``nnlib.thresholds.scores_at_threshold(y_true, scores, threshold)``: precision,
        recall, f1, accuracy and the counts tp, fp, fn, tn.
    precision, recall, f1, accuracy : float
    curve : nnlib.thresholds.PrecisionRecallCurve
    figure : plots.ThresholdFigure
        The histograms and the curve; ``figure.point`` is the current
        ``(recall, precision)``, ``figure.threshold_line`` the threshold.
    readout : ipywidgets.HTML
    """

    def __init__(self, y_true, scores, *, threshold=0.5):
        self.y_true, self.scores = _thresholds._check_binary(y_true, scores)
        self.curve = _thresholds.precision_recall_curve(self.y_true, self.scores)
        self.controls = {
            "threshold": ipw.FloatSlider(value=threshold, min=0.0, max=1.0, step=0.01,
                                         description="threshold", readout_format=".2f",
                                         continuous_update=True),
        }
        self.controls["threshold"].add_class("threshold-slider")
        self.readout = ipw.HTML()
        self.readout.add_class("threshold-readout")
        self.figure = ThresholdFigure(self.y_true, self.scores, self.curve, threshold)
        self._start(self.figure.fig, dynamic=self.figure.dynamic, on_top=self.figure.legends)

    def update(self):
        self.threshold = float(self.controls["threshold"].value)
        self.result = _thresholds.scores_at_threshold(self.y_true, self.scores, self.threshold)
        r = self.result
        self.precision, self.recall = r["precision"], r["recall"]
        self.f1, self.accuracy = r["f1"], r["accuracy"]
        self.figure.show(self.threshold, self.precision, self.recall)
        self.message = (
            f"threshold {self.threshold:.2f}: precision {self.precision:.3f}, recall "
            f"{self.recall:.3f}, F1 {self.f1:.3f}, accuracy {self.accuracy:.3f}")
        self.readout.value = (
            f"threshold {self.threshold:.2f}: <b>precision {self.precision:.3f}</b>, "
            f"<b>recall {self.recall:.3f}</b>, F1 {self.f1:.3f}, accuracy {self.accuracy:.3f}"
            f" &nbsp;|&nbsp; TP {r['tp']}, FP {r['fp']}, FN {r['fn']}, TN {r['tn']}"
        )
        self.view.redraw()


def threshold_explorer(y_true, scores, *, threshold=0.5) -> ThresholdExplorer:
    """Build the decision-threshold widget (see ``ThresholdExplorer``)."""
    return ThresholdExplorer(y_true, scores, threshold=threshold)


class TuningHeatmapExplorer(Explorer):
    """Pick two hyperparameters of a search and see its validation loss as a heat map.

    Parameters
    ----------
    result : search_result.SearchResult
        A finished search (a grid search fills every cell).
    x, y : str, optional
        Starting hyperparameters for the columns and rows (default: the first two
        searched).
    reduce : {"min", "mean"}, default="min"

    Attributes
    ----------
    figure : plots.TuningHeatmapFigure
        Its ``heatmap`` (a ``plots.TuningHeatmap``) has ``x_values``, ``y_values`` and
        ``table`` (``result.pivot(x, y, reduce=...)``); its ``note`` says why no map is
        shown.
    x, y, reduce : str
        The current choices.
    table : ndarray of shape (n_y, n_x) or None
        None while ``x == y`` (the message asks for two different ones).
    best_cell : tuple or None
        ``(y value, x value)`` of the lowest cell.
    message : str
        The lowest cell and the search's size and time (or why there is no table).
    readout : ipywidgets.HTML
        ``message`` as shown above the figure.
    """

    def __init__(self, result, *, x=None, y=None, reduce="min"):
        names = [n for n in result.param_names if len(result.values(n)) > 1]
        if len(names) < 2:
            raise ValueError(
                "the search must vary at least two hyperparameters to draw a heat map. "
                f"Received a search over {result.param_names}."
            )
        x = names[0] if x is None else x
        y = names[1] if y is None else y
        for name, value in (("x", x), ("y", y)):
            if value not in names:
                raise ValueError(f"{name} must be one of {names}. Received: {name}={value!r}")
        self.result = result
        self.controls = {
            "x": ipw.Dropdown(options=names, value=x, description="columns"),
            "y": ipw.Dropdown(options=names, value=y, description="rows"),
            "reduce": ipw.Dropdown(options=[("best", "min"), ("mean", "mean")], value=reduce,
                                   description="others"),
        }
        for key in self.controls:
            self.controls[key].add_class(f"heatmap-{key}")
        self.readout = ipw.HTML()
        self.readout.add_class("heatmap-message")
        self.figure = TuningHeatmapFigure(result)
        self._start(self.figure.fig, dynamic=self.figure.dynamic)

    def update(self):
        self.x = self.controls["x"].value
        self.y = self.controls["y"].value
        self.reduce = self.controls["reduce"].value
        if self.x == self.y:
            self.table = None
            self.best_cell = None
            self.figure.show_note("pick two different hyperparameters")
            self.message = ("Columns and rows are the same hyperparameter: pick two "
                            "different ones.")
            self.readout.value = (f"<span style='color:{OKABE_ITO['vermillion']}'>"
                                  f"{self.message}</span>")
            self.view.redraw()
            return
        heatmap = self.figure.show(self.x, self.y, reduce=self.reduce)
        self.table = heatmap.table
        self.best_cell = heatmap.best_cell
        if self.best_cell is None:
            self.message = "Every setting diverged."
        else:
            loss = float(np.nanmin(np.where(np.isfinite(self.table), self.table, np.nan)))
            self.message = (
                f"Lowest cell: {self.y} = {self.best_cell[0]}, {self.x} = {self.best_cell[1]} "
                f"(validation loss {loss:.4f}). {len(self.result)} settings, searched in "
                f"{self.result.total_seconds:.1f} s.")
        self.readout.value = html.escape(self.message)
        self.view.redraw()


def tuning_heatmap_explorer(result, *, x=None, y=None, reduce="min") -> TuningHeatmapExplorer:
    """Build the heat-map widget for a finished search (see ``TuningHeatmapExplorer``)."""
    return TuningHeatmapExplorer(result, x=x, y=y, reduce=reduce)
