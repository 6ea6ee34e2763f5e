"""Notebook 02's build-it tasks and exercise: ReLU and the sigmoid with their derivatives,
softmax by hand.

Each activation is written together with its derivative and checked as a pair: the values
against nnlib's on fresh random inputs, the derivative against finite differences of the
student's own function, and the typical mistakes by name (np.max where an element-wise
maximum is needed, an input changed in place, the derivative returning the function
itself, a sign error in the exponent, a missing factor, an overflow for large |z|).
"""

from __future__ import annotations

import warnings

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays, gradient_reason
from nnlib import activations

# ---------------------------------------------------------------- helpers


def _elementwise(fn, name, z):
    """Call ``fn(z)`` on a copy of ``z``; return ``(output, reason)``, reason None if the
    call behaved like an activation (an array of z's shape, z left as it was)."""
    before = z.copy()
    arg = z.copy()
    out = call(fn, arg)
    if out is None:
        return None, f"your {name} returned None; did you forget `return`?"
    if not np.array_equal(arg, before):
        return None, (f"your {name} changed its input z in place, so the caller's array is "
                      "overwritten (in a network, that is the layer's Z, needed again by "
                      "backpropagation). Build the result as a new array.")
    if np.shape(out) != z.shape:
        if np.ndim(out) < z.ndim:
            return None, (f"for z of shape {z.shape} your {name} returned shape "
                          f"{np.shape(out)}: np.max reduces an array to its largest entries, "
                          "while an activation treats every entry of z on its own "
                          "(np.maximum compares two arrays entry by entry).")
        return None, (f"for z of shape {z.shape} your {name} returned shape {np.shape(out)}; "
                      "an activation acts entry by entry, so its output has z's shape.")
    if isinstance(out, np.ndarray) and out.dtype.kind == "b":
        return None, (f"your {name} returned True/False values; return numbers "
                      "(floats such as 1.0 and 0.0).")
    return out, None


def _on_part(got, right, mask):
    """Whether ``got`` matches ``right`` where ``mask`` is true."""
    got, right = np.asarray(got, dtype=float), np.asarray(right, dtype=float)
    return bool(np.allclose(got[mask], right[mask], rtol=1e-6, atol=1e-8))


def _unnamed(reason):
    """Whether ``compare_arrays`` found the values wrong without naming a mistake."""
    return reason is not None and reason.endswith("from the right values.")


def _slope_reason(fn, grad_fn, name, z, rng):
    """Finite differences of the student's ``fn`` against their ``grad_fn`` at ``z``.

    With random weights ``c``, ``L(v) = sum(c * fn(v))`` has gradient ``c * fn'(z)``.
    """
    c = rng.normal(size=z.shape)
    grad = c * np.asarray(call(grad_fn, z.copy()), dtype=float)
    return gradient_reason(lambda v: float(np.sum(c * np.asarray(call(fn, v.copy())))),
                           z, grad, f"your {name}")


# ---------------------------------------------------------------- ReLU and its slope


def _sample_z(rng, shape, zeros=2):
    """Random scores of both signs with a few exact zeros (ReLU's kink)."""
    z = rng.normal(size=shape)
    flat = z.reshape(-1)
    flat[rng.choice(flat.size, size=zeros, replace=False)] = 0.0
    return z


