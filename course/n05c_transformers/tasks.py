"""Notebook 05c's exercises: scaled dot-product attention with a mask, the scale factor,
attention weights by hand and counting a causal mask's pairs.

The mask follows ``attention`` (and Keras' ``attention_mask``): a boolean array,
True where a query may look at a key. The checker calls the student's ``attention`` on
fresh random queries, keys, values and masks, compares it with
``attention.scaled_dot_product_attention`` and names the typical mistakes it
recognises (no 1/sqrt(d_k), the softmax over the wrong axis, a mask ignored or inverted,
masked keys left with a small weight, an overflow on large scores).
"""

from __future__ import annotations

import numpy as np

from course.exercises import Exercise, NotAttempted, Task, call, compare_arrays

from . import attention as nn_attention

# ---------------------------------------------------------------- masked attention


def _attention_reference(Q, K, V, mask=None):
    """nnlib's scaled dot-product attention: ``(output, weights)``."""
    return nn_attention.scaled_dot_product_attention(Q, K, V, mask=mask)


def _weight_mistakes(Q, K, V, mask):
    """What typical mistakes give for the weights, each with the message naming it."""
    softmax = nn_attention.softmax
    d_k, d_v = Q.shape[-1], V.shape[-1]
    raw = Q @ np.swapaxes(K, -1, -2)

    def masked(scores, m=mask, fill=-1e9):
        return scores if m is None else np.where(m, scores, fill)

    scaled = raw / np.sqrt(d_k)
    out = [
        (softmax(masked(raw)), "the scores are not divided by sqrt(d_k): without it they "
                               "grow with the depth and the softmax saturates."),
        (softmax(masked(raw / d_k)), "the scores are divided by d_k; divide by its square "
                                     "root."),
        (softmax(masked(raw * np.sqrt(d_k))), "the scores are multiplied by sqrt(d_k); "
                                              "divide by it."),
        (softmax(masked(scaled), axis=-2),
         "the softmax runs over the queries (axis -2): each query's row of weights, one "
         "per key, must sum to 1, so normalise along the last axis."),
    ]
    if d_v != d_k:
        out.append((softmax(masked(raw / np.sqrt(d_v))),
                    "the scores are scaled with the depth of the values; use d_k, the "
                    "depth of the queries and keys."))
    if mask is not None:
        full = np.broadcast_to(mask, scaled.shape)
        out += [
            (softmax(scaled), "the mask is ignored: every query still looks at every key."),
            (softmax(masked(scaled, m=~full)),
             "the mask is inverted: True marks the keys a query MAY look at (as in "
             "attention and Keras); the others are shut out."),
            (softmax(masked(scaled, fill=0.0)),
             "masked keys get a score of 0, which the softmax still turns into a weight; "
             "give them a very large negative score instead (or -inf), so that their "
             "weight becomes exactly 0."),
            (softmax(scaled) * full,
             "the masked weights are zeroed after the softmax, so the rows no longer sum "
             "to 1; shut the masked keys out before the softmax, on the scores."),
        ]
    return out


def _weights_reason(weights, right, Q, K, V, mask):
    mistakes = _weight_mistakes(Q, K, V, mask)
    reason = compare_arrays(weights, right, name="the weights", mistakes=mistakes)
    if reason is None:
        return None
    w = np.asarray(weights, dtype=float)
    if w.shape != right.shape or not np.all(np.isfinite(w)):
        return reason
    if any(np.allclose(w, wrong, rtol=1e-6, atol=1e-8) for wrong, _ in mistakes):
        return reason  # a named mistake
    if mask is not None:
        shut = ~np.broadcast_to(np.asarray(mask, bool), w.shape)
        leak = float(np.max(np.abs(w[shut])))
        if 1e-9 < leak < 0.05:
            return ("the masked keys still get a small weight (up to "
                    f"{leak:.1e}): their weight must be 0. Give their scores a very large "
                    "negative value (or -inf) before the softmax, not a moderate one.")
        if leak >= 0.05:
            return "the masked keys still get weight: only the keys marked True count."
    if not np.allclose(w.sum(axis=-1), 1.0):
        return ("your rows of weights do not sum to 1: each query's weights are a softmax "
                "over the keys (the last axis).")
    return reason


def _one_case(fn, Q, K, V, mask, where):
    kwargs = {} if mask is None else {"mask": mask.copy()}
    out = call(fn, Q.copy(), K.copy(), V.copy(), **kwargs)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return "return a pair (output, weights)."
    output, weights = out
    right_out, right_w = _attention_reference(Q, K, V, mask=mask)
    if (np.shape(output) == right_w.shape and np.shape(weights) == right_out.shape
            and np.allclose(output, right_w) and np.allclose(weights, right_out)):
        return where + "the pair is the wrong way round: return (output, weights)."
    reason = (_weights_reason(weights, right_w, Q, K, V, mask)
              or compare_arrays(output, right_out, name="the output"))
    return where + reason if reason else None


def _random_mask(rng, n_q, n_k):
    """A boolean mask where every row allows some keys and shuts out others."""
    while True:
        mask = rng.random((n_q, n_k)) < 0.5
        if np.all(mask.any(axis=1)) and np.all((~mask).any(axis=1)):
            return mask


