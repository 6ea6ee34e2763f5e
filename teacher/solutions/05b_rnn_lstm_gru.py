"""Solutions of notebook 05b's build-it task (merged into the teacher's notebook by
tools/classroom.py) and the answers of its practice exercises."""

import numpy as np


def lstm_step(x, h, c, W, U, b):
    def sigmoid(v):
        return 1.0 / (1.0 + np.exp(-v))

    z = x @ W + h @ U + b  # (n, 4 * units): the four blocks side by side
    units = h.shape[-1]
    i = sigmoid(z[:, :units])
    f = sigmoid(z[:, units:2 * units])
    c_tilde = np.tanh(z[:, 2 * units:3 * units])
    o = sigmoid(z[:, 3 * units:])
    c_new = f * c + i * c_tilde
    h_new = o * np.tanh(c_new)
    return h_new, c_new


def rnn_backward(dh_last, X, W, U, b):
    n, n_steps, _ = X.shape
    # forward, keeping every state: states[t] is h_t, states[0] = h_0 = 0
    states = [np.zeros((n, U.shape[0]))]
    for t in range(n_steps):
        states.append(np.tanh(X[:, t] @ W + states[-1] @ U + b))
    dX = np.zeros_like(X)
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    dh = dh_last
    for t in range(n_steps - 1, -1, -1):  # backwards through time
        dz = dh * (1 - states[t + 1] ** 2)  # through the tanh of step t
        dW += X[:, t].T @ dz
        dU += states[t].T @ dz
        db += dz.sum(axis=0)
        dX[:, t] = dz @ W.T
        dh = dz @ U.T  # on to the step before
    return dX, dW, dU, db


ANSWERS = {
    "lstm_params": 384,  # 4 * (3 * 8 + 8 * 8 + 8)
    "keep_state": 1.0,  # z = 1 keeps the old state (Keras' convention)
}


WRITTEN = {
    "why_gradients_vanish": r"""
Backpropagation through time sends the gradient back through every step, and each step
multiplies it by $U$ and by $\tanh'$, which is at most 1. With a small $U$ these products
shrink it: over 30 steps the notebook found that less than a millionth of it can get
through, so the first input's gradient is almost 0 and the network hardly learns to keep
it. The LSTM's cell state is updated by addition,
$c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$: with the forget gate near 1 and the input
gate near 0 the cell carries its content unchanged, and along that path the gradient is only
multiplied by $f_t$, so it is built not to fade.
""",
}
