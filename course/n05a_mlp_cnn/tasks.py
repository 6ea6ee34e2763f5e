"""Notebook 05a's exercises: ``conv2d`` with loops and its backward pass, max pooling's
backward pass, the output size and the weights of a convolution.

The checker calls the student's ``conv2d`` on fresh random images and kernels, compares
it with ``conv.conv2d`` and names the typical mistakes it recognises (a flipped
kernel, an output one row short, a missing bias, mixed-up channels).
"""

from __future__ import annotations

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays, gradient_reason

from . import conv

# ---------------------------------------------------------------- conv2d, built by hand


def _conv2d_reference(X, kernel, bias):
    """nnlib's ``conv2d`` with 'valid' padding and stride 1."""
    return conv.conv2d(X, kernel, bias, padding="valid", stride=1)


def _shape_reason(shape, n, h, w, kh, kw, c_out):
    """Why an output of ``shape`` has the wrong size, for the shapes we recognise."""
    right = (n, h - kh + 1, w - kw + 1, c_out)
    if shape == (n, h - kh, w - kw, c_out):
        return (f"the output has shape {shape}, one row and one column short of {right}: "
                "the kernel fits at h - kh + 1 positions down and w - kw + 1 across (the "
                "last position, where the kernel touches the bottom or right edge, counts).")
    if shape == (n, h - kh + 2, w - kw + 2, c_out):
        return (f"the output has shape {shape}, one row and one column too many (expected "
                f"{right}): at the last position the kernel's bottom row sits on the "
                "image's last row; one step further it would stick out.")
    if shape == (n, h, w, c_out):
        return (f"the output has the input's size {shape}, as with padding='same'; a "
                f"'valid' convolution keeps only the positions where the whole kernel fits "
                f"inside the image, {right}.")
    if kh != kw and shape == (n, h - kw + 1, w - kh + 1, c_out):
        return (f"the output has shape {shape}, expected {right}: the kernel's first axis "
                "is its height kh (rows), the second its width kw (columns).")
    if shape == (n, c_out, h - kh + 1, w - kw + 1):
        return (f"the output has shape {shape}, expected {right}: Keras keeps the channels "
                "last, (n_samples, height, width, channels).")
    return None


def _conv_mistakes(X, kernel, bias):
    """What typical mistakes give, each with the message naming it."""
    def valid(X_, k_, b_=None):
        return conv.conv2d(X_, k_, b_, padding="valid")

    c_in, c_out = kernel.shape[2:]
    kh, kw = kernel.shape[:2]
    mistakes = [
        (valid(X, kernel[::-1, ::-1], bias),
         "the kernel is flipped (turned by 180 degrees): that is the convolution of "
         "mathematics, but Keras' Conv2D slides the kernel as it is (a cross-correlation): "
         "kernel[u, v] multiplies the pixel u rows below and v columns right of the "
         "output's position."),
        (valid(X, kernel[::-1], bias),
         "the kernel is flipped upside down: kernel[u, v] multiplies the pixel u rows "
         "below the output's position."),
        (valid(X, kernel[:, ::-1], bias),
         "the kernel is flipped left to right: kernel[u, v] multiplies the pixel v "
         "columns right of the output's position."),
        (valid(X, kernel),
         "the bias is missing: add bias[k] to every output value of channel k."),
        (valid(X, kernel) - bias,
         "the bias is subtracted; add it."),
        (valid(X, kernel) + c_in * bias,
         "the bias is added once per input channel; add it once per output value."),
        (valid(X, kernel) + kh * kw * bias,
         "the bias is added once per kernel position; add it once per output value."),
        (valid(X, kernel) + kh * kw * c_in * bias,
         "the bias is added inside the innermost loop; add it once per output value."),
        (valid(X[..., :1], kernel[:, :, :1], bias),
         "only the first input channel is used: each output sums over every input "
         "channel c as well as over the kernel's rows and columns."),
        (valid(X[..., -1:], kernel[:, :, -1:], bias),
         "only the last input channel counts: sum the products over every input "
         "channel (a sum started at 0 and added to), rather than overwriting it."),
    ]
    if c_in == c_out:
        mistakes.append(
            (valid(X, np.swapaxes(kernel, 2, 3), bias),
             "the kernel's channel axes are swapped: kernel[u, v, c, k] links input "
             "channel c (third axis) to output channel k (fourth axis)."))
    if kh == kw:
        mistakes.append(
            (valid(X, np.swapaxes(kernel, 0, 1), bias),
             "the kernel's rows and columns are swapped: its first axis moves down the "
             "image, its second across."))
    return mistakes


