"""course.n07_mlp_tensorflow_comparison.comparison: the article's network, trajectories, the learned line."""

import numpy as np
import pytest

from course.n07_mlp_tensorflow_comparison import comparison
from nnlib import MLP, Adam
from nnlib.data import make_linear


def test_article_mlp_shape_and_start_weights():
    model = comparison.article_mlp(seed=0)
    assert model.layer_sizes == [1, 10, 5, 1]
    assert [a.name for a in model.activations] == ["relu", "relu", "linear"]
    other = comparison.article_mlp(initial_weights=model.get_weights())
    np.testing.assert_array_equal(other.theta, model.theta)


def test_trajectory_rows_are_weights_after_each_epoch():
    X, y = make_linear(seed=0)
    model = comparison.article_mlp(seed=1)
    start = model.theta.copy()
    history, thetas = comparison.train_with_trajectory(model, X, y, epochs=3, seed=0)
    assert thetas.shape == (4, 81)
    np.testing.assert_array_equal(thetas[0], start)
    np.testing.assert_array_equal(thetas[-1], model.theta)
    assert not np.array_equal(thetas[1], thetas[0])
    # epoch 2 continued from epoch 1: training 1 epoch again from row 1 with the same
    # optimizer state is not possible, but two runs with the same seed agree exactly.
    again = comparison.article_mlp(seed=1)
    _, thetas2 = comparison.train_with_trajectory(again, X, y, epochs=3, seed=0)
    np.testing.assert_array_equal(thetas, thetas2)
    assert len(history["loss"]) == 3


def test_learned_line_recovers_a_line():
    X = np.linspace(-1, 1, 50)[:, None]
    slope, intercept = comparison.learned_line(X, 2 * X + 1)
    assert slope == pytest.approx(2.0) and intercept == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same number"):
        comparison.learned_line(X, np.zeros(3))


def test_relative_gap_rows_and_scalar():
    b = np.array([[1.0, -2.0], [4.0, 0.0]])
    a = b + np.array([[0.0, 0.2], [0.0, 0.4]])
    np.testing.assert_allclose(comparison.relative_gap(a, b), [0.1, 0.1])
    assert comparison.relative_gap(b[0], b[0]) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        comparison.relative_gap(a, b[0])


def test_final_mse_over_seeds_reaches_the_noise_floor_with_a_larger_lr():
    X, y = make_linear(seed=0)
    slow = comparison.final_mse_over_seeds(X, y, [0, 1], learning_rate=0.001, epochs=200)
    fast = comparison.final_mse_over_seeds(X, y, [0, 1], learning_rate=0.01, epochs=200)
    assert slow.shape == (2,)
    assert np.all(fast < 0.02)  # near the noise floor 0.01
    assert fast.mean() < slow.mean()


def test_exact_adam_values_are_float32_exact():
    for value in comparison.EXACT_ADAM.values():
        assert float(np.float32(value)) == value
    Adam(**comparison.EXACT_ADAM)  # valid hyperparameters


def test_keras_rounded_adam_equals_adam_for_exact_values_and_differs_slightly_otherwise(rng):
    w0 = rng.normal(size=(4, 3))
    grads = [rng.normal(size=w0.shape) for _ in range(50)]

    def run(optimizer):
        w = w0.copy()
        for g in grads:
            optimizer.step([w], [g])
        return w

    exact = comparison.EXACT_ADAM
    np.testing.assert_array_equal(run(comparison.KerasRoundedAdam(**exact)), run(Adam(**exact)))
    rounded, plain = run(comparison.KerasRoundedAdam()), run(Adam())
    gap = comparison.relative_gap((rounded - w0).ravel(), (plain - w0).ravel())
    assert 1e-10 < gap < 1e-5  # float32 rounding of 0.001, 0.9, 0.999: about 1e-8 each


