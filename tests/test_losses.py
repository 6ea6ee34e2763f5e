"""Tests for nnlib/losses.py."""

import warnings

import numpy as np
import pytest

from nnlib import activations, losses
from nnlib.data import one_hot
from nnlib.gradcheck import numerical_gradient, relative_error


def test_mse_worked_by_hand():
    # errors 1, -2, 0 -> (1 + 4 + 0) / 3
    assert losses.mse([[1.0], [2.0], [3.0]], [[2.0], [0.0], [3.0]]) == pytest.approx(5 / 3)
    # a 1-D y is read as a column
    assert losses.mse([1.0, 2.0], [[1.0], [4.0]]) == pytest.approx(2.0)


def test_bce_worked_by_hand():
    # -(log 0.8 + log 0.6) / 2
    value = losses.binary_cross_entropy([[1.0], [0.0]], [[0.8], [0.4]])
    assert value == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)


def test_cce_worked_by_hand():
    y = [[0, 1, 0], [1, 0, 0]]
    p = [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]
    assert losses.categorical_cross_entropy(y, p) == pytest.approx(-(np.log(0.7) + np.log(0.5)) / 2)


def _targets(name, rng, shape):
    if name == "mse":
        return rng.normal(size=shape)
    if name == "binary_cross_entropy":
        return rng.integers(0, 2, size=shape).astype(float)
    return one_hot(rng.integers(0, shape[1], size=shape[0]), shape[1])


def _predictions(name, rng, shape):
    if name == "mse":
        return rng.normal(size=shape)
    if name == "binary_cross_entropy":
        return rng.uniform(0.05, 0.95, size=shape)
    return activations.softmax(rng.normal(size=shape))


@pytest.mark.parametrize("name", ["mse", "binary_cross_entropy", "categorical_cross_entropy"])
def test_grad_matches_central_differences(name, rng):
    shape = (6, 3)
    y, y_hat = _targets(name, rng, shape), _predictions(name, rng, shape)
    value = getattr(losses, name)
    grad = getattr(losses, name + "_grad")(y, y_hat)
    numeric = numerical_gradient(lambda p: value(y, p), y_hat.copy())
    assert relative_error(grad, numeric) < 1e-6


@pytest.mark.parametrize("name", ["binary_cross_entropy", "categorical_cross_entropy"])
def test_from_logits_equals_probabilities_form_and_grad(name, rng):
    shape = (5, 1) if name == "binary_cross_entropy" else (5, 4)
    y = _targets(name, rng, shape)
    z = rng.normal(size=shape)
    p = activations.sigmoid(z) if name == "binary_cross_entropy" else activations.softmax(z)
    value = getattr(losses, name)
    assert value(y, z, from_logits=True) == pytest.approx(value(y, p), rel=1e-12)
    grad = getattr(losses, name + "_grad")(y, z, from_logits=True)
    numeric = numerical_gradient(lambda s: value(y, s, from_logits=True), z.copy())
    assert relative_error(grad, numeric) < 1e-6


def test_no_warnings_and_finite_at_extremes():
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    p = np.array([[0.0], [1.0], [1.0], [0.0]])  # two certain mistakes: log(0) without clipping
    z = np.array([[-1000.0], [1000.0], [1000.0], [-1000.0]])
    Y = one_hot([0, 1], 3)
    Z = np.array([[-1000.0, 1000.0, 0.0], [1000.0, -1000.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [
            losses.binary_cross_entropy(y, p),
            losses.binary_cross_entropy(y, z, from_logits=True),
            losses.categorical_cross_entropy(Y, activations.softmax(Z)),
            losses.categorical_cross_entropy(Y, Z, from_logits=True),
        ]
        grads = [
            losses.binary_cross_entropy_grad(y, p),
            losses.binary_cross_entropy_grad(y, z, from_logits=True),
            losses.categorical_cross_entropy_grad(Y, Z, from_logits=True),
        ]
    assert all(np.isfinite(v) for v in values)
    assert all(np.all(np.isfinite(g)) for g in grads)
    # clipped at 1e-7 like Keras: two certain mistakes cost -log(1e-7) each, over 4 samples
    assert values[0] == pytest.approx(-2 * np.log(1e-7) / 4, rel=1e-6)
    # from logits, exact: a score of 1000 on the wrong side costs 1000
    assert values[1] == pytest.approx(2000 / 4)
    assert values[3] == pytest.approx(2000.0)  # each row: true-class score 2000 below the max


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"y.shape=\(3, 1\) and y_hat.shape=\(3, 2\)"):
        losses.mse(np.zeros((3, 1)), np.zeros((3, 2)))


def test_nan_in_predictions_is_rejected():
    with pytest.raises(ValueError, match="y_hat contains 1 NaN"):
        losses.mse([1.0, 2.0], [[1.0], [np.nan]])


def test_bce_rejects_targets_outside_0_1():
    with pytest.raises(ValueError, match=r"targets y in \[0, 1\].*from -1 to 2"):
        losses.binary_cross_entropy([[-1.0], [2.0]], [[0.5], [0.5]])


def test_cce_rejects_integer_labels_with_hint():
    with pytest.raises(ValueError, match="one_hot"):
        losses.categorical_cross_entropy(np.array([[0.0], [2.0]]), np.array([[0.5], [0.5]]))
    with pytest.raises(ValueError, match="probability distribution"):
        losses.categorical_cross_entropy([[1.0, 1.0]], [[0.5, 0.5]])


def test_get_accepts_keras_spellings_and_rejects_unknown():
    assert losses.get("binary_crossentropy").name == "binary_cross_entropy"
    assert losses.get("MEAN_SQUARED_ERROR").name == "mse"
    with pytest.raises(ValueError, match="Unknown loss 'hinge'.*categorical_cross_entropy"):
        losses.get("hinge")
