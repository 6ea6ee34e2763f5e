"""Tests for course/n05b_rnn_lstm_gru/plots.py (headless)."""

import numpy as np
import pytest

from course.n05b_rnn_lstm_gru import plots


def _line(ax, label):
    return next(line for line in ax.lines if line.get_label() == label)


def test_plot_forecasts_draws_truth_and_each_model():
    t = np.arange(10.0)
    truth = np.sin(t)
    preds = {"SimpleRNN": truth + 0.1, "LSTM": (truth - 0.1)[:, None]}
    ax = plots.plot_forecasts(t, truth[:, None], preds)
    np.testing.assert_array_equal(_line(ax, "truth").get_ydata(), truth)
    np.testing.assert_array_equal(_line(ax, "LSTM").get_ydata(), truth - 0.1)
    styles = {_line(ax, k).get_linestyle() for k in preds}
    assert len(styles) == 2  # lines differ by more than colour
    with pytest.raises(ValueError, match=r"prediction 'x' must have one value per t \(10\)"):
        plots.plot_forecasts(t, truth, {"x": truth[:5]})
    with pytest.raises(ValueError, match=r"y_true must have one value per t"):
        plots.plot_forecasts(t, truth[:3], {})


def test_plot_recall_one_panel_per_model():
    y = np.linspace(-1, 1, 7)
    fig = plots.plot_recall(y, {"a": y, "b": np.zeros(7)}, mse={"a": 0.0, "b": 0.333})
    assert len(fig.axes) == 2
    np.testing.assert_array_equal(_line(fig.axes[1], "b").get_ydata(), 0.0)
    assert fig.axes[1].get_title() == "b: MSE 0.333"
    with pytest.raises(ValueError, match=r"prediction 'a' must have one value per sample"):
        plots.plot_recall(y, {"a": y[:3]})


def test_plot_gradient_reach_divides_by_the_last_step_on_a_log_scale():
    reaches = {"fades": 0.5 ** np.arange(10)[::-1] * 3.0, "holds": np.full(10, 2.0)}
    ax = plots.plot_gradient_reach(reaches)
    assert ax.get_yscale() == "log"
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert np.allclose(lines["holds"].get_ydata(), 1.0)
    assert np.allclose(lines["fades"].get_xdata(), np.arange(10)[::-1])
    assert np.isclose(lines["fades"].get_ydata()[0], 0.5**9)  # the first step, 9 steps back
