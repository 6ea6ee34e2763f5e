"""Tests for course/network_drawing.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest
from matplotlib.colors import to_rgba

import nnlib
from course import figures, network_drawing


def _connection_ids(ax):
    """``(layer, i, j)`` of every arrow drawn on ``ax``, from the artists themselves."""
    return [ij for a in ax.get_children() if isinstance(a, network_drawing.Connections) for ij in a.ids]


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
    ax = network_drawing.draw_network(sizes)
    drawing = ax.network_drawing
    assert drawing.n_neurons == n_neurons
    assert drawing.n_connections == n_connections
    # The artists really are on the axes: one scatter point per neuron, one arrow per connection.
    assert [len(c.get_offsets()) for c in drawing.neurons] == sizes
    assert all(c in ax.collections for c in drawing.neurons)
    assert len(_connection_ids(ax)) == n_connections
    assert drawing.truncated == [False] * len(sizes)
    assert drawing.ellipses == []


def test_draw_network_connections_run_between_neighbouring_layers():
    ax = network_drawing.draw_network([2, 3, 1])
    expected = [(0, i, j) for i in range(2) for j in range(3)] + [(1, i, 0) for i in range(3)]
    assert _connection_ids(ax) == expected


def test_draw_network_truncates_large_layers():
    ax = network_drawing.draw_network([784, 32, 10], max_neurons=12)
    drawing = ax.network_drawing
    assert [len(s) for s in drawing.shown] == [12, 12, 10]
    assert drawing.truncated == [True, True, False]
    assert drawing.n_connections == 12 * 12 + 12 * 10
    assert len(_connection_ids(ax)) == 12 * 12 + 12 * 10
    assert len(drawing.ellipses) == 2
    # first and last neurons are kept, the middle is left out
    assert drawing.shown[0][0] == 0 and drawing.shown[0][-1] == 783
    assert 400 not in drawing.shown[0]
    texts = [t.get_text() for t in ax.texts]
    assert any("784 neurons" in t for t in texts)


def test_shown_neurons_keeps_head_and_tail():
    np.testing.assert_array_equal(network_drawing.shown_neurons(6, 4), [0, 1, 4, 5])
    np.testing.assert_array_equal(network_drawing.shown_neurons(7, 5), [0, 1, 2, 5, 6])
    np.testing.assert_array_equal(network_drawing.shown_neurons(3, 12), [0, 1, 2])


def test_draw_network_colours_layers_like_the_article():
    ax = network_drawing.draw_network([1, 10, 5, 1])
    faces = [tuple(c.get_facecolor()[0]) for c in ax.network_drawing.neurons]
    expected = [figures.LAYER_COLORS[k] for k in ("input", "hidden1", "hidden2", "output")]
    assert faces == [to_rgba(c) for c in expected]


def test_layer_colors_for_deep_networks():
    assert network_drawing.layer_colors(2) == [figures.LAYER_COLORS["input"], figures.LAYER_COLORS["output"]]
    colors = network_drawing.layer_colors(7)  # five hidden layers
    assert colors[0] == figures.LAYER_COLORS["input"] and colors[-1] == figures.LAYER_COLORS["output"]
    assert colors[1:3] == [figures.LAYER_COLORS["hidden1"], figures.LAYER_COLORS["hidden2"]]
    assert len(set(colors)) == 7  # every layer its own colour
    assert set(colors) <= set(figures.OKABE_ITO.values())
    with pytest.raises(ValueError, match="n_layers"):
        network_drawing.layer_colors(1)


def test_draw_network_shows_weight_sign_by_colour_and_line_style():
    model = nnlib.MLP([2, 3, 1], ["relu", "linear"], seed=0)
    model.set_weights([
        np.array([[1.0, -2.0, 0.5], [-0.25, 3.0, -4.0]]), np.zeros(3),
        np.array([[0.1], [-1.0], [2.0]]), np.zeros(1),
    ])
    ax = network_drawing.draw_network(model=model)
    drawing = ax.network_drawing
    np.testing.assert_array_equal(
        drawing.weights, np.concatenate([w.ravel() for w in model.weights]))
    widths = {}
    arrows = drawing.connections
    for (layer, i, j), color, style, width in zip(arrows.ids, arrows.colors, arrows.linestyles,
                                                  arrows.linewidths, strict=True):
        w = model.weights[layer][i, j]
        sign_style = network_drawing.WEIGHT_SIGN_STYLE["positive" if w > 0 else "negative"]
        assert tuple(color) == to_rgba(sign_style["color"])
        assert (style not in ("-", "solid")) == (w < 0)  # dashed when negative
        widths[w] = width
    # wider for larger |w|: -4 is the widest, 0.1 the thinnest
    assert max(widths, key=widths.get) == -4.0
    assert min(widths, key=widths.get) == 0.1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "positive weight" in labels and "negative weight" in labels


def test_draw_network_without_model_has_uniform_connections():
    ax = network_drawing.draw_network([2, 3, 1])
    assert ax.network_drawing.weights is None
    arrows = ax.network_drawing.connections
    assert set(arrows.linestyles) == {"-"} and len({tuple(c) for c in arrows.colors}) == 1
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
        network_drawing.draw_network(**kwargs)


def test_draw_network_rejects_shape_that_differs_from_model():
    model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    with pytest.raises(ValueError, match=r"model.layer_sizes=\[1, 10, 5, 1\]"):
        network_drawing.draw_network([1, 10, 1], model=model)
