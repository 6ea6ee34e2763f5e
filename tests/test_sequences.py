"""Tests for nnlib/sequences.py."""

import numpy as np
import pytest

from course.n05b_rnn_lstm_gru import sequences
from course.n05c_transformers import sequences as reverse_sequences


def test_noisy_periodic_series_is_seeded_and_periodic():
    t, s = sequences.noisy_periodic_series(400, period=40, noise=0.0, seed=0)
    assert t.shape == s.shape == (400,)
    np.testing.assert_allclose(s[:-40], s[40:], atol=1e-12)  # noise-free: one period apart
    _, a = sequences.noisy_periodic_series(100, noise=0.2, seed=3)
    _, b = sequences.noisy_periodic_series(100, noise=0.2, seed=3)
    _, c = sequences.noisy_periodic_series(100, noise=0.2, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    _, clean = sequences.noisy_periodic_series(100, noise=0.0)
    assert 0.1 < np.std(a - clean) < 0.3


def test_make_windows_worked_by_hand():
    X, y = sequences.make_windows(np.arange(6.0), 3)
    np.testing.assert_array_equal(X[..., 0], [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    np.testing.assert_array_equal(y, [[3], [4], [5]])
    X, y = sequences.make_windows(np.arange(6.0), 3, horizon=2)
    np.testing.assert_array_equal(y, [[4], [5]])
    with pytest.raises(ValueError, match=r"longer than window \+ horizon - 1 = 6.*6 values"):
        sequences.make_windows(np.arange(6.0), 5, horizon=2)
    with pytest.raises(ValueError, match=r"series must be a 1-D array"):
        sequences.make_windows(np.zeros((6, 1)), 3)


def test_make_recall_task_target_is_the_marked_value():
    X, y, marked = sequences.make_recall_task(500, 20, seed=0)
    assert X.shape == (500, 20, 2) and y.shape == (500, 1)
    np.testing.assert_array_equal(X[..., 1].sum(axis=1), 1.0)  # exactly one marker
    np.testing.assert_array_equal(np.argmax(X[..., 1], axis=1), marked)
    assert marked.max() < 5
    np.testing.assert_array_equal(y[:, 0], X[np.arange(500), marked, 0])
    assert abs(np.mean(y**2) - 1 / 3) < 0.05  # MSE of always predicting 0
    with pytest.raises(ValueError, match=r"n_steps must be an integer >= 4"):
        sequences.make_recall_task(10, 3)


def test_make_reverse_task():
    X, y = reverse_sequences.make_reverse_task(50, 6, n_symbols=4, seed=1)
    assert X.shape == y.shape == (50, 6)
    assert X.min() >= 0 and X.max() <= 3
    np.testing.assert_array_equal(y[:, 0], X[:, 5])
    np.testing.assert_array_equal(y[:, ::-1], X)
    np.testing.assert_array_equal(X, reverse_sequences.make_reverse_task(50, 6, n_symbols=4, seed=1)[0])
