"""Notebook 04b's tasks: dropout's forward and backward pass and the gradient of the L2
penalty.

Dropout is checked statistically on fresh inputs (which values the mask holds, the share
it keeps, the mean of the output); its backward pass and the L2 gradient are also checked
against finite differences of the student's own code.
"""

from __future__ import annotations

import numpy as np

from course.exercises import Task, call, compare_arrays, gradient_reason
from nnlib import penalties
from nnlib.model import MLP

# ---------------------------------------------------------------- dropout


def _dropout_forward_reference(A, rate, rng):
    """Inverted dropout, as ``MLP`` applies it in training: ``(A * mask, mask)``."""
    keep = 1.0 - rate
    mask = (rng.random(np.shape(A)) < keep) / keep
    return A * mask, mask


def _dropout_backward_reference(dout, mask):
    """The gradient of ``A * mask`` with respect to ``A``, given ``dout``."""
    return dout * mask


def _mask_reason(mask, rate):
    """None if every entry of ``mask`` is 0 or 1 / (1 - rate), else what the values are."""
    def only(*values):
        return bool(np.all(np.any([np.isclose(mask, v, rtol=1e-9, atol=1e-12)
                                   for v in values], axis=0)))

    if only(0.0, 1.0 / (1.0 - rate)):
        return None
    if only(0.0, 1.0):
        return ("the mask holds 0 and 1: there is no 1/(1 - rate) scaling. Inverted dropout "
                "divides the kept units by 1 - rate (the mask holds 0 or 1/(1 - rate)), so "
                "that the expected value of each unit does not change.")
    if only(0.0, 1.0 - rate):
        return ("the mask multiplies the kept units by 1 - rate: divide by it instead "
                "(multiplying is what the original dropout does at test time; inverted "
                "dropout scales during training, so the test-time network needs no change).")
    if only(0.0, 1.0 / rate):
        return ("the kept units are divided by rate: divide by 1 - rate, the probability "
                "of keeping a unit.")
    return ("every entry of the mask should be 0 (dropped) or 1/(1 - rate) (kept); yours "
            "holds other values.")


def _check_dropout(forward, backward, rng):
    for rate in (0.25, 0.6):
        keep = 1.0 - rate
        row = rng.normal(size=8)
        A = np.tile(row, (4000, 1))          # 4000 draws of the same 8 units
        A_before = A.copy()
        seed = int(rng.integers(1 << 30))
        out = call(forward, A, rate, np.random.default_rng(seed))
        where = f"with rate = {rate}"
        if not isinstance(out, tuple) or len(out) != 2:
            return "dropout_forward should return a pair (out, mask)."
        out, mask = (np.asarray(x, dtype=float) for x in out)
        if not np.array_equal(A, A_before):
            return ("dropout_forward changed its input A: return a new array "
                    "(out = A * mask).")
        for name, x in (("out", out), ("mask", mask)):
            if x.shape != A.shape:
                return (f"{where}, {name} has shape {x.shape}; it should have A's shape "
                        f"{A.shape} (one draw per unit and per sample).")
        kept = float(np.mean(mask != 0))
        if abs(kept - rate) < 0.02:
            return (f"{where}, your dropout keeps {kept:.0%} of the units: it drops each "
                    "unit with probability 1 - rate. rate is the probability of dropping a "
                    "unit, so keep each one with probability 1 - rate.")
        if abs(kept - keep) > 0.02:
            return (f"{where}, your dropout keeps {kept:.0%} of the units; each unit should "
                    f"be kept with probability 1 - rate, about {keep:.0%} of them.")
        reason = _mask_reason(mask, rate)
        if reason:
            if reason.startswith("the mask holds 0 and 1") and np.allclose(out, A * mask / keep):
                return (f"{where}, out is scaled right but the mask holds 0 and 1: put the "
                        "1/(1 - rate) in the mask itself, since dropout_backward multiplies "
                        "by the mask and the gradient needs the same factor.")
            return f"{where}, {reason}"
        reason = compare_arrays(out, A * mask, name=f"{where}, out", mistakes=[
            (A * (mask != 0), "the units are dropped but the kept ones are not scaled: "
                              "out should be A * mask, with the 1/(1 - rate) in the mask."),
        ])
        if reason:
            return reason + " out should be A * mask."
        mean = out.mean(axis=0)
        if not np.allclose(mean, row, rtol=0.1, atol=0.02):
            return (f"{where}, the mean of out over 4000 draws is not close to A: inverted "
                    "dropout keeps the expected value of every unit equal to A.")
        again = call(forward, A, rate, np.random.default_rng(seed))[1]
        if not np.array_equal(np.asarray(again, dtype=float), mask):
            return ("the same rng state gave a different mask: draw the random numbers from "
                    "the rng argument (e.g. rng.random), not from np.random, so a run can be "
                    "repeated.")
    # backward, with a fixed mask
    rate = 0.4
    A = rng.normal(size=(5, 6))
    mask = (rng.random(A.shape) < 1 - rate) / (1 - rate)
    G = rng.normal(size=A.shape)
    dA = call(backward, G, mask.copy())
    right = G * mask
    reason = compare_arrays(dA, right, name="dropout_backward's result", mistakes=[
        (G, "the dropped units must pass no gradient back: multiply dout by the mask."),
        (G * (mask != 0), "the gradient of a kept unit is scaled by 1/(1 - rate) as well: "
                          "multiply dout by the mask itself, not by (mask > 0)."),
        (G * mask * (1 - rate), "the gradient is multiplied by 1 - rate: the mask already "
                                "holds the right factor; multiply dout by the mask only."),
        (G * mask / (1 - rate), "the gradient is scaled twice: the mask already holds "
                                "1/(1 - rate); multiply dout by the mask only."),
        (mask, "return the gradient dout * mask, not the mask."),
    ])
    if (reason and reason.endswith("from the right values.") and np.shape(dA) == mask.shape
            and np.any((np.asarray(dA) == 0) != (mask == 0))):
        return ("dropout_backward's result is 0 at other units than the ones the mask "
                "drops: a unit dropped in the forward pass (mask 0) passes no gradient and "
                "every other unit passes dout * mask, so the zeros follow the given mask.")
    if reason:
        return reason
    return gradient_reason(lambda a: float(np.sum(G * (a * mask))), A, dA,
                           "dropout_backward's result")


