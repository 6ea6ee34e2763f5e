"""From scores to decisions: the decision threshold and the precision-recall trade-off.

A binary classifier with a sigmoid output gives a score ``p`` in [0, 1] per sample
(the predicted probability of class 1). A decision needs a threshold ``t``::

    y_pred = 1 if p >= t else 0

Raising ``t`` makes the model call fewer samples positive: precision usually goes up
(what it calls positive is more often right) and recall goes down (it finds fewer of
the positives). The precision-recall curve shows every such pair at once.

Every number here is computed with the same conventions as ``nnlib.metrics``: a
precision with no predicted positives is 0.0, a recall with no true positives is 0.0,
and no warning is raised.
"""

from __future__ import annotations

import numbers

import numpy as np

from . import metrics
from .validation import as_float_array, check_same_length


def _check_binary(y_true, scores):
    y_true = np.asarray(y_true)
    scores = as_float_array(scores, "scores")
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    if y_true.ndim == 2 and y_true.shape[1] == 1:
        y_true = y_true[:, 0]
    if y_true.ndim != 1 or scores.ndim != 1:
        raise ValueError(
            "y_true and scores must be 1-D (or one column), got shapes "
            f"y_true.shape={y_true.shape} and scores.shape={scores.shape}."
        )
    check_same_length(y_true, scores, "y_true", "scores")
    if y_true.size == 0:
        raise ValueError("y_true and scores are empty.")
    if not np.all(np.isin(y_true, (0, 1))):
        raise ValueError(
            "y_true must hold binary labels 0 and 1. Received the labels "
            f"{np.unique(y_true).tolist()}."
        )
    return y_true.astype(int), scores


def predict_at_threshold(scores, threshold=0.5):
    """Turn scores into labels: 1 where ``scores >= threshold``, else 0.

    Parameters
    ----------
    scores : array_like of shape (n_samples,) or (n_samples, 1)
        E.g. ``model.predict(X)`` of a sigmoid output.
    threshold : float, default=0.5

    Returns
    -------
    y_pred : ndarray of int, shape (n_samples,)
    """
    scores = as_float_array(scores, "scores")
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    if scores.ndim != 1:
        raise ValueError(
            f"scores must be 1-D or one column, got shape {scores.shape}."
        )
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a real number. Received: threshold={threshold!r}")
    return (scores >= float(threshold)).astype(int)


def accuracy_at_threshold(y_true, scores, threshold=0.5) -> float:
    """Accuracy of a binary classifier's scores: labels from ``predict_at_threshold``.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,) or (n_samples, 1), labels 0 and 1
    scores : array_like of shape (n_samples,) or (n_samples, 1)
    threshold : float, default=0.5

    Examples
    --------
    >>> accuracy_at_threshold([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.5])
    0.5
    """
    y_true = np.asarray(y_true).reshape(len(y_true), -1)[:, 0].astype(int)
    return metrics.accuracy(y_true, predict_at_threshold(scores, threshold))


def scores_at_threshold(y_true, scores, threshold=0.5) -> dict:
    """Every classification number at one threshold, computed with ``nnlib.metrics``.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,), labels 0 and 1
    scores : array_like of shape (n_samples,) or (n_samples, 1)
    threshold : float, default=0.5

    Returns
    -------
    dict
        ``threshold``, ``precision``, ``recall``, ``f1``, ``accuracy`` and the counts
        ``tp``, ``fp``, ``fn``, ``tn`` (the positive class is 1).
    """
    y_true, scores = _check_binary(y_true, scores)
    y_pred = predict_at_threshold(scores, threshold)
    (tn, fp), (fn, tp) = metrics.confusion_matrix(y_true, y_pred, labels=[0, 1])
    return {
        "threshold": float(threshold),
        "precision": metrics.precision(y_true, y_pred),
        "recall": metrics.recall(y_true, y_pred),
        "f1": metrics.f1(y_true, y_pred),
        "accuracy": metrics.accuracy(y_true, y_pred),
        "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn),
    }


