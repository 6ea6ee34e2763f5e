"""Tests for nnlib/data.py."""

import numpy as np
import pytest

from nnlib import data

CLASSIFICATION = [data.make_moons, data.make_circles, data.make_xor, data.make_spirals]


def test_make_linear_is_the_articles_data():
    X, y = data.make_linear(seed=0)
    assert X.shape == y.shape == (100, 1)
    np.testing.assert_array_equal(X.ravel(), np.linspace(-1, 1, 100))
    noise = y - (2 * X + 1)
    assert abs(noise.std() - 0.1) < 0.02 and abs(noise.mean()) < 0.03
    X0, y0 = data.make_linear(noise=0.0)
    np.testing.assert_allclose(y0, 2 * X0 + 1)


@pytest.mark.parametrize("make", CLASSIFICATION + [data.make_linear])
def test_same_seed_same_data_other_seed_other_data(make):
    a, b, c = make(seed=1), make(seed=1), make(seed=2)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not (np.array_equal(a[0], c[0]) and np.array_equal(a[1], c[1]))


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_classification_shapes_and_balance(make):
    X, y = make(101, seed=0)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0, 1}
    assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 15  # roughly balanced


def test_xor_labels_follow_the_quadrants_without_noise():
    X, y = data.make_xor(200, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_circles_radii():
    X, y = data.make_circles(100, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)


def test_spirals_several_classes():
    X, y = data.make_spirals(90, n_classes=3, seed=0)
    assert np.bincount(y).tolist() == [30, 30, 30]


def test_generator_errors():
    with pytest.raises(ValueError, match="n_samples must be an integer >= 1. Received: n_samples=0"):
        data.make_linear(0)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0. Received: noise=-0.1"):
        data.make_moons(noise=-0.1)
    with pytest.raises(ValueError, match=r"factor must be in \[0.0, 1.0\)"):
        data.make_circles(factor=1.5)


def test_one_hot():
    np.testing.assert_array_equal(data.one_hot([2, 0]), [[0, 0, 1], [1, 0, 0]])
    assert data.one_hot([0, 1], n_classes=4).shape == (2, 4)
    with pytest.raises(ValueError, match="integer labels"):
        data.one_hot([0.5, 1.0])
    with pytest.raises(ValueError, match="too small"):
        data.one_hot([0, 3], n_classes=2)


def test_train_test_split_partitions_and_is_seeded():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=0.3, seed=0)
    assert len(X_te) == 3 and len(X_tr) == 7
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(10))
    np.testing.assert_array_equal(X_tr[:, 0] / 2, y_tr)  # rows stay paired
    again = data.train_test_split(X, y, test_size=0.3, seed=0)
    np.testing.assert_array_equal(again[3], y_te)
    ordered = data.train_test_split(X, y, test_size=2, shuffle=False)
    np.testing.assert_array_equal(ordered[3], [8, 9])


def test_train_test_split_errors():
    X, y = np.zeros((4, 1)), np.zeros(4)
    with pytest.raises(ValueError, match="both parts need at least one sample"):
        data.train_test_split(X, y, test_size=4)
    with pytest.raises(ValueError, match="same number of samples"):
        data.train_test_split(X, y[:3])


def test_batches_keep_the_last_partial_batch_like_keras():
    batches = list(data.batch_indices(100, 32))
    assert [len(idx) for idx in batches] == [32, 32, 32, 4]  # indices, with or without shuffle
    assert np.array_equal(np.concatenate(batches), np.arange(100))
    X, y = np.arange(10.0)[:, None], np.arange(10)
    seen = np.concatenate([yb for _, yb in data.iterate_minibatches(X, y, 4, shuffle=True, seed=0)])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))


def test_make_imbalanced_has_the_asked_share_of_positives():
    X, y = data.make_imbalanced(1000, positive_fraction=0.05, separation=3.0, seed=0)
    assert X.shape == (1000, 2) and y.shape == (1000,)
    assert y.sum() == 50 and set(np.unique(y)) == {0, 1}
    # class 1 sits `separation` away from class 0 along the diagonal
    gap = X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0)
    assert np.linalg.norm(gap) == pytest.approx(3.0, abs=0.35)
    np.testing.assert_array_equal(data.make_imbalanced(50, seed=1)[0],
                                  data.make_imbalanced(50, seed=1)[0])
    assert data.make_imbalanced(10, positive_fraction=0.01, seed=0)[1].sum() == 1  # at least one
    with pytest.raises(ValueError, match="positive_fraction must be > 0"):
        data.make_imbalanced(positive_fraction=0.0)
    with pytest.raises(ValueError, match=r"positive_fraction must be in \[0.0, 1.0\)"):
        data.make_imbalanced(positive_fraction=1.5)
