"""Solution of notebook 04c's build-it task (merged into the teacher's notebook by
tools/classroom.py), the answers of its practice exercises and the model answer of its
written question."""

import numpy as np


def layer_norm_backward(dout, x, gamma, eps=1e-5):
    centred = x - x.mean(axis=1, keepdims=True)
    inv = 1.0 / np.sqrt((centred * centred).mean(axis=1, keepdims=True) + eps)
    xhat = centred * inv
    g = dout * gamma
    dx = inv * (g - g.mean(axis=1, keepdims=True)
                - xhat * (g * xhat).mean(axis=1, keepdims=True))
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)


ANSWERS = {
    "glorot_shrink": 0.5**20,
    "clip_entry": 2.0,
}

WRITTEN = {
    "why_residual_gradient": """The derivative of a_l = a_{l-1} + f(a_{l-1}) with respect to
a_{l-1} is the identity plus the derivative of the branch, I + f'. The gradient reaching
a_{l-1} is therefore the gradient reaching a_l plus the branch's share. Going back through
many layers, the identity term passes the output's gradient to the first layers unchanged,
whatever the branches do; the branches only add to it. In the plain network the gradient
is multiplied by each layer's small Jacobian in turn, so with Glorot's weights it shrinks
at every layer. In the residual network the product of (I + f') never loses the identity,
so the first layers get a gradient of the same size as the last.""",
}
