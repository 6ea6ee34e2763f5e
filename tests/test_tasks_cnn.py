"""Notebook 05a's tasks: the solution passes, each typical mistake is named."""

import importlib
import re
import sys

import numpy as np
import pytest

from course import keras_twin
from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from course.n05a_mlp_cnn import conv, tasks

sys.path.insert(0, "teacher/solutions")
solutions = importlib.import_module("05a_mlp_cnn")


def _loops(X, kernel, bias, *, flip=False, rows=None, with_bias=True, channels="right"):
    """A looped conv2d with one thing changed, as a student might write it."""
    n, h, w, c_in = X.shape
    kh, kw, _, c_out = kernel.shape
    if flip:
        kernel = kernel[::-1, ::-1]
    out_h = h - kh + 1 if rows is None else rows
    out_w = w - kw + 1 if rows is None else rows + (w - h)
    Z = np.zeros((n, out_h, out_w, c_out))
    for i in range(out_h):
        for j in range(out_w):
            for k in range(c_out):
                patch = X[:, i:i + kh, j:j + kw, :]
                if channels == "swapped":
                    Z[:, i, j, k] = np.sum(patch * kernel[:, :, k, :][None], axis=(1, 2, 3))
                else:
                    Z[:, i, j, k] = np.sum(patch * kernel[:, :, :, k][None], axis=(1, 2, 3))
                if with_bias:
                    Z[:, i, j, k] += bias[k]
    return Z


