"""Tests for course/n04b_regularization/widgets.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

from course.n04b_regularization import regularization, widgets
from course.n04b_regularization.regularization import NEAR_ZERO


@pytest.fixture(scope="module")
def explorer():
    # fewer epochs than the notebook's default keep the test quick; same behaviour
    return widgets.regularization_explorer(epochs=150)


def _reset(e):
    for key, value in (("l2", 0.0), ("l1", 0.0), ("dropout", 0.0)):
        e.controls[key].value = value


def test_controls_retrain_on_release_only(explorer):
    for key in ("l2", "l1", "dropout"):
        control = explorer.controls[key]
        assert control.continuous_update is False
        assert f"{key}-slider" in control._dom_classes and control.description


def test_starts_unregularized_equal_to_baseline(explorer):
    _reset(explorer)
    np.testing.assert_array_equal(explorer.result.model.theta, explorer.baseline.model.theta)
    assert explorer.train_mse < explorer.test_mse


def test_larger_l2_gives_smaller_weight_norm(explorer):
    _reset(explorer)
    norms = []
    for l2 in (0.0, 1e-3, 1e-2):
        explorer.controls["l2"].value = l2
        norms.append(explorer.weight_norm)
        np.testing.assert_allclose(explorer.weight_norm,
                                   np.linalg.norm(regularization.kernel_values(
                                       explorer.result.model)))
    assert norms[0] > norms[1] > norms[2]


def test_l1_gives_more_near_zero_weights(explorer):
    _reset(explorer)
    before = explorer.near_zero
    explorer.controls["l1"].value = 1e-3
    assert explorer.near_zero > before + 0.3
    assert explorer.near_zero == pytest.approx(
        regularization.near_zero_fraction(explorer.weights, NEAR_ZERO))
    # the histogram shows the new weights: most of them in the bins around 0
    heights = explorer.figure.hist.get_data().values
    assert heights.sum() == explorer.weights.size
    assert heights[len(heights) // 2 - 1: len(heights) // 2 + 1].sum() > 0.5 * heights.sum()


def test_dropout_changes_the_fit(explorer):
    _reset(explorer)
    plain_curve = explorer.y_curve.copy()
    explorer.controls["dropout"].value = 0.3
    assert not np.allclose(explorer.y_curve, plain_curve, atol=1e-3)
    np.testing.assert_allclose(explorer.figure.fit_line.get_ydata(), explorer.y_curve.ravel())
    assert "dropout = 0.30" in explorer.readout.value


def test_loss_curves_are_drawn(explorer):
    _reset(explorer)
    explorer.controls["l2"].value = 1e-4
    np.testing.assert_allclose(explorer.figure.train_line.get_ydata(),
                               explorer.result.history["train_mse"])
    np.testing.assert_allclose(explorer.figure.test_line.get_ydata(),
                               explorer.result.history["test_mse"])
    # a point every RECORD_EVERY = 10 epochs of the 150, the last one at epoch 150
    assert list(explorer.figure.train_line.get_xdata()) == list(range(10, 151, 10))


def test_true_curve_comes_from_regularization(explorer):
    lines = {line.get_label(): line for line in explorer.figure.ax_fit.get_lines()}
    true_line = lines["true curve sin(2x)"]
    x, y = true_line.get_data()
    np.testing.assert_allclose(y, regularization.true_curve(x))


def test_a_setting_seen_before_is_not_trained_again(explorer):
    _reset(explorer)
    explorer.controls["l2"].value = 1e-3
    first = explorer.result
    explorer.controls["l2"].value = 0.0
    explorer.controls["l2"].value = 1e-3
    assert explorer.result is first  # kept, not retrained
    explorer.forget()
    explorer.controls["l2"].value = 0.0
    explorer.controls["l2"].value = 1e-3
    assert explorer.result is not first  # trained again: the same seed, the same numbers
    assert explorer.result.history["test_mse"] == first.history["test_mse"]
    np.testing.assert_array_equal(explorer.result.model.theta, first.model.theta)