def _check_conv2d(fn, rng):
    # (n, h, w, c_in, c_out, kh, kw): first c_in == c_out and kh == kw, where a swapped
    # pair of kernel axes still runs and gives a recognisable result; then a non-square
    # kernel and unequal channels, where it changes the output's shape.
    for n, h, w, c_in, c_out, kh, kw in [(3, 5, 6, 2, 2, 3, 3), (2, 6, 7, 3, 4, 3, 2)]:
        X = rng.normal(size=(n, h, w, c_in))
        kernel = rng.normal(size=(kh, kw, c_in, c_out))
        bias = rng.normal(size=c_out)
        got = call(fn, X.copy(), kernel.copy(), bias.copy())
        if got is None:
            return "your function returned None; did you forget `return`?"
        where = (f"for X of shape {X.shape} and a kernel of shape {kernel.shape}, ")
        shape = np.shape(got)
        reason = _shape_reason(shape, n, h, w, kh, kw, c_out)
        if reason:
            return where + reason
        reason = compare_arrays(got, _conv2d_reference(X, kernel, bias), name="the output",
                                mistakes=_conv_mistakes(X, kernel, bias))
        if reason:
            return where + reason
    return None


conv2d = Task(
    "conv2d", _check_conv2d, _conv2d_reference,
    hints=["Each output value looks at one kh x kw patch of one image, through all its "
           "input channels, and uses the filter of one output channel: multiply the patch "
           "by that filter entry by entry, add everything up, then add that channel's bias.",
           "A 'valid' convolution with stride 1 has h - kh + 1 rows and w - kw + 1 columns; "
           "the patch of output (i, j) starts at row i and column j of the image.",
           "Z[s, i, j, k] = bias[k] + the sum over u, v and c of "
           "X[s, i + u, j + v, c] * kernel[u, v, c, k]. The kernel is not flipped."],
    seed=501,
    owner="the course's",
    forbidden={"conv.conv2d": conv.conv2d, "conv.apply_filter": conv.apply_filter},
)

# ---------------------------------------------------------------- conv2d, backwards


def _conv2d_backward_reference(dZ, X, kernel):
    """nnlib's gradients of a 'valid', stride-1 convolution: ``(dX, dkernel, dbias)``."""
    return conv.conv2d_backward(dZ, X, kernel)


def _dX_overwritten(dZ, kernel, X):
    """dX when each kernel position overwrites, instead of adds to, what it reaches."""
    dX = np.zeros_like(X)
    out_h, out_w = dZ.shape[1:3]
    for u in range(kernel.shape[0]):
        for v in range(kernel.shape[1]):
            dX[:, u:u + out_h, v:v + out_w, :] = dZ @ kernel[u, v].T
    return dX


