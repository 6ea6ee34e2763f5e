"""Notebook 05e's build-it task and exercises: the backward pass of attention.

``attention_backward(d_out, Q, K, V, weights)`` returns ``(dQ, dK, dV)``, the gradients of
the loss with respect to the queries, keys and values, from ``d_out``, that with respect to
attention's output, and the forward pass' ``weights``. The checker calls the student's
function on fresh random inputs with leading axes (samples, heads): one batch with a causal
mask and as many keys as queries, one without a mask where the keys outnumber the queries
and the values' depth differs from the keys' (a transpose cannot pass unseen there). It
compares the result with the course's version and with central differences of the forward
pass, and names a mistake only when the student's arrays are exactly what that mistake
gives (each mistake is run as code here): the scale 1/sqrt(d_k) left out, multiplied in or
taken as 1/d_k, softmax's Jacobian without its subtraction, with an unweighted sum, summed
over the queries, or left out altogether, the weights computed again without the mask, a
product with an untransposed matrix (dV, dK or dQ), the three arrays returned in another
order, and transposes that reverse the leading axes too.
"""

from __future__ import annotations

import itertools

import numpy as np

from course.exercises import Exercise, NotAttempted, Task, call, compare_arrays
from course.student_library import stand_in
from nnlib.activations import softmax
from nnlib.gradcheck import numerical_gradient

from .block import attention_backward as _reference


def _attention(Q, K, V, mask=None):
    """The forward pass: the course's stand-in for 05c's ``attention`` (its reference)."""
    return stand_in("attention")(Q, K, V, mask)


NAMES = ("dQ", "dK", "dV")

# ---------------------------------------------------------------- mistakes, as code


def _t(a):
    return np.swapaxes(a, -1, -2)


def _from_dS(dS, d_out, Q, K, weights, scale=None):
    """``(dQ, dK, dV)`` from the gradient of the scores ``dS``, the right way."""
    scale = 1.0 / np.sqrt(Q.shape[-1]) if scale is None else scale
    return dS @ K * scale, _t(dS) @ Q * scale, _t(weights) @ d_out


def _dA(d_out, V):
    return d_out @ _t(V)


def _jacobian(dA, weights, axis=-1):
    return weights * (dA - np.sum(dA * weights, axis=axis, keepdims=True))


def _scaled(factor):
    def wrong(d_out, Q, K, V, weights):
        dS = _jacobian(_dA(d_out, V), weights)
        return _from_dS(dS, d_out, Q, K, weights, scale=factor(Q.shape[-1]))
    return wrong


def _no_subtraction(d_out, Q, K, V, weights):
    return _from_dS(weights * _dA(d_out, V), d_out, Q, K, weights)


def _unweighted_sum(d_out, Q, K, V, weights):
    dA = _dA(d_out, V)
    return _from_dS(weights * (dA - dA.sum(axis=-1, keepdims=True)), d_out, Q, K, weights)


def _over_queries(d_out, Q, K, V, weights):
    return _from_dS(_jacobian(_dA(d_out, V), weights, axis=-2), d_out, Q, K, weights)


def _no_softmax(d_out, Q, K, V, weights):
    return _from_dS(_dA(d_out, V), d_out, Q, K, weights)


def _weights_without_mask(d_out, Q, K, V, weights):
    again = softmax(Q @ _t(K) / np.sqrt(Q.shape[-1]), axis=-1)
    return _reference(d_out, Q, K, V, again)


def _dV_untransposed(d_out, Q, K, V, weights):
    dQ, dK, _ = _reference(d_out, Q, K, V, weights)
    return dQ, dK, weights @ d_out


def _dK_untransposed(d_out, Q, K, V, weights):
    dS = _jacobian(_dA(d_out, V), weights)
    dQ, _, dV = _from_dS(dS, d_out, Q, K, weights)
    return dQ, dS @ Q / np.sqrt(Q.shape[-1]), dV


def _dQ_transposed(d_out, Q, K, V, weights):
    dS = _jacobian(_dA(d_out, V), weights)
    _, dK, dV = _from_dS(dS, d_out, Q, K, weights)
    return _t(dS) @ K / np.sqrt(Q.shape[-1]), dK, dV


_SCALE = ("the scores are Q K^T / sqrt(d_k), so the gradients of Q and of K through them "
          "carry the factor 1/sqrt(d_k)")
