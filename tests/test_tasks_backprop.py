"""Notebook 03's tasks: the solutions pass, each typical mistake is named, placeholders are
"not attempted", and ``use`` falls back to nnlib's version."""

import importlib
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from nnlib.tasks import backprop as tasks

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "teacher" / "solutions"))
solutions = importlib.import_module("03_learning_backprop")


def placeholder(*args, **kwargs):
    raise NotImplementedError()


def _softmax(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_every_task_accepts_the_solution_and_its_hidden_test_passes():
    for name in ["mse_grad", "softmax_cross_entropy", "dense_backward", "backprop", "train"]:
        task, solution = getattr(tasks, name), getattr(solutions, name)
        assert task.check(solution).status == CORRECT, task.check(solution)
        task.grade(solution)
        assert task.check(placeholder).status == NOT_ATTEMPTED
        assert task.use(placeholder, quiet=True) is task.reference


@pytest.mark.parametrize(("fn", "pattern"), [
    (lambda y, yh: 2 * (yh - y), "1/N is missing"),
    (lambda y, yh: 2 * (y - yh) / y.size, "sign is flipped"),
    (lambda y, yh: (yh - y) / y.size, "the 2 of the derivative"),
    (lambda y, yh: 2 * (yh - y) / y.shape[0], "not by the rows"),
    (lambda y, yh: (yh - y).sum(axis=1), "shape"),
])
def test_mse_grad_names_the_mistake(fn, pattern, assert_named):
    assert_named(tasks.mse_grad, fn, pattern=pattern)


def _ce(s, Y):
    p = _softmax(s)
    return -np.sum(Y * np.log(p)) / len(s), (p - Y) / len(s)


@pytest.mark.parametrize(("fn", "pattern"), [
    (lambda s, Y: (_ce(s, Y)[0] * len(s), _ce(s, Y)[1]), "summed over samples"),
    (lambda s, Y: (-_ce(s, Y)[0], _ce(s, Y)[1]), "wrong sign"),
    (lambda s, Y: (-np.mean(np.log(_softmax(s))), _ce(s, Y)[1]), "multiply by Y"),
    (lambda s, Y: (_ce(s, Y)[0], _ce(s, Y)[1] * len(s)), "divides by n"),
    (lambda s, Y: (_ce(s, Y)[0], -_ce(s, Y)[1]), "wrong sign"),
    (lambda s, Y: (_ce(s, Y)[0], _softmax(s) / len(s)), "subtract Y"),
    (lambda s, Y: _ce(s, Y)[0], "pair"),
])
def test_softmax_cross_entropy_names_the_mistake(fn, pattern, assert_named):
    assert_named(tasks.softmax_cross_entropy, fn, pattern=pattern)


def test_softmax_cross_entropy_must_be_stable_and_match_its_own_gradient(assert_named):
    def unstable(s, Y):
        with np.errstate(all="ignore"):
            p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
            return -np.sum(Y * np.log(p)) / len(s), (p - Y) / len(s)

    assert_named(tasks.softmax_cross_entropy, unstable, pattern="subtract each row's largest")


def _log_of_softmax(s, Y):
    shifted = s - s.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore"):
        return -np.sum(Y * np.log(p)) / len(s), (p - Y) / len(s)


def _global_max(s, Y):
    shifted = s - s.max()  # the whole batch's largest score, not each row's
    with np.errstate(all="ignore"):
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return -np.sum(Y * log_p) / len(s), (np.exp(log_p) - Y) / len(s)


@pytest.mark.parametrize(("fn", "pattern"), [
    (_log_of_softmax, r"true class 1000 below .* log\(0\) is -inf"),
    (_global_max, r"whole batch.*each row's own largest"),
])
def test_softmax_cross_entropy_is_checked_on_extreme_scores(fn, pattern, assert_named):
    assert_named(tasks.softmax_cross_entropy, fn, pattern=pattern)


@pytest.mark.parametrize(("fn", "pattern"), [
    (lambda dZ, A, W: (dZ.T @ A, dZ.sum(0), dZ @ W.T), "transposed"),
    (lambda dZ, A, W: (A.T @ dZ, dZ.sum(1), dZ @ W.T), "one entry per sample"),
    (lambda dZ, A, W: (A.T @ dZ / len(A), dZ.sum(0), dZ @ W.T), "divided by n"),
    (lambda dZ, A, W: (A.T @ dZ, dZ.mean(0), dZ @ W.T), "db is a mean"),
    (lambda dZ, A, W: (A.T @ dZ, dZ.sum(0), dZ @ W), "shapes do not fit a matrix product"),
    (lambda dZ, A, W: (A.T @ dZ, dZ.sum(0)), "three arrays"),
])
def test_dense_backward_names_the_mistake(fn, pattern, assert_named):
    assert_named(tasks.dense_backward, fn, pattern=pattern)


def _backprop_with(relu_grad_of):
    """The solution with the ReLU derivative taken of something else (a typical bug)."""
    def backprop(params, X, y):
        n = len(params) // 2
        inputs, scores, A = [], [], X
        for l in range(n):
            Z = A @ params[2 * l] + params[2 * l + 1]
            inputs.append(A)
            scores.append(Z)
            A = np.maximum(Z, 0) if l < n - 1 else Z
        grads, dZ = [None] * len(params), 2 * (A - y) / A.size
        for l in range(n - 1, -1, -1):
            grads[2 * l], grads[2 * l + 1] = inputs[l].T @ dZ, dZ.sum(0)
            if l:
                dZ = (dZ @ params[2 * l].T) * relu_grad_of(scores[l - 1], inputs[l])
        return float(np.mean((A - y) ** 2)), grads
    return backprop


def test_backprop_says_which_gradient_is_wrong():
    right = _backprop_with(lambda Z, A: Z > 0)
    assert tasks.backprop.check(right).status == CORRECT
    no_relu = _backprop_with(lambda Z, A: 1.0)  # forgot the activation's derivative
    feedback = tasks.backprop.check(no_relu)
    assert feedback.status == INCORRECT
    assert re.search(r"d[Wb][12].*dW3, db3 are right", feedback.message), feedback


def _backprop_variant(output="linear", scale=1.0, in_place=False):
    """The solution with one thing changed: a ReLU on the output, a factor on the output's
    dZ, or the parameters changed in place."""
    def backprop(params, X, y):
        n = len(params) // 2
        inputs, scores, A = [], [], X
        for l in range(n):
            Z = A @ params[2 * l] + params[2 * l + 1]
            inputs.append(A)
            scores.append(Z)
            A = np.maximum(Z, 0) if (l < n - 1 or output == "relu") else Z
        dZ = scale * 2 * (A - y) / A.size
        if output == "relu":
            dZ = dZ * (scores[-1] > 0)
        grads = [None] * len(params)
        for l in range(n - 1, -1, -1):
            grads[2 * l], grads[2 * l + 1] = inputs[l].T @ dZ, dZ.sum(0)
            if l:
                dZ = (dZ @ params[2 * l].T) * (scores[l - 1] > 0)
        if in_place:
            params[0] -= 0.1 * grads[0]
        return float(np.mean((A - y) ** 2)), grads
    return backprop


@pytest.mark.parametrize(("fn", "pattern"), [
    (_backprop_variant(output="relu"), r"output layer goes through ReLU"),
    (_backprop_variant(scale=8.0), r"every gradient is 8 times too large, N = 8: .*1/N"),
    (_backprop_variant(scale=0.5), r"every gradient is 0.5 times the right one"),
    (_backprop_variant(in_place=True), r"changed the parameters it was given"),
])
def test_backprop_names_only_mistakes_it_verified(fn, pattern, assert_named):
    feedback = assert_named(tasks.backprop, fn, pattern=pattern)
    assert "are right" not in feedback.message


def _train_variant(**kwargs):
    def train(model, X, y, optimizer, *, epochs, batch_size, seed):
        rng = np.random.default_rng(seed)
        out = []
        for _ in range(epochs):
            if kwargs.get("reseed"):
                rng = np.random.default_rng(seed)
            values, sizes = [], []
            for idx in nnlib.data.batch_indices(len(X), batch_size,
                                                shuffle=not kwargs.get("no_shuffle"), rng=rng):
                value, grads = model.loss_and_grads(X[idx], y[idx])
                optimizer.step(model.params, grads)
                if kwargs.get("after"):
                    value = model.loss(X[idx], y[idx])
                values.append(value)
                sizes.append(len(X[idx]))
            out.append(np.average(values, weights=None if kwargs.get("plain") else sizes))
        return out
    return train


@pytest.mark.parametrize(("kwargs", "pattern"), [
    ({"no_shuffle": True}, "never shuffled"),
    ({"reseed": True}, "same order"),
    ({"plain": True}, "weight each by its batch size"),
    ({"after": True}, "measured after the update"),
])
def test_train_names_the_mistake(kwargs, pattern, assert_named):
    assert tasks.train.check(_train_variant()).status == CORRECT
    assert_named(tasks.train, _train_variant(**kwargs), pattern=pattern)


def _train_as_written(mistake):
    """A training loop as a student writes it, with one of six silent mistakes."""
    def train(model, X, y, optimizer, *, epochs, batch_size, seed):
        rng = np.random.default_rng(seed)
        history = []
        for _ in range(epochs):
            order = rng.permutation(len(X))
            X_shuffled = X[order]
            y_shuffled = y if mistake == "y not shuffled" else y[order]
            total, last = 0.0, 0.0
            for start in range(0, len(X), batch_size):
                Xb = X_shuffled[start:start + batch_size]
                yb = y_shuffled[start:start + batch_size]
                if mistake == "last batch dropped" and len(Xb) < batch_size:
                    break
                loss, grads = model.loss_and_grads(Xb, yb)
                if mistake == "optimizer ignored":
                    for w, g in zip(model.params, grads):
                        w -= 0.01 * g
                elif mistake != "no update":
                    optimizer.step(model.params, grads)
                if mistake == "loss after the update":
                    loss = model.loss(Xb, yb)
                total += loss * len(Xb)
                last = loss
            history.append(last if mistake == "last batch only" else total / len(X))
        return history
    return train


@pytest.mark.parametrize(("mistake", "pattern"), [
    ("y not shuffled", "X is shuffled but y is not"),
    ("last batch dropped", "last, smaller batch is skipped"),
    ("optimizer ignored", "not by the optimizer you were given"),
    ("no update", "the weights never change"),
    ("last batch only", "the last batch's loss only"),
    ("loss after the update", "measured after the update"),
])
def test_train_names_each_silent_mistake(mistake, pattern, assert_named):
    assert tasks.train.check(_train_as_written("none")).status == CORRECT
    assert_named(tasks.train, _train_as_written(mistake), pattern=pattern)


def test_an_unknown_training_mistake_says_where_the_history_differs(assert_named):
    def doubled_rate(model, X, y, optimizer, *, epochs, batch_size, seed):
        optimizer.learning_rate *= 2
        return solutions.train(model, X, y, optimizer, epochs=epochs, batch_size=batch_size,
                               seed=seed)
    assert_named(tasks.train, doubled_rate,
                 pattern=r"differs from MLP.fit's from epoch [12] on \((higher|lower) there\)")


def test_train_must_update_the_model_it_is_given(assert_named):
    def copies(model, X, y, optimizer, *, epochs, batch_size, seed):
        return solutions.train(model.copy(), X, y, optimizer, epochs=epochs,
                               batch_size=batch_size, seed=seed)
    assert_named(tasks.train, copies, pattern="update model.params in place")


def test_the_students_train_plugs_into_real_training():
    X, y = nnlib.data.make_linear(seed=0)
    mine, theirs = (nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
                    for _ in range(2))
    losses = solutions.train(mine, X, y, nnlib.Adam(learning_rate=0.001), epochs=20,
                             batch_size=32, seed=0)
    fit = theirs.fit(X, y, optimizer=nnlib.Adam(learning_rate=0.001), epochs=20,
                     batch_size=32, seed=0)["loss"]
    assert np.max(np.abs(np.subtract(losses, fit))) < 1e-12


@pytest.mark.parametrize(("exercise", "answer", "status", "pattern"), [
    (tasks.one_step, 1.0, CORRECT, "well done"),
    (tasks.one_step, "1.0", INCORRECT, "got str"),
    (tasks.one_step, 0.0, INCORRECT, "stepped uphill"),
    (tasks.one_step, 5.5, INCORRECT, "multiply the gradient by the learning rate"),
    (tasks.one_step, 1.2, INCORRECT, "not the right value"),
    (tasks.which_rate_diverges, 0.25, CORRECT, "well done"),
    (tasks.which_rate_diverges, 0.15, INCORRECT, "not the right value"),
    (tasks.one_step, ..., NOT_ATTEMPTED, "placeholder"),
])
def test_practice_exercises(exercise, answer, status, pattern):
    feedback = exercise.check(answer)
    assert feedback.status == status and re.search(pattern, feedback.message), feedback
    assert "1.0" not in feedback.message or status == CORRECT or answer == "1.0"


def test_initial_loss_level():
    assert tasks.initial_loss_level(3) == pytest.approx(math.log(3))
