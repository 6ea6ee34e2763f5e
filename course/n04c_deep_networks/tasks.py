"""Notebook 04c's build-it task and exercises: LayerNorm's backward pass.

The checker calls the student's ``layer_norm_backward(dout, x, gamma, eps)`` on fresh random
inputs (rows with different means and spreads, a ``gamma`` that is not all ones, more
samples than features so the two axes cannot be confused unseen) and compares ``dx``,
``dgamma`` and ``dbeta`` with the course's and with central differences of the forward
pass. It names a mistake only when the student's arrays are exactly what that mistake
gives (each mistake is run as code here): the mean's term or the variance's term left
out of ``dx`` (or both), ``gamma`` left out of ``dx``, ``dgamma`` from the input instead of
the normalised input, ``dgamma`` or ``dbeta`` summed over the features instead of the
samples, the unbiased variance (1/(n-1)), and batch normalisation's axes (statistics over
the samples).
"""

from __future__ import annotations

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays

from .deep import layer_norm_backward as _reference
from .deep import layer_norm_forward

# ---------------------------------------------------------------- mistakes, as code


def _parts(dout, x, gamma, eps, *, axis=1, ddof=0):
    centred = x - x.mean(axis=axis, keepdims=True)
    var = (centred * centred).sum(axis=axis, keepdims=True) / (x.shape[axis] - ddof)
    inv = 1.0 / np.sqrt(var + eps)
    return centred * inv, inv, dout * gamma


def _no_mean_term(dout, x, gamma, eps):
    xhat, inv, g = _parts(dout, x, gamma, eps)
    return (inv * (g - xhat * (g * xhat).mean(axis=1, keepdims=True)),
            (dout * xhat).sum(axis=0), dout.sum(axis=0))


def _no_variance_term(dout, x, gamma, eps):
    xhat, inv, g = _parts(dout, x, gamma, eps)
    return inv * (g - g.mean(axis=1, keepdims=True)), (dout * xhat).sum(axis=0), dout.sum(axis=0)


def _neither_term(dout, x, gamma, eps):
    xhat, inv, g = _parts(dout, x, gamma, eps)
    return inv * g, (dout * xhat).sum(axis=0), dout.sum(axis=0)


def _no_gamma(dout, x, gamma, eps):
    return _reference(dout, x, np.ones_like(gamma), eps)[0], None, None


def _dgamma_from_x(dout, x, gamma, eps):
    return None, (dout * x).sum(axis=0), None


def _sums_over_features(dout, x, gamma, eps):
    xhat, _, _ = _parts(dout, x, gamma, eps)
    return None, (dout * xhat).sum(axis=1), dout.sum(axis=1)


def _unbiased(dout, x, gamma, eps):
    xhat, inv, g = _parts(dout, x, gamma, eps, ddof=1)  # the right formula, np.var(ddof=1)
    dx = inv * (g - g.mean(axis=1, keepdims=True)
                - xhat * (g * xhat).mean(axis=1, keepdims=True))
    return dx, (dout * xhat).sum(axis=0), None


def _batch_norm_axes(dout, x, gamma, eps):
    xhat, inv, g = _parts(dout, x, gamma, eps, axis=0)
    dx = inv * (g - g.mean(axis=0, keepdims=True)
                - xhat * (g * xhat).mean(axis=0, keepdims=True))
    return dx, (dout * xhat).sum(axis=0), None


MISTAKES = [  # (the mistake as code, which output it shows in, the message)
    (_no_mean_term, 0, "the term from the mean is missing: every x of a row moves the row's "
                       "mean, so subtract the row's mean of dout * gamma."),
    (_no_variance_term, 0, "the term from the variance is missing: every x of a row moves the "
                           "row's variance, so subtract xhat times the row's mean of "
                           "dout * gamma * xhat."),
    (_neither_term, 0, "only the direct path is there: the row's mean and variance depend on "
                       "every x of the row, and both give a term."),
    (_no_gamma, 0, "the gradient reaching xhat is dout * gamma: gamma is left out."),
    (_unbiased, 0, "the variance is divided by n - 1; LayerNorm's forward pass divides by n "
                   "(np.var's default), and the backward pass must use the same one."),
    (_batch_norm_axes, 0, "the means are taken over the samples (axis 0), as in batch "
                          "normalisation; LayerNorm normalises each sample over its features "
                          "(axis 1)."),
    (_unbiased, 1, "the variance is divided by n - 1; LayerNorm's forward pass divides by n "
                   "(np.var's default), and the backward pass must use the same one."),
    (_batch_norm_axes, 1, "the means are taken over the samples (axis 0), as in batch "
                          "normalisation; LayerNorm normalises each sample over its features "
                          "(axis 1)."),
    (_dgamma_from_x, 1, "dgamma multiplies dout by the normalised input xhat, not by x."),
    (_sums_over_features, 1, "dgamma sums over the features (axis 1); gamma has one entry per "
                             "feature, so sum over the samples (axis 0)."),
    (_sums_over_features, 2, "dbeta sums over the features (axis 1); beta has one entry per "
                             "feature, so sum over the samples (axis 0)."),
]

