"""Tests for course/n04c_deep_networks/widgets.py (headless: MPLBACKEND=Agg, no kernel)."""

import html
import io

import numpy as np
import PIL.Image
import pytest

from course.n04c_deep_networks import deep, widgets


@pytest.fixture(scope="module")
def runs():
    X, y = deep.moons(0)
    return {name: deep.train(deep.DeepNet(6, 8, seed=0, **settings), X, y, steps=20,
                             learning_rate=0.01, record_every=5)
            for name, settings in deep.VARIANTS.items()}


def test_the_slider_and_the_menu_show_the_recording(runs):
    explorer = widgets.deep_training_explorer(runs, variant="Glorot")
    c = explorer.controls
    assert (c["step"].min, c["step"].max, c["step"].step) == (0, 20, 5)
    assert all(w.description for w in c.values()) and "step-slider" in c["step"]._dom_classes
    c["step"].value = 10
    assert explorer.step == 10 and explorer.run is runs["Glorot"]
    np.testing.assert_allclose(explorer.figure.act_now.get_ydata(),
                               runs["Glorot"].activation_std[2])
    np.testing.assert_allclose(explorer.figure.grad_start.get_ydata(),
                               runs["Glorot"].gradient_norm[0])
    assert explorer.figure.loss_marker.get_xydata().tolist() == [[10, runs["Glorot"].losses[10]]]
    c["variant"].value = "He"
    np.testing.assert_allclose(explorer.figure.grad_now.get_ydata(), runs["He"].gradient_norm[2])
    assert explorer.message.startswith("He, step 10: loss")
    assert html.escape(explorer.message) == explorer.readout.value


def test_moving_the_slider_redraws_only_the_lines_and_equals_a_full_redraw(runs):
    explorer = widgets.deep_training_explorer(runs)
    full = explorer.view.full_draws
    for step in (5, 15, 20, 0):
        explorer.controls["step"].value = step
    explorer.controls["variant"].value = "residual"
    assert explorer.view.full_draws == full  # fixed limits: only the lines are drawn
    blitted = np.asarray(PIL.Image.open(io.BytesIO(explorer.view.last_png)))
    explorer.view.invalidate()
    explorer.view.redraw()
    full_png = np.asarray(PIL.Image.open(io.BytesIO(explorer.view.last_png)))
    assert np.mean(np.any(blitted != full_png, axis=-1)) < 0.002


def test_the_figure_fits_the_output_width(runs):
    view = widgets.deep_training_explorer(runs).view
    width = PIL.Image.open(io.BytesIO(view.last_png)).size[0]
    assert width <= view.MAX_WIDTH_PX


def test_bad_runs_are_refused(runs):
    with pytest.raises(ValueError, match="variant must be one of"):
        widgets.deep_training_explorer(runs, variant="batch norm")
    X, y = deep.moons(0)
    other = deep.train(deep.DeepNet(6, 8), X, y, steps=10, learning_rate=0.01, record_every=5)
    with pytest.raises(ValueError, match="same steps"):
        widgets.deep_training_explorer({**runs, "other": other})
