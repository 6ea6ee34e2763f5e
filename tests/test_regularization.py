"""Tests for nnlib/regularization.py: penalties, data, and fit_regularized."""

import warnings

import numpy as np
import pytest

import nnlib
from course.n04b_regularization import regularization
from nnlib import penalties
from nnlib.gradcheck import numerical_gradient


def test_penalties_by_hand():
    W = [np.array([[1.0, -2.0]]), np.array([[0.5], [-0.5]])]
    assert penalties.l1_penalty(W, 0.1) == pytest.approx(0.1 * (1 + 2 + 0.5 + 0.5))
    assert penalties.l2_penalty(W, 0.1) == pytest.approx(0.1 * (1 + 4 + 0.25 + 0.25))
    assert penalties.l2_penalty(np.array([3.0]), 1.0) == 9.0  # one array works too


def test_penalty_gradients_match_finite_differences(rng):
    W = rng.normal(size=(3, 4))
    for value, grad in ((penalties.l1_penalty, penalties.l1_penalty_grad),
                        (penalties.l2_penalty, penalties.l2_penalty_grad)):
        numeric = numerical_gradient(lambda w, f=value: f([w], 0.3), W.copy())
        np.testing.assert_allclose(grad([W], 0.3)[0], numeric, rtol=1e-6, atol=1e-8)


def test_penalties_agree_with_mlp_loss(rng):
    model = nnlib.MLP([2, 5, 1], ["tanh", "linear"], seed=0)
    X, y = rng.normal(size=(7, 2)), rng.normal(size=(7, 1))
    base, grads = model.loss_and_grads(X, y)
    both, grads_pen = model.loss_and_grads(X, y, l1=0.01, l2=0.02)
    expected = (penalties.l1_penalty(model.weights, 0.01)
                + penalties.l2_penalty(model.weights, 0.02))
    assert both - base == pytest.approx(expected)
    pen_grads = [a + b for a, b in zip(penalties.l1_penalty_grad(model.weights, 0.01),
                                        penalties.l2_penalty_grad(model.weights, 0.02))]
    for g0, g1, gp in zip(grads[0::2], grads_pen[0::2], pen_grads):
        np.testing.assert_allclose(g1 - g0, gp, atol=1e-12)


def test_penalties_equal_keras_regularizers(rng):
    """Notebook 04's claim: nnlib's penalties are the formulas of Keras' kernel_regularizer
    ``keras.regularizers.L1``/``L2`` (lambda times the sum, no factor 1/2)."""
    from course import keras_twin

    keras = keras_twin.import_keras()
    W = rng.normal(size=(3, 4))
    for lam in (0.01, 0.3):
        # Keras keeps lambda as a float32, hence the relative tolerance.
        keras_l2 = float(keras.regularizers.L2(lam)(W))
        keras_l1 = float(keras.regularizers.L1(lam)(W))
        assert keras_l2 == pytest.approx(lam * np.sum(W**2), rel=1e-6)
        assert keras_l1 == pytest.approx(lam * np.sum(np.abs(W)), rel=1e-6)
        assert keras_l2 == pytest.approx(penalties.l2_penalty([W], lam), rel=1e-6)
        assert keras_l1 == pytest.approx(penalties.l1_penalty([W], lam), rel=1e-6)


def test_kernel_values_and_near_zero_fraction():
    model = nnlib.MLP([1, 3, 2], ["relu", "linear"], seed=0)
    values = regularization.kernel_values(model)
    assert values.shape == (1 * 3 + 3 * 2,)  # biases are not included
    assert regularization.near_zero_fraction([0.0, 1e-4, 0.5, -2.0], tol=1e-3) == 0.5
    assert regularization.near_zero_fraction([], tol=1e-3) == 0.0


def test_overfitting_data_is_seeded_and_shaped():
    a = regularization.overfitting_data(10, 50, seed=3)
    b = regularization.overfitting_data(10, 50, seed=3)
    assert [x.shape for x in a] == [(10, 1), (10, 1), (50, 1), (50, 1)]
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    clean = regularization.overfitting_data(10, 5, noise=0.0, seed=0)
    np.testing.assert_allclose(clean[1], np.sin(2 * clean[0]))
    np.testing.assert_allclose(regularization.true_curve(clean[0]), clean[1])


def test_true_curve_keeps_the_shape():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    np.testing.assert_allclose(regularization.true_curve(x), np.sin(2 * x))
    assert regularization.true_curve(0.0) == 0.0


@pytest.fixture(scope="module")
def data():
    return regularization.overfitting_data(12, noise=0.3, seed=0)


def _fit(data, **kw):
    X, y, Xt, yt = data
    return regularization.fit_regularized(X, y, validation_data=(Xt, yt), epochs=120, **kw)


