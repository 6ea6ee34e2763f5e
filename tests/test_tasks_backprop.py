"""Notebook 03's tasks: the solutions pass, each typical mistake is named, placeholders are
"not attempted", and ``use`` falls back to nnlib's version."""

import importlib
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import nnlib
from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from course.n03_learning_backprop import tasks

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
        assert task.use(placeholder, quiet=True) is task._reference


MSE_GRAD_MISTAKES = {
    "1/N missing": (lambda y, yh: 2 * (yh - y), r"1/N is missing"),
    "sign flipped": (lambda y, yh: 2 * (y - yh) / y.size, r"sign is flipped"),
    "2 missing": (lambda y, yh: (yh - y) / y.size, r"the 2 of the derivative"),
    "divided by the rows": (lambda y, yh: 2 * (yh - y) / y.shape[0], r"not by the rows"),
    "summed over columns": (lambda y, yh: (yh - y).sum(axis=1), r"shape"),
    "2 and 1/N missing": (lambda y, yh: yh - y, r"both the 2 .* and the 1/N .* are missing"),
    "the squared errors": (lambda y, yh: (yh - y) ** 2 / y.size,
                           r"share of the loss, \(y_hat - y\)\^2 / N, not its derivative"),
    "the MAE's gradient": (lambda y, yh: np.sign(yh - y) / y.size,
                           r"gradient of the mean absolute error"),
    "sign flipped, 2 missing": (lambda y, yh: (y - yh) / y.size,
                                r"-0.5 times the right values everywhere"),
    "mean taken, one number": (lambda y, yh: np.mean(2 * (yh - y)),
                               r"has shape \(\), expected shape \(5, 1\)"),
}


@pytest.mark.parametrize("name", list(MSE_GRAD_MISTAKES))
def test_mse_grad_mistake_catalogue(name, assert_named):
    fn, pattern = MSE_GRAD_MISTAKES[name]
    assert_named(tasks.mse_grad, fn, pattern=pattern)


def _ce(s, Y):
    p = _softmax(s)
    return -np.sum(Y * np.log(p)) / len(s), (p - Y) / len(s)


def _unstable(s, Y):
    with np.errstate(all="ignore"):
        p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
        return -np.sum(Y * np.log(p)) / len(s), (p - Y) / len(s)


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


SOFTMAX_CE_MISTAKES = {
    "loss summed": (lambda s, Y: (_ce(s, Y)[0] * len(s), _ce(s, Y)[1]), r"summed over samples"),
    "loss sign": (lambda s, Y: (-_ce(s, Y)[0], _ce(s, Y)[1]), r"wrong sign"),
    "Y not used in the loss": (lambda s, Y: (-np.mean(np.log(_softmax(s))), _ce(s, Y)[1]),
                               r"multiply by Y"),
    "dscores not divided by n": (lambda s, Y: (_ce(s, Y)[0], _ce(s, Y)[1] * len(s)),
                                 r"divides by n"),
    "dscores sign": (lambda s, Y: (_ce(s, Y)[0], -_ce(s, Y)[1]), r"wrong sign"),
    "Y not subtracted": (lambda s, Y: (_ce(s, Y)[0], _softmax(s) / len(s)), r"subtract Y"),
    "loss only": (lambda s, Y: _ce(s, Y)[0], r"pair"),
    "no max subtracted": (_unstable, r"subtract each row's largest"),
    "log of a rounded p": (_log_of_softmax, r"true class 1000 below .* log\(0\) is -inf"),
    "the batch's max": (_global_max, r"whole batch.*each row's own largest"),
}


@pytest.mark.parametrize("name", list(SOFTMAX_CE_MISTAKES))
def test_softmax_cross_entropy_mistake_catalogue(name, assert_named):
    fn, pattern = SOFTMAX_CE_MISTAKES[name]
    assert_named(tasks.softmax_cross_entropy, fn, pattern=pattern)


DENSE_BACKWARD_MISTAKES = {
    "dW transposed": (lambda dZ, A, W: (dZ.T @ A, dZ.sum(0), dZ @ W.T), r"transposed"),
    "db summed over the units": (lambda dZ, A, W: (A.T @ dZ, dZ.sum(1), dZ @ W.T),
                                 r"one entry per sample"),
    "dW divided by n": (lambda dZ, A, W: (A.T @ dZ / len(A), dZ.sum(0), dZ @ W.T),
                        r"divided by n"),
    "db a mean": (lambda dZ, A, W: (A.T @ dZ, dZ.mean(0), dZ @ W.T), r"db is a mean"),
    "W not transposed": (lambda dZ, A, W: (A.T @ dZ, dZ.sum(0), dZ @ W),
                         r"shapes do not fit a matrix product"),
    "dA_prev not returned": (lambda dZ, A, W: (A.T @ dZ, dZ.sum(0)), r"three arrays"),
}


@pytest.mark.parametrize("name", list(DENSE_BACKWARD_MISTAKES))
def test_dense_backward_mistake_catalogue(name, assert_named):
    fn, pattern = DENSE_BACKWARD_MISTAKES[name]
    assert_named(tasks.dense_backward, fn, pattern=pattern)