dropout = Task(
    "dropout", _check_dropout, (_dropout_forward_reference, _dropout_backward_reference),
    hints=["Every unit gets its own coin flip: kept with probability 1 - rate, dropped "
           "(set to 0) otherwise. The kept ones are made larger by 1/(1 - rate), so each "
           "unit's expected value stays the same.",
           "mask = (a uniform number from rng below 1 - rate) / (1 - rate), one per entry of "
           "A; out = A * mask.",
           "out = A * mask entry by entry, so d out / d A is the mask: dA = dout * mask."],
    seed=403,
    forbidden={"MLP.forward": MLP.forward, "MLP.loss_and_grads": MLP.loss_and_grads},
)

# ---------------------------------------------------------------- the L2 penalty's gradient


def _check_l2_grad(fn, rng):
    weights = [rng.normal(size=s) for s in [(3, 4), (4, 2), (2, 1)]]
    l2 = float(rng.uniform(0.05, 0.5))
    given = [W.copy() for W in weights]
    got = call(fn, given, l2)
    if not all(np.array_equal(a, b) for a, b in zip(given, weights)):
        return ("your function changed the kernels it was given: return new arrays and "
                "leave the weights alone (the optimizer changes them, with this gradient).")
    if isinstance(got, (int, float, np.floating)) or (
            isinstance(got, np.ndarray) and got.ndim == 0):
        return ("your function returns one number; return the gradient, a list with one "
                "array per kernel (the penalty itself is l2 * sum W^2).")
    if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
        return f"return a list of {len(weights)} arrays, one gradient per kernel."
    if len(got) != len(weights):
        return (f"you returned {len(got)} array(s) for {len(weights)} kernels: return one "
                "gradient per kernel.")
    right = penalties.l2_penalty_grad(weights, l2)
    for i, (g, W, r) in enumerate(zip(got, weights, right)):
        name = f"the gradient of kernel {i + 1}"
        reason = compare_arrays(g, r, name=name, mistakes=[
            (l2 * W, "the factor 2 is missing: the derivative of W^2 is 2 W."),
            (-r, "the sign is flipped: the penalty grows with |W|, so its gradient points "
                 "the same way as W."),
            (2 * W, "l2 is missing: the penalty is l2 times the sum of squares."),
            (l2 * np.sign(W), "that is the L1 penalty's gradient, l1 sign(W); the L2 "
                              "penalty's is 2 l2 W."),
        ])
        if reason:
            return reason
    for i, W in enumerate(weights):
        def penalty(v, i=i):
            trial = list(weights)
            trial[i] = v
            return penalties.l2_penalty(trial, l2)
        reason = gradient_reason(penalty, W, got[i], f"the gradient of kernel {i + 1}")
        if reason:
            return reason
    return None


l2_penalty_grad = Task(
    "l2_penalty_grad", _check_l2_grad,
    lambda weights, l2: penalties.l2_penalty_grad(list(weights), l2),
    hints=["The penalty is a sum over every weight of every kernel; each weight appears in "
           "exactly one term, l2 * w^2.",
           "The derivative of l2 * w^2 is 2 * l2 * w: one array per kernel, shaped like it."],
    seed=404,
    forbidden={"penalties.l2_penalty_grad": penalties.l2_penalty_grad},
)