def _check_conv2d_backward(fn, rng):
    for n, h, w, c_in, c_out, kh, kw in [(3, 5, 6, 2, 2, 3, 3), (2, 6, 7, 3, 4, 3, 2)]:
        X = rng.normal(size=(n, h, w, c_in))
        kernel = rng.normal(size=(kh, kw, c_in, c_out))
        dZ = rng.normal(size=(n, h - kh + 1, w - kw + 1, c_out))
        given = (dZ.copy(), X.copy(), kernel.copy())
        out = call(fn, *given)
        where = f"for X of shape {X.shape} and a kernel of shape {kernel.shape}, "
        if not all(np.array_equal(a, b) for a, b in zip(given, (dZ, X, kernel))):
            return where + ("your function changed its inputs; compute new arrays instead.")
        if not isinstance(out, tuple) or len(out) != 3:
            return "return three arrays: (dX, dkernel, dbias)."
        dX, dkernel, dbias = out
        right_dX, right_dK, right_db = _conv2d_backward_reference(dZ, X, kernel)
        swapped = (conv.conv2d_backward(dZ, X, np.swapaxes(kernel, 2, 3))[0]
                   if c_in == c_out else None)
        reason = (
            compare_arrays(dbias, right_db, name="dbias", mistakes=[
                (dZ.mean(axis=(0, 1, 2)), "it is a mean; each bias is added to every output "
                                          "value of its channel, so sum dZ over samples, rows "
                                          "and columns."),
                (right_db / n, "it is divided by the number of samples; dZ already holds "
                               "the loss's 1/N."),
            ])
            or compare_arrays(dkernel, right_dK, name="dkernel", mistakes=[
                (right_dK / n, "it is divided by the number of samples; dZ already holds "
                               "the loss's 1/N."),
                (right_dK[::-1, ::-1], "it is turned by 180 degrees: dkernel[u, v] collects "
                                       "the pixel u rows below and v columns right of each "
                                       "output position, times that position's dZ."),
                (conv.conv2d_backward(dZ[:1], X[:1], kernel)[1],
                 "it holds the first sample only; add up the contributions of every sample."),
            ])
            or compare_arrays(dX, right_dX, name="dX", mistakes=[
                (conv.conv2d_backward(dZ, X, kernel[::-1, ::-1])[0],
                 "it uses the kernel turned by 180 degrees: output (i, j) sends "
                 "kernel[u, v] times its dZ back to pixel (i + u, j + v)."),
                (_dX_overwritten(dZ, kernel, X),
                 "where the kernel's positions overlap, one overwrites the other: add each "
                 "kernel position's contribution to dX (+=), as every output it feeds adds "
                 "to the pixel's gradient."),
                *([(swapped, "the kernel's channel axes are swapped: output channel k sends "
                             "dZ[..., k] times kernel[u, v, c, k] back to input channel c.")]
                  if swapped is not None else []),
            ])
        )
        if np.shape(dbias) == dZ.shape[1:]:
            reason = ("dbias has one entry per position and channel; sum dZ over samples, "
                      "rows and columns: one number per output channel.")
        if reason:
            return where + reason

        bias = rng.normal(size=c_out)

        def loss_of(X_=X, K_=kernel, b_=bias, dZ=dZ):
            return float(np.sum(dZ * conv.conv2d(X_, K_, b_)))
        reason = (gradient_reason(lambda x: loss_of(X_=x), X, dX, "dX")
                  or gradient_reason(lambda k: loss_of(K_=k), kernel, dkernel, "dkernel")
                  or gradient_reason(lambda b_: loss_of(b_=b_), bias, dbias, "dbias"))
        if reason:
            return where + reason
    return None


conv2d_backward = Task(
    "conv2d_backward", _check_conv2d_backward, _conv2d_backward_reference,
    hints=["Follow one product: X[s, i + u, j + v, c] * kernel[u, v, c, k] is part of "
           "Z[s, i, j, k]. Its derivative with respect to the kernel entry is the pixel, and "
           "with respect to the pixel is the kernel entry; each is multiplied by dZ[s, i, j, k].",
           "dkernel[u, v] is the sum over every output position of the pixel that sat under "
           "(u, v) times that position's dZ. dbias sums dZ over everything but the channel.",
           "dX starts at zero; for each kernel position (u, v), the block of dX that the "
           "kernel entry touched, rows u to u + out_h - 1 and columns v to v + out_w - 1, "
           "gets dZ @ kernel[u, v].T added to it."],
    seed=502,
    owner="the course's",
    forbidden={"conv.conv2d_backward": conv.conv2d_backward},
)

# ---------------------------------------------------------------- max pooling, backwards


def _max_pool2d_backward_reference(dY, X, pool_size):
    """The course's gradient of a 'valid' max pooling with stride = pool size."""
    return conv.max_pool2d_backward(dY, X, pool_size)


def _routed(dY, X, p, share):
    """dX when each window hands its dY out by ``share``: (n, oh, ow, c, p * p) weights."""
    return conv._from_windows(share(conv._windows(X, p)) * dY[..., None], X.shape, p)


def _one_at(index, size):
    return (np.arange(size) == index[..., None]).astype(float)


