"""course.n03_learning_backprop.diagnostics: scores, per-layer values, update ratios, overfitting a tiny batch."""

import math

import numpy as np
import pytest

import nnlib
from course.n03_learning_backprop import diagnostics


@pytest.fixture
def spirals():
    X, labels = nnlib.data.make_spirals(120, n_classes=3, seed=1)
    return X, nnlib.data.one_hot(labels, 3)


def test_output_scores_are_the_logits_of_the_softmax(spirals):
    X, Y = spirals
    model = nnlib.MLP([2, 8, 3], ["relu", "softmax"], seed=0)
    scores = diagnostics.output_scores(model, X)
    assert scores.shape == (120, 3)
    assert np.allclose(nnlib.activations.softmax(scores), model.predict(X))
    start = nnlib.losses.categorical_cross_entropy(Y, scores, from_logits=True)
    assert abs(start - math.log(3)) < 0.1  # small scores: about ln C


def test_layer_values_shapes_and_gradients(spirals):
    X, Y = spirals
    model = nnlib.MLP([2, 8, 4, 3], ["relu", "tanh", "softmax"], seed=0)
    values = diagnostics.layer_values(model, X, Y, loss="categorical_cross_entropy")
    assert [a.shape for a in values["activations"]] == [(120, 8), (120, 4)]
    assert [g.shape for g in values["gradients"]] == [(2, 8), (8, 4), (4, 3)]
    _, grads = model.loss_and_grads(X, Y, loss="categorical_cross_entropy")
    assert all(np.array_equal(a, b) for a, b in zip(values["gradients"], grads[0::2]))
    assert np.all(values["activations"][0] >= 0)  # ReLU


def test_update_ratios_do_not_change_the_model_and_scale_with_the_rate(spirals):
    X, Y = spirals
    model = nnlib.MLP([2, 8, 3], ["relu", "softmax"], seed=0)
    before = [p.copy() for p in model.params]
    small = diagnostics.update_ratios(model, X, Y, nnlib.SGD(learning_rate=0.001),
                                      loss="categorical_cross_entropy")
    large = diagnostics.update_ratios(model, X, Y, nnlib.SGD(learning_rate=0.01),
                                      loss="categorical_cross_entropy")
    assert all(np.array_equal(a, b) for a, b in zip(before, model.params))
    assert np.allclose(np.array(large) / np.array(small), 10.0)
    _, grads = model.loss_and_grads(X, Y, loss="categorical_cross_entropy")
    W1 = model.params[0]
    assert small[0] == pytest.approx(0.001 * np.linalg.norm(grads[0]) / np.linalg.norm(W1))


def test_overfit_tiny_memorises_a_few_samples(spirals):
    X, Y = spirals
    model = nnlib.MLP([2, 32, 3], ["relu", "softmax"], seed=0)
    losses = diagnostics.overfit_tiny(model, X[:6], Y[:6], loss="categorical_cross_entropy",
                                      optimizer=nnlib.Adam(learning_rate=0.01), epochs=300)
    assert len(losses) == 300 and losses[-1] < 0.01 < losses[0]
