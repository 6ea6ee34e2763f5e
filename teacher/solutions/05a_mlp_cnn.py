"""Solutions of notebook 05a's build-it task (merged into the teacher's notebook by
tools/classroom.py) and the answers of its practice exercises."""

import numpy as np


def conv2d(X, kernel, bias):
    n, h, w, _ = X.shape
    kh, kw, _, c_out = kernel.shape
    Z = np.zeros((n, h - kh + 1, w - kw + 1, c_out))
    for i in range(h - kh + 1):
        for j in range(w - kw + 1):
            patch = X[:, i:i + kh, j:j + kw, :]  # (n, kh, kw, c_in)
            # sum over the kernel's rows, columns and input channels, for each filter
            Z[:, i, j, :] = np.tensordot(patch, kernel, axes=3) + bias
    return Z


def conv2d_backward(dZ, X, kernel):
    kh, kw = kernel.shape[:2]
    out_h, out_w = dZ.shape[1:3]
    dX = np.zeros_like(X)
    dkernel = np.zeros_like(kernel)
    for u in range(kh):
        for v in range(kw):
            # the pixels that met kernel[u, v]: one block of X per kernel position
            patch = X[:, u:u + out_h, v:v + out_w, :]  # (n, out_h, out_w, c_in)
            dkernel[u, v] = np.tensordot(patch, dZ, axes=([0, 1, 2], [0, 1, 2]))
            dX[:, u:u + out_h, v:v + out_w, :] += dZ @ kernel[u, v].T
    dbias = dZ.sum(axis=(0, 1, 2))
    return dX, dkernel, dbias


def max_pool2d_backward(dY, X, pool_size):
    p = pool_size
    n, out_h, out_w, c = dY.shape
    samples, channels = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    dX = np.zeros_like(X)
    for i in range(out_h):
        for j in range(out_w):
            window = X[:, i * p:(i + 1) * p, j * p:(j + 1) * p, :].reshape(n, p * p, c)
            first = np.argmax(window, axis=1)  # (n, c): the first largest entry, row by row
            rows, cols = np.unravel_index(first, (p, p))
            dX[samples, i * p + rows, j * p + cols, channels] = dY[:, i, j, :]
    return dX


ANSWERS = {
    "output_rows": 10,  # floor((32 - 5) / 3) + 1
    "conv_params": 1168,  # 3 * 3 * 8 * 16 + 16
}


WRITTEN = {
    "why_conv_weights_fixed": r"""
A dense layer connects every input to every neuron, so it has
$n_\text{in} \times n_\text{out} + n_\text{out}$ weights, and $n_\text{in}$ is the number of
pixels (times channels): the bigger the image, the more weights (over 15 million for 100
neurons on a 224x224 colour image). A convolution has one small kernel per pair of input and
output channels, here $3 \times 3 \times 1 \times 8$ weights plus 8 biases, 80 in all, and it
slides the *same* kernel over every position (weight sharing). A larger image only gives the
kernel more positions to visit, so a larger feature map, not more weights.
""",
}
