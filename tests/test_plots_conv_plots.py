"""Tests for course/n05a_mlp_cnn/plots.py (headless)."""

import numpy as np
import pytest

from course.n05a_mlp_cnn import conv, plots


def test_plot_image_grid_draws_each_image(rng):
    images = rng.random((5, 4, 4))
    fig = plots.plot_image_grid(images, titles=list("abcde"), n_cols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(fig.axes) == 6 and len(visible) == 5
    for ax, image, title in zip(visible, images, "abcde"):
        np.testing.assert_array_equal(ax.images[0].get_array(), image)
        assert ax.get_title() == title


def test_symmetric_scale_centred_on_zero():
    fig = plots.plot_image_grid(np.array([[[-1.0, 3.0]], [[0.5, 0.0]]]), symmetric=True)
    for ax in fig.axes:
        assert ax.images[0].get_clim() == (-3.0, 3.0)


def test_plot_filters_one_panel_per_filter(rng):
    kernel = rng.normal(size=(3, 3, 2, 4))
    fig = plots.plot_filters(kernel, channel=1)
    assert len(fig.axes) == 4
    np.testing.assert_array_equal(fig.axes[2].images[0].get_array(), kernel[:, :, 1, 2])


def test_plot_feature_maps_shows_input_first():
    image = np.zeros((6, 6))
    image[:, 3:] = 1.0
    maps = np.stack([conv.apply_filter(image, f) for f in conv.classic_filters().values()], -1)
    fig = plots.plot_feature_maps(maps, image=image)
    assert fig.axes[0].get_title() == "input"
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), maps[..., 0])
    fig = plots.plot_feature_maps(maps[::2, ::2], image=image)  # smaller maps: input resampled
    assert fig.axes[0].images[0].get_array().shape == (3, 3)
    names = list(conv.classic_filters())
    fig = plots.plot_feature_maps(maps, titles=names, n_cols=3)
    assert [ax.get_title() for ax in fig.axes[:-1]] == names  # the last is the colour bar
    assert fig.axes[3].get_position().y0 < fig.axes[0].get_position().y0  # second row
    with pytest.raises(ValueError, match=r"titles must have one entry per channel \(6\)"):
        plots.plot_feature_maps(maps, titles=["a"])


def test_plot_misclassified_shows_only_errors(rng):
    images = rng.random((6, 8, 8, 1))
    y_true = np.array([0, 1, 2, 3, 4, 5])
    y_pred = np.array([0, 7, 2, 3, 9, 5])
    fig, wrong = plots.plot_misclassified(images, y_true, y_pred)
    np.testing.assert_array_equal(wrong, [1, 4])
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == ["true 1 / pred 7", "true 4 / pred 9"]
    fig, wrong = plots.plot_misclassified(images, y_true, y_true)
    assert wrong.size == 0 and "No misclassified" in fig.axes[0].texts[0].get_text()


def test_errors():
    with pytest.raises(ValueError, match=r"images must be 3-D.*Received: shape \(4, 4\)"):
        plots.plot_image_grid(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"titles must have one entry per image \(2\)"):
        plots.plot_image_grid(np.zeros((2, 4, 4)), titles=["a"])
    with pytest.raises(ValueError, match=r"kernel must be 4-D"):
        plots.plot_filters(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"maps must be 3-D"):
        plots.plot_feature_maps(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"same length. Received: 2, 3, 3"):
        plots.plot_misclassified(np.zeros((2, 4, 4)), [0, 1, 2], [0, 1, 2])


def test_signed_feature_maps_use_a_diverging_map_with_a_colorbar():
    image = np.zeros((6, 6))
    image[:, 3:] = 1.0
    maps = np.stack([conv.apply_filter(image, f) for f in conv.classic_filters().values()], -1)
    assert maps.min() < 0  # the edge filters give signed maps
    fig = plots.plot_feature_maps(maps, image=image)
    limit = np.abs(maps).max()
    panels = [ax for ax in fig.axes if ax.images and ax.get_visible()]
    assert panels[0].images[0].get_cmap().name == "gray_r"  # the input keeps its grey scale
    assert panels[0].images[0].get_clim() == (0.0, 1.0)
    for ax in panels[1:]:
        assert ax.images[0].get_cmap().name == "RdBu_r"
        assert ax.images[0].get_clim() == (-limit, limit)  # white is 0, same scale everywhere
    colorbar = fig.axes[-1]
    assert colorbar.get_label() == "<colorbar>"
    assert colorbar.get_ylim() == (-limit, limit)


def test_non_negative_feature_maps_start_at_zero():
    maps = np.random.default_rng(0).random((4, 4, 3)) + 0.5
    fig = plots.plot_feature_maps(maps)
    assert fig.axes[0].images[0].get_cmap().name == "viridis"
    assert fig.axes[0].images[0].get_clim() == (0.0, maps.max())
    assert fig.axes[-1].get_label() == "<colorbar>"


def test_image_grid_colorbar_shares_the_scale():
    images = np.array([[[0.0, 2.0]], [[1.0, 5.0]]])
    fig = plots.plot_image_grid(images, colorbar=True)
    assert len(fig.axes) == 3 and fig.axes[-1].get_label() == "<colorbar>"
    assert fig.axes[0].images[0].get_clim() == fig.axes[1].images[0].get_clim() == (0.0, 5.0)
    assert len(plots.plot_image_grid(images).axes) == 2  # no colour bar by default
