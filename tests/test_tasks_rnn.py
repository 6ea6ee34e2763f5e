"""Notebook 05b's tasks: the solution passes, each typical mistake is named."""

import importlib
import re
import sys

import numpy as np
import pytest

from course import keras_twin
from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from course.n05b_rnn_lstm_gru import tasks

sys.path.insert(0, "teacher/solutions")
solutions = importlib.import_module("05b_rnn_lstm_gru")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm(x, h, c, W, U, b, *, order="ifco", gate=sigmoid, cand=np.tanh, forget=True,
         squash_h=True, swap_return=False, input_gate=True, one_minus_f=False,
         update_c=True, h_from="c_new", recurrent=True):
    """An LSTM step written as a student would, with one thing changed."""
    blocks = dict(zip(order, np.split(x @ W + (h @ U if recurrent else 0) + b, 4, axis=1)))
    i, f, o, g = gate(blocks["i"]), gate(blocks["f"]), gate(blocks["o"]), cand(blocks["c"])
    kept = (1 - f) * c if one_minus_f else (f * c if forget else c)
    c_new = kept + (i * g if input_gate else g) if update_c else c
    squashed = np.tanh(c_new if h_from == "c_new" else c)
    h_new = o * (squashed if squash_h else c_new)
    return (c_new, h_new) if swap_return else (h_new, c_new)


def test_the_solution_is_correct_and_passes_the_hidden_test():
    assert tasks.lstm_step.check(solutions.lstm_step).status == CORRECT
    tasks.lstm_step.grade(solutions.lstm_step)
    assert tasks.lstm_step.check(lstm).status == CORRECT


LSTM_MISTAKES = {
    "gate order i, f, o, c~": ({"order": "ifoc"},
                               r"wrong blocks \(as if the order were i, f, o, c~\).*i, f, c~, o"),
    "gate order f, i, c~, o": ({"order": "fico"},
                               r"wrong blocks \(as if the order were f, i, c~, o\)"),
    "gate order i, c~, f, o": ({"order": "icfo"}, r"wrong blocks"),
    "sigmoid and tanh swapped": ({"gate": np.tanh, "cand": sigmoid},
                                 r"sigmoid and tanh are swapped"),
    "candidate through sigmoid": ({"cand": sigmoid}, r"candidate c~ uses the sigmoid"),
    "no forget gate": ({"forget": False}, r"c_new does not use the forget gate"),
    "1 - f": ({"one_minus_f": True}, r"multiply c by f, not by 1 - f"),
    "no input gate": ({"input_gate": False}, r"adds the candidate without the input gate"),
    "c not updated": ({"update_c": False}, r"c_new is the old cell state c, unchanged"),
    "h from the old c": ({"h_from": "c"}, r"h_new uses the old cell state c"),
    "h without tanh": ({"squash_h": False}, r"h_new is computed from c_new directly.*tanh"),
    "h @ U forgotten": ({"recurrent": False}, r"ignore the previous hidden state h"),
    "(c_new, h_new) returned": ({"swap_return": True}, r"wrong way round"),
    "h_new only returned": ({"only_h": True}, r"return a pair \(h_new, c_new\)"),
}


@pytest.mark.parametrize("name", list(LSTM_MISTAKES))
def test_lstm_step_mistake_catalogue(name, assert_named):
    kwargs, pattern = LSTM_MISTAKES[name]
    only_h = kwargs.get("only_h", False)

    def wrong(*args):
        out = lstm(*args, **{k: v for k, v in kwargs.items() if k != "only_h"})
        return out[0] if only_h else out

    assert_named(tasks.lstm_step, wrong, pattern=pattern)


def test_not_attempted_and_use_falls_back_to_nnlib():
    def placeholder(x, h, c, W, U, b):
        raise NotImplementedError()

    assert tasks.lstm_step.check(placeholder).status == NOT_ATTEMPTED
    wrong = lambda *args: lstm(*args, forget=False)  # noqa: E731
    assert tasks.lstm_step.use(wrong, quiet=True) is tasks.lstm_step._reference
    assert tasks.lstm_step.use(solutions.lstm_step, quiet=True) is solutions.lstm_step


