"""Solutions of notebook 02's build-it tasks (merged into the teacher's notebook by
tools/classroom.py; each function's body replaces the placeholder of the same name) and the
answer of its practice exercise."""

import numpy as np


def relu(z):
    return np.maximum(z, 0.0)


def relu_grad(z):
    return (z > 0).astype(float)


def sigmoid(z):
    # e^(-|z|) never overflows; both forms below are the same function
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)


ANSWERS = {
    # e^3 = 20.086, e^1 = 2.718, e^0 = 1; their sum is 23.804
    "softmax_by_hand": [20.086 / 23.804, 2.718 / 23.804, 1 / 23.804],
}

WRITTEN = {
    "why_activation_needed": """
Without activations every layer computes $XW + b$, and a linear step applied to a linear step
is again one linear step: $(XW_1 + b_1)W_2 + b_2 = X(W_1 W_2) + (b_1 W_2 + b_2)$. So a stack
of any number of linear layers is a single linear layer in disguise; with one input it can
only draw a straight line, and extra layers add nothing. A nonlinear activation such as ReLU
between the layers stops the matrices from merging: each ReLU neuron bends the output where
it switches on or off, so the network can fit curved shapes.
""",
}
