"""Tests for nnlib/activations.py."""

import warnings

import numpy as np
import pytest

from nnlib import activations
from nnlib.gradcheck import numerical_gradient, relative_error

ELEMENTWISE = ["linear", "relu", "sigmoid", "tanh"]


def test_values_worked_by_hand():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(activations.relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(activations.tanh(z), np.tanh(z))
    np.testing.assert_array_equal(activations.linear(z), z)
    # softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6
    np.testing.assert_allclose(activations.softmax(np.log([[1.0, 2.0, 3.0]])), [[1 / 6, 2 / 6, 3 / 6]])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_grad_matches_central_differences(name, rng):
    act = activations.get(name)
    z = rng.normal(size=(4, 3)) * 3
    z[np.abs(z) < 1e-3] = 0.5  # keep away from ReLU's kink
    h = 1e-6
    numeric = (act.fn(z + h) - act.fn(z - h)) / (2 * h)  # each entry depends on its own z only
    assert relative_error(act.grad(z), numeric) < 1e-7


def test_relu_grad_at_zero_is_zero_like_tensorflow():
    assert activations.relu_grad(np.array([0.0]))[0] == 0.0


def test_softmax_jacobian_matches_central_differences(rng):
    z = rng.normal(size=(3, 4))
    J = activations.softmax_grad(z)
    assert J.shape == (3, 4, 4)
    for n in range(3):
        for i in range(4):
            num = numerical_gradient(lambda row, i=i: activations.softmax(row[None])[0, i], z[n].copy())
            np.testing.assert_allclose(J[n, i], num, atol=1e-8)


def test_softmax_backward_is_jacobian_transpose_times_dA(rng):
    z, dA = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    expected = np.einsum("nij,ni->nj", activations.softmax_grad(z), dA)
    np.testing.assert_allclose(activations.softmax_backward(z, dA), expected, atol=1e-14)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_applies_chain_rule(name, rng):
    act = activations.get(name)
    z, dA = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    np.testing.assert_allclose(act.backward(z, dA), dA * act.grad(z))


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax"])
def test_no_overflow_warning_for_huge_inputs(name):
    act = activations.get(name)
    z = np.array([[-1000.0, 0.0, 1000.0], [1e300, -1e300, 5.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = act.fn(z)
        grad = act.grad(z)
    assert np.all(np.isfinite(out)) or name in ("linear", "relu")
    assert np.all(np.isfinite(grad))


def test_stable_sigmoid_and_softmax_limits():
    np.testing.assert_array_equal(activations.sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
    p = activations.softmax(np.array([[1000.0, 0.0, -1000.0]]))
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


def test_get_by_name_and_none_is_linear():
    assert activations.get("ReLU").name == "relu"
    assert activations.get(None).name == "linear"
    act = activations.get("tanh")
    assert activations.get(act) is act


def test_unknown_name_lists_valid_ones():
    with pytest.raises(ValueError, match=r"Unknown activation 'relu6'.*linear, relu, sigmoid, softmax, tanh"):
        activations.get("relu6")


def test_non_string_name_is_type_error():
    with pytest.raises(TypeError, match="by name"):
        activations.get(3)
