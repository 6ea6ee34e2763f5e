"""Tests for nnlib/initializers.py."""

import numpy as np

from nnlib import initializers


def test_glorot_uniform_bounds_and_variance():
    W = initializers.glorot_uniform((300, 200), rng=0)
    limit = np.sqrt(6 / 500)
    assert W.shape == (300, 200)
    assert np.abs(W).max() <= limit
    assert np.abs(W).max() > 0.99 * limit  # the whole range is used
    np.testing.assert_allclose(W.var(), 2 / 500, rtol=0.03)


def test_glorot_uniform_is_deterministic_and_dtype():
    a = initializers.glorot_uniform((3, 4), rng=7, dtype=np.float32)
    b = initializers.glorot_uniform((3, 4), rng=7, dtype=np.float32)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, initializers.glorot_uniform((3, 4), rng=8, dtype=np.float32))


def test_zeros():
    np.testing.assert_array_equal(initializers.zeros((3,)), [0.0, 0.0, 0.0])


def test_he_uniform_bounds_and_variance():
    W = initializers.he_uniform((300, 200), rng=0)
    limit = np.sqrt(6 / 300)
    assert W.shape == (300, 200)
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.99 * limit
    np.testing.assert_allclose(W.var(), 2 / 300, rtol=0.03)
    np.testing.assert_array_equal(W, initializers.he_uniform((300, 200), rng=0))
