"""Notebook 05b's exercises: one LSTM step in Keras' layout, backpropagation through time
of a SimpleRNN, counting an LSTM's weights and the GRU's update gate.

The checkers call the student's cell on fresh random inputs and weights, compare it with
``recurrent`` and name the typical mistakes they recognise (the gates read in the
wrong order, sigmoid and tanh swapped, a cell state that skips the forget gate, a hidden
state taken from the cell state without its tanh).
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays, gradient_reason

from . import recurrent

KERAS_ORDER = "ifco"  # input, forget, candidate, output
_GATE_NAMES = {"i": "i", "f": "f", "c": "c~", "o": "o"}


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


# ---------------------------------------------------------------- one LSTM step


def _lstm_step_reference(x, h, c, W, U, b):
    """nnlib's LSTM cell with the state passed as two arguments: ``(h_new, c_new)``."""
    return recurrent.lstm_cell(x, (h, c), W, U, b)


def _lstm_variant(x, h, c, W, U, b, *, order=KERAS_ORDER, gate=_sigmoid, candidate=np.tanh,
                  cell="f*c+i*g", hidden="o*tanh(c_new)", recurrent=True):
    """An LSTM step with one thing changed: ``(h_new, c_new)``."""
    blocks = np.split(x @ W + (h @ U if recurrent else 0.0) + b, 4, axis=-1)
    z = {name: blocks[order.index(name)] for name in KERAS_ORDER}
    i, f, o = gate(z["i"]), gate(z["f"]), gate(z["o"])
    g = candidate(z["c"])
    c_new = {"f*c+i*g": f * c + i * g, "c+i*g": c + i * g, "i*g": i * g,
             "f*c+g": f * c + g, "(1-f)*c+i*g": (1 - f) * c + i * g, "c": c}[cell]
    h_new = {"o*tanh(c_new)": o * np.tanh(c_new), "o*c_new": o * c_new,
             "tanh(c_new)": np.tanh(c_new), "o*tanh(c)": o * np.tanh(c),
             "o*sigmoid(c_new)": o * _sigmoid(c_new), "tanh(o*c_new)": np.tanh(o * c_new)}[hidden]
    return h_new, c_new


def _lstm_mistakes(args):
    """``[(h_new, c_new, message), ...]`` of the typical mistakes."""
    out = []
    for order in permutations(KERAS_ORDER):
        order = "".join(order)
        if order != KERAS_ORDER:
            said = ", ".join(_GATE_NAMES[g] for g in order)
            out.append((*_lstm_variant(*args, order=order),
                        f"the gates are read from the wrong blocks (as if the order were "
                        f"{said}): Keras places them along the last axis of W, U and b as "
                        "i, f, c~, o (input, forget, candidate, output), each `units` wide."))
    out += [
        (*_lstm_variant(*args, gate=np.tanh, candidate=_sigmoid),
         "sigmoid and tanh are swapped: the gates i, f and o use the sigmoid (between 0 and "
         "1, a share to let through), the candidate c~ uses tanh (between -1 and 1)."),
        (*_lstm_variant(*args, candidate=_sigmoid),
         "the candidate c~ uses the sigmoid; it uses tanh, so that it can be negative."),
        (*_lstm_variant(*args, gate=np.tanh),
         "the gates use tanh; they use the sigmoid, a share between 0 and 1."),
        (*_lstm_variant(*args, cell="c+i*g"),
         "c_new does not use the forget gate: the old cell state is multiplied by f "
         "before the new content is added."),
        (*_lstm_variant(*args, cell="i*g"),
         "c_new forgets the old cell state entirely: it is f * c (what is kept) plus "
         "i * c~ (what is written)."),
        (*_lstm_variant(*args, cell="f*c+g"),
         "c_new adds the candidate without the input gate: it is scaled by i."),
        (*_lstm_variant(*args, cell="(1-f)*c+i*g"),
         "the forget gate keeps the old cell state when it is close to 1: multiply c by "
         "f, not by 1 - f."),
        (*_lstm_variant(*args, recurrent=False),
         "the gates and the candidate ignore the previous hidden state h: their "
         "pre-activations are x W + h U + b."),
        (*_lstm_variant(*args, hidden="o*c_new"),
         "h_new is computed from c_new directly; squash the new cell state with tanh "
         "first, then apply the output gate."),
        (*_lstm_variant(*args, hidden="tanh(c_new)"),
         "h_new is missing the output gate o."),
        (*_lstm_variant(*args, hidden="o*tanh(c)"),
         "h_new uses the old cell state c; it uses the new one, c_new."),
        (*_lstm_variant(*args, hidden="o*sigmoid(c_new)"),
         "h_new squashes c_new with the sigmoid; it uses tanh."),
        (*_lstm_variant(*args, hidden="tanh(o*c_new)"),
         "the output gate multiplies tanh(c_new), after the tanh, not before it."),
        # last: its h_new, o * tanh(c), is the "old cell state" mistake's as well
        (*_lstm_variant(*args, cell="c"),
         "c_new is the old cell state c, unchanged: the step updates it to "
         "f * c + i * c~."),
    ]
    return out