def test_step_size_ratio_is_zero_for_exact_values_and_about_7e_6_for_the_defaults():
    exact = comparison.EXACT_ADAM
    ratio = comparison.step_size_ratio(
        800, learning_rate=exact["learning_rate"], beta_1=exact["beta_1"],
        beta_2=exact["beta_2"])
    np.testing.assert_array_equal(ratio, np.zeros(800))
    ratio = comparison.step_size_ratio(800)
    assert ratio.shape == (800,)
    # float32(0.999) is 0.999 * (1 + 1.3e-8), yet the step differs by ~500 times more
    assert abs(float(np.float32(0.999)) / 0.999 - 1) < 2e-8
    assert -7e-6 < ratio[0] < -6e-6
    assert np.all((-7e-6 < ratio) & (ratio < -4e-6))
    # the same number as one step of KerasRoundedAdam against Adam
    w_k, w_n = np.zeros(1), np.zeros(1)
    comparison.KerasRoundedAdam().step([w_k], [np.ones(1)])
    Adam().step([w_n], [np.ones(1)])
    assert w_k[0] / w_n[0] - 1 == pytest.approx(ratio[0], rel=1e-3)
    with pytest.raises(ValueError, match="steps"):
        comparison.step_size_ratio(0)


def _two_layer_relu(w1, b1, w2, b2):
    model = MLP([1, len(b1), len(b2), 1], ["relu", "relu", "linear"])
    model.set_weights([np.array([w1], float), np.array(b1, float), np.array(w2, float),
                       np.array(b2, float), np.ones((len(b2), 1)), np.zeros(1)])
    return model


def test_inactive_relus_counts_neurons_off_on_every_sample():
    X = np.linspace(-1, 1, 21)[:, None]
    # hidden 1: unit 0 active for x > 0, unit 1 never (bias -5), unit 2 always (bias +5)
    model = _two_layer_relu([1.0, 1.0, 1.0], [0.0, -5.0, 5.0],
                            [[1.0, 0.0], [0.0, 0.0], [0.0, -1.0]], [0.0, 0.0])
    # hidden 2: unit 0 gets relu(x) >= 0 (active for x > 0), unit 1 gets -(x + 5) < 0
    assert comparison.inactive_relus(model, X) == [1, 1]
    assert comparison.inactive_relus(model, X[X[:, 0] <= 0]) == [2, 2]  # unit 0 off for x <= 0
    with pytest.raises(ValueError, match="X must have shape"):
        comparison.inactive_relus(model, np.zeros((3, 2)))
    with pytest.raises(TypeError, match="nnlib.MLP"):
        comparison.inactive_relus("model", X)


def test_flat_share_is_the_share_of_samples_where_the_output_is_constant():
    X = np.linspace(-1, 1, 20)[:, None]  # 10 negative, 10 positive values
    model = _two_layer_relu([1.0, 1.0, 1.0], [0.0, -5.0, 5.0],
                            [[1.0, 0.0], [0.0, 0.0], [0.0, -1.0]], [0.0, 0.0])
    assert comparison.flat_share(model, X) == 0.5  # only relu(x) carries x: flat for x < 0
    y_hat = model.predict(X).ravel()
    assert np.ptp(y_hat[:10]) == 0 and np.all(np.diff(y_hat[10:]) > 0)
    line = _two_layer_relu([1.0], [5.0], [[1.0]], [0.0])  # x + 5 > 0 everywhere
    assert comparison.flat_share(line, X) == 0.0
    with pytest.raises(ValueError, match="relu or linear"):
        comparison.flat_share(MLP([1, 3, 1], ["tanh", "linear"], seed=0), X)


def test_final_mse_over_seeds_can_return_the_models():
    X, y = make_linear(seed=0)
    mse, models = comparison.final_mse_over_seeds(X, y, [0, 1], epochs=5, return_models=True)
    assert len(models) == 2
    np.testing.assert_allclose(mse, [m.loss(X, y) for m in models])
    np.testing.assert_array_equal(mse, comparison.final_mse_over_seeds(X, y, [0, 1], epochs=5))
