"""Every widget redraws only what changes (blitting): its picture must equal a full redraw.

For each widget a sweep moves every control; after each update the picture the student
sees is compared with the same figure drawn whole (``blit_mismatch``). A widget that
changes an artist it did not list as dynamic shows a stale picture and fails here.
"""

import numpy as np
import pytest

from course.n01_structure import widgets as structure_widgets
from course.n02_forward_pass import widgets as forward_widgets
from course.n03_learning_backprop import live_plot
from course.n03_learning_backprop import widgets as backprop_widgets
from course.n04a_optimizers import widgets as optimizers_widgets
from course.n04b_regularization import widgets as regularization_widgets
from nnlib.data import make_linear

TOLERANCE = 2e-3  # share of pixels: anti-aliased edges where a line crosses a spine


def _sweep(explorer, moves, blit_mismatch):
    partial_draws = 0
    for control, value in moves:
        before = explorer.view.full_draws
        explorer.controls[control].value = value
        partial_draws += explorer.view.full_draws == before
        assert blit_mismatch(explorer.view) < TOLERANCE, (control, value)
    return partial_draws


def test_the_neuron_explorer_redraws_in_part(blit_mismatch):
    explorer = forward_widgets.neuron_explorer()
    moves = [("w", 2.0), ("w", -1.3), ("b", 1.5), ("activation", "sigmoid"), ("w", 0.0),
             ("activation", "tanh"), ("b", -2.5)]
    assert _sweep(explorer, moves, blit_mismatch) >= 4
    assert explorer.view.dynamic


def test_the_softmax_explorer_redraws_in_part(blit_mismatch):
    explorer = forward_widgets.softmax_explorer()
    drag = 10 ** np.arange(-0.2, 0.2, 0.02)  # the slider's steps, around T = 1
    moves = [("temperature", t) for t in (0.1, 80.0, *drag)]
    assert _sweep(explorer, moves, blit_mismatch) >= len(drag) // 2


@pytest.mark.parametrize("show_gradient", [False, True])
def test_be_the_optimizer_redraws_in_part(blit_mismatch, show_gradient):
    X, y = make_linear(seed=0)
    explorer = backprop_widgets.be_the_optimizer(X, y, show_gradient=show_gradient)
    moves = [("w", w) for w in (0.5, 1.0, 2.0, 5.5, -2.0)] + [("b", b) for b in (1, 4.5, -3)]
    assert _sweep(explorer, moves, blit_mismatch) == len(moves)


def test_the_gradient_descent_explorer_redraws_in_part(blit_mismatch):
    explorer = backprop_widgets.gradient_descent_explorer()
    moves = [("lr", lr) for lr in (0.01, 0.3, 0.9, 1.0, 1.5, 2.9)]
    moves += [("steps", 50), ("w0", 4.0), ("lr", 0.5), ("steps", 3)]
    assert _sweep(explorer, moves, blit_mismatch) == len(moves) - 2  # steps: new x limits


@pytest.mark.parametrize("optimizer", ["SGD", "all three, side by side"])
def test_the_optimizer_explorer_redraws_in_part(blit_mismatch, optimizer):
    explorer = optimizers_widgets.optimizer_explorer(optimizer=optimizer, steps=100)
    drag = 10 ** np.arange(-1.5, -1.0, 0.01)  # the slider's steps
    moves = [("lr", lr) for lr in drag] + [("lr", 0.3), ("momentum", 0.5), ("x0", 1.0)]
    moves += [("optimizer", "SGD with momentum"), ("surface", "Rosenbrock"), ("lr", 0.001),
              ("steps", 150), ("surface", "two minima"), ("optimizer", "Adam"), ("y0", 0.5)]
    assert _sweep(explorer, moves, blit_mismatch) >= len(drag) // 2
    explorer.apply_preset("diverges")
    assert explorer.diverged and blit_mismatch(explorer.view) < TOLERANCE


def test_the_regularization_explorer_redraws_in_part(blit_mismatch):
    explorer = regularization_widgets.regularization_explorer(epochs=200)
    moves = [("l2", 1e-3), ("l2", 3e-2), ("l1", 1e-3), ("dropout", 0.3), ("l2", 0.0)]
    assert _sweep(explorer, moves, blit_mismatch) == len(moves)


def test_the_learning_rate_explorer_redraws_in_part(blit_mismatch):
    from course.n07_mlp_tensorflow_comparison.widgets import learning_rate_explorer

    X, y = make_linear(seed=0)
    explorer = learning_rate_explorer(X, y, keras_history=np.linspace(2.0, 0.1, 200),
                                      keras_predictions=2 * X + 1)
    moves = [("lr", lr) for lr in 10 ** np.arange(-3.0, -1.5, 0.25)] + [("epochs", 100)]
    moves += [("lr", 0.1), ("lr", 10 ** -2.25)]
    assert _sweep(explorer, moves, blit_mismatch) >= 4


