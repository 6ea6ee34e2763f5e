"""Tests for course/n04a_optimizers/plots.py (headless)."""

import numpy as np
import pytest

import nnlib
from course import figures
from course.n04a_optimizers import plots, rate_and_batch, surfaces
from nnlib.optimizers import SGD, Adam


def _paths():
    bowl = surfaces.QuadraticBowl()
    return bowl, {"SGD": surfaces.run_optimizer(bowl, SGD(0.1), bowl.start, 20),
                  "Adam": surfaces.run_optimizer(bowl, Adam(0.1), bowl.start, 20)}


def test_plot_optimizer_paths_draws_each_path():
    bowl, paths = _paths()
    ax = plots.plot_optimizer_paths(bowl, paths)
    labelled = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(labelled["SGD"].get_xydata(), paths["SGD"].points)
    np.testing.assert_allclose(labelled["Adam"].get_xydata(), paths["Adam"].points)
    assert ax.get_xlim() == bowl.xlim


def test_surface_plot_switches_surface_and_reports_divergence():
    bowl = surfaces.QuadraticBowl()
    plot = plots.SurfacePlot(bowl)
    path = surfaces.run_optimizer(bowl, SGD(0.3), bowl.start, 50)
    plot.show([path], ["SGD"], path.message, diverged=path.diverged)
    assert "diverged" in plot.text.get_text()
    assert plot.text.get_color() == figures.OKABE_ITO["vermillion"]
    rosen = surfaces.Rosenbrock()
    plot.set_surface(rosen)
    assert plot.ax.get_ylim() == rosen.ylim
    np.testing.assert_allclose(plot.minima.get_xydata(), rosen.minima)


def test_plot_loss_per_step_subtracts_the_minimum():
    wells = surfaces.TwoMinima()
    path = surfaces.run_optimizer(wells, SGD(0.05), (-0.3, 1.0), 30)
    ax = plots.plot_loss_per_step({"SGD": path}, min_value=wells.min_value)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(),
                               np.clip(path.loss - wells.min_value, 1e-12, None))
    assert ax.get_yscale() == "log"


def test_lr_range_and_batch_plots():
    X = np.linspace(-1, 1, 40)[:, None]
    y = 2 * X
    model = nnlib.MLP([1, 4, 1], ["tanh", "linear"], seed=0)
    result = rate_and_batch.lr_range_test(model, X, y, steps=50, batch_size=8, seed=0)
    ax = plots.plot_lr_range(result)
    assert ax.get_xscale() == "log"
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), result.smoothed)
    runs = rate_and_batch.compare_batch_sizes(model, X, y, [1, 40], epochs=2, seed=0)
    ax_loss, ax_time = plots.plot_batch_runs(runs)
    assert len(ax_loss.get_lines()) == 2 and len(ax_time.patches) == 2
    np.testing.assert_allclose(ax_time.patches[0].get_height(),
                               1e3 * np.median(runs[0].epoch_seconds))


def test_plot_optimizer_paths_zoom_and_marker_spacing():
    bowl, paths = _paths()
    ax = plots.plot_optimizer_paths(bowl, paths, xlim=(-1, 0), ylim=(0, 1), marker_every=5)
    assert ax.get_xlim() == (-1, 0) and ax.get_ylim() == (0, 1)
    labelled = {line.get_label(): line for line in ax.get_lines()}
    assert labelled["SGD"].get_markevery() == 5
    try:
        plots.plot_optimizer_paths(bowl, paths, marker_every=0)
    except ValueError as err:
        assert "marker_every" in str(err)
    else:
        raise AssertionError("marker_every=0 was accepted")


def test_convergence_map_leaves_divergent_settings_white_and_marks_settings():
    bowl = surfaces.QuadraticBowl()
    lrs, betas = np.linspace(0.01, 0.4, 30), np.linspace(0.0, 0.9, 20)
    rates = bowl.convergence_rate(lrs[None, :], betas[:, None])
    ax = plots.plot_convergence_map(lrs, betas, rates, marks={"a": (0.1, 0.2)})
    mesh = ax.collections[0]
    shown = mesh.get_array()
    assert np.ma.count_masked(shown) == np.sum(rates >= 1) > 0
    assert [line.get_label() for line in ax.get_lines()] == ["a"]
    with pytest.raises(ValueError, match=r"rates must have shape \(n_momenta, n_rates\) = "
                                         r"\(20, 30\)\. Received: \(30, 20\)"):
        plots.plot_convergence_map(lrs, betas, rates.T)
