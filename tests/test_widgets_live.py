"""Tests for course/n03_learning_backprop/live_plot.py (headless: MPLBACKEND=Agg, no kernel)."""

import io
import warnings

import numpy as np
import pytest

import nnlib
from course.n03_learning_backprop import live_plot
from nnlib.data import make_linear


def test_live_loss_plot_records_every_epoch():
    X, y = make_linear(n_samples=40, seed=0)
    live = live_plot.live_loss_plot(every=4)
    model = nnlib.MLP([1, 4, 1], ["tanh", "linear"], seed=0)
    history = model.fit(X, y, optimizer=nnlib.SGD(learning_rate=0.05), epochs=10, seed=0,
                        validation_data=(X[:10], y[:10]), callback=live)
    assert live.n_redraws == 2  # epochs 4 and 8
    live.finish(history)
    assert live.n_redraws == 3
    np.testing.assert_allclose(live.lines["loss"].get_ydata(), history["loss"])
    np.testing.assert_allclose(live.lines["loss"].get_xdata(), range(1, 11))
    np.testing.assert_allclose(live.lines["val_loss"].get_ydata(), history["val_loss"])
    assert live.message == "" and live.text.get_text() == ""


def test_live_loss_plot_shows_divergence_as_a_message():
    X, y = make_linear(seed=0)
    live = live_plot.live_loss_plot(every=1)
    model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        # losses up to 1e300 on a log axis: drawing them must not overflow either
        history = model.fit(X, y, optimizer=nnlib.SGD(learning_rate=2.0), epochs=40,
                            batch_size=10, seed=0, callback=live)
        live.finish(history)
        # what the notebook's inline backend does with the figure (tight box, tick labels)
        live.fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    assert max(history["loss"]) > 1e200  # astronomically large, yet drawn
    assert [w.category for w in record] == [nnlib.DivergenceWarning]
    assert history.diverged
    assert live.message == history.message
    assert live.text.get_text().replace("\n", " ") == history.message
    assert live.text.get_text().startswith("diverged at step")
    assert len(live.lines["loss"].get_ydata()) == len(history["loss"])
    with pytest.raises(ValueError, match="every must be an integer >= 1. Received: every=0"):
        live_plot.live_loss_plot(every=0)