class PrecisionRecallCurve:
    """Precision and recall at every distinct threshold (what ``precision_recall_curve`` returns).

    Attributes
    ----------
    thresholds : ndarray of shape (n_thresholds,)
        The distinct scores, increasing. At ``thresholds[k]`` the samples with
        ``score >= thresholds[k]`` are predicted positive.
    precision, recall, f1 : ndarray of shape (n_thresholds,)
        The metrics at each threshold (as ``nnlib.metrics`` computes them).
    tp, fp : ndarray of int, shape (n_thresholds,)
    n_positive : int
        Number of true positives in the data (``tp + fn`` at every threshold).
    prevalence : float
        ``n_positive / n_samples``: the precision of a classifier that guesses at
        random, the curve's baseline.
    """

    def __init__(self, thresholds, tp, fp, n_positive, n_samples):
        self.thresholds = thresholds
        self.tp, self.fp = tp, fp
        self.n_positive = int(n_positive)
        self.prevalence = self.n_positive / n_samples
        zeros = np.zeros(len(tp))
        self.precision = np.divide(tp, tp + fp, out=zeros.copy(), where=(tp + fp) > 0)
        self.recall = (tp / self.n_positive) if self.n_positive else zeros.copy()
        s = self.precision + self.recall
        self.f1 = np.divide(2 * self.precision * self.recall, s, out=zeros.copy(), where=s > 0)

    def __len__(self):
        return len(self.thresholds)

    def at(self, threshold) -> tuple[float, float]:
        """``(precision, recall)`` at any threshold (the nearest distinct score at or above it).

        Above the largest score nothing is predicted positive: ``(0.0, 0.0)``.
        """
        k = int(np.searchsorted(self.thresholds, float(threshold), side="left"))
        if k == len(self.thresholds):
            return 0.0, 0.0
        return float(self.precision[k]), float(self.recall[k])

    def best_f1(self) -> tuple[float, float]:
        """``(threshold, f1)`` where F1 is highest (the lowest such threshold on ties)."""
        k = int(np.argmax(self.f1))
        return float(self.thresholds[k]), float(self.f1[k])

    def __repr__(self):
        return (f"PrecisionRecallCurve({len(self)} thresholds, "
                f"{self.n_positive} positives, prevalence={self.prevalence:.3g})")


def precision_recall_curve(y_true, scores) -> PrecisionRecallCurve:
    """Precision and recall for every threshold that changes a decision.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,), labels 0 and 1
    scores : array_like of shape (n_samples,) or (n_samples, 1)
        Higher means "more likely positive" (e.g. a sigmoid output).

    Returns
    -------
    PrecisionRecallCurve
        Its arrays agree with ``nnlib.metrics.precision/recall`` of
        ``predict_at_threshold(scores, t)`` at every ``t`` in ``curve.thresholds``.

    Notes
    -----
    Sort the samples by decreasing score; lowering the threshold past a score adds the
    samples with that score to the predicted positives. Cumulative sums of the labels
    in that order give every ``TP(t)`` and ``FP(t) = (number predicted positive) - TP(t)``
    in one pass, then

    .. math:: P(t) = \\frac{TP(t)}{TP(t) + FP(t)}, \\qquad R(t) = \\frac{TP(t)}{TP(t) + FN(t)}.
    """
    y_true, scores = _check_binary(y_true, scores)
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_labels = scores[order], y_true[order]
    # The last position of each distinct score (in decreasing order).
    last = np.r_[np.flatnonzero(np.diff(sorted_scores)), sorted_scores.size - 1]
    tp = np.cumsum(sorted_labels)[last]
    fp = (last + 1) - tp
    # Increasing thresholds, like scikit-learn.
    return PrecisionRecallCurve(sorted_scores[last][::-1], tp[::-1], fp[::-1],
                                int(y_true.sum()), y_true.size)
