"""Tests for course/n03_learning_backprop/plots.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

from course import descent, figures
from course.n03_learning_backprop import plots
from nnlib import losses


def test_loss_vs_prediction_lines_hold_nnlib_losses():
    ax = plots.plot_loss_vs_prediction(1.0, n_points=9)
    mse_line, bce_line = ax.get_lines()
    p = mse_line.get_xdata()
    assert len(p) == 9 and 0 < p.min() and p.max() < 1
    np.testing.assert_allclose(mse_line.get_ydata(), [losses.mse([[1.0]], [[v]]) for v in p])
    np.testing.assert_allclose(bce_line.get_ydata(), -np.log(p), rtol=1e-6)
    # for a true label 0 the curves are mirrored
    ax0 = plots.plot_loss_vs_prediction(0.0, n_points=9)
    np.testing.assert_allclose(ax0.get_lines()[1].get_ydata(), bce_line.get_ydata()[::-1],
                               rtol=1e-6)
    with pytest.raises(ValueError, match="target must be 0 or 1. Received: target=0.5"):
        plots.plot_loss_vs_prediction(0.5)


def test_loss_contour_draws_log_spaced_levels():
    ws, bs = np.linspace(-1, 3, 30), np.linspace(-2, 2, 20)
    grid = (ws[None, :] - 1) ** 2 + bs[:, None] ** 2 + 0.01
    ax = plots.plot_loss_contour(ws, bs, grid, levels=6)
    (cs,) = [c for c in ax.get_children() if hasattr(c, "levels")]
    assert len(cs.levels) == 6
    ratios = np.asarray(cs.levels[1:]) / np.asarray(cs.levels[:-1])
    np.testing.assert_allclose(ratios, ratios[0])
    assert ax.get_aspect() == 1.0 and ax.get_xlabel().startswith("w")


def test_descent_plot_shows_the_path_and_the_message():
    p = descent.Quadratic1D()
    plot = plots.DescentPlot(p)
    assert plot.ax.get_xlim() == (-2.0, 8.0)
    np.testing.assert_allclose(plot.curve.get_ydata(), p(plot.curve.get_xdata()))
    good = descent.gradient_descent_1d(p, p.grad, -1.0, 0.3, 10)
    plot.show(good)
    np.testing.assert_allclose(plot.path_line.get_xydata(), np.column_stack([good.w, good.loss]))
    assert tuple(plot.end.get_xdata()) == (good.w[-1],)
    assert plot.text.get_text() == good.message
    bad = descent.gradient_descent_1d(p, p.grad, -1.0, 1.5, 30)
    plot.show(bad)
    assert plot.text.get_text().startswith("diverged at step 8")
    assert plot.text.get_color() == figures.OKABE_ITO["vermillion"]
    # the message box hides the path that leaves the axes behind it
    assert plot.text.get_zorder() > plot.path_line.get_zorder()
    assert plot.text.get_bbox_patch().get_alpha() == 1.0
    ax = plots.plot_descent_path(p, good, title="rate 0.3")
    assert ax.get_title() == "rate 0.3" and len(ax.get_lines()) == 4


def test_layer_histograms_one_panel_per_layer_and_kernel():
    import nnlib
    from course.n03_learning_backprop import diagnostics

    X, labels = nnlib.data.make_spirals(60, n_classes=3, seed=0)
    model = nnlib.MLP([2, 8, 4, 3], ["relu", "relu", "softmax"], seed=0)
    values = diagnostics.layer_values(model, X, nnlib.data.one_hot(labels, 3),
                                      loss="categorical_cross_entropy")
    fig = plots.plot_layer_histograms(values)
    axes = fig.axes
    assert len(axes) == 6  # 2 rows x 3 kernels; the third activation panel is off
    assert not axes[2].axison
    zero_share = np.mean(values["activations"][0] == 0)
    assert f"{zero_share:.0%} exactly 0" in axes[0].get_title()
    counts = sum(p.get_height() for p in axes[3].patches)
    assert counts == values["gradients"][0].size  # every gradient entry is counted
    import matplotlib.pyplot as plt

    plt.close(fig)
