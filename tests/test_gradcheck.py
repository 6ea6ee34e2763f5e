"""Tests for nnlib/gradcheck.py."""

import numpy as np
import pytest

from nnlib import MLP, gradcheck


def test_numerical_gradient_of_a_known_function(rng):
    x = rng.normal(size=(3, 2))
    expected = 3 * x**2 + 2  # d/dx sum(x^3 + 2x)
    grad = gradcheck.numerical_gradient(lambda v: np.sum(v**3 + 2 * v), x)
    np.testing.assert_allclose(grad, expected, rtol=1e-8)


def test_numerical_gradient_restores_x_and_accepts_closures():
    x = np.array([1.0, 2.0])
    before = x.copy()
    grad = gradcheck.numerical_gradient(lambda: float(x @ x), x)
    np.testing.assert_allclose(grad, 2 * before, rtol=1e-8)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_rejects_integer_arrays():
    with pytest.raises(TypeError, match="float array"):
        gradcheck.numerical_gradient(lambda v: v.sum(), np.array([1, 2]))


def test_relative_error():
    assert gradcheck.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert gradcheck.relative_error([1.0], [3.0]) == pytest.approx(0.5)
    assert gradcheck.relative_error([0.0], [0.0]) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.relative_error([1.0], [1.0, 2.0])


def test_check_model_gradients_reports_every_param_and_catches_a_wrong_gradient(rng):
    model = MLP([2, 3, 1], ["tanh", "linear"], seed=0)
    X, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    rows = gradcheck.check_model_gradients(model, X, y)
    assert [r["param"] for r in rows] == ["W1", "b1", "W2", "b2"]
    assert [r["shape"] for r in rows] == [(2, 3), (3,), (3, 1), (1,)]
    assert max(r["relative_error"] for r in rows) < 1e-7

    class Broken(MLP):  # a backprop bug: the bias gradient is doubled
        def _loss_and_grad(self, *args):
            value = super()._loss_and_grad(*args)
            self._grad_views[1] *= 2
            return value

    broken = Broken([2, 3, 1], ["tanh", "linear"], seed=0)
    rows = gradcheck.check_model_gradients(broken, X, y)
    assert rows[1]["relative_error"] > 0.1


# ---------------------------------------------------------------- compare_gradients


def test_gradient_verdict_thresholds():
    assert gradcheck.gradient_verdict(1e-9) == "good"
    assert gradcheck.gradient_verdict(1e-7) == "good"
    assert gradcheck.gradient_verdict(1e-5) == "acceptable"
    assert gradcheck.gradient_verdict(1e-3) == "suspicious"
    assert gradcheck.gradient_verdict(0.5) == "wrong"
    assert gradcheck.gradient_verdict(np.nan) == "wrong"


def test_compare_gradients_rows(rng):
    ref = [rng.normal(size=(2, 3)), rng.normal(size=3)]
    close = [g + 1e-12 for g in ref]
    bad = [ref[0], -ref[1]]
    table = gradcheck.compare_gradients(ref, {"numeric": close, "buggy": bad},
                                        reference_name="backprop")
    assert [(r["param"], r["method"]) for r in table] == [
        ("W1", "numeric"), ("W1", "buggy"), ("b1", "numeric"), ("b1", "buggy")]
    assert table.methods == ["numeric", "buggy"]
    assert table.max_relative_error("numeric") < 1e-10
    assert table[1]["relative_error"] == 0.0 and table[1]["verdict"] == "good"
    assert table[3]["verdict"] == "wrong"
    assert table[3]["max_abs_diff"] == pytest.approx(2 * np.max(np.abs(ref[1])))
    assert table[3]["relative_error"] == pytest.approx(1.0)
    assert table[0]["shape"] == (2, 3)
    text = str(table)
    assert "compared with backprop" in text and "wrong" in text
    assert '<td style="color:#D55E00;font-weight:bold">wrong</td>' in table._repr_html_()


def test_compare_gradients_checks_its_inputs():
    ref = [np.zeros((2, 2)), np.zeros(2)]
    with pytest.raises(ValueError, match=r"others\['x'\] has 1 gradients, expected 2"):
        gradcheck.compare_gradients(ref, {"x": [np.zeros((2, 2))]})
    with pytest.raises(ValueError, match=r"gives b1 the shape \(3,\), but the reference"):
        gradcheck.compare_gradients(ref, {"x": [np.zeros((2, 2)), np.zeros(3)]})
    with pytest.raises(ValueError, match="names must have one entry per gradient"):
        gradcheck.compare_gradients(ref, {"x": ref}, names=["W"])
    with pytest.raises(TypeError, match="others must be a non-empty dict"):
        gradcheck.compare_gradients(ref, [ref])
    with pytest.raises(ValueError, match="No rows for method='y'"):
        gradcheck.compare_gradients(ref, {"x": ref}).max_relative_error("y")
