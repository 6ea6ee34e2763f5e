"""Tests for course/n05e_transformer_block/widgets.py and plots.py (headless: MPLBACKEND=Agg,
no kernel): the depth explorer shows the stream it was given, and the training curves."""

import html
import io
from types import SimpleNamespace

import numpy as np
import PIL.Image
import pytest

from course.n04c_deep_networks.deep import layer_norm_backward
from course.n05c_transformers.attention import scaled_dot_product_attention
from course.n05d_language_model.mlp import embedding_backward
from course.n05e_transformer_block import block, plots, widgets

PIECES = SimpleNamespace(attention=scaled_dot_product_attention,
                         layer_norm_backward=layer_norm_backward,
                         embedding_backward=embedding_backward)
V, N_STEPS, N_BLOCKS = 7, 6, 4


@pytest.fixture(scope="module")
def profiles():
    """Four windows of a small random stream through four untrained blocks, three ways."""
    stream = np.random.default_rng(0).integers(0, V, size=60)
    X, y = block.windows(stream, [0, 10, 20, 30], N_STEPS)
    return block.depth_profiles(PIECES, X, y, V, n_blocks=N_BLOCKS, seed=0, d_model=8)


def test_the_menu_and_the_slider_show_the_chosen_stream(profiles):
    explorer = widgets.depth_explorer(profiles, sequence=2)
    c = explorer.controls
    assert (c["depth"].min, c["depth"].max) == (0, N_BLOCKS)
    assert list(c["network"].options) == list(block.DEPTH_VARIANTS)
    assert all(w.description for w in c.values())
    assert "depth-slider" in c["depth"]._dom_classes
    assert "network-dropdown" in c["network"]._dom_classes
    assert explorer.network == "full block" and explorer.depth == 0
    assert explorer.message.startswith("full block, the embeddings: positions")
    assert "attention" not in explorer.message  # no block yet
    for name, depth in [("full block", 3), ("no residual", 3), ("no residual", N_BLOCKS),
                        ("no LayerNorm", 1), ("no LayerNorm", 0)]:
        c["network"].value, c["depth"].value = name, depth
        profile = profiles[name]
        assert explorer.network == name and explorer.depth == depth
        expected = block.similarity(profile["streams"][depth][2])
        np.testing.assert_array_equal(explorer.similarity, expected)
        np.testing.assert_array_equal(explorer.figure.image.get_array(), expected)
        assert explorer.figure.marker.get_xydata().tolist() == [[depth, profile["spread"][depth]]]
        where = "the embeddings" if depth == 0 else f"after block {depth}"
        assert explorer.message.startswith(
            f"{name}, {where}: positions {profile['spread'][depth]:.3g} apart, the stream's "
            f"size {profile['size'][depth]:.3g}")
        if depth:
            assert f"{profile['largest_weight'][depth - 1]:.2f} (median)" in explorer.message
        assert explorer.figure.title.get_text().startswith(f"{name}, {where}")
        assert html.escape(explorer.message) == explorer.readout.value


def test_the_first_network_and_the_spread_lines(profiles):
    explorer = widgets.depth_explorer(profiles, network="no residual")
    assert explorer.network == "no residual" and explorer.controls["network"].value == "no residual"
    np.testing.assert_array_equal(explorer.similarity,
                                  block.similarity(profiles["no residual"]["streams"][0][0]))
    lines = [line for line in explorer.figure.ax_spread.get_lines()
             if line is not explorer.figure.marker]
    assert [line.get_label() for line in lines] == list(profiles)
    for line, profile in zip(lines, profiles.values()):
        np.testing.assert_allclose(line.get_ydata(), profile["spread"])


def test_moving_the_controls_redraws_only_the_dynamic_artists(profiles, blit_mismatch):
    explorer = widgets.depth_explorer(profiles)
    full = explorer.view.full_draws
    for name, depth in [("full block", 2), ("no residual", 4), ("no LayerNorm", 1)]:
        explorer.controls["network"].value = name
        explorer.controls["depth"].value = depth
        assert blit_mismatch(explorer.view) < 0.002, (name, depth)
    assert explorer.view.full_draws == full  # fixed scales: the image, marker and title only
    width = PIL.Image.open(io.BytesIO(explorer.view.last_png)).size[0]
    assert width <= explorer.view.MAX_WIDTH_PX


def test_bad_settings_are_refused(profiles):
    with pytest.raises(ValueError, match=r"network must be one of \['full block', 'no residual', "
                                         r"'no LayerNorm'\]\. Received: network='no FFN'"):
        widgets.depth_explorer(profiles, network="no FFN")
    with pytest.raises(ValueError, match=r"sequence must lie in \[0, 4\)\. Received: sequence=4"):
        widgets.depth_explorer(profiles, sequence=4)
    with pytest.raises(ValueError, match=r"sequence must lie in \[0, 4\)\. Received: sequence=-1"):
        widgets.depth_explorer(profiles, sequence=-1)
    with pytest.raises(TypeError, match=r"sequence must be an integer\. Received: sequence=1\.5"):
        widgets.depth_explorer(profiles, sequence=1.5)
    with pytest.raises(ValueError, match="profiles must hold at least one network"):
        widgets.depth_explorer({})


def test_plot_losses_draws_a_line_per_curve_and_the_levels():
    rng = np.random.default_rng(0)
    curves = {"full block": 3.0 - np.linspace(0, 1, 100) + 0.1 * rng.random(100),
              "no residual": 3.0 - np.linspace(0, 0.5, 100), "short": [2.0, 1.5, 1.0]}
    ax = plots.plot_losses(curves, levels={"bigram": 2.4, "uniform": 3.6}, window=10)
    lines = [line for line in ax.get_lines() if line.get_label() in curves]
    assert [line.get_label() for line in lines] == list(curves)
    smoothed = np.convolve(curves["full block"], np.ones(10) / 10, mode="valid")
    np.testing.assert_allclose(lines[0].get_ydata(), smoothed)
    np.testing.assert_array_equal(lines[0].get_xdata(), np.arange(9, 100))
    np.testing.assert_allclose(lines[2].get_ydata(), [1.5])  # a curve shorter than the window
    assert lines[0].get_color() == plots.VARIANT_COLORS["full block"]
    levels = [line for line in ax.get_lines() if line not in lines]
    assert sorted(line.get_ydata()[0] for line in levels) == [2.4, 3.6]
    assert {text.get_text() for text in ax.texts} >= {"bigram", "uniform"}
    assert ax.get_ylabel() == "loss, mean of 10 steps"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(curves)
