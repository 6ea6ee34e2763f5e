"""Tests for course/n06_training_evaluation/widgets.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

from course.n06_training_evaluation import search
from course.n06_training_evaluation import widgets as we
from nnlib import metrics


@pytest.fixture
def scored(rng):
    y = (rng.random(300) < 0.2).astype(int)
    scores = np.clip(0.35 * y + rng.random(300) * 0.65, 0, 1)
    return y, scores


def test_threshold_slider_moves_precision_and_recall_like_nnlib_metrics(scored):
    y, scores = scored
    explorer = we.threshold_explorer(y, scores, threshold=0.5)
    for t in (0.2, 0.45, 0.6, 0.8, 0.95, 1.0):
        explorer.controls["threshold"].value = t
        y_pred = (scores >= t).astype(int)
        assert explorer.threshold == pytest.approx(t)
        assert explorer.precision == metrics.precision(y, y_pred)
        assert explorer.recall == metrics.recall(y, y_pred)
        assert explorer.f1 == metrics.f1(y, y_pred)
        assert explorer.accuracy == metrics.accuracy(y, y_pred)
        # the point on the curve and the line on the histogram follow
        np.testing.assert_allclose(explorer.figure.point.get_xydata(),
                                   [[explorer.recall, explorer.precision]])
        assert explorer.figure.threshold_line.get_xdata()[0] == pytest.approx(t)
        assert f"precision {explorer.precision:.3f}" in explorer.readout.value
    # raising the threshold never raises recall
    recalls = []
    for t in np.linspace(0, 1, 11):
        explorer.controls["threshold"].value = float(t)
        recalls.append(explorer.recall)
    assert np.all(np.diff(recalls) <= 0) and recalls[0] == 1.0
    assert explorer.view.last_png.startswith(b"\x89PNG")


def _bowl(setting):
    return {"val_loss": 0.1 + (np.log10(setting["learning_rate"]) + 2) ** 2
            + abs(setting["n_layers"] - 2) + (setting["batch_size"] == 64) * 0.5}


def test_heatmap_widget_follows_the_chosen_axes():
    result = search.grid_search(_bowl, search.grid(learning_rate=[0.1, 0.01, 0.001],
                                                   n_layers=[1, 2, 3], batch_size=[16, 64]))
    explorer = we.tuning_heatmap_explorer(result)
    assert (explorer.x, explorer.y) == ("learning_rate", "n_layers")
    np.testing.assert_array_equal(explorer.table, result.pivot("learning_rate", "n_layers")[2])
    assert explorer.best_cell == (2, 0.01)
    explorer.controls["y"].value = "batch_size"
    assert explorer.table.shape == (2, 3) and explorer.best_cell == (16, 0.01)
    assert "batch_size = 16, learning_rate = 0.01" in explorer.readout.value
    explorer.controls["reduce"].value = "mean"
    np.testing.assert_array_equal(
        explorer.table, result.pivot("learning_rate", "batch_size", reduce="mean")[2])
    # the same hyperparameter twice: a message, no exception
    explorer.controls["y"].value = "learning_rate"
    assert explorer.table is None and "pick two different ones" in explorer.readout.value
    assert explorer.figure.note.get_text() == "pick two different hyperparameters"
    explorer.controls["y"].value = "n_layers"
    assert explorer.figure.note.get_text() == "" and explorer.table.shape == (3, 3)


def test_heatmap_widget_errors():
    result = search.grid_search(_bowl, search.grid(learning_rate=[0.1, 0.01], n_layers=[2],
                                                   batch_size=[16]))
    with pytest.raises(ValueError, match="must vary at least two hyperparameters"):
        we.tuning_heatmap_explorer(result)
    result = search.grid_search(_bowl, search.grid(learning_rate=[0.1, 0.01], n_layers=[1, 2],
                                                   batch_size=[16]))
    with pytest.raises(ValueError, match=r"x must be one of \['learning_rate', 'n_layers'\]. Received: x='batch_size'"):
        we.tuning_heatmap_explorer(result, x="batch_size")


def test_threshold_explorer_legend_is_opaque_and_names_the_current_threshold():
    rng = np.random.default_rng(0)
    y = (rng.random(200) < 0.1).astype(int)
    ex = we.threshold_explorer(y, rng.random(200))
    legend = ex.fig.axes[1].get_legend()
    assert legend.get_frame().get_alpha() == 1.0
    assert "current threshold" in [t.get_text() for t in legend.get_texts()]