def test_the_live_loss_plot_redraws_in_part(blit_mismatch):
    import nnlib

    X, y = make_linear(seed=0)
    live = live_plot.live_loss_plot(every=5)
    model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    history = model.fit(X, y, optimizer=nnlib.Adam(0.01), epochs=100, seed=0,
                        validation_data=(X[:20], y[:20]), callback=live)
    live.finish(history)
    assert live.view.full_draws <= live.n_redraws // 2
    assert blit_mismatch(live.view) < TOLERANCE


def test_the_threshold_explorer_redraws_in_part(blit_mismatch, rng):
    from course.n06_training_evaluation import widgets as evaluation

    y = (rng.random(300) < 0.2).astype(int)
    scores = np.clip(0.35 * y + rng.random(300) * 0.65, 0, 1)
    explorer = evaluation.threshold_explorer(y, scores)
    moves = [("threshold", t) for t in (0.0, 0.2, 0.45, 0.6, 0.8, 0.95, 1.0)]
    assert _sweep(explorer, moves, blit_mismatch) == len(moves)


def test_png_bytes_is_a_png_of_the_same_pixels(rng):
    import io

    import PIL.Image

    from course.explorer import png_bytes

    rgba = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    image = PIL.Image.open(io.BytesIO(png_bytes(rgba)))
    assert image.format == "PNG" and image.mode == "RGB" and image.size == (5, 7)
    np.testing.assert_array_equal(np.asarray(image), rgba[..., :3])


def test_stepped_limits_change_in_steps_and_stay_while_the_data_fits():
    from course.explorer import stepped_limits

    assert stepped_limits(-0.3, 7.1) == (-0.5, 10.0)
    assert stepped_limits(0.0, 1.0) == (0.0, 1.0)
    assert stepped_limits(0.012, 0.4, log=True) == (0.01, 0.5)
    assert stepped_limits(0.2, 0.9, log=True, current=(0.1, 1.0)) == (0.1, 1.0)  # fits
    assert stepped_limits(0.3, 0.31, log=True, current=(0.1, 1.0)) == (0.2, 0.5)  # too small
    assert stepped_limits(0.05, 0.7, log=True, current=(0.1, 1.0)) == (0.05, 1.0)  # outside
    with pytest.raises(ValueError, match="0 < low <= high"):
        stepped_limits(0.0, 1.0, log=True)


def test_every_update_runs_with_one_blas_thread():
    from threadpoolctl import threadpool_info

    explorer = forward_widgets.neuron_explorer()
    seen = []
    update = explorer.update
    explorer.update = lambda: (seen.append([i["num_threads"] for i in threadpool_info()
                                            if i["user_api"] == "blas"]), update())
    explorer.controls["w"].value = 2.0
    assert seen and all(n == [1] * len(n) for n in seen)


def test_every_explorer_keeps_one_contract(rng):
    """``message`` is the text as a str, ``readout`` (if the text is not on the figure) the
    HTML widget that shows it, between the controls and the figure."""
    import ipywidgets as ipw

    from course.n06_training_evaluation.widgets import threshold_explorer
    from course.n07_mlp_tensorflow_comparison.widgets import learning_rate_explorer

    X, y = make_linear(seed=0)
    labels = (rng.random(100) < 0.3).astype(int)
    explorers = [structure_widgets.network_explorer(), forward_widgets.neuron_explorer(),
                 forward_widgets.softmax_explorer(), backprop_widgets.be_the_optimizer(X, y),
                 backprop_widgets.gradient_descent_explorer(), optimizers_widgets.optimizer_explorer(),
                 regularization_widgets.regularization_explorer(epochs=50),
                 learning_rate_explorer(X, y, epochs=20),
                 threshold_explorer(labels, rng.random(100))]
    for explorer in explorers:
        name = type(explorer).__name__
        assert isinstance(explorer.message, str) and explorer.message, name
        if name == "GradientDescentExplorer":  # its message is written on the plot
            assert explorer.figure.plot.text.get_text() == explorer.message
            continue
        assert isinstance(explorer.readout, ipw.HTML) and explorer.readout.value, name
        assert explorer.readout in explorer.layout().children, name


def test_holding_updates_once_after_several_controls():
    explorer = backprop_widgets.gradient_descent_explorer()
    calls = []
    update = explorer.update
    explorer.update = lambda: (calls.append(1), update())
    with explorer.holding():
        explorer.controls["lr"].value = 0.5
        explorer.controls["steps"].value = 40
        assert calls == []
    assert calls == [1] and len(explorer.path.w) == 41
    with explorer.holding(update=False):
        explorer.controls["w0"].value = 2.0
    assert calls == [1]