MISTAKES = [  # (the mistake as code, the outputs it shows in, the message)
    (_scaled(lambda d_k: 1.0), (0, 1), f"the factor 1/sqrt(d_k) is missing: {_SCALE}."),
    (_scaled(np.sqrt), (0, 1), f"it is multiplied by sqrt(d_k): {_SCALE}, a division."),
    (_scaled(lambda d_k: 1.0 / d_k), (0, 1), f"it is divided by d_k: {_SCALE}, the square "
                                             "root."),
    (_no_subtraction, (0, 1), "softmax's Jacobian is not only its diagonal: every weight of "
                              "a row depends on every score of the row, so subtract each "
                              "row's sum of dA * weights before multiplying by the weights."),
    (_unweighted_sum, (0, 1), "in softmax's Jacobian, the sum over a row is of dA times the "
                              "weights, sum(dA * weights), not of dA alone."),
    (_over_queries, (0, 1), "the sum in softmax's Jacobian runs over the queries (axis -2): "
                            "each query's row of weights is one softmax, over the keys, so "
                            "sum along the last axis."),
    (_no_softmax, (0, 1), "the gradient of the weights is passed to the scores as it is: "
                          "the softmax lies between them, and its Jacobian must be applied "
                          "(dS = weights * (dA - row sum of dA * weights))."),
    (_weights_without_mask, (0, 1, 2),
     "the weights are computed again without the mask, so the keys it shut out get "
     "gradient: use the weights the forward pass gives you (0 where the mask shut a key "
     "out)."),
    (_dV_untransposed, (2,), "output = weights V, so dV = weights^T d_out: the weights are "
                             "not transposed."),
    (_dK_untransposed, (1,), "scores = Q K^T, so dK = dS^T Q / sqrt(d_k): dS is not "
                             "transposed."),
    (_dQ_transposed, (0,), "scores = Q K^T, so dQ = dS K / sqrt(d_k): dS must not be "
                           "transposed there."),
]

# ---------------------------------------------------------------- the checker


def _cases(rng):
    """``(name, d_out, Q, K, V, mask)``: leading axes (samples, heads) in both."""
    Q, K, V = (rng.normal(size=(3, 2, 5, 4)) for _ in range(3))
    first = ("for a batch Q, K, V of shape (3, 2, 5, 4) (3 samples, 2 heads) with a causal "
             "mask", rng.normal(size=(3, 2, 5, 4)), Q, K, V, np.tril(np.ones((5, 5), dtype=bool)))
    Q, K, V = (rng.normal(size=(2, 3, 4, 6)), rng.normal(size=(2, 3, 7, 6)),
               rng.normal(size=(2, 3, 7, 3)))
    second = ("for 4 queries over 7 keys, Q of shape (2, 3, 4, 6), K (2, 3, 7, 6) and "
              "V (2, 3, 7, 3), without a mask", rng.normal(size=(2, 3, 4, 3)), Q, K, V, None)
    return [first, second]


def _numeric(d_out, Q, K, V, mask):
    """Central differences of ``L = sum(output * d_out)``, whose gradients are dQ, dK, dV."""
    Q, K, V = Q.copy(), K.copy(), V.copy()

    def loss():
        return float(np.sum(_attention(Q, K, V, mask)[0] * d_out))

    return tuple(numerical_gradient(loss, x) for x in (Q, K, V))


def _wrong_values(d_out, Q, K, V, weights):
    """``[(outputs, message)]`` of the mistakes that run on these shapes."""
    found = []
    for wrong, where, message in MISTAKES:
        try:
            value = wrong(d_out, Q, K, V, weights)
        except ValueError:  # a product whose shapes do not fit: not this case's mistake
            continue
        found.append(({k: value[k] for k in where}, message))
    return found


def _one_sequence_works(fn, d_out, Q, K, V, weights):
    """Whether the student's function is right on the first sequence and head alone."""
    try:
        out = call(fn, *(a[0, 0].copy() for a in (d_out, Q, K, V, weights)))
        expected = _reference(*(a[0, 0] for a in (d_out, Q, K, V, weights)))
        return (isinstance(out, (tuple, list)) and len(out) == 3
                and all(np.shape(o) == e.shape and np.allclose(o, e)
                        for o, e in zip(out, expected)))
    except (NotAttempted, NotImplementedError):
        raise
    except Exception:
        return False


def _names_read(fn):
    """The attribute and global names the function's code reads, with those of its inner
    functions and of the functions it calls by a global name (``a.T`` reads ``T``)."""
    fn = getattr(fn, "func", fn)  # a functools.partial
    scope = getattr(fn, "__globals__", {})
    codes, names, seen = [getattr(fn, "__code__", None)], set(), set()
    while codes:
        code = codes.pop()
        if code is None or code in seen:
            continue
        seen.add(code)
        names.update(code.co_names)
        codes += [c for c in code.co_consts if hasattr(c, "co_names")]
        codes += [getattr(scope.get(n), "__code__", None) for n in code.co_names]
    return names


