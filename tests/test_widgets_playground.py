"""The notebook-08 playground widget, headless: buttons, chunks, reset, locks, config text."""

import asyncio

import numpy as np
import pytest

from nnlib import playground as pg
from nnlib.widgets.playground import CONFIG_CONTROLS, playground


@pytest.fixture
def xor():
    return playground(pg.PlaygroundConfig(dataset="xor", hidden=(8, 8), noise=0.05),
                      grid_resolution=20)


def test_training_chunks_lower_the_test_loss_and_redraw(xor):
    png = xor.view.last_png
    for _ in range(6):
        assert xor.step()
    t = xor.trainer
    assert t.epoch == 6 * xor.epochs_per_chunk
    assert t.test_loss[-1] < 0.5 * t.test_loss[0]
    x, y = xor.test_line.get_data()
    np.testing.assert_allclose(y, t.test_loss)
    np.testing.assert_allclose(xor.image.get_array(), t.grid(20)[2])
    assert xor.view.last_png != png
    assert "accuracy" in xor.message.value


def test_network_diagram_follows_the_weights(xor):
    xor.step()
    drawing = xor.network_drawing
    W1 = xor.trainer.model.weights[0]
    np.testing.assert_allclose(drawing.weights[:W1.size], W1.ravel())
    widths = [a.get_linewidth() for a in drawing.connections]
    xor.trainer.model.weights[0][...] *= -1
    xor.update()
    assert drawing.connections[0].get_linewidth() == pytest.approx(widths[0])
    assert np.sign(drawing.weights[0]) == np.sign(xor.trainer.model.weights[0][0, 0])


def test_reset_restores_the_initial_weights(xor):
    start = xor.trainer.model.theta.copy()
    xor.step()
    xor.step()
    xor.controls["reset"].click()
    np.testing.assert_array_equal(xor.trainer.model.theta, start)
    assert xor.trainer.epoch == 0
    assert len(xor.train_line.get_xdata()) == 0


def test_changing_the_architecture_rebuilds_model_and_diagram(xor):
    assert xor.network_drawing.n_connections == 2 * 8 + 8 * 8 + 8
    xor.controls["hidden"].value = "3"
    assert xor.trainer.model.layer_sizes == [2, 3, 1]
    assert xor.network_drawing.n_connections == 2 * 3 + 3
    assert xor.controls["config"].value == xor.config.to_string()
    assert "hidden=3;" in xor.controls["config"].value
    xor.controls["hidden"].value = "eight"
    assert "Not applied" in xor.message.value
    assert xor.trainer.model.layer_sizes == [2, 3, 1]


def test_switching_to_the_line_draws_a_fitted_curve(xor):
    xor.controls["dataset"].value = "line"
    assert xor.image is None and xor.trainer.model.layer_sizes[0] == 1
    xor.step()
    x, y_hat = xor.fit_line.get_data()
    np.testing.assert_allclose(y_hat, xor.trainer.model.predict(np.asarray(x)[:, None]).ravel())


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
    assert "Not applied" in xor.message.value and xor.config == config


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
    p = playground(pg.PlaygroundConfig(hidden=(4,)), max_epochs=15, grid_resolution=10)

    async def run():
        p.start()
        await p._task

    asyncio.run(run())
    assert p.trainer.epoch == 15 and not p.running


def test_keras_code_view_shows_the_configuration(xor):
    assert "keras.Sequential" in xor.keras_view.value
    assert xor.config.to_string() in xor.keras_code()
