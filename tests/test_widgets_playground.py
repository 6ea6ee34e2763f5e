"""The notebook-08 playground widget, headless: buttons, chunks, reset, locks, config text,
feature checkboxes, neuron heat maps."""

import asyncio

import numpy as np
import pytest

from course.explorer import loss_limits
from course.n08_conclusion_playground.playground_config import PlaygroundConfig
from course.n08_conclusion_playground.widgets import CONFIG_CONTROLS, playground


@pytest.fixture
def xor():
    return playground(PlaygroundConfig(dataset="xor", hidden=(8, 8), noise=0.05),
                      grid_resolution=20)


def test_training_chunks_lower_the_test_loss_and_redraw(xor):
    png = xor.view.last_png
    for _ in range(6):
        assert xor.step()
    t = xor.trainer
    assert t.epoch == 6 * xor.epochs_per_chunk
    assert t.test_loss[-1] < 0.5 * t.test_loss[0]
    x, y = xor.figure.test_line.get_data()
    np.testing.assert_allclose(y, t.test_loss)
    np.testing.assert_allclose(xor.figure.image.get_array(), t.grid(20)[2])
    assert xor.view.last_png != png
    assert "accuracy" in xor.readout.value


def test_network_diagram_follows_the_weights(xor):
    xor.step()
    drawing = xor.figure.neuron_maps
    W1 = xor.trainer.model.weights[0]
    np.testing.assert_allclose(drawing.weights[:W1.size], W1.ravel())
    widths = drawing.lines.get_linewidths()
    scale = np.abs(drawing.weights).max()
    np.testing.assert_allclose(widths, 0.4 + 2.6 * np.abs(drawing.weights) / scale)
    colors = drawing.lines.get_colors()
    blue = colors[np.argmax(drawing.weights)]
    xor.trainer.model.weights[0][...] *= -1
    xor.update()
    assert drawing.lines.get_linewidths()[0] == pytest.approx(widths[0])
    assert np.sign(drawing.weights[0]) == np.sign(xor.trainer.model.weights[0][0, 0])
    flipped = drawing.lines.get_colors()
    n1 = W1.size
    np.testing.assert_array_equal(flipped[n1:], colors[n1:])  # later layers unchanged
    assert any((flipped[k] == blue).all() != (colors[k] == blue).all() for k in range(n1))


def test_heat_maps_show_what_each_neuron_computes_and_follow_training(xor):
    maps = xor.figure.neuron_maps
    assert [len(layer) for layer in maps.images] == [2, 8, 8, 1]
    before = [im.get_array().copy() for im in maps.images[1]]
    xor.step()
    x1, x2, expected = xor.trainer.neuron_maps(xor.map_resolution)
    for layer, images in enumerate(maps.images):
        for k, image in enumerate(images):
            np.testing.assert_allclose(image.get_array(), expected[layer][k])
    assert all(not np.allclose(im.get_array(), old) for im, old in zip(maps.images[1], before))
    # First layer by hand: tanh(w . (x1, x2) + b) at every grid point.
    W1, b1 = xor.trainer.model.weights[0], xor.trainer.model.biases[0]
    g1, g2 = np.meshgrid(x1, x2)
    np.testing.assert_allclose(maps.images[1][3].get_array(),
                               np.tanh(W1[0, 3] * g1 + W1[1, 3] * g2 + b1[3]))
    assert maps.images[1][3].get_clim() == (-1.0, 1.0)  # tanh: its whole range
    assert maps.images[-1][0].get_clim() == (0.0, 1.0)  # sigmoid output
    # (moved here from notebook 08, where they were widget internals, not lessons)
    for im in maps.images[0]:  # each input on [-top, top], 0 white; drawn with x2 upwards
        top = np.max(np.abs(im.get_array()))
        assert np.allclose(im.get_clim(), (-top, top)) and im.origin == "lower"


def test_heat_maps_are_drawn_once_and_updated_in_place(xor):
    images = [im for layer in xor.figure.neuron_maps.images for im in layer]
    n_artists = len(xor.figure.ax_net.get_children())
    for _ in range(3):
        xor.step()
    assert [im for layer in xor.figure.neuron_maps.images for im in layer] == images
    assert len(xor.figure.ax_net.get_children()) == n_artists


def test_the_quick_redraw_shows_the_same_picture_as_a_full_one(xor, blit_mismatch):
    for _ in range(4):
        xor.step()
    assert xor.view.canvas.get_width_height() == (960, 576)  # drawn at the size it is shown
    assert blit_mismatch(xor.view) < 1e-4
    # A heat map left out of the quick redraw shows its old picture: caught.
    stale = xor.figure.neuron_maps.images[1]
    xor.view.set_dynamic([a for a in xor.view.dynamic if a not in stale])
    xor.step()
    xor.step()
    assert blit_mismatch(xor.view) > 1e-3