def _check_lstm_step(fn, rng):
    for n, n_in, units in [(3, 2, 4), (2, 5, 3)]:
        x = rng.normal(size=(n, n_in))
        h = np.tanh(rng.normal(size=(n, units)))
        c = rng.normal(size=(n, units))
        W = rng.normal(size=(n_in, 4 * units))
        U = 0.5 * rng.normal(size=(units, 4 * units))
        b = rng.normal(size=4 * units)
        args = (x, h, c, W, U, b)
        out = call(fn, *(a.copy() for a in args))
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            return "return a pair (h_new, c_new)."
        h_new, c_new = out
        right_h, right_c = _lstm_step_reference(*args)
        where = f"with {units} units and a batch of {n}, "
        if (np.shape(h_new) == right_c.shape and np.shape(c_new) == right_h.shape
                and np.allclose(h_new, right_c) and np.allclose(c_new, right_h)):
            return where + "the pair is the wrong way round: return (h_new, c_new)."
        mistakes = _lstm_mistakes(args)
        reason = (compare_arrays(c_new, right_c, name="c_new",
                                 mistakes=[(mc, msg) for _, mc, msg in mistakes])
                  or compare_arrays(h_new, right_h, name="h_new",
                                    mistakes=[(mh, msg) for mh, _, msg in mistakes]))
        if reason:
            return where + reason
    return None


lstm_step = Task(
    "lstm_step", _check_lstm_step, _lstm_step_reference,
    hints=["One matrix product gives all four pre-activations at once, x W + h U + b, of "
           "width 4 * units; cut it into four blocks of `units` columns, in the order "
           "i, f, c~, o.",
           "The gates i, f, o go through the sigmoid, the candidate c~ through tanh.",
           "c_new = f * c + i * c~ and h_new = o * tanh(c_new), entry by entry."],
    seed=511,
    owner="the course's",
    # _lstm_variant builds the mistakes: with its defaults it is the right step
    forbidden={"recurrent.lstm_cell": recurrent.lstm_cell, "tasks._lstm_variant": _lstm_variant},
)

# ---------------------------------------------------------------- backprop through time


def _rnn_backward_reference(dh_last, X, W, U, b):
    """nnlib's backpropagation through time: ``(dX, dW, dU, db)``."""
    return recurrent.simple_rnn_backward(dh_last, X, W, U, b)


def _bptt_variant(dh_last, X, W, U, b, *, slope="right", carry="right", dU_state="previous",
                  overwrite=False, steps=None):
    """Backpropagation through time with one thing changed, as a student might write it."""
    states = [np.zeros((X.shape[0], U.shape[0]))]
    for t in range(X.shape[1]):
        states.append(np.tanh(X[:, t] @ W + states[-1] @ U + b))
    dX, dW, dU, db = (np.zeros_like(a, dtype=float) for a in (X, W, U, b))
    dh = dh_last
    last = X.shape[1] - 1
    for t in range(last, last - (steps or X.shape[1]), -1):
        h_slope = {"right": states[t + 1], "previous": states[t]}.get(slope)
        dz = dh if slope == "none" else dh * (1 - h_slope**2)
        h_for_dU = states[t + 1] if dU_state == "current" else states[t]
        if overwrite:
            dW, dU, db = X[:, t].T @ dz, h_for_dU.T @ dz, dz.sum(axis=0)
        else:
            dW, dU, db = dW + X[:, t].T @ dz, dU + h_for_dU.T @ dz, db + dz.sum(axis=0)
        dX[:, t] = dz @ W.T
        dh = {"right": dz @ U.T, "untransposed": dz @ U, "before_slope": dh @ U.T}[carry]
    return dX, dW, dU, db


def _bptt_mistakes(args):
    return [
        (_bptt_variant(*args, slope="none"),
         "the tanh's slope is missing: before the weights, dz_t = dh_t * (1 - h_t^2)."),
        (_bptt_variant(*args, slope="previous"),
         "the tanh's slope is taken at the previous state: step t's slope is 1 - h_t^2, "
         "at the state that step produced."),
        (_bptt_variant(*args, steps=1),
         "only the last step counts: the gradient must go on to h_{t-1} through U and "
         "repeat the same computation for every earlier step."),
        (_bptt_variant(*args, carry="untransposed"),
         "the gradient passes back through U instead of U^T: h_{t-1} U feeds step t, so "
         "dh_{t-1} = dz_t U^T."),
        (_bptt_variant(*args, carry="before_slope"),
         "the gradient passes back to h_{t-1} without the tanh's slope: use dz_t, not dh_t."),
        (_bptt_variant(*args, dU_state="current"),
         "dU pairs dz_t with h_t; U multiplies the previous state, so dU sums "
         "h_{t-1}^T dz_t."),
        (_bptt_variant(*args, overwrite=True),
         "each step overwrites the weights' gradients; the same W, U and b serve every "
         "step, so add up (+=) what each step gives them."),
    ]


