"""Tests for nnlib/plots/regularization_plots.py (headless)."""

import numpy as np

from nnlib import plots


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
