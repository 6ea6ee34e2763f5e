"""Tests for nnlib/plots.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

from nnlib import plots

# ============================================================ shared / notebook 00


def test_palette_is_okabe_ito_and_layer_colours_are_the_articles():
    assert plots.LAYER_COLORS == {"input": "#E69F00", "hidden1": "#56B4E9",
                                  "hidden2": "#CC79A7", "output": "#009E73"}
    assert len(set(plots.CYCLE_MARKERS)) == len(plots.CYCLE_MARKERS)  # not colour alone


def test_style_gives_opaque_white_figures_for_dark_themes():
    import matplotlib as mpl

    with mpl.rc_context():
        plots.use_style()
        assert mpl.rcParams["figure.facecolor"] == "white"
        assert mpl.rcParams["savefig.facecolor"] == "white"


def test_plot_history_draws_both_curves_and_the_divergence_message():
    from nnlib.model import History

    history = History()
    history["loss"] = [3.0, 2.0, 1.0]
    history["val_loss"] = [3.5, 2.5, 2.0]
    ax = plots.plot_history(history)
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_xydata(), [[1, 3.0], [2, 2.0], [3, 1.0]])
    np.testing.assert_array_equal(lines[1].get_ydata(), [3.5, 2.5, 2.0])
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    assert ax.figure.get_facecolor()[:3] == (1.0, 1.0, 1.0)

    history.diverged, history.message = True, "diverged at step 7"
    ax = plots.plot_history(history)
    assert any("diverged at step 7" in t.get_text() for t in ax.texts)


def test_plot_fit_sorts_x_for_the_line():
    X = np.array([[1.0], [-1.0], [0.0]])
    ax = plots.plot_fit(X, X * 2, y_hat=X * 3)
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [-3.0, 0.0, 3.0])
    assert len(ax.collections) == 1  # the data scatter


# ============================================================ notebook 01 (structure)


def _connection_patches(ax):
    return [p for p in ax.patches if (p.get_gid() or "").startswith("connection-")]


@pytest.mark.parametrize(
    ("sizes", "n_neurons", "n_connections"),
    [
        ([1, 10, 5, 1], 17, 1 * 10 + 10 * 5 + 5 * 1),  # the article's network: 65 arrows
        ([2, 3], 5, 6),
        ([3, 4, 4, 2], 13, 12 + 16 + 8),
        ([1, 1], 2, 1),
    ],
)
def test_draw_network_counts_neurons_and_connections(sizes, n_neurons, n_connections):
    ax = plots.draw_network(sizes)
    drawing = ax.network_drawing
    assert drawing.n_neurons == n_neurons
    assert drawing.n_connections == n_connections
    # The artists really are on the axes: one scatter point per neuron, one arrow per connection.
    assert [len(c.get_offsets()) for c in drawing.neurons] == sizes
    assert all(c in ax.collections for c in drawing.neurons)
    assert len(_connection_patches(ax)) == n_connections
    assert drawing.truncated == [False] * len(sizes)
    assert drawing.ellipses == []


def test_draw_network_connections_run_between_neighbouring_layers():
    ax = plots.draw_network([2, 3, 1])
    gids = {p.get_gid() for p in _connection_patches(ax)}
    expected = {f"connection-0-{i}-{j}" for i in range(2) for j in range(3)}
    expected |= {f"connection-1-{i}-0" for i in range(3)}
    assert gids == expected


def test_draw_network_truncates_large_layers():
    ax = plots.draw_network([784, 32, 10], max_neurons=12)
    drawing = ax.network_drawing
    assert [len(s) for s in drawing.shown] == [12, 12, 10]
    assert drawing.truncated == [True, True, False]
    assert drawing.n_connections == 12 * 12 + 12 * 10
    assert len(_connection_patches(ax)) == 12 * 12 + 12 * 10
    assert len(drawing.ellipses) == 2
    # first and last neurons are kept, the middle is left out
    assert drawing.shown[0][0] == 0 and drawing.shown[0][-1] == 783
    assert 400 not in drawing.shown[0]
    texts = [t.get_text() for t in ax.texts]
    assert any("784 neurons" in t for t in texts)


def test_shown_neurons_keeps_head_and_tail():
    np.testing.assert_array_equal(plots.shown_neurons(6, 4), [0, 1, 4, 5])
    np.testing.assert_array_equal(plots.shown_neurons(7, 5), [0, 1, 2, 5, 6])
    np.testing.assert_array_equal(plots.shown_neurons(3, 12), [0, 1, 2])


def test_draw_network_colours_layers_like_the_article():
    from matplotlib.colors import to_rgba

    ax = plots.draw_network([1, 10, 5, 1])
    faces = [tuple(c.get_facecolor()[0]) for c in ax.network_drawing.neurons]
    expected = [plots.LAYER_COLORS[k] for k in ("input", "hidden1", "hidden2", "output")]
    assert faces == [to_rgba(c) for c in expected]


def test_layer_colors_for_deep_networks():
    assert plots.layer_colors(2) == [plots.LAYER_COLORS["input"], plots.LAYER_COLORS["output"]]
    colors = plots.layer_colors(7)  # five hidden layers
    assert colors[0] == plots.LAYER_COLORS["input"] and colors[-1] == plots.LAYER_COLORS["output"]
    assert colors[1:3] == [plots.LAYER_COLORS["hidden1"], plots.LAYER_COLORS["hidden2"]]
    assert len(set(colors)) == 7  # every layer its own colour
    assert set(colors) <= set(plots.OKABE_ITO.values())
    with pytest.raises(ValueError, match="n_layers"):
        plots.layer_colors(1)


def test_draw_network_shows_weight_sign_by_colour_and_line_style():
    from matplotlib.colors import to_rgba

    import nnlib

    model = nnlib.MLP([2, 3, 1], ["relu", "linear"], seed=0)
    model.set_weights([
        np.array([[1.0, -2.0, 0.5], [-0.25, 3.0, -4.0]]), np.zeros(3),
        np.array([[0.1], [-1.0], [2.0]]), np.zeros(1),
    ])
    ax = plots.draw_network(model=model)
    drawing = ax.network_drawing
    np.testing.assert_array_equal(
        drawing.weights, np.concatenate([w.ravel() for w in model.weights]))
    widths = {}
    for patch in drawing.connections:
        _, layer, i, j = patch.get_gid().split("-")
        w = model.weights[int(layer)][int(i), int(j)]
        style = plots.WEIGHT_SIGN_STYLE["positive" if w > 0 else "negative"]
        assert patch.get_edgecolor() == to_rgba(style["color"])
        is_dashed = patch.get_linestyle() not in ("-", "solid")
        assert is_dashed == (w < 0)
        widths[w] = patch.get_linewidth()
    # wider for larger |w|: -4 is the widest, 0.1 the thinnest
    assert max(widths, key=widths.get) == -4.0
    assert min(widths, key=widths.get) == 0.1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "positive weight" in labels and "negative weight" in labels


def test_draw_network_without_model_has_uniform_connections():
    ax = plots.draw_network([2, 3, 1])
    assert ax.network_drawing.weights is None
    assert len({p.get_linestyle() for p in ax.network_drawing.connections}) == 1
    assert ax.get_legend() is None


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"layer_sizes": []}, ValueError, r"layer_sizes.*Received: layer_sizes=\[\]"),
        ({"layer_sizes": [3]}, ValueError, "layer_sizes"),
        ({"layer_sizes": [1, 0, 1]}, ValueError, r"layer_sizes\[1\] must be an integer >= 1"),
        ({"layer_sizes": [1, -2]}, ValueError, r"layer_sizes\[1\]"),
        ({"layer_sizes": [1, 2.5]}, TypeError, r"layer_sizes\[1\] must be an integer"),
        ({"layer_sizes": "1,2"}, TypeError, "layer_sizes"),
        ({"layer_sizes": [2, 3], "max_neurons": 1}, ValueError, "max_neurons"),
        ({}, ValueError, "layer_sizes or model"),
    ],
)
def test_draw_network_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.draw_network(**kwargs)


def test_draw_network_rejects_shape_that_differs_from_model():
    import nnlib

    model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    with pytest.raises(ValueError, match=r"model.layer_sizes=\[1, 10, 5, 1\]"):
        plots.draw_network([1, 10, 1], model=model)


# ============================================================ notebook 02 (forward pass)


def _line(ax, label):
    lines = [line for line in ax.lines if line.get_label() == label]
    assert len(lines) == 1, [line.get_label() for line in ax.lines]
    return lines[0]


@pytest.mark.parametrize("name", ["linear", "relu", "sigmoid", "tanh"])
def test_plot_activation_draws_nnlib_function_and_derivative(name):
    from nnlib import activations

    z = np.linspace(-4.0, 4.0, 81)
    ax = plots.plot_activation(name, z=z)
    act = activations.get(name)
    f_line, df_line = _line(ax, "f(z)"), _line(ax, "f'(z)")
    np.testing.assert_array_equal(f_line.get_xdata(), z)
    np.testing.assert_array_equal(f_line.get_ydata(), act.fn(z))
    np.testing.assert_array_equal(df_line.get_ydata(), act.grad(z))
    assert ax.get_title() == name


def test_plot_activation_values_worked_by_hand():
    # relu at z = -1, 0, 2 is 0, 0, 2 with slope 0, 0 (TensorFlow's choice at the kink), 1
    ax = plots.plot_activation("relu", z=[-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(_line(ax, "f(z)").get_ydata(), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(_line(ax, "f'(z)").get_ydata(), [0.0, 0.0, 1.0])


def test_plot_activation_softmax_is_first_probability_of_z_and_zero():
    from nnlib import activations

    z = np.linspace(-6.0, 6.0, 61)
    ax = plots.plot_activation("softmax", z=z)
    f = _line(ax, "f(z)").get_ydata()
    df = _line(ax, "f'(z)").get_ydata()
    pairs = np.column_stack([z, np.zeros_like(z)])
    np.testing.assert_allclose(f, activations.softmax(pairs)[:, 0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(df, activations.softmax_grad(pairs)[:, 0, 0], rtol=0, atol=1e-15)
    # softmax([z, 0])_0 = e^z / (e^z + 1) is the sigmoid, so its slope is sigma * (1 - sigma)
    np.testing.assert_allclose(f, activations.sigmoid(z), rtol=1e-12)
    np.testing.assert_allclose(df, activations.sigmoid_grad(z), rtol=1e-12, atol=1e-15)
    assert f[30] == pytest.approx(0.5) and df[30] == pytest.approx(0.25)  # z = 0


def test_plot_activation_without_grad_and_on_given_axes():
    fig, ax = plots.new_axes()
    out = plots.plot_activation("tanh", ax=ax, show_grad=False, title="tanh alone")
    assert out is ax
    assert [line.get_label() for line in ax.lines if not line.get_label().startswith("_")] == [
        "f(z)"]
    assert ax.get_title() == "tanh alone"
    assert len(_line(ax, "f(z)").get_xdata()) == 401  # default grid on [-5, 5]


@pytest.mark.parametrize("bad", ["swish", "ReLU6", ""])
def test_plot_activation_unknown_name_lists_valid_names(bad):
    with pytest.raises(ValueError, match="Valid activation names are: linear, relu, sigmoid, "
                                         "softmax, tanh"):
        plots.plot_activation(bad)


def test_activation_curve_rejects_2d_z():
    with pytest.raises(ValueError, match=r"z must be a 1-D array.*\(2, 3\)"):
        plots.activation_curve("relu", np.zeros((2, 3)))


def test_plot_curves_one_labelled_line_per_curve_with_distinct_styles():
    x = np.linspace(-1, 1, 21)
    ax = plots.plot_curves(x, {"line": 2 * x + 1, "bent": np.maximum(x, 0)[:, None]},
                           title="t", ylabel="y")
    lines = [line for line in ax.lines]
    assert [line.get_label() for line in lines] == ["line", "bent"]
    np.testing.assert_array_equal(lines[0].get_ydata(), 2 * x + 1)
    np.testing.assert_array_equal(lines[1].get_ydata(), np.maximum(x, 0))
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    assert lines[0].get_marker() != lines[1].get_marker()


def test_plot_curves_rejects_wrong_length():
    with pytest.raises(ValueError, match=r"curve 'short' must have one value per x \(5\)"):
        plots.plot_curves(np.arange(5), {"short": np.arange(4)})


def test_plot_neuron_outputs_one_line_per_neuron(rng):
    x = np.linspace(-1, 1, 30).reshape(-1, 1)
    A = rng.normal(size=(30, 4))
    ax = plots.plot_neuron_outputs(x, A, color=plots.LAYER_COLORS["hidden1"], title="layer 1")
    assert len(ax.lines) == 4
    for j, line in enumerate(ax.lines):
        np.testing.assert_array_equal(line.get_xdata(), x.ravel())
        np.testing.assert_array_equal(line.get_ydata(), A[:, j])
    assert ax.get_title() == "layer 1"


def test_plot_neuron_outputs_rejects_mismatched_rows():
    with pytest.raises(ValueError, match=r"n_samples = len\(x\) = 5.*\(4, 2\)"):
        plots.plot_neuron_outputs(np.arange(5), np.zeros((4, 2)))


# ============================================================ notebook 03 (learning, backprop)

from nnlib import descent as _descent  # noqa: E402
from nnlib import losses as _losses  # noqa: E402


def test_loss_vs_prediction_lines_hold_nnlib_losses():
    ax = plots.plot_loss_vs_prediction(1.0, n_points=9)
    mse_line, bce_line = ax.get_lines()
    p = mse_line.get_xdata()
    assert len(p) == 9 and 0 < p.min() and p.max() < 1
    np.testing.assert_allclose(mse_line.get_ydata(), [_losses.mse([[1.0]], [[v]]) for v in p])
    np.testing.assert_allclose(bce_line.get_ydata(), -np.log(p), rtol=1e-6)
    # for a true label 0 the curves are mirrored
    ax0 = plots.plot_loss_vs_prediction(0.0, n_points=9)
    np.testing.assert_allclose(ax0.get_lines()[1].get_ydata(), bce_line.get_ydata()[::-1],
                               rtol=1e-6)
    with pytest.raises(ValueError, match="target must be 0 or 1. Received: target=0.5"):
        plots.plot_loss_vs_prediction(0.5)


def test_loss_contour_draws_log_spaced_levels():
    ws, bs = np.linspace(-1, 3, 30), np.linspace(-2, 2, 20)
    grid = (ws[None, :] - 1) ** 2 + bs[:, None] ** 2 + 0.01
    ax = plots.plot_loss_contour(ws, bs, grid, levels=6)
    (cs,) = [c for c in ax.get_children() if hasattr(c, "levels")]
    assert len(cs.levels) == 6
    ratios = np.asarray(cs.levels[1:]) / np.asarray(cs.levels[:-1])
    np.testing.assert_allclose(ratios, ratios[0])
    assert ax.get_aspect() == 1.0 and ax.get_xlabel().startswith("w")


def test_descent_plot_shows_the_path_and_the_message():
    p = _descent.Quadratic1D()
    plot = plots.DescentPlot(p)
    assert plot.ax.get_xlim() == (-2.0, 8.0)
    np.testing.assert_allclose(plot.curve.get_ydata(), p(plot.curve.get_xdata()))
    good = _descent.gradient_descent_1d(p, p.grad, -1.0, 0.3, 10)
    plot.show(good)
    np.testing.assert_allclose(plot.path_line.get_xydata(), np.column_stack([good.w, good.loss]))
    assert tuple(plot.end.get_xdata()) == (good.w[-1],)
    assert plot.text.get_text() == good.message
    bad = _descent.gradient_descent_1d(p, p.grad, -1.0, 1.5, 30)
    plot.show(bad)
    assert plot.text.get_text().startswith("diverged at step 8")
    assert plot.text.get_color() == plots.OKABE_ITO["vermillion"]
    ax = plots.plot_descent_path(p, good, title="rate 0.3")
    assert ax.get_title() == "rate 0.3" and len(ax.get_lines()) == 4
