"""Tests for course/n04b_regularization/plots.py (headless)."""

import numpy as np

from course.n04b_regularization import plots


def test_weight_counts_clip_into_the_end_bins():
    bins = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(plots.weight_counts([-5.0, -0.5, 0.5, 0.7, 9.0], bins),
                                  [2, 3])


def test_plot_weight_histograms_one_step_patch_per_setting(rng):
    values = {"a": rng.normal(size=100), "b": rng.normal(scale=0.1, size=100)}
    ax = plots.plot_weight_histograms(values)
    steps = [p for p in ax.patches]
    assert len(steps) == 2
    np.testing.assert_array_equal(steps[1].get_data().values,
                                  plots.weight_counts(values["b"]))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_magnitude_counts_use_log10_and_put_zeros_in_the_first_bin():
    bins = np.array([-3.0, -1.0, 1.0])
    np.testing.assert_array_equal(plots.magnitude_counts([0.0, -1e-5, 0.05, 0.2, -0.5, 3.0], bins),
                                  [3, 3])


def test_plot_weight_magnitudes_labels_the_near_zero_share():
    values = {"wide": np.array([0.5, -0.3, 0.2, 1e-3]), "sparse": np.array([1e-4, 0.0, -2e-3, 0.4])}
    ax = plots.plot_weight_magnitudes(values, near_zero=1e-2)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("wide: 25%") and labels[1].startswith("sparse: 75%")
    np.testing.assert_array_equal(ax.patches[1].get_data().values,
                                  plots.magnitude_counts(values["sparse"]))
    try:
        plots.plot_weight_magnitudes(values, near_zero=0)
    except ValueError as err:
        assert "near_zero" in str(err)
    else:
        raise AssertionError("near_zero=0 was accepted")


def test_plot_mse_curves_one_line_per_setting():
    histories = {"plain": {"test_mse": [0.5, 0.3, 0.4]}, "L2": {"test_mse": [0.5, 0.2, 0.15]}}
    ax = plots.plot_mse_curves(histories, noise_level=0.09)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines[:2]] == ["plain", "L2"]
    np.testing.assert_allclose(lines[1].get_xydata(), [[1, 0.5], [2, 0.2], [3, 0.15]])
    assert lines[2].get_ydata()[0] == 0.09 and ax.get_yscale() == "log"
    try:
        plots.plot_mse_curves({"x": {"loss": [1.0]}})
    except ValueError as err:
        assert "test_mse" in str(err)
    else:
        raise AssertionError("a history without test_mse was accepted")