NAMES = ("dx", "dgamma", "dbeta")


def _numeric(dout, x, gamma, beta, eps, h=1e-6):
    """Central differences of sum(dout * layer_norm_forward(...)) in x, gamma and beta."""
    def loss():
        return float(np.sum(dout * layer_norm_forward(x, gamma, beta, eps)))

    out = []
    for array in (x, gamma, beta):
        grad = np.zeros_like(array)
        flat, gflat = array.reshape(-1), grad.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + h
            up = loss()
            flat[i] = old - h
            down = loss()
            flat[i] = old
            gflat[i] = (up - down) / (2 * h)
        out.append(grad)
    return out


def _inputs(rng):
    n, d = 6, 5
    x = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=(n, 1)) + rng.normal(size=(n, 1))
    return (rng.normal(size=(n, d)), x, rng.uniform(0.5, 2.0, size=d), rng.normal(size=d))


def _check_layer_norm_backward(fn, rng):
    for eps in (1e-5, 0.1):  # a large eps too: it must be the one passed in
        dout, x, gamma, beta = _inputs(rng)
        args = (dout.copy(), x.copy(), gamma.copy(), eps)
        out = call(fn, *args)
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            got = (f"{len(out)} values" if isinstance(out, (tuple, list))
                   else type(out).__name__)
            return f"return three arrays, `return dx, dgamma, dbeta`; got {got}."
        if not all(np.array_equal(a, b) for a, b in zip(args[:3], (dout, x, gamma))):
            return ("your function changes its inputs (dout, x or gamma) in place; leave "
                    "them as they are.")
        expected = _reference(dout, x, gamma, eps)
        numeric = _numeric(dout, x.copy(), gamma.copy(), beta.copy(), eps)
        for k, name in enumerate(NAMES):
            mistakes = []
            for wrong, where, message in MISTAKES:
                if where == k:
                    value = wrong(dout, x, gamma, eps)[k]
                    mistakes.append((value, message))
            for value, message in mistakes:  # a sum over the wrong axis has another shape
                if (np.shape(value) != expected[k].shape
                        and np.shape(out[k]) == np.shape(value)
                        and np.allclose(out[k], value, rtol=1e-7, atol=1e-9)):
                    return f"your {name}: {message}"
            reason = compare_arrays(out[k], expected[k], rtol=1e-7, atol=1e-9,
                                    name=f"your {name}", mistakes=mistakes)
            if reason:
                return reason
            if not np.allclose(out[k], numeric[k], rtol=1e-4, atol=1e-6):  # pragma: no cover
                return f"your {name} disagrees with finite differences of the forward pass."
    return None


layer_norm_backward = Task(
    "layer_norm_backward", _check_layer_norm_backward, _reference,
    hints=["Work with one row (one sample) at a time: xhat = (x - mean) / sqrt(var + eps), "
           "out = gamma * xhat + beta. dbeta and dgamma are sums over the samples of dout and "
           "of dout * xhat.",
           "Every x of a row changes the row's mean and its variance, so dx has three parts: "
           "the direct path through (x - mean), the path through the mean and the path "
           "through the variance.",
           "With g = dout * gamma, per row: dx = (g - mean(g) - xhat * mean(g * xhat)) / "
           "sqrt(var + eps), the means over the features (axis=1, keepdims=True)."],
    seed=404,
    owner="the course's",
    # the helpers that build the mistakes give the answer's parts, or all of it numerically
    forbidden={"tasks._parts": _parts, "tasks._numeric": _numeric},
)

# ---------------------------------------------------------------- practice


def _shrink_checker(answer):
    return compare_arrays(answer, 0.5**20, rtol=1e-6, atol=0, name="the factor", mistakes=[
        (0.5, "that is one layer's factor; twenty layers multiply it twenty times."),
        (0.5**10, "that is the factor of the spread (the square root); the question asks for "
                  "the mean square."),
        (1 / 20, "the factors multiply, they do not add: 0.5 twenty times over."),
        (0.0, "it is tiny, but not 0: write it as a power."),
    ])


glorot_shrink = Exercise(
    "1. Twenty Glorot layers", _shrink_checker,
    hints=["Each layer multiplies the mean square of the signal by the same factor.",
           "One layer's factor is 1/2: twenty layers give (1/2) to the power 20."],
)


def _clip_checker(answer):
    return compare_arrays(answer, 20.0 * 5.0 / 50.0, name="the entry", mistakes=[
        (5.0, "that clips each entry to at most 5 (clipping by value); clipping by global "
              "norm scales every entry by the same factor, 5 / 50."),
        (20.0, "clipping changes it: the global norm 50 is above 5, so every entry is "
               "scaled by 5 / 50."),
        (20.0 * 50.0 / 5.0, "the factor is max_norm / norm = 5 / 50, not the other way round."),
    ])


clip_entry = Exercise(
    "2. One entry after clipping", _clip_checker,
    hints=["Clipping by global norm multiplies every gradient by one factor.",
           "The factor is max_norm / global norm when the norm is above max_norm."],
)
