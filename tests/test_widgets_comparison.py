"""The notebook-07 learning-rate explorer, headless."""

import numpy as np
import pytest

from course.n07_mlp_tensorflow_comparison import comparison
from course.n07_mlp_tensorflow_comparison.widgets import learning_rate_explorer
from nnlib.data import make_linear


@pytest.fixture
def explorer():
    X, y = make_linear(seed=0)
    reference = np.linspace(1.0, 0.05, 200)
    return learning_rate_explorer(X, y, keras_history=reference, keras_predictions=2 * X + 1,
                                  epochs=100)


def test_slider_retrains_from_the_same_start(explorer):
    start = explorer.initial_weights
    explorer.controls["lr"].value = 0.01
    first = explorer.model.theta.copy()
    assert explorer.final_mse < 0.02
    assert explorer.slope == pytest.approx(2.0, abs=0.2)
    assert explorer.intercept == pytest.approx(1.0, abs=0.1)
    np.testing.assert_array_equal(explorer.initial_weights[0], start[0])
    explorer.controls["lr"].value = 0.001
    slow_mse = explorer.final_mse
    explorer.controls["lr"].value = 0.01
    np.testing.assert_array_equal(explorer.model.theta, first)  # deterministic retraining
    assert slow_mse > explorer.final_mse


def test_curves_follow_the_sliders(explorer):
    explorer.controls["epochs"].value = 60
    x, losses = explorer.figure.loss_line.get_data()
    assert len(losses) == 60 and x[-1] == 60
    np.testing.assert_allclose(losses, explorer.history["loss"])
    np.testing.assert_allclose(np.sort(explorer.figure.fit_line.get_ydata()),
                               np.sort(explorer.y_hat.ravel()))
    assert "final MSE" in explorer.readout.value
    assert explorer.view.last_png is not None


def test_keras_reference_stays_fixed(explorer):
    ref = [line for line in explorer.figure.ax_loss.lines if line.get_label().startswith("Keras")]
    before = ref[0].get_ydata().copy()
    explorer.controls["lr"].value = 0.1
    np.testing.assert_array_equal(ref[0].get_ydata(), before)


def test_divergence_is_shown_not_raised():
    X, y = make_linear(seed=0)
    X = X * 1e200  # overflow on the first step
    ex = learning_rate_explorer(X, y, epochs=20)
    assert np.isnan(ex.final_mse)
    assert "diverged" in ex.figure.status_text.get_text()


def test_initial_weights_default_to_the_seeded_article_mlp():
    X, y = make_linear(seed=0)
    ex = learning_rate_explorer(X, y, epochs=20, seed=3)
    np.testing.assert_array_equal(np.concatenate([w.ravel() for w in ex.initial_weights]),
                                  comparison.article_mlp(seed=3).theta)
