"""Tests for nnlib/widgets.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

from nnlib import widgets

# ============================================================ shared / notebook 00


def test_widget_check_follows_the_slider():
    check = widgets.widget_check(value=3)
    assert "x² = 9" in check.label.value
    check.slider.value = 7
    assert "x = 7, x² = 49" in check.label.value
    assert "nnlib-check-slider" in check.slider._dom_classes
    bundle = check._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_figure_view_redraws_headless():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    view = widgets.FigureView(fig)
    assert not plt.fignum_exists(fig.number)  # closed in pyplot: shown only through the Output
    line.set_ydata([1, 0])
    view.redraw()
    assert view.output.layout.min_height.endswith("px")


# ============================================================ notebook 01 (structure)


def _param_count(sizes):
    # sum(n_in * n_out + n_out): [1, 10, 5, 1] -> 20 + 55 + 6 = 81
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def test_network_explorer_starts_with_the_article_network():
    import nnlib

    explorer = widgets.network_explorer()
    assert explorer.layer_sizes == [1, 10, 5, 1]
    assert explorer.n_params == 81
    assert explorer.layer_params == [20, 55, 6]
    assert explorer.model.count_params() == 81
    assert explorer.drawing.n_neurons == 17
    assert explorer.drawing.n_connections == 65
    assert "81 parameters" in explorer.readout.value
    assert explorer.controls["hidden_3"].disabled and explorer.controls["hidden_4"].disabled
    assert isinstance(explorer.model, nnlib.MLP)


def test_network_explorer_sliders_change_drawing_and_count():
    import nnlib

    explorer = widgets.network_explorer()
    explorer.controls["n_hidden"].value = 3
    explorer.controls["hidden_3"].value = 4
    assert explorer.layer_sizes == [1, 10, 5, 4, 1]
    assert not explorer.controls["hidden_3"].disabled
    assert explorer.controls["hidden_4"].disabled
    expected = nnlib.MLP(explorer.layer_sizes, ["relu"] * 3 + ["linear"]).count_params()
    assert explorer.n_params == expected == _param_count([1, 10, 5, 4, 1])
    assert explorer.drawing.n_neurons == 21
    assert explorer.drawing.n_connections == 10 + 50 + 20 + 4
    assert f"{expected} parameters" in explorer.readout.value

    explorer.controls["n_inputs"].value = 3
    explorer.controls["n_outputs"].value = 2
    assert explorer.layer_sizes == [3, 10, 5, 4, 2]
    assert explorer.n_params == _param_count([3, 10, 5, 4, 2])
    assert explorer.drawing.n_connections == 30 + 50 + 20 + 8


def test_network_explorer_large_layer_is_drawn_truncated():
    explorer = widgets.network_explorer()
    explorer.controls["hidden_1"].value = 16
    assert explorer.layer_sizes == [1, 16, 5, 1]
    assert explorer.n_params == _param_count([1, 16, 5, 1])  # the count uses the true size
    assert explorer.drawing.truncated == [False, True, False, False]
    assert explorer.drawing.n_connections == 12 + 12 * 5 + 5


def test_network_explorer_without_hidden_layers():
    explorer = widgets.network_explorer()
    explorer.controls["n_hidden"].value = 0
    assert explorer.layer_sizes == [1, 1]
    assert explorer.n_params == 2
    assert explorer.drawing.n_connections == 1
    assert all(explorer.controls[f"hidden_{k}"].disabled for k in range(1, 5))


def test_network_explorer_weights_checkbox_colours_by_model_weights():
    explorer = widgets.network_explorer([2, 3, 1], seed=1)
    assert explorer.drawing.weights is None
    explorer.controls["show_weights"].value = True
    np.testing.assert_array_equal(
        explorer.drawing.weights, np.concatenate([w.ravel() for w in explorer.model.weights]))
    assert explorer.ax.get_legend() is not None


def test_network_explorer_controls_have_css_classes_and_labels():
    explorer = widgets.network_explorer()
    assert "network-hidden-layers-slider" in explorer.controls["n_hidden"]._dom_classes
    for control in explorer.controls.values():
        assert control.description
    assert explorer.readout in explorer.layout().children


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"layer_sizes": []}, r"layer_sizes.*Received: layer_sizes=\[\]"),
        ({"layer_sizes": [1, 0, 1]}, r"layer_sizes\[1\] must be an integer >= 1"),
        ({"layer_sizes": [1, 2, 2, 2, 2, 2, 1]}, "max_hidden=4"),
        ({"layer_sizes": [1, 40, 1]}, "max_neurons=16"),
        ({"max_hidden": 0}, "max_hidden"),
    ],
)
def test_network_explorer_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        widgets.network_explorer(**kwargs)


# ============================================================ notebook 02 (forward pass)


@pytest.mark.parametrize("name", ["linear", "relu", "sigmoid", "tanh"])
def test_neuron_explorer_curve_is_f_of_wx_plus_b(name):
    from nnlib import activations

    ex = widgets.neuron_explorer()
    ex.controls["w"].value = -1.5
    ex.controls["b"].value = 0.75
    ex.controls["activation"].value = name
    expected = activations.get(name).fn(-1.5 * ex.x + 0.75)
    assert (ex.w, ex.b, ex.activation) == (-1.5, 0.75, name)
    np.testing.assert_allclose(ex.a, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(ex.line.get_ydata(), ex.a)
    assert f"{name}(-1.50·x + 0.75)" in ex.message.value
    assert "x = 0.50" in ex.message.value  # z = 0 where x = -b / w = 0.5


def test_neuron_explorer_relu_worked_by_hand():
    ex = widgets.neuron_explorer("relu", w=2.0, b=-1.0, x_range=(-1.0, 1.0), n_points=5)
    # x = -1, -0.5, 0, 0.5, 1 -> z = -3, -2, -1, 0, 1 -> relu: 0, 0, 0, 0, 1
    np.testing.assert_array_equal(ex.x, [-1.0, -0.5, 0.0, 0.5, 1.0])
    np.testing.assert_array_equal(ex.a, [0.0, 0.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(ex.zero_marker.get_xdata(), [0.5])


def test_neuron_explorer_zero_weight_gives_constant_f_of_b():
    ex = widgets.neuron_explorer("sigmoid", w=0.0, b=0.0)
    np.testing.assert_allclose(ex.a, 0.5)
    assert "no longer depends on x" in ex.message.value
    assert len(ex.zero_marker.get_xdata()) == 0


def test_neuron_explorer_keeps_axis_fixed_while_sliding():
    ex = widgets.neuron_explorer("tanh")
    before = ex.ax.get_ylim()
    ex.controls["w"].value = 3.0
    ex.controls["b"].value = -3.0
    assert ex.ax.get_ylim() == before
    assert before[0] < -1 and before[1] > 1


def test_neuron_explorer_controls_have_css_classes_and_labels():
    ex = widgets.neuron_explorer()
    assert "neuron-w-slider" in ex.controls["w"]._dom_classes
    assert "neuron-b-slider" in ex.controls["b"]._dom_classes
    assert "neuron-activation-dropdown" in ex.controls["activation"]._dom_classes
    assert all(c.description for c in ex.controls.values())
    assert ex.controls["w"].readout and ex.controls["b"].readout
    box = ex.layout()
    assert ex.message in box.children and ex.view.output in box.children


def test_neuron_explorer_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="Valid activation names are: linear, relu, sigmoid"):
        widgets.neuron_explorer("swish")


def test_neuron_explorer_rejects_softmax_and_out_of_range_weights():
    with pytest.raises(ValueError, match="softmax of one score is always 1"):
        widgets.neuron_explorer("softmax")
    with pytest.raises(ValueError, match=r"w must be in \[-3.0, 3.0\].*Received: w=5"):
        widgets.neuron_explorer(w=5)


def test_softmax_explorer_bars_are_probabilities_summing_to_one():
    from nnlib import activations

    logits = np.array([2.0, 1.0, 0.1, -1.0])
    ex = widgets.softmax_explorer(logits, temperature=1.0)
    for T in (0.1, 0.5, 1.0, 3.0, 100.0):
        ex.controls["temperature"].value = T
        assert ex.temperature == pytest.approx(T)
        np.testing.assert_allclose(ex.probs, activations.softmax(logits / T), rtol=1e-12)
        assert ex.probs.sum() == pytest.approx(1.0, abs=1e-12)
        heights = [bar.get_height() for bar in ex.prob_bars]
        np.testing.assert_array_equal(heights, ex.probs)
        np.testing.assert_allclose([bar.get_height() for bar in ex.score_bars], logits / T)
    assert "sum to 1.000000" in ex.message.value


def test_softmax_explorer_worked_by_hand():
    # softmax of [ln 1, ln 2, ln 3] at T = 1 is [1, 2, 3] / 6
    ex = widgets.softmax_explorer(np.log([1.0, 2.0, 3.0]), labels=["a", "b", "c"])
    np.testing.assert_allclose(ex.probs, [1 / 6, 2 / 6, 3 / 6], rtol=1e-12)
    assert [t.get_text() for t in ex.prob_texts] == ["0.17", "0.33", "0.50"]
    assert "<b>c</b>" in ex.message.value


def test_softmax_explorer_sharpens_as_temperature_drops_and_flattens_as_it_rises():
    ex = widgets.softmax_explorer((2.0, 1.0, 0.1, -1.0))
    top = []
    for T in (10.0, 3.0, 1.0, 0.5, 0.2, 0.1):
        ex.controls["temperature"].value = T
        top.append(ex.probs[0])
    assert np.all(np.diff(top) > 0), top  # the largest logit's share grows as T drops
    assert top[-1] > 0.99
    ex.controls["temperature"].value = 100.0
    np.testing.assert_allclose(ex.probs, 0.25, atol=0.01)  # nearly uniform


@pytest.mark.parametrize("bad", [0.0, -1.0, 0.05, 1000.0])
def test_softmax_explorer_rejects_temperature_outside_slider_range(bad):
    with pytest.raises(ValueError, match=r"temperature must be in \[0.1, 100.0\]"):
        widgets.softmax_explorer(temperature=bad)


def test_softmax_explorer_slider_cannot_reach_zero_temperature():
    ex = widgets.softmax_explorer()
    for bad in (0.0, -2.0):
        ex.controls["temperature"].value = bad  # the slider clamps to its minimum
        assert ex.temperature == pytest.approx(0.1)
        assert np.all(np.isfinite(ex.probs))
    assert "softmax-temperature-slider" in ex.controls["temperature"]._dom_classes


def test_softmax_explorer_large_logits_stay_finite():
    ex = widgets.softmax_explorer([1000.0, 999.0, 0.0], temperature=0.1)
    assert np.all(np.isfinite(ex.probs)) and ex.probs.sum() == pytest.approx(1.0)
    # scores [10000, 9990, 0]: p = [1, e^-10, 0] / (1 + e^-10)
    np.testing.assert_allclose(ex.probs, np.array([1.0, np.exp(-10.0), 0.0]) / (1 + np.exp(-10.0)),
                               rtol=1e-12)


def test_softmax_explorer_validates_logits_and_labels():
    with pytest.raises(ValueError, match="at least 2 scores"):
        widgets.softmax_explorer([1.0])
    with pytest.raises(ValueError, match="logits must be a 1-D array"):
        widgets.softmax_explorer([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"one entry per logit \(3\). Received: 2 labels"):
        widgets.softmax_explorer([1.0, 2.0, 3.0], labels=["a", "b"])


# ============================================================ notebook 03 (learning, backprop)

import io  # noqa: E402
import warnings  # noqa: E402

import nnlib  # noqa: E402
from nnlib import descent as _descent  # noqa: E402
from nnlib import losses as _losses  # noqa: E402
from nnlib.data import make_linear as _make_linear  # noqa: E402
from nnlib.gradcheck import numerical_gradient as _numerical_gradient  # noqa: E402


def test_gradient_descent_widget_small_rate_converges():
    explorer = widgets.gradient_descent_explorer(w0=-1.0, learning_rate=0.05, steps=20)
    explorer.controls["lr"].value = 0.1
    explorer.controls["steps"].value = 100
    assert not explorer.diverged and explorer.diverged_at is None
    assert len(explorer.path.w) == 101
    assert abs(explorer.path.w[-1] - 3.0) < 1e-6  # (w - 3)^2: the minimum is w = 3
    assert "converges" in explorer.message


def test_gradient_descent_widget_path_equals_a_hand_loop():
    explorer = widgets.gradient_descent_explorer(w0=0.5, steps=15)
    explorer.controls["lr"].value = 0.7
    w, expected = 0.5, [0.5]
    for _ in range(15):
        w = w - 0.7 * 2 * (w - 3.0)  # dL/dw of (w - 3)^2
        expected.append(w)
    np.testing.assert_allclose(explorer.path.w, expected, rtol=1e-12)
    assert "oscillates" in explorer.message  # 1 - 0.7 * 2 < 0: jumps across the minimum
    # the plot shows exactly that path
    np.testing.assert_allclose(explorer.plot.path_line.get_xdata(), expected)
    np.testing.assert_allclose(explorer.w_line.get_ydata(), expected)


def test_gradient_descent_widget_flags_divergence_with_its_step():
    explorer = widgets.gradient_descent_explorer(w0=-1.0, steps=60)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail here
        explorer.controls["lr"].value = 1.2  # above 2 / L'' = 1
        # distance to the minimum 4 * 1.4^k, loss 16 * 1.96^k passes 1e6 at k = 17
        assert explorer.diverged and explorer.diverged_at == 17
        assert explorer.message.startswith("diverged at step 17")
        assert "2/L'' = 1" in explorer.message
        assert explorer.plot.text.get_text() == explorer.message
        explorer.controls["lr"].value = 10 ** explorer.controls["lr"].max  # the largest rate
        assert explorer.controls["lr"].value == pytest.approx(3.0)  # 3 * (2 / L'')
        assert explorer.diverged and explorer.diverged_at == 4  # loss 16 * 25^k
    explorer.controls["lr"].value = 0.3
    assert not explorer.diverged and explorer.plot.text.get_color() != "#D55E00"


def test_gradient_descent_widget_describes_each_regime():
    explorer = widgets.gradient_descent_explorer(steps=20)
    messages = {}
    for lr in (0.001, 0.5, 1.0, 1.05):
        explorer.controls["lr"].value = lr
        messages[lr] = explorer.message
    assert messages[0.001].startswith("crawls")
    assert messages[0.5].startswith("lands on the minimum in one step")
    assert messages[1.0].startswith("bounces between two points forever")
    assert messages[1.05].startswith("unstable") and not explorer.diverged
    explorer.controls["w0"].value = 5.0
    assert explorer.path.w[0] == 5.0


def test_gradient_descent_widget_on_the_line_through_the_origin():
    X, y = _make_linear(seed=0)
    problem = _descent.Quadratic1D.from_line_through_origin(X, y)
    explorer = widgets.gradient_descent_explorer(problem, w0=0.0, steps=50)
    explorer.controls["lr"].value = 0.9 * problem.stability_limit
    assert not explorer.diverged
    assert explorer.path.loss[-1] == pytest.approx(_losses.mse(y, explorer.path.w[-1] * X))
    assert set(explorer.controls) == {"lr", "steps", "w0"}
    assert "lr-slider" in explorer.controls["lr"]._dom_classes


def test_be_the_optimizer_mse_and_gradient_follow_the_sliders():
    X, y = _make_linear(seed=0)
    explorer = widgets.be_the_optimizer(X, y, show_gradient=True)
    explorer.controls["w"].value = 1.5
    explorer.controls["b"].value = 0.25
    assert explorer.mse == pytest.approx(_losses.mse(y, 1.5 * X + 0.25), rel=1e-12)
    num = _numerical_gradient(lambda t: _losses.mse(y, t[0] * X + t[1]), np.array([1.5, 0.25]))
    np.testing.assert_allclose(explorer.grad, num, rtol=1e-7)
    assert explorer.arrow == pytest.approx((-0.25 * explorer.grad[0], -0.25 * explorer.grad[1]))
    assert f"{explorer.mse:.4f}" in explorer.readout.value
    assert "increase w" in explorer.readout.value  # the line is too flat: dL/dw < 0
    # the artists show the same state
    np.testing.assert_allclose(explorer.point.get_xydata(), [[1.5, 0.25]])
    np.testing.assert_allclose(explorer.quiver.get_offsets(), [[1.5, 0.25]])
    np.testing.assert_allclose([explorer.quiver.U[0], explorer.quiver.V[0]], explorer.arrow)
    x_line = explorer.line.get_xdata()
    np.testing.assert_allclose(explorer.line.get_ydata(), 1.5 * x_line + 0.25)


def test_be_the_optimizer_keeps_the_lowest_mse_and_downhill_helps():
    X, y = _make_linear(seed=0)
    explorer = widgets.be_the_optimizer(X, y, show_gradient=True)
    start = explorer.mse
    dw, db = explorer.arrow  # one step downhill
    explorer.controls["w"].value = round(explorer.w + dw, 2)
    explorer.controls["b"].value = round(explorer.b + db, 2)
    assert explorer.mse < start
    explorer.controls["w"].value = -2.0  # worse again
    assert explorer.best_mse < explorer.mse
    plain = widgets.be_the_optimizer(X, y)
    assert not hasattr(plain, "ax_loss") and "gradient" not in plain.readout.value
    assert {"w-slider"} <= set(plain.controls["w"]._dom_classes)


def test_live_loss_plot_records_every_epoch():
    X, y = _make_linear(n_samples=40, seed=0)
    live = widgets.live_loss_plot(every=4)
    model = nnlib.MLP([1, 4, 1], ["tanh", "linear"], seed=0)
    history = model.fit(X, y, optimizer=nnlib.SGD(learning_rate=0.05), epochs=10, seed=0,
                        validation_data=(X[:10], y[:10]), callback=live)
    assert live.n_redraws == 2  # epochs 4 and 8
    live.finish(history)
    assert live.n_redraws == 3
    np.testing.assert_allclose(live.lines["loss"].get_ydata(), history["loss"])
    np.testing.assert_allclose(live.lines["loss"].get_xdata(), range(1, 11))
    np.testing.assert_allclose(live.lines["val_loss"].get_ydata(), history["val_loss"])
    assert live.message == "" and live.text.get_text() == ""


def test_live_loss_plot_shows_divergence_as_a_message():
    X, y = _make_linear(seed=0)
    live = widgets.live_loss_plot(every=1)
    model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        # losses up to 1e300 on a log axis: drawing them must not overflow either
        history = model.fit(X, y, optimizer=nnlib.SGD(learning_rate=2.0), epochs=40,
                            batch_size=10, seed=0, callback=live)
        live.finish(history)
        # what the notebook's inline backend does with the figure (tight box, tick labels)
        live.fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    assert max(history["loss"]) > 1e200  # astronomically large, yet drawn
    assert [w.category for w in record] == [nnlib.DivergenceWarning]
    assert history.diverged
    assert live.message == history.message
    assert live.text.get_text().replace("\n", " ") == history.message
    assert live.text.get_text().startswith("diverged at step")
    assert len(live.lines["loss"].get_ydata()) == len(history["loss"])
    with pytest.raises(ValueError, match="every must be an integer >= 1. Received: every=0"):
        widgets.live_loss_plot(every=0)
