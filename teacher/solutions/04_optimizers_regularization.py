"""Solutions of notebook 04's build-it tasks (merged into the teacher's notebook by
tools/course.py; each function's or method's body replaces the placeholder of the same
name), and the answers of its practice exercises."""

import numpy as np


class Momentum:
    def __init__(self, learning_rate=0.01, momentum=0.9):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocities = None

    def step(self, params, grads):
        if self.velocities is None:
            self.velocities = [np.zeros_like(w) for w in params]
        for w, g, v in zip(params, grads, self.velocities):
            v *= self.momentum
            v -= self.learning_rate * g
            w += v


class Adam:
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.m = None
        self.v = None
        self.t = 0

    def step(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(w) for w in params]
            self.v = [np.zeros_like(w) for w in params]
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        alpha = self.learning_rate * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for w, g, m, v in zip(params, grads, self.m, self.v):
            m += (1 - b1) * (g - m)
            v += (1 - b2) * (g * g - v)
            w -= alpha * m / (np.sqrt(v) + self.epsilon)


def dropout_forward(A, rate, rng):
    keep = 1 - rate
    mask = (rng.random(A.shape) < keep) / keep
    return A * mask, mask


def dropout_backward(dout, mask):
    return dout * mask


def l2_penalty_grad(weights, l2):
    return [2 * l2 * W for W in weights]


ANSWERS = {
    "divergence_limit": 0.25,
    "momentum_two_steps": np.array([0.76, 0.0]),
}


WRITTEN = {
    "why_l1_zeros_weights": """
The gradient of each penalty is its pull towards 0. For L2 the pull is $2 \\lambda_2 W$,
proportional to the weight: as a weight gets smaller the pull gets weaker, so weights shrink
(the large ones most) but never reach 0, and a weight that helps the fit even a little can
stay well away from 0. For L1 the pull is $\\lambda_1 \\operatorname{sign}(W)$, the same size
however small the weight is. A weight whose gradient from the data loss cannot balance that
constant pull keeps being pushed until it reaches 0, so only the few connections the fit
really needs survive. (With Adam the others jitter around 0 instead of sitting exactly on it.)
""",
}
