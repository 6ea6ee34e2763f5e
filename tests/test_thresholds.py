"""Tests for nnlib/thresholds.py."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm

from nnlib import metrics, thresholds


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_curve_matches_nnlib_metrics_at_every_threshold(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 60)
    scores = np.round(rng.random(60), 1)  # ties on purpose
    curve = thresholds.precision_recall_curve(y, scores)
    np.testing.assert_array_equal(curve.thresholds, np.unique(scores))
    for t, p, r, f in zip(curve.thresholds, curve.precision, curve.recall, curve.f1):
        y_pred = (scores >= t).astype(int)
        assert p == pytest.approx(metrics.precision(y, y_pred))
        assert r == pytest.approx(metrics.recall(y, y_pred))
        assert f == pytest.approx(metrics.f1(y, y_pred))


def test_curve_matches_scikit_learn(rng):
    y = rng.integers(0, 2, 80)
    scores = rng.random((80, 1))
    curve = thresholds.precision_recall_curve(y, scores)
    p, r, t = skm.precision_recall_curve(y, scores[:, 0])
    n = len(t)  # scikit-learn appends the point (recall 0, precision 1) without a threshold
    np.testing.assert_allclose(curve.thresholds[:n], t)
    np.testing.assert_allclose(curve.precision[:n], p[:-1])
    np.testing.assert_allclose(curve.recall[:n], r[:-1])


def test_small_example_by_hand():
    #  scores 0.9 0.8 0.4 0.2 with labels 1 0 1 0
    #  t=0.9: TP 1 FP 0 -> P 1,   R 1/2
    #  t=0.8: TP 1 FP 1 -> P 1/2, R 1/2
    #  t=0.4: TP 2 FP 1 -> P 2/3, R 1
    #  t=0.2: TP 2 FP 2 -> P 1/2, R 1
    curve = thresholds.precision_recall_curve([1, 0, 1, 0], [0.9, 0.8, 0.4, 0.2])
    np.testing.assert_allclose(curve.thresholds, [0.2, 0.4, 0.8, 0.9])
    np.testing.assert_allclose(curve.precision, [1 / 2, 2 / 3, 1 / 2, 1])
    np.testing.assert_allclose(curve.recall, [1, 1, 1 / 2, 1 / 2])
    assert curve.prevalence == 0.5 and curve.n_positive == 2
    assert curve.at(0.5) == pytest.approx((0.5, 0.5))  # next distinct score is 0.8
    assert curve.at(0.95) == (0.0, 0.0)  # nothing predicted positive
    assert curve.best_f1() == pytest.approx((0.4, 0.8))


def test_edge_cases_are_defined_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # a threshold above every score: no positive predictions
        r = thresholds.scores_at_threshold([1, 0, 1], [0.2, 0.1, 0.3], threshold=0.9)
        assert (r["precision"], r["recall"], r["f1"]) == (0.0, 0.0, 0.0)
        assert (r["tp"], r["fp"], r["fn"], r["tn"]) == (0, 0, 2, 1)
        # a single class: no positives in the data
        curve = thresholds.precision_recall_curve([0, 0, 0], [0.1, 0.5, 0.9])
        np.testing.assert_array_equal(curve.recall, 0.0)
        np.testing.assert_array_equal(curve.precision, 0.0)
        assert curve.prevalence == 0.0
        # perfect scores: some threshold gives precision = recall = 1
        curve = thresholds.precision_recall_curve([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
        assert curve.best_f1() == (0.8, 1.0)
        r = thresholds.scores_at_threshold([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 0.5)
        assert r["precision"] == r["recall"] == r["accuracy"] == 1.0


def test_scores_at_threshold_agree_with_metrics(rng):
    y = rng.integers(0, 2, 50)
    scores = rng.random(50)
    for t in (0.0, 0.3, 0.5, 0.77, 1.0):
        r = thresholds.scores_at_threshold(y, scores, t)
        y_pred = thresholds.predict_at_threshold(scores, t)
        np.testing.assert_array_equal(y_pred, (scores >= t).astype(int))
        assert r["precision"] == metrics.precision(y, y_pred)
        assert r["recall"] == metrics.recall(y, y_pred)
        assert r["tp"] + r["fp"] + r["fn"] + r["tn"] == 50
        assert r["tp"] + r["fn"] == y.sum()


def test_errors():
    with pytest.raises(ValueError, match=r"y_true must hold binary labels 0 and 1. Received the labels \[0, 1, 2\]"):
        thresholds.precision_recall_curve([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="same number of samples"):
        thresholds.precision_recall_curve([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"got shapes y_true.shape=\(3,\) and scores.shape=\(3, 2\)"):
        thresholds.precision_recall_curve([0, 1, 1], np.zeros((3, 2)))
    with pytest.raises(TypeError, match="threshold must be a real number. Received: threshold='0.5'"):
        thresholds.predict_at_threshold([0.1, 0.7], "0.5")


def test_accuracy_at_threshold_is_accuracy_of_the_thresholded_scores():
    from nnlib import thresholds

    y = np.array([0, 1, 1, 0, 1])
    scores = np.array([[0.2], [0.7], [0.4], [0.5], [0.9]])
    assert thresholds.accuracy_at_threshold(y, scores) == 0.6  # 0.4 -> 0 wrong, 0.5 -> 1 wrong
    assert thresholds.accuracy_at_threshold(y[:, None], scores, threshold=0.3) == 0.8