def test_the_reference_unrolls_like_nnlib():
    from course.n05b_rnn_lstm_gru import recurrent

    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 4, 3))
    W, U, b = rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    h = c = np.zeros((2, 2))
    for t in range(4):
        h, c = tasks.lstm_step._reference(X[:, t], h, c, W, U, b)
    assert np.allclose(h, recurrent.rnn_forward("lstm", X, W, U, b))


@pytest.mark.parametrize("name", ["lstm_params", "keep_state"])
def test_practice_exercises(name, assert_practice):
    exercise = getattr(tasks, name)
    answer = solutions.ANSWERS[name]
    wrong = (lambda *args: answer(*args) + 0.1) if callable(answer) else answer + 1
    assert_practice(exercise, answer, wrong)


@pytest.mark.parametrize("name, wrong, pattern", [
    ("lstm_params", 96, r"that is one block"),
    ("lstm_params", 352, r"biases are missing"),
    ("keep_state", 0.0, r"replaces its state"),
])
def test_practice_mistakes_are_named(name, wrong, pattern):
    feedback = getattr(tasks, name).check(wrong)
    assert feedback.status == INCORRECT
    assert re.search(pattern, feedback.message), feedback.message


# ---------------------------------------------------------------- backprop through time


def test_rnn_backward_solution_is_correct_and_the_placeholder_is_not_attempted():
    assert tasks.rnn_backward.check(solutions.rnn_backward).status == CORRECT
    tasks.rnn_backward.grade(solutions.rnn_backward)
    assert tasks.rnn_backward.check(lambda *args: ...).status == NOT_ATTEMPTED


BPTT_MISTAKES = {
    "no tanh slope": ({"slope": "none"}, r"dX: the tanh's slope is missing"),
    "slope at the previous state": ({"slope": "previous"}, r"slope is taken at the previous"),
    "last step only": ({"steps": 1}, r"only the last step counts"),
    "U not transposed": ({"carry": "untransposed"}, r"through U instead of U\^T"),
    "carried before the slope": ({"carry": "before_slope"}, r"without the tanh's slope"),
    "dU with h_t": ({"dU_state": "current"}, r"dU: dU pairs dz_t with h_t"),
    "gradients overwritten": ({"overwrite": True}, r"dW: each step overwrites"),
}


@pytest.mark.parametrize("mistake", BPTT_MISTAKES)
def test_each_bptt_mistake_is_named(mistake, assert_named, monkeypatch):
    changes, pattern = BPTT_MISTAKES[mistake]
    # the mistakes are made with the checker's own helper, which a student may not call
    monkeypatch.setattr(tasks.rnn_backward, "forbidden", {
        k: v for k, v in tasks.rnn_backward.forbidden.items() if k != "tasks._bptt_variant"})
    assert_named(tasks.rnn_backward,
                 lambda *args, changes=changes: tasks._bptt_variant(*args, **changes),
                 pattern=pattern)


def test_an_unknown_bptt_mistake_says_what_differs_and_no_cause():
    def off(*args):
        dX, dW, dU, db = solutions.rnn_backward(*args)
        return dX, dW, dU * 1.01, db

    message = tasks.rnn_backward.check(off).message
    assert message.startswith("rnn_backward: dU") and "U^T" not in message


def test_simple_rnn_backward_agrees_with_tf_gradient_tape():
    """nnlib's BPTT, which the task compares with, is TensorFlow's gradient of SimpleRNN."""

    keras = keras_twin.import_keras()
    import tensorflow as tf

    from course.n05b_rnn_lstm_gru import recurrent

    rng = np.random.default_rng(3)
    X, dh = rng.normal(size=(3, 6, 2)), rng.normal(size=(3, 4))
    layer = keras.layers.SimpleRNN(4, dtype="float64")
    layer.build(X.shape)
    layer.set_weights([0.7 * rng.normal(size=w.shape) for w in layer.get_weights()])
    X_tf = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(X_tf)
        loss = tf.reduce_sum(tf.constant(dh) * layer(X_tf))
    theirs = tape.gradient(loss, [X_tf, *layer.trainable_weights])
    mine = recurrent.simple_rnn_backward(dh, X, *layer.get_weights())
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-12, atol=1e-12)
