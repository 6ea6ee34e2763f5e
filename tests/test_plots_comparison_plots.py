"""course.n07_mlp_tensorflow_comparison.plots: the notebook-07 figures."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course.n07_mlp_tensorflow_comparison import plots
from nnlib.data import make_linear


@pytest.fixture
def data():
    X, y = make_linear(seed=0)
    return X, y


def test_fit_and_loss_draws_each_run_sorted_with_its_own_style(data):
    X, y = data
    order = np.random.default_rng(0).permutation(len(X))
    X, y = X[order], y[order]  # unsorted input
    runs = {"Keras": (2 * X + 1, np.linspace(1, 0.01, 50)), "nnlib": (3 * X, [0.5, 0.2, 0.1])}
    fig, lines = plots.plot_fit_and_loss(X, y, runs, floor=0.01)
    ax_fit, ax_loss = fig.axes
    fit_k, loss_k = lines["Keras"]
    x_drawn, y_drawn = fit_k.get_data()
    assert np.all(np.diff(x_drawn) >= 0)
    np.testing.assert_allclose(y_drawn, 2 * x_drawn + 1)
    np.testing.assert_allclose(lines["nnlib"][1].get_data()[1], [0.5, 0.2, 0.1])
    np.testing.assert_array_equal(lines["nnlib"][1].get_data()[0], [1, 2, 3])
    assert fit_k.get_linestyle() != lines["nnlib"][0].get_linestyle()
    assert fit_k.get_marker() != lines["nnlib"][0].get_marker()
    assert ax_loss.get_yscale() == "log"
    floor_lines = [ln for ln in ax_loss.lines if ln.get_label() == "noise floor 0.01"]
    assert len(floor_lines) == 1 and floor_lines[0].get_ydata()[0] == 0.01
    assert [t.get_text() for t in ax_fit.get_legend().get_texts()] == ["data", "Keras", "nnlib"]
    plt.close(fig)


def test_fit_and_loss_empty_run_style_override_and_bad_input(data):
    X, y = data
    fig, lines = plots.plot_fit_and_loss(X, y, {"live": (None, None)},
                                         styles=[plots.RUN_STYLES[1]], floor=None)
    fit, loss = lines["live"]
    assert np.all(np.isnan(fit.get_ydata())) and len(loss.get_xdata()) == 0
    assert fit.get_color() == plots.RUN_STYLES[1]["color"]
    assert not any("floor" in ln.get_label() for ln in fig.axes[1].lines)
    plt.close(fig)
    with pytest.raises(ValueError, match="predictions of 'bad'"):
        plots.plot_fit_and_loss(X, y, {"bad": (np.zeros(3), None)})
    with pytest.raises(ValueError, match="same number"):
        plots.plot_fit_and_loss(X, y[:5], {})


def test_weight_gaps_log_axis_and_zero_floor():
    gaps = {"exact": np.zeros(11), "rounded": np.linspace(0, 1e-6, 11)}
    ax = plots.plot_weight_gaps(gaps, steps_per_epoch=4)
    assert ax.get_yscale() == "log"
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), np.full(11, plots.GAP_FLOOR))
    assert ax.lines[1].get_ydata()[-1] == pytest.approx(1e-6)
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(11))
    assert "4 steps" in ax.get_xlabel()
    plt.close(ax.figure)


def test_seed_spread_one_column_per_setting():
    values = {"lr 0.001, 200 epochs": [0.01, 0.1, 1.0], "lr 0.01, 200 epochs": [0.009, 0.01]}
    ax = plots.plot_seed_spread(values, floor=0.0093)
    assert len(ax.collections) == 2
    offsets = ax.collections[1].get_offsets()
    np.testing.assert_array_equal(offsets[:, 0], [1, 1])
    np.testing.assert_allclose(offsets[:, 1], [0.009, 0.01])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["lr 0.001,\n200 epochs",
                                                            "lr 0.01,\n200 epochs"]
    assert ax.lines[0].get_ydata()[0] == 0.0093
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)