def _check_attention_backward(fn, rng):
    for name, d_out, Q, K, V, mask in _cases(rng):
        weights = _attention(Q, K, V, mask)[1]
        inputs = (d_out, Q, K, V, weights)
        given = tuple(a.copy() for a in inputs)
        try:
            out = call(fn, *given)
        except (NotAttempted, NotImplementedError):
            raise
        except Exception as exc:  # the student's code may fail in any way here
            if _one_sequence_works(fn, *inputs):
                names = _names_read(fn)
                hint = (".T (and np.transpose) reverses every axis; swap only the last two, "
                        "np.swapaxes(a, -1, -2)" if names & {"T", "transpose"} else
                        "every product and sum must work on the last two axes and leave the "
                        "leading ones alone (@ does; np.dot, np.outer and np.diag do not)")
                return (f"{name}, running it raised {type(exc).__name__}: "
                        f"{str(exc).rstrip('.')}. One sequence of one head works, so look at "
                        f"the leading axes: {hint}.")
            raise
        if out is None:
            return "your function returned None; did you forget `return`?"
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            got = f"{len(out)} values" if isinstance(out, (tuple, list)) else type(out).__name__
            return f"return three arrays, `return dQ, dK, dV`; got {got}."
        if not all(np.array_equal(a, b) for a, b in zip(given, inputs)):
            return ("your function changed its inputs (d_out, Q, K, V or weights): leave "
                    "them as they are.")
        expected = _reference(*inputs)
        numeric = _numeric(d_out, Q, K, V, mask)
        assert all(np.allclose(n, e, rtol=1e-5, atol=1e-7) for n, e in zip(numeric, expected)), \
            "the course's reference is off"
        in_order = all(np.shape(o) == e.shape and np.allclose(o, e)
                       for o, e in zip(out, expected))
        for order in itertools.permutations(range(3)):
            if order != (0, 1, 2) and not in_order and all(
                    np.shape(out[i]) == expected[j].shape and np.allclose(out[i], expected[j])
                    for i, j in enumerate(order)):
                return (f"{name}, your function returns the right arrays in another order: "
                        "return dQ, dK, dV (the gradients of Q, K and V, in that order).")
        wrongs = _wrong_values(*inputs)
        for k, label in enumerate(NAMES):
            mistakes = [(value[k], message) for value, message in wrongs if k in value]
            reason = compare_arrays(out[k], expected[k], rtol=1e-7, atol=1e-9,
                                    name=f"{name}, your {label}", mistakes=mistakes,
                                    scale_hint=True)
            if reason:
                return reason
            if not np.allclose(out[k], numeric[k], rtol=1e-5, atol=1e-7):  # pragma: no cover
                return (f"{name}, your {label} disagrees with finite differences of the "
                        "forward pass.")
    return None


attention_backward = Task(
    "attention_backward", _check_attention_backward, _reference,
    hints=["Go backward through the forward pass one step at a time: output = weights V, "
           "weights = softmax of each row of the scores, scores = Q K^T / sqrt(d_k). Each "
           "step is a matrix product or the softmax, whose backward passes you know.",
           "Through output = weights V: dV = weights^T d_out and dA = d_out V^T (dA, the "
           "gradient of the weights). Through scores = Q K^T / sqrt(d_k), with dS the "
           "gradient of the scores: dQ = dS K / sqrt(d_k) and dK = dS^T Q / sqrt(d_k).",
           "Through the softmax, row by row: dS = weights * (dA - the row's sum of "
           "dA * weights), the sum over the keys (axis=-1, keepdims=True). Transpose with "
           "np.swapaxes(a, -1, -2), which leaves the samples and heads where they are. The "
           "mask needs nothing more: its weights are 0."],
    seed=506,
    owner="the course's",
    # the checker's helpers that build the right answer from its parts
    forbidden={"tasks._from_dS": _from_dS, "tasks._dA": _dA, "tasks._jacobian": _jacobian},
)

# ---------------------------------------------------------------- practice: numbers


def _residual_checker(answer):
    return compare_arrays(answer, [0.5, -2.0, 1.0], name="the gradient", mistakes=[
        ([0.0, 0.0, 0.0], "without the residual that would be the answer: f is flat here, "
                          "but x_out = x + f(x) also passes x straight through, and that "
                          "path's Jacobian is the identity."),
        ([1.0, -4.0, 2.0], "the Jacobian of x_out is that of x (the identity) plus that of "
                           "f (0 here): the identity once, not twice."),
    ])


residual_gradient = Exercise(
    "1. The gradient through a residual", _residual_checker,
    hints=["x_out = x + f(x) has two paths from x: the identity and f. The chain rule adds "
           "what comes back along each.",
           "Along f the gradient is multiplied by f's Jacobian, 0 here; along the identity "
           "it is multiplied by the identity matrix."],
)


def _stream_checker(answer):
    return compare_arrays(answer, 16.0, name="the standard deviation", mistakes=[
        (256.0, "that is the variance at the end; the standard deviation is its square "
                "root."),
        (9.0, "standard deviations of uncorrelated signals do not add; their variances do."),
        (3.0, "each part adds as much variance as the stream holds when it gets there, "
              "not 1: its output is as large as its input."),
    ])


stream_growth = Exercise(
    "2. A stream without LayerNorm", _stream_checker,
    hints=["The variances of two uncorrelated signals add. At each part the stream "
           "gets an output with the same variance as itself.",
           "So every part multiplies the variance by the same factor. Work out the "
           "variance at the end first; the standard deviation is its square root."],
)