def test_loss_limits_change_in_steps():
    assert loss_limits(0, [])[0] == (0.0, 10 * 1.02)
    assert [loss_limits(e, [0.5])[0][1] / 1.02 for e in (5, 11, 21, 99, 101, 260, 1000)] == [
        10, 20, 50, 100, 200, 500, 1000]
    (_, y) = loss_limits(40, [0.69, 0.3, 0.05, float("nan")])
    assert y == pytest.approx((10 ** -1.5, 1.0))


def test_reset_restores_the_initial_weights(xor):
    start = xor.trainer.model.theta.copy()
    xor.step()
    xor.step()
    xor.controls["reset"].click()
    np.testing.assert_array_equal(xor.trainer.model.theta, start)
    assert xor.trainer.epoch == 0
    assert len(xor.figure.train_line.get_xdata()) == 0


def test_changing_the_architecture_rebuilds_model_and_diagram(xor):
    assert len(xor.figure.neuron_maps.lines.get_segments()) == 2 * 8 + 8 * 8 + 8
    xor.controls["hidden"].value = "3"
    assert xor.trainer.model.layer_sizes == [2, 3, 1]
    assert len(xor.figure.neuron_maps.lines.get_segments()) == 2 * 3 + 3
    assert xor.controls["config"].value == xor.config.to_string()
    assert "hidden=3;" in xor.controls["config"].value
    xor.controls["hidden"].value = "eight"
    assert "Not applied" in xor.readout.value
    assert xor.trainer.model.layer_sizes == [2, 3, 1]


def test_switching_to_the_line_draws_a_fitted_curve(xor):
    xor.controls["features"].value = ("x1", "x2", "x1^2")
    xor.controls["dataset"].value = "line"  # one input x: the feature boxes do not apply
    assert xor.figure.image is None and xor.trainer.model.layer_sizes[0] == 1
    assert xor.controls["features"].disabled and "feat=" not in xor.controls["config"].value
    xor.step()
    x, y_hat = xor.figure.fit_line.get_data()
    np.testing.assert_allclose(y_hat, xor.trainer.model.predict(np.asarray(x)[:, None]).ravel())
    maps = xor.figure.neuron_maps
    assert [len(layer) for layer in maps.curves] == [1, 8, 8, 1] and not maps.images[1]
    xor.controls["dataset"].value = "moons"
    assert not xor.controls["features"].disabled


def test_feature_checkboxes_change_the_inputs_and_reset(xor):
    boxes = xor.controls["features"].boxes
    assert [n for n, box in boxes.items() if box.value] == ["x1", "x2"]
    xor.step()
    assert xor.trainer.epoch > 0
    boxes["x1*x2"].value = True  # a student ticks x1x2
    config = xor.config
    assert config.features == ("x1", "x2", "x1*x2")
    assert xor.trainer.epoch == 0 and xor.trainer.model.layer_sizes == [3, 8, 8, 1]
    assert xor.controls["config"].value == config.to_string()
    assert xor.controls["config"].value.endswith(";feat=x1,x2,x1*x2")
    assert len(xor.figure.neuron_maps.images[0]) == 3
    np.testing.assert_allclose(xor.figure.neuron_maps.images[0][2].get_array(),
                               xor.trainer.neuron_maps(xor.map_resolution)[2][0][2])
    boxes["x1"].value = boxes["x2"].value = False
    assert xor.config.features == ("x1*x2",) and xor.trainer.model.layer_sizes[0] == 1
    boxes["x1*x2"].value = False  # nothing left: refused, the last setup stays
    assert "Not applied" in xor.readout.value and "at least one feature" in xor.readout.value
    assert xor.config.features == ("x1*x2",)
    xor.controls["config"].value = "data=circles;feat=x1^2,x2^2"  # the text sets the boxes
    assert [n for n, box in boxes.items() if box.value] == ["x1^2", "x2^2"]


def test_locking_the_features_disables_every_checkbox():
    p = playground(lock=("features",), grid_resolution=10)
    assert p.locked == ["features", "config"]
    assert all(box.disabled for box in p.controls["features"].boxes.values())
    p.controls["dataset"].value = "circles"  # a new setup keeps the lock
    assert all(box.disabled for box in p.controls["features"].boxes.values())
    p.unlock(["features"])
    assert not any(box.disabled for box in p.controls["features"].boxes.values())
    assert p.locked == ["config"]


def test_config_text_loads_a_configuration_and_round_trips(xor):
    text = "data=circles;seed=3;hidden=5,4;act=relu;lr=0.01;l2=0.001;dropout=0.1;batch=32"
    xor.controls["config"].value = text
    config = xor.config
    assert (config.dataset, config.seed, config.hidden, config.activation) == (
        "circles", 3, (5, 4), "relu")
    assert xor.controls["lr"].value == pytest.approx(0.01)
    assert xor.controls["hidden"].value == "5,4"
    again = playground(xor.config.to_string())
    assert again.config == config
    np.testing.assert_array_equal(again.trainer.model.theta, xor.trainer.model.theta)
    xor.controls["config"].value = "data=mnist"
    assert "Not applied" in xor.readout.value and xor.config == config


