"""Tests for course/n06b_digits/digits.py and plots.py: the data, the stratified split, the
classifier made of pieces (its gradient against finite differences and nnlib's), its run
against nnlib's, the weight pictures, the confused pairs and cross-validation."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnlib
from course import student_library
from course.n06b_digits import digits, plots
from nnlib.data import one_hot
from nnlib.gradcheck import numerical_gradient, relative_error

NAMES = ("dense_forward", "relu", "relu_grad", "softmax_cross_entropy", "dense_backward",
         "train", "Adam")


@pytest.fixture
def pieces():
    return student_library.Pieces(**{n: student_library.stand_in(n) for n in NAMES}, whose={})


def test_the_digits_are_scaled_and_kept_once():
    X, y = digits.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0 and set(np.unique(y)) == set(range(10))
    X[0, 0] = 5.0  # a copy: the kept data do not change
    assert digits.load_digits()[0][0, 0] <= 1.0


def test_the_stratified_split_keeps_each_class_share(rng):
    y = np.repeat(np.arange(3), [10, 21, 7])
    train, test = digits.stratified_split(y, test_size=0.3, seed=1)
    assert sorted(np.concatenate([train, test])) == list(range(len(y)))
    np.testing.assert_array_equal(np.bincount(y[test]), [3, 6, 2])  # round(0.3 * count)
    again = digits.stratified_split(y, test_size=0.3, seed=1)
    assert np.array_equal(again[0], train) and np.array_equal(again[1], test)
    with pytest.raises(ValueError, match="test_size must lie between 0 and 1"):
        digits.stratified_split(y, test_size=1.5)
    with pytest.raises(ValueError, match="1-D array of labels"):
        digits.stratified_split(y.reshape(2, -1))


@pytest.mark.parametrize("sizes", [[64, 10], [64, 7, 10]])
def test_the_classifier_gradient_is_nnlibs_and_the_finite_differences(pieces, rng, sizes):
    X = rng.random((9, 64))
    Y = one_hot(rng.integers(0, 10, size=9), 10)
    acts = ["relu"] * (len(sizes) - 2) + ["softmax"]
    model = nnlib.MLP(sizes, acts, seed=4)
    net = digits.Classifier(model.get_weights(), pieces)
    loss, grads = net.loss_and_grads(X, Y)
    ref_loss, ref_grads = model.loss_and_grads(X, Y, loss="categorical_cross_entropy")
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for g, r in zip(grads, ref_grads):
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-12)
    for i, p in enumerate(net.params):
        def f(v, i=i):
            trial = [q.copy() for q in net.params]
            trial[i] = v
            return digits.Classifier(trial, pieces).loss_and_grads(X, Y)[0]
        assert relative_error(grads[i], numerical_gradient(f, p.copy())) < 1e-6
    scores = net.scores(X)
    np.testing.assert_allclose(scores, digits.scores_of(model.get_weights(), X), rtol=1e-12)
    np.testing.assert_allclose(nnlib.activations.softmax(scores), model.predict(X), rtol=1e-12)
    np.testing.assert_array_equal(net.predict(X), np.argmax(model.predict(X), axis=1))


def test_a_run_on_the_pieces_is_nnlibs_run(pieces):
    X, y = digits.load_digits()
    recipe = {**digits.RECIPES["MLP 64-32-10"], "epochs": 2}
    mine = digits.run_with_pieces(pieces, recipe, X[:300], y[:300], seed=5)
    twin = digits.run_with_nnlib(recipe, X[:300], y[:300], seed=5)
    assert len(mine.losses) == 2 and len(mine.snapshots) == 3
    assert mine.losses == twin.losses
    for a, b in zip(mine.snapshots, twin.snapshots):
        assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert mine.weights is mine.snapshots[-1]
    accuracy = mine.accuracies(X[300:400], y[300:400])
    assert accuracy.shape == (3,) and accuracy[-1] > accuracy[0]


def test_weight_images_and_templates():
    X, y = digits.load_digits()
    means = np.stack([X[y == k].mean(axis=0) - X.mean(axis=0) for k in range(10)])
    weights = [means.T.copy(), np.zeros(10)]  # the templates themselves
    images = digits.weight_images(weights)
    assert images.shape == (10, 8, 8)
    np.testing.assert_array_equal(images[3], means[3].reshape(8, 8))
    np.testing.assert_array_equal(digits.template_matches(weights, X, y), np.arange(10))
    with pytest.raises(ValueError, match="shape \\(64, 10\\)"):
        digits.weight_images([np.zeros((64, 32))])


def test_confused_pairs_add_both_ways_round():
    C = np.diag(np.full(10, 30))
    C[3, 8], C[8, 3], C[4, 9], C[1, 7] = 2, 3, 4, 4
    assert digits.confused_pairs(C, top=3) == [(3, 8, 5), (1, 7, 4), (4, 9, 4)]


@pytest.mark.parametrize("n, k", [(23, 5), (20, 4), (1797, 5), (7, 7)])
def test_the_course_folds(n, k):
    folds = digits.k_fold_indices(n, k, seed=2)
    vals = [v for _, v in folds]
    np.testing.assert_array_equal(np.sort(np.concatenate(vals)), np.arange(n))
    assert max(map(len, vals)) - min(map(len, vals)) <= 1
    for train, val in folds:
        assert len(train) + len(val) == n and not set(train) & set(val)
    with pytest.raises(ValueError, match="k must be an integer from 2"):
        digits.k_fold_indices(5, 1)


def test_repeated_cv_scores_each_fold_of_each_run():
    X, y = digits.load_digits()
    quick = {"a": {**digits.RECIPES["softmax regression"], "epochs": 1},
             "b": {**digits.RECIPES["softmax regression"], "epochs": 2}}
    calls = []

    def folds_fn(n, k, seed):
        calls.append(seed)
        return digits.k_fold_indices(n, k, seed)

    scores = digits.repeated_cv(folds_fn, X[:200], y[:200], k=4, repeats=2, seed=3,
                                recipes=quick)
    assert calls == [3000, 3001]
    assert set(scores) == {"a", "b"} and scores["a"].shape == (2, 4)
    assert np.all((0 <= scores["a"]) & (scores["a"] <= 1))


def test_the_plots_draw(rng):
    X, y = digits.load_digits()
    fig = plots.show_digits(X, y, per_class=1)
    assert len(fig.axes) == 10
    scores = {"one": 0.9 + 0.05 * rng.random((3, 5)), "two": 0.92 + 0.05 * rng.random((3, 5))}
    fig = plots.plot_cross_validation(scores)
    assert len(fig.axes) == 2
    ax = plots.plot_confusion(np.diag(np.arange(1, 11)))
    assert len([t for t in ax.texts if t.get_text()]) == 10
    with pytest.raises(ValueError, match="square"):
        plots.plot_confusion(np.zeros((2, 3)))
    plt.close("all")
