"""Solution of notebook 05e's build-it task (merged into the teacher's notebook by
tools/classroom.py; the body replaces the placeholder of the same name), the answers of
its practice exercises and the model answer of its written question."""

import numpy as np


def attention_backward(d_out, Q, K, V, weights):
    # backward through output = weights V
    dV = np.swapaxes(weights, -1, -2) @ d_out
    dA = d_out @ np.swapaxes(V, -1, -2)
    # through the softmax of each row: dS = A * (dA - sum over the keys of dA * A)
    dS = weights * dA
    dS -= weights * dS.sum(axis=-1, keepdims=True)
    # through scores = Q K^T / sqrt(d_k)
    dS /= np.sqrt(Q.shape[-1])
    dQ = dS @ K
    dK = np.swapaxes(dS, -1, -2) @ Q
    return dQ, dK, dV


ANSWERS = {
    "residual_gradient": [0.5, -2.0, 1.0],
    "stream_growth": 16.0,
}

WRITTEN = {
    "why_residual": """An attention layer's output at each position is a weighted average of
the value vectors of the positions it looks at. An average is smoother than what it
averages: the outputs lie closer together than the inputs did. Stacked without residuals,
each block averages the previous block's averages, so all 16 positions are pulled toward
one common vector, and what set them apart (which token, where) fades after a few blocks;
the gradient reaching the early blocks shrinks the same way, so they learn slowly. With
x + f(x), each position keeps its own vector and the block only adds a correction to it.
The identity path carries the signal forward unchanged and the gradient back unchanged,
whatever the blocks do.""",
}
