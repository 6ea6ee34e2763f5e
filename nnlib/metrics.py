"""Evaluation metrics for classification and regression.

Classification metrics take integer labels ``y_true`` and ``y_pred`` of shape
``(n_samples,)``. Where a ratio has nothing to divide by (no predicted positives
for precision, say), the metric is 0.0 and no warning is raised; perfect
predictions always score 1.0.

- accuracy  = correct / all
- precision = TP / (TP + FP)   "of what I called positive, how much was?"
- recall    = TP / (TP + FN)   "of what was positive, how much did I find?"
- f1        = 2 * precision * recall / (precision + recall)
- rmse      = sqrt(mean((y - y_hat)^2))
- r2        = 1 - sum((y - y_hat)^2) / sum((y - mean(y))^2)
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_same_length

AVERAGES = ("binary", "macro", "micro", "weighted")


def _labels(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.ndim != 1:
            raise ValueError(
                f"{name} must be a 1-D array of class labels, got shape {y.shape}. "
                "For probabilities, threshold them (p >= 0.5) or take argmax(axis=1) first."
            )
    check_same_length(y_true, y_pred, "y_true", "y_pred")
    if y_true.size == 0:
        raise ValueError("y_true and y_pred are empty.")
    return y_true, y_pred


def _safe_ratio(num, den):
    """num / den elementwise, 0 where den == 0."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    return np.divide(num, den, out=np.zeros_like(num), where=den != 0)


def accuracy(y_true, y_pred) -> float:
    """Fraction of samples whose predicted label equals the true label."""
    y_true, y_pred = _labels(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, labels=None):
    """Counts ``C[i, j]`` of samples with true label ``labels[i]`` predicted as ``labels[j]``.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
    labels : array_like, optional
        The classes, in the order of the rows and columns (default: sorted union of both).

    Returns
    -------
    C : ndarray of int, shape (n_classes, n_classes)
        Rows are true classes, columns predicted ones (scikit-learn's layout).
    """
    y_true, y_pred = _labels(y_true, y_pred)
    labels = np.union1d(y_true, y_pred) if labels is None else np.asarray(labels)
    index = {label: i for i, label in enumerate(labels.tolist())}
    C = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        if t in index and p in index:
            C[index[t], index[p]] += 1
    return C


def _per_class_counts(y_true, y_pred, labels):
    """True positives, false positives and false negatives of each class in ``labels``."""
    C = confusion_matrix(y_true, y_pred, labels)
    tp = np.diag(C)
    return tp, C.sum(axis=0) - tp, C.sum(axis=1) - tp


def _scores(y_true, y_pred, average, pos_label, which):
    y_true, y_pred = _labels(y_true, y_pred)
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}. Received: average={average!r}")
    labels = np.union1d(y_true, y_pred)
    if average == "binary":
        if len(labels) > 2:
            raise ValueError(
                f"average='binary' needs two classes, but the labels are {labels.tolist()}. "
                "Use average='macro', 'micro' or 'weighted' for several classes."
            )
        labels = np.union1d(labels, [pos_label])
    tp, fp, fn = _per_class_counts(y_true, y_pred, labels)
    if average == "binary":
        k = int(np.flatnonzero(labels == pos_label)[0])
        tp, fp, fn = tp[k], fp[k], fn[k]
    elif average == "micro":
        tp, fp, fn = tp.sum(), fp.sum(), fn.sum()
    precision = _safe_ratio(tp, tp + fp)
    recall = _safe_ratio(tp, tp + fn)
    f1 = _safe_ratio(2 * precision * recall, precision + recall)
    score = {"precision": precision, "recall": recall, "f1": f1}[which]
    if average == "weighted":
        support = tp + fn
        return float(_safe_ratio((score * support).sum(), support.sum()))
    return float(np.mean(score))


def precision(y_true, y_pred, *, average="binary", pos_label=1) -> float:
    """Precision ``TP / (TP + FP)``; 0.0 when nothing is predicted positive.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
    average : {"binary", "macro", "micro", "weighted"}, default="binary"
        ``"binary"`` scores the class ``pos_label``; the others combine all classes
        (``macro``: plain mean over classes, ``micro``: from the total counts,
        ``weighted``: mean weighted by each class's number of true samples).
    pos_label : int, default=1
    """
    return _scores(y_true, y_pred, average, pos_label, "precision")


def recall(y_true, y_pred, *, average="binary", pos_label=1) -> float:
    """Recall ``TP / (TP + FN)``; 0.0 when there are no true positives to find.

    Same parameters as ``precision``.
    """
    return _scores(y_true, y_pred, average, pos_label, "recall")


def f1(y_true, y_pred, *, average="binary", pos_label=1) -> float:
    """F1, the harmonic mean of precision and recall; 0.0 when both are 0.

    Same parameters as ``precision``.
    """
    return _scores(y_true, y_pred, average, pos_label, "f1")


def _regression(y, y_hat):
    y = as_float_array(y, "y").reshape(len(np.asarray(y)), -1)
    y_hat = as_float_array(y_hat, "y_hat").reshape(len(np.asarray(y_hat)), -1)
    if y.shape != y_hat.shape:
        raise ValueError(
            f"y and y_hat must have the same shape, got {y.shape} and {y_hat.shape}."
        )
    if y.size == 0:
        raise ValueError("y and y_hat are empty.")
    return y, y_hat


def rmse(y, y_hat) -> float:
    """Root mean squared error, in the units of ``y``: ``sqrt(mean((y - y_hat)^2))``."""
    y, y_hat = _regression(y, y_hat)
    return float(np.sqrt(np.mean((y - y_hat) ** 2)))


def r2(y, y_hat) -> float:
    """Coefficient of determination R².

    1 is a perfect fit, 0 is no better than always predicting the mean of ``y``, and
    a negative value is worse than that. For several outputs the scores are averaged.
    If ``y`` is constant, R² is 1.0 for a perfect prediction and 0.0 otherwise.
    """
    y, y_hat = _regression(y, y_hat)
    ss_res = np.sum((y - y_hat) ** 2, axis=0)
    ss_tot = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
    score = np.where(ss_tot > 0, 1 - _safe_ratio(ss_res, ss_tot), np.where(ss_res == 0, 1.0, 0.0))
    return float(np.mean(score))
