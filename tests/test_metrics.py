"""Tests for nnlib/metrics.py, against scikit-learn as the oracle."""

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from nnlib import metrics


@pytest.mark.parametrize("seed", range(5))
def test_binary_metrics_equal_sklearn(seed):
    rng = np.random.default_rng(seed)
    y_true, y_pred = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))
    assert metrics.precision(y_true, y_pred) == pytest.approx(skm.precision_score(y_true, y_pred))
    assert metrics.recall(y_true, y_pred) == pytest.approx(skm.recall_score(y_true, y_pred))
    assert metrics.f1(y_true, y_pred) == pytest.approx(skm.f1_score(y_true, y_pred))
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred),
                                  skm.confusion_matrix(y_true, y_pred))


@pytest.mark.parametrize("average", ["macro", "micro", "weighted"])
@pytest.mark.parametrize("seed", range(3))
def test_multiclass_metrics_equal_sklearn(average, seed):
    rng = np.random.default_rng(seed)
    y_true, y_pred = rng.integers(0, 4, 80), rng.integers(0, 4, 80)
    for ours, theirs in [(metrics.precision, skm.precision_score),
                         (metrics.recall, skm.recall_score), (metrics.f1, skm.f1_score)]:
        assert ours(y_true, y_pred, average=average) == pytest.approx(
            theirs(y_true, y_pred, average=average, zero_division=0))
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred),
                                  skm.confusion_matrix(y_true, y_pred))


@pytest.mark.parametrize("seed", range(5))
def test_regression_metrics_equal_sklearn(seed):
    rng = np.random.default_rng(seed)
    y, y_hat = rng.normal(size=(30, 1)), rng.normal(size=(30, 1))
    assert metrics.rmse(y, y_hat) == pytest.approx(np.sqrt(skm.mean_squared_error(y, y_hat)))
    assert metrics.r2(y, y_hat) == pytest.approx(skm.r2_score(y, y_hat))
    Y, Y_hat = rng.normal(size=(30, 3)), rng.normal(size=(30, 3))
    assert metrics.r2(Y, Y_hat) == pytest.approx(skm.r2_score(Y, Y_hat))


def test_edge_cases_have_defined_values_and_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # no positive predictions: precision 0, not a division warning
        assert metrics.precision([1, 0, 1], [0, 0, 0]) == 0.0
        assert metrics.f1([1, 0, 1], [0, 0, 0]) == 0.0
        # a single class, no positives at all
        assert metrics.recall([0, 0, 0], [0, 0, 0]) == 0.0
        assert metrics.accuracy([0, 0, 0], [0, 0, 0]) == 1.0
        # perfect predictions
        assert metrics.f1([1, 0, 1], [1, 0, 1]) == 1.0
        assert metrics.r2([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) == 1.0
        # constant targets: perfect -> 1, otherwise 0 (scikit-learn's convention)
        assert metrics.r2([2.0, 2.0], [2.0, 2.0]) == 1.0
        assert metrics.r2([2.0, 2.0], [1.0, 3.0]) == 0.0


def test_r2_zero_and_negative_mean_what_they_say():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert metrics.r2(y, np.full(4, y.mean())) == pytest.approx(0.0)  # the mean scores 0
    assert metrics.r2(y, y[::-1]) < 0  # worse than the mean


def test_rmse_by_hand():
    assert metrics.rmse([0.0, 0.0], [3.0, 4.0]) == pytest.approx(np.sqrt(12.5))


def test_errors():
    with pytest.raises(ValueError, match=r"y_pred must be a 1-D array of class labels, got shape \(3, 2\)"):
        metrics.accuracy([0, 1, 1], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="same number of samples"):
        metrics.accuracy([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="average='binary' needs two classes"):
        metrics.precision([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="average must be one of"):
        metrics.recall([0, 1], [0, 1], average="samples")
    with pytest.raises(ValueError, match="y_hat contains 1 NaN"):
        metrics.rmse([1.0, 2.0], [1.0, np.nan])
