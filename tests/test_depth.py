"""Tests for nnlib/depth.py: all-equal starts stay symmetric; depth profiles of three starts."""

import numpy as np
import pytest

from course.n02_forward_pass import depth
from nnlib.data import make_linear


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(0)
    return rng.normal(size=(256, 64)), rng.normal(size=(256, 1))


def test_zero_start_never_moves_the_hidden_weights():
    X, y = make_linear(seed=0)
    model = depth.train_from_constant(X, y, 0.0, epochs=20)
    assert np.all(model.weights[0] == 0) and np.all(model.weights[1] == 0)
    assert np.any(model.biases[-1] != 0)  # only the output bias learns


def test_constant_start_keeps_the_neurons_twins_but_they_move():
    X, y = make_linear(seed=0)
    model = depth.train_from_constant(X, y, 0.5, hidden=(6,), epochs=20)
    W1, W2 = model.weights[0], model.weights[1]
    # identical up to rounding (a matrix product may sum the columns in different orders)
    assert np.allclose(W1, W1[:, :1], rtol=1e-12, atol=0) and np.allclose(W2, W2[:1, :], rtol=1e-12, atol=0)
    assert not np.allclose(W1, 0.5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_glorot_keeps_gradients_level_small_start_vanishes_large_explodes(batch, seed):
    X, y = batch
    glorot = depth.depth_profile(X, y, scale="glorot", seed=seed)
    small = depth.depth_profile(X, y, scale=0.01, seed=seed)
    large = depth.depth_profile(X, y, scale=1.0, seed=seed)
    assert glorot.gradient_norm.max() < 3 * glorot.gradient_norm.min()
    assert small.gradient_norm.max() < 1e-6 * glorot.gradient_norm.min()
    assert small.activation_std[-1] < 1e-6 * small.activation_std[0]
    assert np.all(large.activation_std > 0.9)  # tanh saturated in every layer
    assert large.gradient_norm[0] > 100 * large.gradient_norm[-1]


def test_depth_profile_shapes_and_bad_scale(batch):
    X, y = batch
    profile = depth.depth_profile(X, y, n_layers=4, width=8, activation="relu")
    assert profile.activation_std.shape == profile.gradient_norm.shape == (4,)
    with pytest.raises(ValueError, match="scale must be 'glorot' or a positive number"):
        depth.depth_profile(X, y, scale=-1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_glorot_signal_shrinks_slowly_with_tanh(batch, seed):
    glorot = depth.depth_profile(*batch, scale="glorot", seed=seed)
    assert 0.1 * glorot.activation_std[0] < glorot.activation_std[-1] < glorot.activation_std[0]