def _check_relu(relu, relu_grad, rng):
    for shape in [(4, 5), (7,)]:
        z = _sample_z(rng, shape)
        pos, neg, kink = z > 0, z < 0, z == 0
        try:
            out, reason = _elementwise(relu, "relu", z)
        except (TypeError, ValueError) as exc:
            said = f"calling relu on an array of shape {shape} raised {type(exc).__name__}: {exc}"
            if not any(m in str(exc) for m in ("truth value", "scalar index", "inhomogeneous")):
                raise
            return (f"{said}. ReLU treats every entry of z on its own: Python's max and "
                    "np.max look for the largest value of a whole array, np.maximum compares "
                    "two arrays entry by entry.")
        if reason:
            return reason
        right = activations.relu(z)
        reason = compare_arrays(out, right, name="relu(z)", mistakes=[
            (z, "relu lets negative z through unchanged; ReLU sends every z < 0 to 0."),
            (np.abs(z), "relu flips negative z to positive; ReLU sends every z < 0 to 0."),
            (np.minimum(z, 0), "relu keeps the negative part of z; ReLU keeps the positive "
                               "part and sends every z < 0 to 0."),
        ])
        if _unnamed(reason):
            if _on_part(out, right, pos) and not _on_part(out, right, neg):
                return "relu(z) is right for z > 0 but wrong for z < 0, where ReLU gives 0."
        if reason:
            return reason

        grad, reason = _elementwise(relu_grad, "relu_grad", z)
        if reason:
            return reason
        right = activations.relu_grad(z)
        reason = compare_arrays(grad, right, name="relu_grad(z)", mistakes=[
            (activations.relu(z), "relu_grad returns ReLU's own values; the derivative is "
                                  "ReLU's slope, 1 where z > 0 and 0 elsewhere."),
            (np.sign(z), "relu_grad gives -1 for z < 0, but ReLU is flat there: its slope "
                         "is 0."),
            (np.ones_like(z), "relu_grad gives 1 everywhere; ReLU is flat for z < 0, so its "
                              "slope there is 0."),
            ((z < 0).astype(float), "relu_grad is the wrong way round: the slope is 1 where "
                                    "z > 0 and 0 where z < 0."),
            ((z >= 0).astype(float), "relu_grad gives 1 at z = 0; at the kink use 0, as "
                                     "TensorFlow and nnlib do."),
        ])
        if _unnamed(reason):
            if _on_part(grad, right, pos | neg) and not _on_part(grad, right, kink):
                return "relu_grad is right except at z = 0: at the kink use 0, as TensorFlow does."
            if _on_part(grad, right, pos) and not _on_part(grad, right, neg):
                return ("relu_grad is right for z > 0 but wrong for z < 0, where ReLU is "
                        "flat: its slope there is 0.")
        if reason:
            return reason

    # The slope against finite differences of the student's relu, away from the kink
    # (a nudge across z = 0 would mix the two slopes).
    z = rng.uniform(0.05, 2.0, size=(3, 4)) * rng.choice([-1.0, 1.0], size=(3, 4))
    return _slope_reason(relu, relu_grad, "relu_grad", z, rng)


relu = Task(
    "relu", _check_relu, (activations.relu, activations.relu_grad),
    hints=["ReLU keeps a positive number as it is and turns a negative one into 0, for every "
           "entry of z separately; the result has z's shape.",
           "Its slope is that of the line it follows: 1 where z > 0, 0 where z < 0 "
           "(and 0 at the kink z = 0).",
           "relu(z) = max(0, z) taken entry by entry (not the largest entry of z); "
           "relu_grad(z) is 1.0 where z > 0, else 0.0, as numbers (not True/False)."],
    seed=201,
    forbidden={"activations.relu": activations.relu,
               "activations.relu_grad": activations.relu_grad},
)

# ---------------------------------------------------------------- the sigmoid and its slope

BIG_Z = np.array([-1000.0, -750.0, -40.0, 0.0, 40.0, 750.0, 1000.0])


