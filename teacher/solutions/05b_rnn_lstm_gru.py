"""Solutions of notebook 05b's build-it task (merged into the teacher's notebook by
tools/course.py) and the answers of its practice exercises."""

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


def my_rnn_step(x, h, kernel, recurrent_kernel, bias):
    return np.tanh(x @ kernel + h @ recurrent_kernel + bias)


ANSWERS = {
    "lstm_params": 384,  # 4 * (3 * 8 + 8 * 8 + 8)
    "rnn_step": my_rnn_step,
    "keep_state": 1.0,  # z = 1 keeps the old state (Keras' convention)
}
