"""Tests for course/n01_structure/widgets.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

import nnlib
from course.n01_structure import widgets


def _param_count(sizes):
    # sum(n_in * n_out + n_out): [1, 10, 5, 1] -> 20 + 55 + 6 = 81
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def test_network_explorer_starts_with_the_article_network():
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