def _windows_at(dY, X, start, size):
    """dX when window (i, j) is the size x size block at rows and columns ``start * (i, j)``."""
    n, out_h, out_w, c = dY.shape
    samples, channels = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    dX = np.zeros_like(X)
    for i in range(out_h):
        for j in range(out_w):
            window = X[:, i * start:i * start + size, j * start:j * start + size]
            if window.shape[1:3] != (size, size):
                continue
            rows, cols = np.unravel_index(
                np.argmax(window.reshape(n, size * size, c), axis=1), (size, size))
            dX[samples, i * start + rows, j * start + cols, channels] = dY[:, i, j, :]
    return dX


def _pool_mistakes(dY, X, p):
    """What typical mistakes give, each with the message naming it."""
    def first(w):
        return w.argmax(axis=-1)

    def last(w):
        return p * p - 1 - w[..., ::-1].argmax(axis=-1)

    def across_channels(w):  # the largest entry over all channels, its place used for each
        n, out_h, out_w, c, size = w.shape
        flat = np.moveaxis(w, 3, 4).reshape(n, out_h, out_w, size * c).argmax(axis=-1)
        return np.repeat(_one_at(flat // c, size)[:, :, :, None], c, axis=3)

    return [
        (_routed(dY, X, p, lambda w: np.ones_like(w)),
         "every entry of each window gets the window's dY; only the largest entry reached "
         "the output, so only it gets dY: moving any other entry a little changes nothing."),
        (_routed(dY, X, p, lambda w: np.ones_like(w) / (p * p)),
         "each window's dY is shared out equally over its entries: that is the backward pass "
         "of average pooling. Max pooling passes it whole to the largest entry."),
        (_routed(np.ones_like(dY), X, p, lambda w: _one_at(first(w), p * p)),
         "it marks each window's largest entry with 1: multiply by that window's dY."),
        (_routed(dY, X, p, lambda w: (w == w.max(axis=-1, keepdims=True)).astype(float)),
         "where entries tie for a window's largest, each of them gets the whole dY, so the "
         "window sends back dY more than once. Give it to one of them: the first, row by row, "
         "as TensorFlow does."),
        (_routed(dY, X, p, lambda w: _one_at(last(w), p * p)),
         "where entries tie for a window's largest, the last of them gets dY; TensorFlow gives "
         "it to the first, row by row (np.argmax returns the first of equal entries)."),
        (_routed(dY, X, p, lambda w: _one_at((first(w) % p) * p + first(w) // p, p * p)),
         "dY lands at the largest entry's row and column within the window swapped: "
         "np.unravel_index(k, (p, p)) gives (row, column) of entry k."),
        (_routed(dY, X, p, lambda w: _one_at(first(w), p * p) * (w.max(axis=-1) != 0)[..., None]),
         "a window whose largest entry is 0 gets no gradient; it passes its dY on like any "
         "other window (after a ReLU, it is the ReLU's backward pass that stops it)."),
        (_routed(dY, X, p, lambda w: _one_at(np.zeros(w.shape[:-1], int), p * p)),
         "dY always lands at each window's top-left entry; it belongs to the window's "
         "largest entry."),
        (_routed(dY, X, p, across_channels),
         "the largest entry is looked for across all channels at once, and its place used "
         "for every channel; each channel is pooled on its own, so each has its own "
         "largest entry."),
        (_windows_at(dY, X, 1, p),
         "window (i, j) starts at row i and column j, so the windows overlap; with a stride "
         "equal to pool_size it starts at row i * pool_size and column j * pool_size."),
        *([(_windows_at(dY, X, 2, 2),
            "the windows are 2x2 whatever pool_size is; use pool_size for their size and "
            "their step.")] if p != 2 else []),
    ]


def _check_max_pool2d_backward(fn, rng):
    # (n, h, w, c, p, ties): a clean case, rows and columns left over, a pool of 3, then
    # maps as a ReLU leaves them, where entries of a window tie: whole numbers, most of
    # them 0, and a window of zeros only.
    for n, h, w, c, p, ties in [(2, 6, 6, 3, 2, False), (2, 7, 5, 2, 2, False),
                                (2, 7, 8, 2, 3, False), (3, 4, 6, 2, 2, True),
                                (2, 6, 7, 2, 3, True)]:
        if ties:
            X = np.maximum(rng.integers(-2, 3, size=(n, h, w, c)), 0).astype(float)
            X[0, :p, :p, 0] = 0.0
        else:
            X = rng.normal(size=(n, h, w, c))
        dY = rng.normal(size=(n, h // p, w // p, c))
        given = (dY.copy(), X.copy())
        dX = call(fn, *given, p)
        where = f"for X of shape {X.shape} and pool_size={p}, "
        if not all(np.array_equal(a, b) for a, b in zip(given, (dY, X))):
            return where + "your function changed its inputs; compute a new array instead."
        if dX is None:
            return "your function returned None; did you forget `return`?"
        shape = np.shape(dX)
        if shape == dY.shape and dY.shape != X.shape:
            return where + (f"dX has the pooled maps' shape {shape}; it is the gradient with "
                            f"respect to X, so it has X's shape {X.shape}.")
        if shape == (n, h // p * p, w // p * p, c) and shape != X.shape:
            return where + (f"dX has shape {shape}, without the rows or columns that no window "
                            f"covers; it has X's shape {X.shape}, with 0 where no window reads.")
        reason = compare_arrays(dX, _max_pool2d_backward_reference(dY, X, p), name="dX",
                                mistakes=_pool_mistakes(dY, X, p))
        if not reason and not ties:
            reason = gradient_reason(
                lambda x, dY=dY, p=p: float(np.sum(dY * conv.max_pool2d(x, p))), X, dX, "dX")
        if reason:
            return where + reason
    return None


max_pool2d_backward = Task(
    "max_pool2d_backward", _check_max_pool2d_backward, _max_pool2d_backward_reference,
    hints=["Max pooling keeps one entry of each window and drops the rest. Nudge the kept "
           "entry and the output moves by as much; nudge any other entry and nothing moves.",
           "So dX is 0 except at the largest entry of each window, which gets that window's "
           "dY. Window (i, j) covers rows i*p to i*p + p - 1 and columns j*p to j*p + p - 1; "
           "rows or columns left over at the bottom or right belong to no window.",
           "For each window position (i, j): reshape X's window to (n, p * p, c), take "
           "np.argmax over axis 1 (the first of equal entries, as TensorFlow picks), turn it "
           "into a row and column with np.unravel_index(k, (p, p)), and put dY[:, i, j, :] "
           "there."],
    seed=503,
    owner="the course's",
    # and the helpers that build the mistakes, which give the right answer when asked to
    forbidden={"conv.max_pool2d_backward": conv.max_pool2d_backward,
               "conv._windows": conv._windows, "conv._from_windows": conv._from_windows,
               "tasks._routed": _routed,
               "tasks._windows_at": _windows_at},
)

# ---------------------------------------------------------------- practice: numbers


def _output_rows_checker(answer):
    right = conv.output_size(32, 5, 3, "valid")
    return compare_arrays(answer, right, name="the number of rows", mistakes=[
        ((32 - 5) // 3, "the + 1 is missing: the first position, before any step, counts."),
        (32 - 5 + 1, "that is the size with stride 1; the kernel moves 3 rows at a time."),
        (conv.output_size(32, 5, 3, "same"),
         "that is the size with padding='same'; 'valid' adds no zeros around the image."),
    ])


output_rows = Exercise(
    "1. Output size", _output_rows_checker,
    hints=["With 'valid' padding the kernel only goes where it fits; count its positions "
           "along one axis.",
           "floor((n - k) / s) + 1 positions for length n, kernel size k and stride s."],
)


def _conv_params_checker(answer):
    right = conv.count_conv_params(3, 8, 16)
    return compare_arrays(answer, right, name="the number of weights", mistakes=[
        (3 * 3 * 8 * 16, "the biases are missing: one per filter."),
        (3 * 3 * 8 * 16 + 8, "there is one bias per filter, that is per output channel."),
        (3 * 3 * 16 + 16, "each filter has a 3x3 slice for every one of the 8 input "
                          "channels."),
        (3 * 3 * 16, "each filter has a 3x3 slice for every one of the 8 input channels, "
                     "and a bias."),
    ])


conv_params = Exercise(
    "2. Weights of a convolution", _conv_params_checker,
    hints=["Each of the 16 filters reads all 8 input channels through a 3x3 window, and "
           "has one bias.",
           "kh * kw * c_in * c_out weights, plus c_out biases."],
)
