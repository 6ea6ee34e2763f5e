"""Solutions of notebook 04a's build-it tasks (merged into the teacher's notebook by
tools/classroom.py; each method's body replaces the placeholder of the same name), the
answers of its practice exercises and the model answer of its written question."""

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


ANSWERS = {
    "divergence_limit": 0.25,
    "momentum_two_steps": np.array([0.76, 0.0]),
}


WRITTEN = {
    "why_momentum_helps": """
On an elongated bowl the best plain learning rate is set by the steep direction: a larger
rate would make the steps across the narrow valley grow and diverge. Along the long, flat
direction the gradient is small, so that same rate crawls, and the number of steps grows
with the condition number. Momentum adds up the steps that keep the same direction, so along
the flat valley the velocity builds up and the steps grow, while across the valley the
gradient changes sign from step to step and the contributions cancel, damping the zig-zag.
That is why, with the best rate and momentum, the steps needed grow only like the square
root of the condition number.
""",
}
