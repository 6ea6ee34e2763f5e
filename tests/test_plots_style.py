"""Tests for course/figures.py (headless: MPLBACKEND=Agg, no kernel)."""

import matplotlib as mpl
import numpy as np
import pytest

from course import figures
from nnlib.model import History


def test_palette_is_okabe_ito_and_layer_colours_are_the_articles():
    assert figures.LAYER_COLORS == {"input": "#E69F00", "hidden1": "#56B4E9",
                                  "hidden2": "#CC79A7", "output": "#009E73"}
    assert len(set(figures.CYCLE_MARKERS)) == len(figures.CYCLE_MARKERS)  # not colour alone


def test_style_gives_opaque_white_figures_for_dark_themes():
    with mpl.rc_context():
        figures.use_style()
        assert mpl.rcParams["figure.facecolor"] == "white"
        assert mpl.rcParams["savefig.facecolor"] == "white"


def test_plot_history_draws_both_curves_and_the_divergence_message():
    history = History()
    history["loss"] = [3.0, 2.0, 1.0]
    history["val_loss"] = [3.5, 2.5, 2.0]
    ax = figures.plot_history(history)
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_xydata(), [[1, 3.0], [2, 2.0], [3, 1.0]])
    np.testing.assert_array_equal(lines[1].get_ydata(), [3.5, 2.5, 2.0])
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    assert ax.figure.get_facecolor()[:3] == (1.0, 1.0, 1.0)

    history.diverged, history.message = True, "diverged at step 7"
    ax = figures.plot_history(history)
    assert any("diverged at step 7" in t.get_text() for t in ax.texts)


def test_plot_fit_sorts_x_for_the_line():
    X = np.array([[1.0], [-1.0], [0.0]])
    ax = figures.plot_fit(X, X * 2, y_hat=X * 3)
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [-3.0, 0.0, 3.0])
    assert len(ax.collections) == 1  # the data scatter


def test_plot_curves_one_labelled_line_per_curve_with_distinct_styles():
    x = np.linspace(-1, 1, 21)
    ax = figures.plot_curves(x, {"line": 2 * x + 1, "bent": np.maximum(x, 0)[:, None]},
                           title="t", ylabel="y")
    lines = [line for line in ax.lines]
    assert [line.get_label() for line in lines] == ["line", "bent"]
    np.testing.assert_array_equal(lines[0].get_ydata(), 2 * x + 1)
    np.testing.assert_array_equal(lines[1].get_ydata(), np.maximum(x, 0))
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    assert lines[0].get_marker() != lines[1].get_marker()


def test_plot_curves_rejects_wrong_length():
    with pytest.raises(ValueError, match=r"curve 'short' must have one value per x \(5\)"):
        figures.plot_curves(np.arange(5), {"short": np.arange(4)})


def test_styled_subplots_keeps_interactive_mode_set_by_the_backend(monkeypatch):
    # In Jupyter the first figure activates the inline backend, which turns interactive
    # mode on inside rc_context; restoring the old mode hid every later figure.
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from course import figures as style

    real_subplots = plt.subplots

    def activating_subplots(*args, **kwargs):
        mpl.interactive(True)  # what the inline backend's activation does
        return real_subplots(*args, **kwargs)

    monkeypatch.setattr(plt, "subplots", activating_subplots)
    was = mpl.is_interactive()
    try:
        mpl.interactive(False)
        fig, ax = style.new_axes()
        assert mpl.is_interactive()
        assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)  # still styled
        mpl.interactive(False)
        fig, axes = style.styled_subplots(1, 2)
        assert len(axes) == 2 and mpl.is_interactive()
    finally:
        mpl.interactive(was)
