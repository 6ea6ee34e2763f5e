"""Tests for nnlib/descent.py."""

import warnings

import numpy as np
import pytest

from course import descent
from nnlib import losses
from nnlib.data import make_linear
from nnlib.gradcheck import numerical_gradient

# ---------------------------------------------------------------- Quadratic1D


def test_quadratic_worked_by_hand():
    p = descent.Quadratic1D()  # (w - 3)^2
    assert p(1.0) == 4.0 and p.grad(1.0) == -4.0
    assert p.second_derivative == 2.0 and p.stability_limit() == 1.0
    q = descent.Quadratic1D(a=4.0, minimum=-1.0, offset=0.5)  # 4 (w + 1)^2 + 0.5
    assert q(0.0) == 4.5 and q.grad(0.0) == 8.0
    assert q.stability_limit() == 0.25
    assert q.step_factor(0.1) == pytest.approx(1 - 0.1 * 8)
    np.testing.assert_allclose(q(np.array([-1.0, 1.0])), [0.5, 16.5])


def test_quadratic_grad_matches_finite_differences(rng):
    p = descent.Quadratic1D(a=0.7, minimum=1.3, offset=-2.0)
    for w in rng.normal(size=5) * 3:
        num = numerical_gradient(lambda x: p(float(x[0])), np.array([w]))
        assert num[0] == pytest.approx(p.grad(w), rel=1e-7)


def test_quadratic_validates_its_arguments():
    with pytest.raises(ValueError, match="a must be a finite number > 0. Received: a=-1.0"):
        descent.Quadratic1D(a=-1)
    with pytest.raises(ValueError, match="minimum must be finite"):
        descent.Quadratic1D(minimum=np.inf)
    with pytest.raises(TypeError, match="offset must be a real number"):
        descent.Quadratic1D(offset="0")
    with pytest.raises(ValueError, match="learning_rate"):
        descent.Quadratic1D().step_factor(0.0)


def test_line_through_origin_is_the_mse_of_y_equals_w_x():
    X, y = make_linear(seed=0)
    p = descent.Quadratic1D.from_line_through_origin(X, y)
    for w in (-1.0, 0.0, 0.5, 2.0, 4.0):
        assert p(w) == pytest.approx(losses.mse(y, w * X), rel=1e-12)
    # its minimum is the least-squares slope without intercept
    slope = np.linalg.lstsq(X, y, rcond=None)[0].item()
    assert p.minimum == pytest.approx(slope)
    with pytest.raises(ValueError, match="X must not be all zeros"):
        descent.Quadratic1D.from_line_through_origin(np.zeros((3, 1)), np.ones((3, 1)))


# ---------------------------------------------------------------- gradient_descent_1d


def _hand_loop(p, w, lr, steps):
    ws = [w]
    for _ in range(steps):
        w = w - lr * 2 * p.a * (w - p.minimum)
        ws.append(w)
    return np.array(ws)


@pytest.mark.parametrize("lr", [0.001, 0.1, 0.5, 0.9, 1.0])
def test_path_equals_a_hand_loop(lr):
    p = descent.Quadratic1D(minimum=3.0)
    path = descent.gradient_descent_1d(p, p.grad, -1.0, lr, 25)
    np.testing.assert_allclose(path.w, _hand_loop(p, -1.0, lr, 25), rtol=1e-12)
    np.testing.assert_allclose(path.loss, p(path.w))
    assert not path.diverged and path.diverged_at is None


def test_two_steps_worked_by_hand():
    # (w - 3)^2 from w = 0 with rate 0.25: w1 = 0 - 0.25 * (-6) = 1.5, w2 = 1.5 + 0.75 = 2.25
    p = descent.Quadratic1D()
    path = descent.gradient_descent_1d(p, p.grad, 0.0, 0.25, 2)
    np.testing.assert_allclose(path.w, [0.0, 1.5, 2.25])
    assert path.message == "2 step(s): w = 2.25, loss = 0.5625"