def test_unregularized_network_overfits(data):
    X, y, Xt, yt = data
    fit = regularization.fit_regularized(X, y, validation_data=(Xt, yt))  # default 600 epochs
    # interpolates: training MSE far below the noise level, test MSE far above it
    assert fit.history["train_mse"][-1] < 0.5 * 0.3**2
    assert fit.history["test_mse"][-1] > 2 * 0.3**2
    assert len(fit.history["train_mse"]) == 600 == len(fit.history["test_mse"])
    # train_mse is the plain MSE of the final weights
    assert fit.history["train_mse"][-1] == pytest.approx(fit.model.loss(data[0], data[1]))


def test_val_loss_is_test_mse_plus_penalties(data):
    X, y, Xt, yt = data
    fit = _fit(data, l1=1e-3, l2=1e-3)
    assert len(fit.history["val_loss"]) == 120
    # the same value MLP.fit's validation_data would give for the final weights
    expected, _ = fit.model.loss_and_grads(Xt, yt, l1=1e-3, l2=1e-3)
    assert fit.history["val_loss"][-1] == pytest.approx(expected)
    assert fit.history["val_loss"][-1] > fit.history["test_mse"][-1]
    assert "val_loss" not in regularization.fit_regularized(X, y, epochs=3).history


def test_stronger_l2_gives_smaller_weights(data):
    norms = [np.linalg.norm(regularization.kernel_values(_fit(data, l2=l2).model))
             for l2 in (0.0, 1e-3, 1e-2)]
    assert norms[0] > norms[1] > norms[2]


def test_l1_sets_more_weights_to_zero_than_l2(data):
    def zeros(**kw):
        return regularization.near_zero_fraction(
            regularization.kernel_values(_fit(data, **kw).model), tol=1e-3)
    assert zeros(l1=1e-3) > zeros(l2=1e-2) > zeros()


def test_dropout_changes_the_fit_and_same_seed_same_start(data):
    plain, plain_again, dropped = _fit(data), _fit(data), _fit(data, dropout=0.3)
    np.testing.assert_array_equal(plain.model.theta, plain_again.model.theta)
    assert not np.allclose(plain.model.theta, dropped.model.theta)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_l2_and_l1_lower_the_test_loss_of_the_notebook_setting(seed):
    # The settings notebook 04 recommends, on its data (12 points, noise 0.3), 3 seeds.
    X, y, Xt, yt = regularization.overfitting_data(12, noise=0.3, seed=seed)

    def test_mse(**kw):
        fit = regularization.fit_regularized(X, y, validation_data=(Xt, yt), seed=seed, **kw)
        return fit.history["test_mse"][-1]

    plain = test_mse()
    assert test_mse(l2=3e-3) < plain
    assert test_mse(l1=3e-3) < plain


def test_divergence_is_reported_without_warning(data):
    X, y, _, _ = data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = regularization.fit_regularized(X, y * 1e200, epochs=5)
    assert fit.history.diverged and "diverged" in fit.history.message


def test_validation_messages():
    with pytest.raises(ValueError, match="l2 must be a finite number >= 0"):
        penalties.l2_penalty([np.ones(2)], -1.0)
    with pytest.raises(ValueError, match="n_train must be an integer >= 1"):
        regularization.overfitting_data(0)


def test_test_mse_over_draws_trains_each_setting_on_each_draw():
    settings = {"none": {}, "L2": {"l2": 3e-3}}
    results = regularization.test_mse_over_draws(settings, [3, 4], epochs=40)
    assert set(results) == {"none", "L2"} and results["none"].shape == (2,)
    X, y, Xt, yt = regularization.overfitting_data(12, noise=0.3, seed=4)
    by_hand = regularization.fit_regularized(X, y, validation_data=(Xt, yt), seed=4, l2=3e-3,
                                             epochs=40).history["test_mse"][-1]
    assert results["L2"][1] == by_hand
    assert results["none"][0] != results["none"][1]  # another draw, another result


def test_test_mse_over_draws_needs_settings_and_seeds():
    with pytest.raises(ValueError, match=r"must not be empty.*seeds=\[\]"):
        regularization.test_mse_over_draws({"none": {}}, [])


def test_record_every_keeps_every_kth_epoch_and_the_last(data):
    X, y, X_test, y_test = data
    every = regularization.fit_regularized(X, y, validation_data=(X_test, y_test), epochs=23,
                                           record_every=5, l2=1e-3)
    full = regularization.fit_regularized(X, y, validation_data=(X_test, y_test), epochs=23,
                                          l2=1e-3)
    assert every.history["mse_epochs"] == [5, 10, 15, 20, 23]
    assert full.history["mse_epochs"] == list(range(1, 24))
    for key in ("train_mse", "test_mse", "val_loss"):
        picked = [full.history[key][e - 1] for e in every.history["mse_epochs"]]
        np.testing.assert_allclose(every.history[key], picked, rtol=1e-12)
    assert every.history["test_mse"][-1] == pytest.approx(every.model.loss(X_test, y_test))
    with pytest.raises(ValueError, match="record_every"):
        regularization.fit_regularized(X, y, epochs=5, record_every=0)