def _overflow_reason(fn, name, z, right):
    """None if ``fn(z)`` gives finite values close to ``right`` without any warning."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                out = call(fn, z.copy())
    except (FloatingPointError, OverflowError, RuntimeWarning) as exc:
        return (f"your {name} overflows for large |z| ({type(exc).__name__}: {exc}): "
                "e^(-z) for z = -1000 is e^1000, far beyond the largest float (about 1.8e308). "
                "Compute it so that e is only raised to a power <= 0, with a different "
                "(equivalent) form of the formula for z < 0 and for z >= 0. np.where "
                "computes both of its branches for every entry, so the large exponential "
                "must not appear in either.")
    out = np.asarray(out, dtype=float)
    if out.shape != z.shape or not np.all(np.isfinite(out)):
        return (f"your {name} gives NaN or infinite values (or the wrong shape) for "
                "z = +-1000 and other large |z|.")
    if not np.allclose(out, right, rtol=1e-6, atol=1e-12):
        return f"your {name} is wrong for large |z| (such as +-40 or +-1000)."
    return None


def _check_sigmoid(sigmoid, sigmoid_grad, rng):
    z = rng.normal(scale=3.0, size=(4, 5))
    try:
        out, reason = _elementwise(sigmoid, "sigmoid", z)
    except (FloatingPointError, OverflowError, RuntimeWarning) as exc:
        return f"your sigmoid raised {type(exc).__name__} for ordinary scores: {exc}"
    if reason:
        return reason
    right = activations.sigmoid(z)
    reason = compare_arrays(out, right, name="sigmoid(z)", mistakes=[
        (activations.sigmoid(-z), "sigmoid has a sign error in the exponent: "
                                  "σ(z) = 1 / (1 + e^(-z)) grows with z, and yours falls."),
        (1 + np.exp(-z), "sigmoid(z) is the denominator only; σ is 1 divided by it."),
        (1 / (1 + np.exp(-z) ** 2), "the exponential is squared."),
    ])
    if reason:
        return reason

    grad, reason = _elementwise(sigmoid_grad, "sigmoid_grad", z)
    if reason:
        return reason
    right = activations.sigmoid_grad(z)
    s = activations.sigmoid(z)
    reason = compare_arrays(grad, right, name="sigmoid_grad(z)", scale_hint=True, mistakes=[
        (s, "sigmoid_grad is missing the factor (1 - σ(z)): it returns σ(z) itself, "
            "and the slope is σ(z) (1 - σ(z))."),
        (1 - s, "sigmoid_grad is missing the factor σ(z): the slope is "
                "σ(z) (1 - σ(z))."),
        (z * (1 - z), "sigmoid_grad uses z where σ(z) belongs: the slope is "
                      "σ(z) (1 - σ(z)), with the sigmoid applied first."),
        (s * (1 - z), "sigmoid_grad uses z in the second factor: it is (1 - σ(z)), "
                      "not (1 - z)."),
        (s * s, "sigmoid_grad is missing the (1 - σ(z)) factor; it multiplies σ(z) "
                "by itself."),
        (s * (1 + s), "sigmoid_grad adds σ(z) in the second factor; it is "
                      "(1 - σ(z))."),
    ])
    if reason:
        return reason
    reason = _slope_reason(sigmoid, sigmoid_grad, "sigmoid_grad", z, rng)
    if reason:
        return reason
    return (_overflow_reason(sigmoid, "sigmoid", BIG_Z, activations.sigmoid(BIG_Z))
            or _overflow_reason(sigmoid_grad, "sigmoid_grad", BIG_Z,
                                activations.sigmoid_grad(BIG_Z)))


sigmoid = Task(
    "sigmoid", _check_sigmoid, (activations.sigmoid, activations.sigmoid_grad),
    hints=["The sigmoid squeezes any number into (0, 1): σ(z) = 1 / (1 + e^(-z)), "
           "for every entry of z; its slope is σ(z) (1 - σ(z)).",
           "For z = -1000, e^(-z) overflows. Multiplying the top and bottom of the formula "
           "by e^z gives σ(z) = e^z / (1 + e^z), which only needs e^z, small for "
           "negative z.",
           "Compute e = e^(-|z|), never larger than 1; then σ is 1 / (1 + e) where "
           "z >= 0 and e / (1 + e) where z < 0."],
    seed=202,
    forbidden={"activations.sigmoid": activations.sigmoid,
               "activations.sigmoid_grad": activations.sigmoid_grad},
)

# ---------------------------------------------------------------- practice: softmax by hand

SCORES = np.array([3.0, 1.0, 0.0])


def _softmax_checker(answer):
    right = activations.softmax(SCORES)
    reason = compare_arrays(answer, right, rtol=0, atol=2e-3, name="your probabilities",
                            mistakes=[
        (right[::-1], "the order is reversed: the largest score, 3, gets the largest "
                      "probability, and the answer follows the order of [3, 1, 0]."),
        (SCORES / SCORES.sum(), "you divided the scores by their sum; softmax exponentiates "
                                "each score first."),
    ])
    if reason is None:
        return None
    try:
        a = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return reason
    if a.shape != SCORES.shape or isinstance(answer, str):
        return reason
    if np.allclose(a, np.exp(SCORES), rtol=2e-3):
        return ("those are the exponentials e^z themselves; divide each by their sum to get "
                "probabilities.")
    if not np.isclose(a.sum(), 1.0, atol=5e-3):
        return (f"your three numbers add up to {a.sum():.3f}; probabilities add up to 1 "
                "(divide each exponential by the sum of all three).")
    return reason


softmax_by_hand = Exercise(
    "Softmax by hand", _softmax_checker,
    hints=["Raise e to each score, then add the three results up.",
           "Each probability is its exponential divided by that sum; the three add up to 1."],
)
