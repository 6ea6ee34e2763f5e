"""Tests for course/n05c_transformers/plots.py (headless)."""

import numpy as np
import pytest

from course.n05c_transformers import attention, plots


def test_plot_attention_draws_the_matrix_with_labels():
    w = np.eye(3)[::-1]
    ax = plots.plot_attention(w, query_labels=list("abc"), key_labels=list("xyz"))
    np.testing.assert_array_equal(ax.images[0].get_array(), w)
    assert ax.images[0].get_clim() == (0.0, 1.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y", "z"]
    assert len(ax.texts) == 9 and ax.texts[2].get_text() == "1.00"
    assert len(plots.plot_attention(w, annotate=False).texts) == 0
    with pytest.raises(ValueError, match=r"weights must be 2-D.*Received: shape \(1, 3, 3\)"):
        plots.plot_attention(w[None])


def test_plot_positional_encoding():
    P = attention.positional_encoding(10, 8)
    ax = plots.plot_positional_encoding(P)
    np.testing.assert_array_equal(ax.images[0].get_array(), P)
    with pytest.raises(ValueError, match=r"P must be 2-D"):
        plots.plot_positional_encoding(P[0])