def _conv(X, kernel, bias=None, padding="valid"):
    """The teacher's looped conv2d (a student's code, not nnlib's): mistakes are built on it."""
    if padding == "same":
        kh, kw = kernel.shape[:2]
        X = np.pad(X, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    return solutions.conv2d(X, kernel, np.zeros(kernel.shape[3]) if bias is None else bias)


def test_the_solution_is_correct_and_passes_the_hidden_test():
    assert tasks.conv2d.check(solutions.conv2d).status == CORRECT
    tasks.conv2d.grade(solutions.conv2d)
    assert tasks.conv2d.check(_loops).status == CORRECT  # the looped version too


CONV2D_MISTAKES = {
    "kernel flipped (true convolution)": (lambda X, k, b: _loops(X, k, b, flip=True),
                                          r"flipped .*180 degrees.*cross-correlation"),
    "output one short": (lambda X, k, b: _loops(X, k, b, rows=X.shape[1] - k.shape[0]),
                         r"one row and one column short"),
    "output one too many": (lambda X, k, b: _conv(np.pad(X, ((0, 0), (0, 1), (0, 1), (0, 0))),
                                                  k, b), r"one row and one column too many"),
    "bias forgotten": (lambda X, k, b: _loops(X, k, b, with_bias=False), r"bias is missing"),
    "channel axes swapped": (lambda X, k, b: _loops(X, k, b, channels="swapped"),
                             r"channel axes are swapped"),
    "padding 'same'": (lambda X, k, b: _conv(X, k, b, padding="same"), r"padding='same'"),
    "first input channel only": (lambda X, k, b: _conv(X[..., :1], k[:, :, :1], b),
                                 r"only the first input channel"),
    "bias once per input channel": (lambda X, k, b: _conv(X, k) + X.shape[3] * b,
                                    r"once per input channel"),
    "channels first": (lambda X, k, b: np.moveaxis(_conv(X, k, b), 3, 1), r"channels\s+last"),
    "kernel rows and columns swapped": (lambda X, k, b: _conv(X, np.swapaxes(k, 0, 1), b),
                                        r"rows and columns are swapped"),
}


@pytest.mark.parametrize("name", list(CONV2D_MISTAKES))
def test_conv2d_mistake_catalogue(name, assert_named):
    wrong, pattern = CONV2D_MISTAKES[name]
    assert_named(tasks.conv2d, wrong, pattern=pattern)


def test_an_unrecognised_mistake_gets_a_general_reason():
    feedback = tasks.conv2d.check(lambda X, k, b: _conv(X, k, b) * 1.5)
    assert feedback.status == INCORRECT
    assert re.search(r"right shape, but every entry differ", feedback.message), feedback.message


def test_not_attempted_and_use_falls_back_to_nnlib():
    def placeholder(X, kernel, bias):
        raise NotImplementedError()

    assert tasks.conv2d.check(placeholder).status == NOT_ATTEMPTED
    wrong = lambda X, k, b: _conv(X, k)  # noqa: E731
    assert tasks.conv2d.use(wrong, quiet=True) is tasks.conv2d._reference
    assert tasks.conv2d.use(solutions.conv2d, quiet=True) is solutions.conv2d


@pytest.mark.parametrize("name", ["output_rows", "conv_params"])
def test_practice_exercises(name, assert_practice):
    assert_practice(getattr(tasks, name), solutions.ANSWERS[name], solutions.ANSWERS[name] + 1)


@pytest.mark.parametrize("name, wrong, pattern", [
    ("output_rows", 9, r"\+ 1 is missing"),
    ("output_rows", 28, r"stride 1"),
    ("output_rows", 11, r"padding='same'"),
    ("conv_params", 1152, r"biases are missing"),
    ("conv_params", 160, r"8 input"),
])
def test_practice_mistakes_are_named(name, wrong, pattern, assert_named):
    assert_named(getattr(tasks, name), wrong, pattern=pattern)


@pytest.mark.parametrize("copy", [
    conv.conv2d,
    lambda X, k, b: conv.conv2d(X, k, b),
    lambda X, k, b: tasks.conv2d._reference(X, k, b),
])
def test_a_call_of_nnlibs_conv2d_is_not_accepted(copy, assert_named):
    assert_named(tasks.conv2d, copy, pattern=r"calls the course's .* write it yourself")


# ---------------------------------------------------------------- conv2d, backwards


def _backward(dZ, X, kernel, *, flip_dX=False, overwrite=False, swap=False, flip_dK=False,
              first_only=False, per_n=False, db="sum"):
    """The teacher's looped conv2d_backward with one thing changed, as a student writes it."""
    n = X.shape[0]
    K = kernel[::-1, ::-1] if flip_dX else (np.swapaxes(kernel, 2, 3) if swap else kernel)
    kh, kw = kernel.shape[:2]
    out_h, out_w = dZ.shape[1:3]
    dX, dK = np.zeros_like(X), np.zeros_like(kernel)
    for u in range(kh):
        for v in range(kw):
            samples = slice(0, 1) if first_only else slice(None)
            patch = X[samples, u:u + out_h, v:v + out_w, :]
            dK[u, v] = np.tensordot(patch, dZ[samples], axes=([0, 1, 2], [0, 1, 2]))
            if overwrite:
                dX[:, u:u + out_h, v:v + out_w, :] = dZ @ K[u, v].T
            else:
                dX[:, u:u + out_h, v:v + out_w, :] += dZ @ K[u, v].T
    if flip_dK:
        dK = dK[::-1, ::-1]
    if per_n:
        dK = dK / n
    dbias = {"sum": dZ.sum(axis=(0, 1, 2)), "mean": dZ.mean(axis=(0, 1, 2)),
             "per_n": dZ.sum(axis=(0, 1, 2)) / n, "per_position": dZ.sum(axis=0)}[db]
    return dX, dK, dbias


def test_conv2d_backward_solution_is_correct_and_agrees_with_finite_differences():
    assert tasks.conv2d_backward.check(solutions.conv2d_backward).status == CORRECT
    tasks.conv2d_backward.grade(solutions.conv2d_backward)
    assert tasks.conv2d_backward.check(_backward).status == CORRECT


CONV2D_BACKWARD_MISTAKES = {
    "dX with the kernel turned": ({"flip_dX": True}, r"dX: it uses the kernel turned by 180"),
    "dX overwritten, not added": ({"overwrite": True}, r"dX: where the kernel's positions overlap"),
    "dX with channel axes swapped": ({"swap": True}, r"dX: the kernel's channel axes are swapped"),
    "dkernel turned": ({"flip_dK": True}, r"dkernel: it is turned by 180 degrees"),
    "dkernel from one sample": ({"first_only": True}, r"dkernel: it holds the first sample"),
    "dkernel divided by n": ({"per_n": True}, r"dkernel: it is divided by the number of samples"),
    "dbias a mean": ({"db": "mean"}, r"dbias: it is a mean"),
    "dbias divided by n": ({"db": "per_n"}, r"dbias: it is divided by the number of samples"),
    "dbias per position": ({"db": "per_position"}, r"dbias has one entry per position"),
}


@pytest.mark.parametrize("mistake", CONV2D_BACKWARD_MISTAKES)
def test_each_conv2d_backward_mistake_is_named(mistake, assert_named):
    changes, pattern = CONV2D_BACKWARD_MISTAKES[mistake]
    assert_named(tasks.conv2d_backward,
                 lambda dZ, X, k, changes=changes: _backward(dZ, X, k, **changes),
                 pattern=pattern)


def test_conv2d_backward_in_place_and_unknown_mistakes():
    def in_place(dZ, X, kernel):
        out = _backward(dZ, X, kernel)
        X *= 0
        return out

    def other(dZ, X, kernel):
        dX, dK, db = _backward(dZ, X, kernel)
        return dX, dK + 1e-3, db

    assert "changed its inputs" in tasks.conv2d_backward.check(in_place).message
    message = tasks.conv2d_backward.check(other).message
    assert "dkernel" in message and "180" not in message  # says what differs, no cause


def test_conv2d_backward_agrees_with_tf_gradient_tape():
    """nnlib's conv2d_backward, which the task compares with, is TensorFlow's gradient."""
    keras = keras_twin.import_keras()
    import tensorflow as tf

    rng = np.random.default_rng(5)
    X, kernel = rng.normal(size=(2, 6, 7, 3)), rng.normal(size=(3, 2, 3, 4))
    bias, dZ = rng.normal(size=4), rng.normal(size=(2, 4, 6, 4))
    layer = keras.layers.Conv2D(4, (3, 2), dtype="float64")
    layer.build(X.shape)
    layer.set_weights([kernel, bias])
    X_tf = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(X_tf)
        loss = tf.reduce_sum(tf.constant(dZ) * layer(X_tf))
    dX_tf, dK_tf, db_tf = tape.gradient(loss, [X_tf, layer.kernel, layer.bias])
    for mine, theirs in zip(conv.conv2d_backward(dZ, X, kernel), (dX_tf, dK_tf, db_tf)):
        np.testing.assert_allclose(mine, np.asarray(theirs), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- max pooling, backwards


def _pool_backward(dY, X, p, *, share="first", step=None, size=None, times_dY=True,
                   shape="X"):
    """A looped max_pool2d_backward with one thing changed, as a student writes it."""
    step, size = step or p, size or p
    n, out_h, out_w, c = dY.shape
    dX = np.zeros_like(X)
    for s in range(n):
        for i in range(out_h):
            for j in range(out_w):
                rows, cols = slice(i * step, i * step + size), slice(j * step, j * step + size)
                window = X[s, rows, cols, :]
                for k in range(c):
                    grad = dY[s, i, j, k] if times_dY else 1.0
                    w = window[:, :, k]
                    top = w.max()
                    if share == "all":
                        dX[s, rows, cols, k] += grad
                    elif share == "mean":
                        dX[s, rows, cols, k] += grad / size**2
                    elif share == "ties":
                        dX[s, rows, cols, k] += grad * (window[:, :, k] == top)
                    else:
                        if share == "skip_zero" and top == 0:
                            continue
                        hits = np.argwhere(w == top)
                        r, q = {"last": hits[-1], "corner": (0, 0)}.get(share, hits[0])
                        dX[s, i * step + r, j * step + q, k] = grad
    if shape == "pooled":
        return dX[:, ::p, ::p][:, :out_h, :out_w]
    if shape == "cropped":
        return dX[:, :out_h * p, :out_w * p]
    return dX


def test_max_pool2d_backward_solution_passes():
    assert tasks.max_pool2d_backward.check(solutions.max_pool2d_backward).status == CORRECT
    tasks.max_pool2d_backward.grade(solutions.max_pool2d_backward)
    assert tasks.max_pool2d_backward.check(_pool_backward).status == CORRECT


def _swapped(dY, X, p):
    """The largest entry's row and column swapped within its window."""
    n, out_h, out_w, c = dY.shape
    dX = np.zeros_like(X)
    for s, i, j, k in np.ndindex(n, out_h, out_w, c):
        window = X[s, i * p:(i + 1) * p, j * p:(j + 1) * p, k]
        r, q = np.unravel_index(np.argmax(window), (p, p))
        dX[s, i * p + q, j * p + r, k] = dY[s, i, j, k]
    return dX


MAX_POOL_MISTAKES = {
    "dY to every entry": ({"share": "all"}, r"every entry of each window gets"),
    "average pooling": ({"share": "mean"}, r"average pooling"),
    "ties all get dY": ({"share": "ties"}, r"each of them gets the whole dY"),
    "the last tie": ({"share": "last"}, r"the last of them gets dY"),
    "top-left corner": ({"share": "corner"}, r"top-left entry"),
    "zero windows skipped": ({"share": "skip_zero"}, r"largest entry is 0 gets no gradient"),
    "a mask without dY": ({"times_dY": False}, r"marks each window's largest entry with 1"),
    "max across channels": ({"channels": "joint"}, r"across all channels at once"),
    "overlapping windows": ({"step": 1}, r"starts at row i and column j"),
    "2x2 whatever the pool": ({"step": 2, "size": 2}, r"2x2 whatever pool_size"),
    "dX of the pooled shape": ({"shape": "pooled"}, r"the pooled maps' shape"),
    "no leftover rows": ({"shape": "cropped"}, r"without the rows or columns that no window"),
}


@pytest.mark.parametrize("mistake", MAX_POOL_MISTAKES)
def test_each_max_pool2d_backward_mistake_is_named(mistake, assert_named):
    changes, pattern = MAX_POOL_MISTAKES[mistake]
    if changes.get("channels") == "joint":
        def wrong(dY, X, p):  # one place per window, found over all channels at once
            out = np.zeros_like(X)
            for s, i, j in np.ndindex(*dY.shape[:3]):
                window = X[s, i * p:(i + 1) * p, j * p:(j + 1) * p, :]
                r, q, _ = np.unravel_index(np.argmax(window), window.shape)
                out[s, i * p + r, j * p + q, :] = dY[s, i, j, :]
            return out
    else:
        def wrong(dY, X, p, changes=changes):
            return _pool_backward(dY, X, p, **changes)
    assert_named(tasks.max_pool2d_backward, wrong, pattern=pattern)


def test_a_swapped_row_and_column_is_named(assert_named):
    assert_named(tasks.max_pool2d_backward, _swapped, pattern=r"row and column within the window swapped")


def test_max_pool2d_backward_in_place_none_and_the_courses_own(assert_named):
    def in_place(dY, X, p):
        dX = _pool_backward(dY, X, p)
        X[...] = 0
        return dX

    assert "changed its inputs" in tasks.max_pool2d_backward.check(in_place).message
    assert "returned None" in tasks.max_pool2d_backward.check(lambda dY, X, p: None).message
    for cheat in (lambda dY, X, p: conv.max_pool2d_backward(dY, X, p),
                  lambda dY, X, p: tasks._windows_at(dY, X, p, p),
                  lambda dY, X, p: tasks._routed(
                      dY, X, p, lambda w: tasks._one_at(w.argmax(axis=-1), p * p))):
        assert_named(tasks.max_pool2d_backward, cheat,
                     pattern=r"calls the course's .* write it yourself")


def test_an_unnamed_max_pool2d_backward_mistake_gets_no_false_cause():
    def doubled(dY, X, p):
        return 2 * _pool_backward(dY, X, p)

    feedback = tasks.max_pool2d_backward.check(doubled)
    assert feedback.status == INCORRECT
    for _, pattern in MAX_POOL_MISTAKES.values():
        assert not re.search(pattern, feedback.message), feedback.message
