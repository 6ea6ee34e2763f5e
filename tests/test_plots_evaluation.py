"""Tests for course/n06_training_evaluation/plots.py (headless, Agg)."""

import numpy as np
import pytest

from course.n06_training_evaluation import plots as pe
from course.n06_training_evaluation import search, search_result
from nnlib import metrics, thresholds


def _bowl(setting):
    return {"val_loss": 0.1 + (np.log10(setting["learning_rate"]) + 2) ** 2
            + (setting["n_layers"] - 2) ** 2 + (setting.get("n_neurons", 8) == 4)}


def test_confusion_matrix_writes_every_count():
    C = metrics.confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])
    ax = pe.plot_confusion_matrix(C, ["no", "yes"])
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1", "1", "1", "2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
    ax = pe.plot_confusion_matrix(C, normalize=True)
    assert "2\n(67%)" in [t.get_text() for t in ax.texts]
    with pytest.raises(ValueError, match=r"labels must name the 2 classes. Received 3"):
        pe.plot_confusion_matrix(C, ["a", "b", "c"])


def test_residuals_are_y_minus_y_hat():
    X = np.linspace(-1, 1, 5)[:, None]
    y, y_hat = 2 * X, 2 * X + 0.1
    ax_x, ax_h = pe.plot_residuals(X, y, y_hat)
    offsets = ax_x.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 1], -0.1)
    np.testing.assert_allclose(offsets[:, 0], X.ravel())
    assert "RMSE 0.100" in ax_h.get_title()


def test_learning_curves_mark_the_best_and_the_stop():
    history = {"loss": [1.0, 0.5, 0.3, 0.2, 0.1], "val_loss": [1.0, 0.6, 0.5, 0.7, 0.9]}
    ax = pe.plot_learning_curves(history, best_epoch=3, stopped_epoch=5)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "best epoch (3)" in labels and "stopped (5)" in labels
    star = [line for line in ax.get_lines() if line.get_marker() == "*"][0]
    np.testing.assert_allclose(star.get_xydata(), [[3, 0.5]])


def test_tuning_heatmap_shows_the_pivot_and_marks_the_best():
    result = search.grid_search(_bowl, search.grid(learning_rate=[0.1, 0.01, 0.001],
                                                   n_layers=[1, 2], n_neurons=[4, 8]))
    heat = pe.plot_tuning_heatmap(result, "learning_rate", "n_layers")
    _, _, table = result.pivot("learning_rate", "n_layers")
    np.testing.assert_array_equal(heat.image.get_array(), table)
    assert heat.best_cell == (2, 0.01)
    assert len(heat.texts) == 6 and "0.1" in [t.get_text() for t in heat.texts]
    # the same object redraws for another pair; the star moves
    heat.show("n_neurons", "learning_rate", reduce="mean")
    assert heat.table.shape == (3, 2) and heat.best_cell == (0.01, 8)
    x, y = heat.best_marker.get_data()
    assert round(x[0]) == 1 and round(y[0]) == 1


def test_tuning_heatmap_colours_span_the_cells_shown():
    result = search.grid_search(_bowl, search.grid(learning_rate=[0.1, 0.01, 0.001, 100.0],
                                                   n_layers=[1, 2], n_neurons=[4, 8]))
    heat = pe.plot_tuning_heatmap(result, "learning_rate", "n_layers")
    # the search's worst row (18.1) is in no "min" cell: colours span the shown table only
    for reduce in ("min", "mean"):
        heat.show("learning_rate", "n_layers", reduce=reduce)
        norm = heat.image.norm
        assert norm.vmin == heat.table.min() and norm.vmax == heat.table.max()
        assert norm(heat.table.min()) == 0 and np.isclose(norm(heat.table.max()), 1)
    heat.show("n_neurons", "n_layers")
    assert (heat.image.norm.vmin, heat.image.norm.vmax) == (heat.table.min(), heat.table.max())
    assert heat.table.max() < result.val_loss.max()
    # the colour bar follows, and infinite cells (every try diverged) are left out
    assert heat.colorbar.vmax == heat.table.max()
    rows = [dict(row) for row in result]
    for row in rows:
        if row["learning_rate"] == 100.0:
            row["val_loss"] = np.inf
    diverged = search_result.SearchResult(rows, result.param_names, 1.0, "grid")
    heat = pe.plot_tuning_heatmap(diverged, "learning_rate", "n_layers")
    finite = heat.table[np.isfinite(heat.table)]
    assert np.isinf(heat.table).any() and heat.image.norm.vmax == finite.max()


def test_search_comparison_and_pr_plots():
    grid_result = search.grid_search(_bowl, {"learning_rate": [0.1, 0.01], "n_layers": [1, 2]})
    rand = search.random_search(_bowl, {"learning_rate": search.LogUniform(1e-3, 1),
                                        "n_layers": [1, 2]}, 4, seed=0)
    ax = pe.plot_search_comparison({"grid": grid_result, "random": rand})
    assert ax.collections[0].get_label() == "grid: 2 distinct values"
    assert ax.collections[1].get_label() == "random: 4 distinct values"
    curve = thresholds.precision_recall_curve([1, 0, 1, 0], [0.9, 0.8, 0.4, 0.2])
    ax = pe.plot_precision_recall(curve, point=(0.5, 1.0))
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), curve.recall)
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [0.5, 0.5])  # prevalence
    ax = pe.plot_score_histograms([1, 0, 1, 0], [0.9, 0.8, 0.4, 0.2], threshold=0.5)
    assert ax.get_lines()[-1].get_xdata()[0] == 0.5


def test_precision_recall_legend_hides_the_random_guess_line_behind_it():
    rng = np.random.default_rng(0)
    y = (rng.random(200) < 0.1).astype(int)
    curve = thresholds.precision_recall_curve(y, rng.random(200))
    ax = pe.plot_precision_recall(curve)
    legend = ax.get_legend()
    assert legend.get_frame_on() and legend.get_frame().get_alpha() == 1.0
    assert legend.get_zorder() > max(line.get_zorder() for line in ax.lines)