def _backprop_as_written(mistake="none"):
    """Backprop as a student writes it, with one typical mistake."""
    def backprop(params, X, y):
        n = len(params) // 2
        inputs, scores, A = [], [], X
        for l in range(n):
            Z = A @ params[2 * l] + params[2 * l + 1]
            inputs.append(A)
            scores.append(Z)
            A = np.maximum(Z, 0) if (l < n - 1 or mistake == "ReLU on the output") else Z
        loss = np.sum((A - y) ** 2) if mistake == "loss summed" else np.mean((A - y) ** 2)
        dZ = {"1/N missing": 2 * (A - y), "2 missing": (A - y) / A.size,
              "dZ sign flipped": 2 * (y - A) / A.size}.get(mistake, 2 * (A - y) / A.size)
        if mistake == "ReLU on the output":
            dZ = dZ * (scores[-1] > 0)
        grads = [None] * len(params)
        for l in range(n - 1, -1, -1):
            dW = dZ.T @ inputs[l] if mistake == "dW transposed" else inputs[l].T @ dZ
            grads[2 * l], grads[2 * l + 1] = dW, dZ.sum(axis=0)
            if l:
                dZ = dZ @ params[2 * l].T
                if mistake != "no ReLU derivative":
                    dZ = dZ * (scores[l - 1] > 0)
        if mistake == "params changed in place":
            params[0] -= 0.1 * grads[0]
        return float(loss), grads
    return backprop


BACKPROP_MISTAKES = {
    "no ReLU derivative": r"d[Wb][12].*dW3, db3 are right, so look at how dZ passes back",
    "ReLU on the output": r"output layer goes through ReLU",
    "1/N missing": r"every gradient is 8 times too large, N = 8: .*1/N",
    "2 missing": r"every gradient is 0.5 times the right one",
    "dZ sign flipped": r"every gradient has its sign flipped.*prediction minus target",
    "loss summed": r"the loss: it is the sum of the squared errors; the MSE is their mean",
    "dW transposed": (r"dW3 has shape \(1, 5\).*transposed"
                      r".*\(db3 is right: look at how dW3 is formed"),
    "params changed in place": r"changed the parameters it was given",
}


def test_backprop_as_written_without_a_mistake_is_correct():
    assert tasks.backprop.check(_backprop_as_written()).status == CORRECT


@pytest.mark.parametrize("mistake", list(BACKPROP_MISTAKES))
def test_backprop_mistake_catalogue(mistake, assert_named):
    feedback = assert_named(tasks.backprop, _backprop_as_written(mistake),
                            pattern=BACKPROP_MISTAKES[mistake])
    if mistake not in ("no ReLU derivative", "dW transposed"):  # those are per gradient
        assert "right" not in feedback.message.replace("the right one", "")


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


def _doubled_rate(model, X, y, optimizer, *, epochs, batch_size, seed):
    optimizer.learning_rate *= 2
    return solutions.train(model, X, y, optimizer, epochs=epochs, batch_size=batch_size,
                           seed=seed)


def _trains_a_copy(model, X, y, optimizer, *, epochs, batch_size, seed):
    return solutions.train(model.copy(), X, y, optimizer, epochs=epochs,
                           batch_size=batch_size, seed=seed)


TRAIN_MISTAKES = {
    "never shuffled": (_train_variant(no_shuffle=True), r"never shuffled"),
    "rng reseeded every epoch": (_train_variant(reseed=True), r"same order"),
    "plain mean of the batches": (_train_variant(plain=True), r"weight each by its batch size"),
    "y not shuffled": (_train_as_written("y not shuffled"), r"X is shuffled but y is not"),
    "last batch dropped": (_train_as_written("last batch dropped"),
                           r"last, smaller batch is skipped"),
    "optimizer ignored": (_train_as_written("optimizer ignored"),
                          r"not by the optimizer you were given"),
    "no update": (_train_as_written("no update"), r"the weights never change"),
    "last batch only": (_train_as_written("last batch only"), r"the last batch's loss only"),
    "loss after the update": (_train_as_written("loss after the update"),
                              r"measured after the update"),
    "loss after the update, batch_indices": (_train_variant(after=True),
                                             r"measured after the update"),
    "learning rate doubled (unnamed)": (
        _doubled_rate, r"differs from MLP.fit's from epoch [12] on \((higher|lower) there\)"),
    "a copy of the model trained": (_trains_a_copy, r"update model.params in place"),
}


def test_the_training_loops_without_a_mistake_are_correct():
    assert tasks.train.check(_train_variant()).status == CORRECT
    assert tasks.train.check(_train_as_written("none")).status == CORRECT


@pytest.mark.parametrize("name", list(TRAIN_MISTAKES))
def test_train_mistake_catalogue(name, assert_named):
    fn, pattern = TRAIN_MISTAKES[name]
    assert_named(tasks.train, fn, pattern=pattern)


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
