"""Tests for course/n03_learning_backprop/widgets.py (headless: MPLBACKEND=Agg, no kernel)."""

import warnings

import numpy as np
import pytest

from course import descent
from course.n03_learning_backprop import widgets
from nnlib import losses
from nnlib.data import make_linear
from nnlib.gradcheck import numerical_gradient


def test_gradient_descent_widget_small_rate_converges():
    explorer = widgets.gradient_descent_explorer(w0=-1.0, learning_rate=0.05, steps=20)
    explorer.controls["lr"].value = 0.1
    explorer.controls["steps"].value = 100
    assert not explorer.diverged and explorer.diverged_at is None
    assert len(explorer.path.w) == 101
    assert abs(explorer.path.w[-1] - 3.0) < 1e-6  # (w - 3)^2: the minimum is w = 3
    assert "converges" in explorer.message


def test_gradient_descent_widget_path_equals_a_hand_loop():
    explorer = widgets.gradient_descent_explorer(w0=0.5, steps=15)
    explorer.controls["lr"].value = 0.7
    w, expected = 0.5, [0.5]
    for _ in range(15):
        w = w - 0.7 * 2 * (w - 3.0)  # dL/dw of (w - 3)^2
        expected.append(w)
    np.testing.assert_allclose(explorer.path.w, expected, rtol=1e-12)
    assert "oscillates" in explorer.message  # 1 - 0.7 * 2 < 0: jumps across the minimum
    # the plot shows exactly that path
    np.testing.assert_allclose(explorer.figure.plot.path_line.get_xdata(), expected)
    np.testing.assert_allclose(explorer.figure.w_line.get_ydata(), expected)


def test_gradient_descent_widget_flags_divergence_with_its_step():
    explorer = widgets.gradient_descent_explorer(w0=-1.0, steps=60)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail here
        explorer.controls["lr"].value = 1.2  # above 2 / L'' = 1
        # distance to the minimum 4 * 1.4^k, loss 16 * 1.96^k passes 1e6 at k = 17
        assert explorer.diverged and explorer.diverged_at == 17
        assert explorer.message.startswith("diverged at step 17")
        assert "2/L'' = 1" in explorer.message
        assert explorer.figure.plot.text.get_text() == explorer.message
        explorer.controls["lr"].value = 10 ** explorer.controls["lr"].max  # the largest rate
        assert explorer.controls["lr"].value == pytest.approx(3.0)  # 3 * (2 / L'')
        assert explorer.diverged and explorer.diverged_at == 4  # loss 16 * 25^k
    explorer.controls["lr"].value = 0.3
    assert not explorer.diverged and explorer.figure.plot.text.get_color() != "#D55E00"


def test_gradient_descent_widget_describes_each_regime():
    explorer = widgets.gradient_descent_explorer(steps=20)
    messages = {}
    for lr in (0.001, 0.5, 1.0, 1.05):
        explorer.controls["lr"].value = lr
        messages[lr] = explorer.message
    assert messages[0.001].startswith("crawls")
    assert messages[0.5].startswith("lands on the minimum in one step")
    assert messages[1.0].startswith("bounces between two points forever")
    assert messages[1.05].startswith("unstable") and not explorer.diverged
    explorer.controls["w0"].value = 5.0
    assert explorer.path.w[0] == 5.0


def test_gradient_descent_widget_on_the_line_through_the_origin():
    X, y = make_linear(seed=0)
    problem = descent.Quadratic1D.from_line_through_origin(X, y)
    explorer = widgets.gradient_descent_explorer(problem, w0=0.0, steps=50)
    explorer.controls["lr"].value = 0.9 * problem.stability_limit()
    assert not explorer.diverged
    assert explorer.path.loss[-1] == pytest.approx(losses.mse(y, explorer.path.w[-1] * X))
    assert set(explorer.controls) == {"lr", "steps", "w0"}
    assert "lr-slider" in explorer.controls["lr"]._dom_classes


def test_be_the_optimizer_mse_and_gradient_follow_the_sliders():
    X, y = make_linear(seed=0)
    explorer = widgets.be_the_optimizer(X, y, show_gradient=True)
    explorer.controls["w"].value = 1.5
    explorer.controls["b"].value = 0.25
    assert explorer.mse == pytest.approx(losses.mse(y, 1.5 * X + 0.25), rel=1e-12)
    num = numerical_gradient(lambda t: losses.mse(y, t[0] * X + t[1]), np.array([1.5, 0.25]))
    np.testing.assert_allclose(explorer.grad, num, rtol=1e-7)
    assert explorer.arrow == pytest.approx((-0.25 * explorer.grad[0], -0.25 * explorer.grad[1]))
    assert f"{explorer.mse:.4f}" in explorer.readout.value
    assert "increase w" in explorer.readout.value  # the line is too flat: dL/dw < 0
    # the artists show the same state
    np.testing.assert_allclose(explorer.figure.point.get_xydata(), [[1.5, 0.25]])
    np.testing.assert_allclose(explorer.figure.quiver.get_offsets(), [[1.5, 0.25]])
    quiver = explorer.figure.quiver
    np.testing.assert_allclose([quiver.U[0], quiver.V[0]], explorer.arrow)
    x_line = explorer.figure.line.get_xdata()
    np.testing.assert_allclose(explorer.figure.line.get_ydata(), 1.5 * x_line + 0.25)


def test_be_the_optimizer_keeps_the_lowest_mse_and_downhill_helps():
    X, y = make_linear(seed=0)
    explorer = widgets.be_the_optimizer(X, y, show_gradient=True)
    start = explorer.mse
    dw, db = explorer.arrow  # one step downhill
    explorer.controls["w"].value = round(explorer.w + dw, 2)
    explorer.controls["b"].value = round(explorer.b + db, 2)
    assert explorer.mse < start
    explorer.controls["w"].value = -2.0  # worse again
    assert explorer.best_mse < explorer.mse
    plain = widgets.be_the_optimizer(X, y)
    assert plain.figure.ax_loss is None and "gradient" not in plain.readout.value
    assert {"w-slider"} <= set(plain.controls["w"]._dom_classes)