def test_locked_controls_are_disabled():
    p = playground(lock=("dataset", "hidden"))
    assert p.controls["dataset"].disabled and p.controls["hidden"].disabled
    assert p.controls["config"].disabled  # the text box would bypass the locks
    assert not p.controls["lr"].disabled and not p.controls["start"].disabled
    assert p.locked == ["dataset", "hidden", "config"]
    p.unlock()
    assert p.locked == []
    with pytest.raises(ValueError, match="lock names"):
        p.lock(["start"])
    assert set(CONFIG_CONTROLS) <= set(p.controls)


def test_start_and_pause_without_an_event_loop():
    p = playground(grid_resolution=10)
    p.controls["start"].click()
    assert p.running and p._task is None  # nothing runs by itself outside a kernel
    p.controls["pause"].click()
    assert not p.running


def test_start_runs_chunks_on_the_event_loop_until_max_epochs():
    p = playground(PlaygroundConfig(hidden=(4,)), max_epochs=15, grid_resolution=10)

    async def run():
        p.start()
        await p._task

    asyncio.run(run())
    assert p.trainer.epoch == 15 and not p.running


def test_keras_code_view_shows_the_configuration(xor):
    assert "keras.Sequential" in xor.keras_view.value
    assert xor.config.to_string() in xor.keras_code()


def test_relu_maps_use_their_own_scale_and_big_layers_are_cut():
    p = playground("data=moons;hidden=16,3;act=relu", grid_resolution=10)
    p.step()
    maps = p.figure.neuron_maps
    assert [len(layer) for layer in maps.images] == [2, 10, 3, 1]  # 10 of the 16 shown
    assert list(maps.shown[1]) == [0, 1, 2, 3, 4, 11, 12, 13, 14, 15]
    assert any(text.get_text() == "10 of 16" for text in maps.texts)
    expected = p.trainer.neuron_maps(p.map_resolution)[2]
    for image, k in zip(maps.images[1], maps.shown[1]):
        top = np.abs(expected[1][k]).max() or 1.0  # a dead ReLU (all 0) gets (-1, 1)
        assert image.get_clim() == pytest.approx((-top, top))
        np.testing.assert_allclose(image.get_array(), expected[1][k])


def test_learning_rate_control_returns_to_its_start_and_says_when_it_applies(xor):
    """Steps right then back left end where they began; before Start the message names
    the settings that only training shows."""
    lr = xor.controls["lr"]
    values = [v for _, v in lr.options]
    start = lr.value
    assert start == pytest.approx(0.03)
    i = values.index(start)
    for k in range(1, 4):  # three steps right, as the arrow keys do ...
        lr.value = values[i + k]
    assert f"learning rate {values[i + 3]:g}," in xor.readout.value
    assert "press Start" in xor.readout.value
    for k in range(2, -1, -1):  # ... and three back
        lr.value = values[i + k]
    assert lr.value == start and "lr=0.03;" in xor.controls["config"].value
    xor.set_config(xor.config.replace(learning_rate=0.05))  # from a share string: added
    assert 0.05 in [v for _, v in lr.options] and lr.value == 0.05


def test_a_new_learning_rate_or_l2_goes_on_from_the_same_weights(xor):
    for _ in range(2):
        xor.step()
    trainer, epoch = xor.trainer, xor.trainer.epoch
    theta = trainer.model.theta.copy()
    moments = [m.copy() for m in trainer.optimizer.m]
    xor.controls["lr"].value = 0.01
    xor.controls["l2"].value = 0.001
    assert xor.trainer is trainer and trainer.epoch == epoch  # no reset
    np.testing.assert_array_equal(trainer.model.theta, theta)
    assert all(np.array_equal(a, b) for a, b in zip(trainer.optimizer.m, moments))
    assert trainer.optimizer.learning_rate == 0.01 and trainer.config.l2 == 0.001
    assert "training goes on with learning rate 0.01" in xor.readout.value
    xor.step()
    assert trainer.epoch == epoch + xor.epochs_per_chunk
    xor.controls["hidden"].value = "4"  # the network changes: a new start
    assert xor.trainer is not trainer and xor.trainer.epoch == 0


def test_the_whole_share_string_is_visible():
    every = PlaygroundConfig(features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)",
                                          "sin(x2)"))
    p = playground(every, grid_resolution=10)
    field = p.controls["config"]
    assert field.value == every.to_string()
    assert field.layout.width == "100%" and field.rows >= 2  # wraps instead of cutting off
