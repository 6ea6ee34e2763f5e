"""Solutions of notebook 03's build-it tasks (merged into the teacher's notebook by
tools/classroom.py; each function's body replaces the placeholder of the same name).

Use only names the notebook has at that point (its imports and earlier cells)."""

import numpy as np

import nnlib
from course.student_library import dense_forward, relu, relu_grad


def mse_grad(y, y_hat):
    return 2 * (y_hat - y) / y_hat.size


def softmax_cross_entropy(scores, Y):
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(Y * log_p) / n
    dscores = (np.exp(log_p) - Y) / n
    return loss, dscores


def dense_backward(dZ, A_prev, W):
    dW = A_prev.T @ dZ
    db = dZ.sum(axis=0)
    dA_prev = dZ @ W.T
    return dW, db, dA_prev


def backprop(params, X, y):
    n_layers = len(params) // 2
    # forward, keeping the input and the Z of every layer
    inputs, scores = [], []
    A = X
    for l in range(n_layers):
        Z = dense_forward(A, params[2 * l], params[2 * l + 1])
        inputs.append(A)
        scores.append(Z)
        A = relu(Z) if l < n_layers - 1 else Z
    loss = np.mean((A - y) ** 2)
    # backward, from the loss to the first layer
    grads = [None] * len(params)
    dZ = mse_grad(y, A)
    for l in range(n_layers - 1, -1, -1):
        dW, db, dA_prev = dense_backward(dZ, inputs[l], params[2 * l])
        grads[2 * l], grads[2 * l + 1] = dW, db
        if l > 0:
            dZ = dA_prev * relu_grad(scores[l - 1])
    return loss, grads


def train(model, X, y, optimizer, *, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    history = []
    for _ in range(epochs):
        total = 0.0
        for idx in nnlib.data.batch_indices(n, batch_size, shuffle=True, rng=rng):
            loss, grads = model.loss_and_grads(X[idx], y[idx])
            optimizer.step(model.params, grads)
            total += loss * len(idx)
        history.append(total / n)
    return history


WRITTEN = {
    "why_cross_entropy_escapes": """
By the chain rule, what moves the weights is $\\partial L / \\partial z =
\\partial L / \\partial \\hat y \\cdot \\sigma'(z)$, and the sigmoid's slope
$\\hat y (1 - \\hat y)$ is only about 0.01 at $\\hat y = 0.01$. With MSE the first factor,
$2(\\hat y - y)$, is at most 2 in size, so the product is tiny (about $-0.02$): every step
barely moves the weights and the neuron stays stuck. With cross-entropy the first factor is
$-1/\\hat y = -100$, large exactly where the sigmoid is flat; the two cancel to
$\\hat y - y \\approx -0.99$, a large step that corrects the mistake within a few updates.
""",
}
