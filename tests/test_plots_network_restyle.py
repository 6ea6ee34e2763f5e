"""plots.network.restyle_network / weight_style: live weights on a drawn network."""

import numpy as np
import pytest

from course.network_drawing import WEIGHT_SIGN_STYLE, draw_network, restyle_network, weight_style
from nnlib import MLP


def test_weight_style_by_sign_and_size():
    assert weight_style(0.5, 1.0)["color"] == WEIGHT_SIGN_STYLE["positive"]["color"]
    assert weight_style(-0.5, 1.0)["color"] == WEIGHT_SIGN_STYLE["negative"]["color"]
    assert weight_style(-1.0, 1.0)["linewidth"] == pytest.approx(3.0)
    assert weight_style(0.0, 1.0)["linewidth"] == pytest.approx(0.4)


def test_restyle_equals_a_fresh_drawing():
    model = MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    ax = draw_network(model=model)
    model.theta[...] *= -np.linspace(0.5, 2.0, model.theta.size)
    drawing = restyle_network(ax, model)
    fresh = draw_network(model=model).network_drawing
    np.testing.assert_allclose(drawing.weights, fresh.weights)
    np.testing.assert_allclose(drawing.connections.linewidths, fresh.connections.linewidths)
    np.testing.assert_array_equal(drawing.connections.colors, fresh.connections.colors)
    assert drawing.connections.linestyles == fresh.connections.linestyles


def test_restyle_needs_a_matching_drawing():
    ax = draw_network(model=MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0))
    with pytest.raises(ValueError, match="layer_sizes"):
        restyle_network(ax, MLP([2, 4, 1], ["tanh", "sigmoid"], seed=0))
