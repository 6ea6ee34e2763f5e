"""Tests for course/n06b_digits/widgets.py (headless: MPLBACKEND=Agg, no kernel): the epoch
slider shows the weights kept after that epoch and their test accuracy, and redraws only
what changes."""

import io

import ipywidgets as ipw
import numpy as np
import PIL.Image
import pytest

from course.explorer import FigureView
from course.n06b_digits import digits, widgets

RECIPE = {**digits.RECIPES["softmax regression"], "epochs": 4}


@pytest.fixture(scope="module")
def data():
    X, y = digits.load_digits()
    train, test = digits.stratified_split(y, test_size=0.2, seed=3)
    run = digits.run_with_nnlib(RECIPE, X[train], y[train], seed=3)
    return run, X[test], y[test]


@pytest.fixture
def explorer(data):
    return widgets.epoch_explorer(*data)


def test_the_slider_spans_the_epochs_and_starts_at_the_last(explorer):
    slider = explorer.controls["epoch"]
    assert (slider.min, slider.max, slider.value) == (0, RECIPE["epochs"], RECIPE["epochs"])
    assert "epoch-slider" in slider._dom_classes and slider.description
    assert explorer.view.last_png.startswith(b"\x89PNG")
    assert slider.readout  # the epoch shows as text beside the slider
    assert isinstance(explorer.readout, ipw.HTML)
    assert explorer.readout in explorer.layout().children
    # shown at its own size (one PNG pixel per CSS pixel), within the output's width
    width = PIL.Image.open(io.BytesIO(explorer.view.last_png)).width
    assert explorer.view.widget.layout.width == f"{width}px"
    assert width <= FigureView.MAX_WIDTH_PX


def test_each_epoch_shows_its_weights_and_accuracy(explorer, data):
    run, X_test, y_test = data
    for epoch in (0, 2, 1, RECIPE["epochs"]):
        explorer.controls["epoch"].value = epoch
        weights = run.snapshots[epoch]
        expected = np.mean(np.argmax(X_test @ weights[0] + weights[1], axis=1) == y_test)
        assert explorer.epoch == epoch and explorer.accuracy == expected
        np.testing.assert_array_equal(explorer.images, weights[0].T.reshape(10, 8, 8))
        # the figure shows them: the picture of digit 3 at its place in the mosaic, the
        # marker on this epoch's accuracy, a symmetric colour scale
        mosaic = explorer.figure.mosaic.get_array()
        np.testing.assert_array_equal(mosaic[0:8, 27:35], weights[0][:, 3].reshape(8, 8))
        np.testing.assert_array_equal(explorer.figure.marker.get_xydata(), [[epoch, expected]])
        low, high = explorer.figure.mosaic.get_clim()
        assert low == -high == -np.max(np.abs(weights[0]))
        assert f"{expected:.3f}" in explorer.message and f"{expected:.3f}" in explorer.readout.value
    explorer.controls["epoch"].value = 0
    assert "before training" in explorer.message


def test_training_moves_the_accuracy_from_chance_up(explorer):
    assert explorer.accuracies[0] < 0.3 and explorer.accuracies[-1] > 0.85
    assert len(explorer.accuracies) == RECIPE["epochs"] + 1


def test_it_redraws_in_part(explorer, blit_mismatch):
    for epoch in (0, 3, 1, 4, 2):
        before = explorer.view.full_draws
        explorer.controls["epoch"].value = epoch
        assert explorer.view.full_draws == before  # only the images, marker and title
        assert blit_mismatch(explorer.view) < 2e-3, epoch


def test_bad_input_is_named(data):
    run, X_test, y_test = data
    with pytest.raises(TypeError, match="digits.Run"):
        widgets.epoch_explorer(run.snapshots, X_test, y_test)
    with pytest.raises(ValueError, match="epoch must lie between 0 and 4"):
        widgets.epoch_explorer(run, X_test, y_test, epoch=9)