def _check_rnn_backward(fn, rng):
    n, steps, n_in, units = 3, 5, 2, 4
    X = rng.normal(size=(n, steps, n_in))
    W, U = 0.8 * rng.normal(size=(n_in, units)), 0.6 * rng.normal(size=(units, units))
    b, dh_last = 0.3 * rng.normal(size=units), rng.normal(size=(n, units))
    args = (dh_last, X, W, U, b)
    given = tuple(a.copy() for a in args)
    out = call(fn, *given)
    if not all(np.array_equal(a, g) for a, g in zip(args, given)):
        return "your function changed its inputs; compute new arrays instead."
    if not isinstance(out, tuple) or len(out) != 4:
        return "return four arrays: (dX, dW, dU, db)."
    right = _rnn_backward_reference(*args)
    names = ["dX", "dW", "dU", "db"]
    shapes_right = all(np.shape(o) == np.shape(r) for o, r in zip(out, right))
    for wrong, message in _bptt_mistakes(args) if shapes_right else ():
        if all(np.allclose(o, w) for o, w in zip(out, wrong)):  # the mistake reproduced
            first = next((n for n, o, r in zip(names, out, right) if not np.allclose(o, r)),
                         names[0])
            return f"{first}: {message}"
    for name, got, expected in zip(names, out, right):
        reason = compare_arrays(got, expected, name=name)
        if reason:
            return reason

    def loss_of(X_=X, W_=W, U_=U, b_=b):
        return float(np.sum(dh_last * recurrent.rnn_forward("simple_rnn", X_, W_, U_, b_)))
    return (gradient_reason(lambda v: loss_of(X_=v), X, out[0], "dX")
            or gradient_reason(lambda v: loss_of(W_=v), W, out[1], "dW")
            or gradient_reason(lambda v: loss_of(U_=v), U, out[2], "dU")
            or gradient_reason(lambda v: loss_of(b_=v), b, out[3], "db"))


rnn_backward = Task(
    "rnn_backward", _check_rnn_backward, _rnn_backward_reference,
    hints=["Run the forward pass first and keep every state h_0 = 0, h_1, ..., h_T. Then "
           "go back from the last step with dh = dh_last.",
           "At step t: dz = dh * (1 - h_t^2); W, U and b get x_t^T dz, h_{t-1}^T dz and the "
           "sum of dz over samples, added to what later steps gave them; dx_t = dz W^T.",
           "What goes on to the step before: dh_{t-1} = dz U^T."],
    seed=512,
    owner="the course's",
    # _bptt_variant builds the mistakes: with its defaults it is the right gradient
    forbidden={"recurrent.simple_rnn_backward": recurrent.simple_rnn_backward,
               "tasks._bptt_variant": _bptt_variant},
)

# ---------------------------------------------------------------- practice: numbers


def _lstm_params_checker(answer):
    right = recurrent.count_rnn_params("lstm", 3, 8)
    one_block = 3 * 8 + 8 * 8 + 8
    return compare_arrays(answer, right, name="the number of weights", mistakes=[
        (one_block, "that is one block; an LSTM has four (i, f, c~, o) side by side."),
        (3 * one_block, "an LSTM has four blocks (i, f, c~, o), not three."),
        (4 * (3 * 8 + 8 * 8), "the biases are missing: one per unit in each block."),
        (4 * (3 * 8 + 8), "the recurrent kernel is missing: each block also reads the "
                          "previous state, 8 x 8 weights."),
    ])


lstm_params = Exercise(
    "1. Weights of an LSTM", _lstm_params_checker,
    hints=["An LSTM is four dense-like blocks (i, f, c~, o) side by side, each reading "
           "the input and the previous state.",
           "Each block: a kernel of 3 x 8, a recurrent kernel of 8 x 8 and 8 biases."],
)


def _keep_state_checker(answer):
    # h_t = z h_{t-1} + (1 - z) h~: the z for which h_t = h_{t-1} whatever h~ is
    h_old, candidate = np.array([0.3, -0.7]), np.array([-0.5, 0.9])
    right = [z for z in (0.0, 0.5, 1.0)
             if np.allclose(z * h_old + (1 - z) * candidate, h_old)][0]
    return compare_arrays(answer, right, name="z", mistakes=[
        (0.0, "with z = 0 the GRU replaces its state by the candidate; in Keras' "
              "convention z multiplies the old state."),
        (0.5, "z = 0.5 mixes the old state and the candidate half and half."),
    ])


keep_state = Exercise(
    "2. Keep the state", _keep_state_checker,
    hints=["h_t = z h_{t-1} + (1 - z) h~: the update gate mixes the old state and the "
           "candidate.",
           "Which value of z makes the candidate's share vanish?"],
)
