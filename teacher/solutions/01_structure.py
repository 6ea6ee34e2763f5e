"""Solution of notebook 01's build-it task (merged into the teacher's notebook by
tools/classroom.py) and the answers of its practice exercises."""


def dense_forward(X, W, b):
    return X @ W + b


ANSWERS = {
    "kernel_shape": (8, 3),  # 8 inputs (the hidden neurons), 3 output neurons
    "network_params": (4 * 8 + 8) + (8 * 8 + 8) + (8 * 3 + 3),  # 40 + 72 + 27 = 139
}

WRITTEN = {
    "why_no_transpose": """
The article follows the textbook habit of storing each sample as a *column*, so its $W$ has
shape $(n_{out}, n_{in})$ and comes first: $W \\cdot X$. nnlib and Keras both store each sample
as a *row* of $X$, so their kernel has shape $(n_{in}, n_{out})$ and the layer computes
$Z = XW + b$. Since the two libraries use the same convention, a Keras kernel already has the
shape and meaning nnlib expects. The two conventions give the same numbers, only transposed:
$(XW)^\\top = W^\\top X^\\top$.
""",
}
