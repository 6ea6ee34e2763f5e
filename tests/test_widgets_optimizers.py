"""Tests for course/n04a_optimizers/widgets.py (headless: MPLBACKEND=Agg, no kernel)."""

import warnings

import numpy as np
import pytest

from course.n04a_optimizers import surfaces, widgets
from course.n04a_optimizers.widgets import ALL_THREE, LR_MAX, LR_MIN, PRESETS
from nnlib.optimizers import SGD, Adam


@pytest.fixture
def explorer():
    return widgets.optimizer_explorer("quadratic bowl", optimizer="SGD", learning_rate=0.05,
                                      steps=50)


def test_controls_have_labels_classes_and_range(explorer):
    c = explorer.controls
    assert set(c) >= {"surface", "optimizer", "lr", "steps", "momentum", "x0", "y0"}
    assert "lr-slider" in c["lr"]._dom_classes
    # the grid is shifted (by less than one step) to pass through the start value
    assert LR_MIN <= 10 ** c["lr"].min < LR_MIN * 10 ** c["lr"].step
    assert 10 ** c["lr"].max == pytest.approx(LR_MAX)
    assert all(w.description for w in c.values())
    assert explorer.view.last_png.startswith(b"\x89PNG")


def test_sgd_on_bowl_converges_for_small_rate(explorer):
    explorer.controls["lr"].value = 0.1
    explorer.controls["steps"].value = 200
    assert not explorer.diverged
    assert explorer.path.loss[-1] < 1e-8
    assert len(explorer.path.points) == 201
    assert "reached the minimum" in explorer.message
    # the plot shows that path
    np.testing.assert_allclose(explorer.figure.surface_plot.path_lines[0].get_xydata(), explorer.path.points)


def test_sgd_on_bowl_diverges_above_two_over_L_in_words(explorer):
    assert explorer.stability_limit == pytest.approx(0.2)
    explorer.controls["steps"].value = 200
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning flood
        explorer.controls["lr"].value = 0.21
    assert explorer.diverged and explorer.diverged_at is not None
    assert "diverged at step" in explorer.readout.value  # said once, above the figure
    assert not explorer.figure.surface_plot.text.get_visible()  # not repeated inside it
    assert explorer.figure.loss_text.get_visible()  # the figure marks the blow-up itself
    assert "0.21 > 2/L = 0.2" in explorer.figure.lr_text.get_text()
    # the limit is marked on the learning-rate strip, and the axes stay finite
    assert explorer.figure.limit_line.get_visible()
    np.testing.assert_allclose(explorer.figure.limit_line.get_xdata(), [0.2, 0.2])
    low, high = explorer.figure.ax_loss.get_ylim()
    assert np.isfinite(low) and np.isfinite(high) and high < 1e20
    assert explorer.figure.ax_surface.get_xlim() == surfaces.QuadraticBowl().xlim
    explorer.controls["lr"].value = 0.19
    assert not explorer.diverged


def test_momentum_and_adam_paths_equal_nnlib_optimizers_by_hand(explorer):
    explorer.controls["surface"].value = "Rosenbrock"
    explorer.controls["steps"].value = 40
    explorer.controls["momentum"].value = 0.8
    explorer.controls["lr"].value = 0.001
    start = (explorer.controls["x0"].value, explorer.controls["y0"].value)
    surface = explorer.surface
    for name, make in (("SGD with momentum", lambda: SGD(0.001, momentum=0.8)),
                       ("Adam", lambda: Adam(0.001))):
        explorer.controls["optimizer"].value = name
        opt, p = make(), np.array(start, float)
        expected = [p.copy()]
        for _ in range(40):
            opt.step([p], [surface.grad(p)])
            expected.append(p.copy())
        np.testing.assert_allclose(explorer.path.points, expected, rtol=1e-12, atol=1e-12)
        assert list(explorer.paths) == [name]


def test_side_by_side_shows_three_paths_from_one_start(explorer):
    explorer.controls["optimizer"].value = ALL_THREE
    assert list(explorer.paths) == ["SGD", "SGD with momentum", "Adam"]
    starts = {tuple(p.points[0]) for p in explorer.paths.values()}
    assert len(starts) == 1
    assert all(line.get_visible() for line in explorer.figure.surface_plot.path_lines)
    assert all(line.get_visible() for line in explorer.figure.loss_lines)
    assert explorer.message.count("\n") == 2
    explorer.controls["optimizer"].value = "Adam"
    assert [line.get_visible() for line in explorer.figure.surface_plot.path_lines] == [True, False, False]


def test_momentum_limit_and_no_limit_for_adam_or_other_surfaces(explorer):
    explorer.controls["optimizer"].value = "SGD with momentum"
    explorer.controls["momentum"].value = 0.5
    assert explorer.stability_limit == pytest.approx(0.3)
    explorer.controls["optimizer"].value = "Adam"
    assert explorer.stability_limit is None and not explorer.figure.limit_line.get_visible()
    explorer.controls["optimizer"].value = "SGD"
    explorer.controls["surface"].value = "two minima"
    assert explorer.stability_limit is None
    assert "no single threshold" in explorer.figure.lr_text.get_text()


def test_surface_change_moves_start_sliders(explorer):
    explorer.controls["surface"].value = "Rosenbrock"
    r = surfaces.Rosenbrock()
    assert (explorer.controls["x0"].value, explorer.controls["y0"].value) == r.start
    assert (explorer.controls["y0"].min, explorer.controls["y0"].max) == r.ylim
    np.testing.assert_allclose(explorer.path.points[0], r.start)


def test_start_point_decides_the_valley():
    explorer = widgets.optimizer_explorer("two minima", learning_rate=0.05, steps=200)
    wells = surfaces.TwoMinima()
    explorer.controls["x0"].value = -0.3
    np.testing.assert_allclose(explorer.path.points[-1], wells.minima[0], atol=1e-3)
    assert "global minimum" in explorer.message
    explorer.controls["x0"].value = 0.3
    np.testing.assert_allclose(explorer.path.points[-1], wells.minima[1], atol=1e-3)
    assert "local minimum" in explorer.message


@pytest.mark.parametrize("surface", list(PRESETS))
def test_presets_behave_as_named(surface):
    explorer = widgets.optimizer_explorer(surface)
    explorer.preset_buttons["too small"].click()
    assert explorer.controls["optimizer"].value == "SGD"
    small = explorer.path
    assert not small.diverged
    explorer.preset_buttons["good"].click()
    good = explorer.path
    assert not good.diverged and good.loss[-1] < small.loss[-1]
    explorer.preset_buttons["diverges"].click()
    assert explorer.diverged
    assert explorer.controls["lr"].value == pytest.approx(PRESETS[surface]["diverges"], rel=0.03)


def test_bad_arguments():
    with pytest.raises(ValueError, match="Received: surface='saddle'"):
        widgets.optimizer_explorer("saddle")
    with pytest.raises(ValueError, match="Received: optimizer='RMSprop'"):
        widgets.optimizer_explorer(optimizer="RMSprop")
    with pytest.raises(ValueError, match="Received: name='huge'"):
        widgets.optimizer_explorer().apply_preset("huge")


def test_layout_contains_controls_presets_and_figure(explorer):
    box = explorer.layout()
    flat = []

    def walk(w):
        flat.append(w)
        for child in getattr(w, "children", ()):
            walk(child)
    walk(box)
    assert explorer.view.widget in flat and explorer.readout in flat
    assert all(b in flat for b in explorer.preset_buttons.values())
    assert all(c in flat for c in explorer.controls.values())
