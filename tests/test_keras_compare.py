"""course.n07_mlp_tensorflow_comparison.keras_article: the article's Keras model, and nnlib = Keras along 800 steps."""

import numpy as np
import pytest

from course import keras_twin
from course.n07_mlp_tensorflow_comparison import comparison
from nnlib import Adam
from nnlib.data import make_linear

keras = keras_twin.import_keras()
keras_compare = pytest.importorskip("course.n07_mlp_tensorflow_comparison.keras_article")


def test_article_keras_model_matches_the_article():
    model = keras_compare.article_keras_model(seed=0)
    assert [layer.units for layer in model.layers] == [10, 5, 1]
    assert [layer.activation.__name__ for layer in model.layers] == ["relu", "relu", "linear"]
    assert model.count_params() == comparison.article_mlp().count_params()
    again = keras_compare.article_keras_model(seed=0)
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_800_steps_nnlib_equals_keras_in_float64():
    """Same start, same batches, float64, float32-exact Adam: equal along all 200 epochs."""
    X, y = make_linear(seed=0)
    start = keras_compare.article_keras_model(seed=0).get_weights()
    model = comparison.article_mlp(initial_weights=start)
    history, thetas = comparison.train_with_trajectory(
        model, X, y, optimizer=Adam(**comparison.EXACT_ADAM), epochs=200, shuffle=False)
    kmodel = keras_twin.to_keras(comparison.article_mlp(initial_weights=start))
    k_losses, k_thetas = keras_compare.keras_train_with_trajectory(
        kmodel, X, y, optimizer=keras.optimizers.Adam(**comparison.EXACT_ADAM), epochs=200)
    assert thetas.shape == k_thetas.shape == (201, 81)
    assert np.abs(thetas[-1] - thetas[0]).max() > 0.1  # the weights did move
    assert comparison.relative_gap(thetas, k_thetas).max() < 1e-12
    np.testing.assert_allclose(history["loss"], k_losses, rtol=1e-6)  # Keras: float32 metric


def test_default_adam_drift_is_explained_by_keras_float32_roundings():
    """Keras' defaults are not float32-exact: plain Adam drifts, KerasRoundedAdam does not."""
    X, y = make_linear(seed=0)
    start = keras_compare.article_keras_model(seed=0).get_weights()
    kmodel = keras_twin.to_keras(comparison.article_mlp(initial_weights=start))
    _, k_thetas = keras_compare.keras_train_with_trajectory(
        kmodel, X, y, optimizer=keras.optimizers.Adam(), epochs=25)
    gaps = {}
    for name, optimizer in [("plain", Adam()), ("rounded", comparison.KerasRoundedAdam())]:
        model = comparison.article_mlp(initial_weights=start)
        _, thetas = comparison.train_with_trajectory(model, X, y, optimizer=optimizer,
                                                     epochs=25, shuffle=False)
        gaps[name] = comparison.relative_gap(thetas, k_thetas).max()
    assert 1e-10 < gaps["plain"] < 1e-3
    assert gaps["rounded"] < 1e-13


def test_tuned_fit_runs_all_steps():
    X, y = make_linear(seed=0)
    model = keras_compare.article_keras_model(seed=0)
    start = model.get_weights()
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    history = keras_compare.tuned_keras_fit(model, X, y, optimizer=optimizer, epochs=3)
    assert int(optimizer.iterations.numpy()) == 3 * 4  # 100 samples, batch 32: 4 steps/epoch
    assert len(history.history["loss"]) == 1
    assert not np.array_equal(start[0], model.get_weights()[0])