def _check_attention(fn, rng):
    # 1. one sequence, no mask; d_v differs from d_k
    Q, K, V = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    reason = _one_case(fn, Q, K, V, None, "without a mask, ")
    if reason:
        return reason
    # 2. one sequence with a random mask
    Q, K, V = rng.normal(size=(4, 9)), rng.normal(size=(6, 9)), rng.normal(size=(6, 3))
    reason = _one_case(fn, Q, K, V, _random_mask(rng, 4, 6), "with a mask, ")
    if reason:
        return reason
    # 3. a batch of 2 samples x 3 heads, one causal mask for all of them
    Q, K, V = (rng.normal(size=(2, 3, 5, 4)) for _ in range(3))
    where = "for a batch Q, K, V of shape (2, 3, 5, 4) with a (5, 5) causal mask, "
    try:
        reason = _one_case(fn, Q, K, V, nn_attention.causal_mask(5), where)
    except (NotAttempted, NotImplementedError):
        raise
    except Exception as exc:  # the student's code may fail in any way here
        reason = f"{where}running it raised {type(exc).__name__}: {exc}."
    if reason:
        return (reason + " One sequence works, so look at the leading axes: transpose "
                "only the last two axes of K, and let the mask broadcast over the others.")
    # 4. large scores: a constant added to every score of a row changes nothing, but
    # exp overflows unless each row is shifted by its largest score
    Q, K, V = 2 * rng.normal(size=(4, 4)), 2 * rng.normal(size=(4, 4)), rng.normal(size=(4, 2))
    Q[:, 0], K[:, 0] = 100.0, 100.0  # every score gets + 100 * 100 / sqrt(4) = 5000
    mask = nn_attention.causal_mask(4)
    with np.errstate(all="ignore"):
        out = call(fn, Q.copy(), K.copy(), V.copy(), mask=mask)
    if isinstance(out, (tuple, list)) and len(out) == 2 and not (
            np.all(np.isfinite(np.asarray(out[0], float)))
            and np.all(np.isfinite(np.asarray(out[1], float)))):
        return ("with large scores (thousands) your result contains NaN or inf: exp "
                "overflows. Subtract each row's largest score before exp; the softmax "
                "does not change.")
    return _one_case(fn, Q, K, V, mask, "with large scores, ")


attention = Task(
    "attention", _check_attention, _attention_reference,
    hints=["Compare every query with every key by a dot product, shrink the scores by "
           "sqrt(d_k), turn each query's row of scores into weights with a softmax, and "
           "average the values with those weights.",
           "Before the softmax, give the scores of the keys the mask shuts out (False) a "
           "very large negative value, so their weights become 0; shift each row by its "
           "largest score so that exp cannot overflow.",
           "weights = softmax over the last axis of Q K^T / sqrt(d_k) (masked), "
           "output = weights V. For a batch, K^T swaps only K's last two axes."],
    seed=521,
    owner="the course's",
    forbidden={"attention.scaled_dot_product_attention": nn_attention.scaled_dot_product_attention,
               "attention.multi_head_attention": nn_attention.multi_head_attention,
               "attention.softmax": nn_attention.softmax},
)

# ---------------------------------------------------------------- practice: numbers


def _scale_checker(answer):
    d_k = 64
    return compare_arrays(answer, 1 / np.sqrt(d_k), name="the factor", mistakes=[
        (np.sqrt(d_k), "the scores are divided by sqrt(d_k), so they are multiplied by "
                       "its inverse."),
        (1 / d_k, "the square root is missing."),
        (d_k, "the scores are divided by the square root of d_k: give the factor that "
              "multiplies them."),
    ])


scale_factor = Exercise(
    "1. The scale factor", _scale_checker,
    hints=["The scores are divided by the square root of d_k, the dimension of the keys.",
           "Dividing by a number is multiplying by its inverse; d_k = 64."],
)


def _weights_checker(answer):
    scores, d_k = np.array([2.0, 0.0, 0.0]), 4
    softmax = nn_attention.softmax
    return compare_arrays(answer, softmax(scores / np.sqrt(d_k)), atol=1e-3,
                          name="the weights", mistakes=[
        (softmax(scores), "divide the dot products by sqrt(d_k) before the softmax."),
        (softmax(scores / d_k), "divide by the square root of d_k, not by d_k."),
        (scores / np.sqrt(d_k) / np.sum(scores / np.sqrt(d_k)),
         "the softmax exponentiates the scores before normalising them."),
    ])


attention_weights = Exercise(
    "2. Attention weights", _weights_checker,
    hints=["Divide the scores by sqrt(d_k) = 2, then apply a softmax: exponentiate each and "
           "divide by the sum.",
           "With s = [1, 0, 0]: e^s / (e^1 + e^0 + e^0)."],
)


def _causal_checker(answer):
    n = 6
    right = int(nn_attention.causal_mask(n).sum())
    return compare_arrays(answer, right, name="the number of pairs", mistakes=[
        (n * (n - 1) // 2, "a position may also look at itself: count the diagonal."),
        (n * n, "that counts every pair; the causal mask shuts out the later positions."),
    ])


causal_pairs = Exercise(
    "3. A causal mask", _causal_checker,
    hints=["Position i may look at positions 0..i: that is i + 1 positions.",
           "Add up 1 + 2 + ... + 6."],
)