def test_regimes_of_the_learning_rate():
    p = descent.Quadratic1D()  # 2 / L'' = 1
    crawl = descent.gradient_descent_1d(p, p.grad, -1.0, 0.001, 50)
    good = descent.gradient_descent_1d(p, p.grad, -1.0, 0.3, 50)
    jump = descent.gradient_descent_1d(p, p.grad, -1.0, 0.5, 1)  # 1 / L'': one step
    bounce = descent.gradient_descent_1d(p, p.grad, -1.0, 1.0, 6)  # 2 / L'': forever
    assert abs(crawl.w[-1] - 3) > 3.0  # hardly moved from 4 away
    assert abs(good.w[-1] - 3) < 1e-6
    assert jump.w[-1] == 3.0
    np.testing.assert_allclose(bounce.w, [-1, 7, -1, 7, -1, 7, -1])


def test_divergence_is_flagged_at_the_right_step():
    p = descent.Quadratic1D()
    path = descent.gradient_descent_1d(p, p.grad, -1.0, 1.5, 50, max_loss=1e6)
    ws = _hand_loop(p, -1.0, 1.5, 50)
    first_bad = int(np.argmax(p(ws) > 1e6))  # distance 4 * 2^k: loss 16 * 4^k
    assert first_bad == 8
    assert path.diverged and path.diverged_at == first_bad
    assert len(path.w) == first_bad + 1
    np.testing.assert_allclose(path.w, ws[: first_bad + 1])
    assert path.message.startswith("diverged at step 8:")


def test_overflow_is_a_divergence_not_a_warning():
    p = descent.Quadratic1D()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        path = descent.gradient_descent_1d(p, p.grad, -1.0, 1e150, 10, max_loss=1e308)
    assert path.diverged and path.diverged_at == 2
    assert not np.isfinite(path.loss[-1])


def test_gradient_descent_validates_its_arguments():
    p = descent.Quadratic1D()
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        descent.gradient_descent_1d(p, p.grad, 0.0, -0.1, 5)
    with pytest.raises(ValueError, match="steps must be an integer >= 0. Received: steps=-1"):
        descent.gradient_descent_1d(p, p.grad, 0.0, 0.1, -1)
    with pytest.raises(TypeError, match="steps must be an integer"):
        descent.gradient_descent_1d(p, p.grad, 0.0, 0.1, 2.5)
    with pytest.raises(ValueError, match="w0 must be finite"):
        descent.gradient_descent_1d(p, p.grad, np.nan, 0.1, 5)
    with pytest.raises(ValueError, match="loss at w0 must be finite and below max_loss=10"):
        descent.gradient_descent_1d(p, p.grad, 10.0, 0.1, 5, max_loss=10)
    assert len(descent.gradient_descent_1d(p, p.grad, 0.0, 0.1, 0).w) == 1


# ---------------------------------------------------------------- the line y_hat = w x + b


def test_line_mse_is_nnlib_mse():
    X, y = make_linear(seed=1)
    assert descent.line_mse(1.5, -0.5, X, y) == losses.mse(y, 1.5 * X - 0.5)
    np.testing.assert_array_equal(descent.line_predict(1.5, -0.5, X), 1.5 * X - 0.5)


def test_line_mse_grad_matches_finite_differences(rng):
    X, y = make_linear(seed=2)
    for w, b in rng.normal(size=(4, 2)) * 2:
        num = numerical_gradient(lambda t: descent.line_mse(t[0], t[1], X, y), np.array([w, b]))
        np.testing.assert_allclose(descent.line_mse_grad(w, b, X, y), num, rtol=1e-7, atol=1e-9)


def test_line_mse_grad_is_zero_at_the_least_squares_line():
    X, y = make_linear(seed=3)
    A = np.hstack([X, np.ones_like(X)])
    w, b = np.linalg.lstsq(A, y, rcond=None)[0].ravel()
    np.testing.assert_allclose(descent.line_mse_grad(w, b, X, y), [0.0, 0.0], atol=1e-12)


def test_line_mse_grid_matches_pointwise_values():
    X, y = make_linear(n_samples=20, seed=4)
    ws, bs = np.linspace(-1, 3, 5), np.linspace(0, 2, 3)
    grid = descent.line_mse_grid(ws, bs, X, y)
    assert grid.shape == (3, 5)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            assert grid[i, j] == pytest.approx(descent.line_mse(w, b, X, y), rel=1e-12)


def test_line_functions_check_the_data():
    with pytest.raises(ValueError, match=r"X and y must hold one value per sample"):
        descent.line_mse(1.0, 0.0, np.zeros((3, 1)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="contains 1 NaN"):
        descent.line_mse_grad(1.0, 0.0, [[np.nan]], [[1.0]])
