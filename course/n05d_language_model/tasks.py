"""Notebook 05d's build-it task and exercises: the backward pass of an embedding lookup.

``embedding_backward(d_emb, indices, vocab_size)`` returns ``dE``, the gradient of the
loss with respect to the embedding table, from ``d_emb``, the gradient with respect to
the looked-up rows ``E[indices]``. The checker calls the student's function on fresh
random batches in which tokens repeat, compares the result with finite differences of
the lookup itself and with the course's version, and names a mistake only when the
student's result is exactly what that mistake gives (each is run as code here): the
rows written with ``dE[indices] += d_emb`` (a repeated token keeps one gradient), one
context position only, a mean instead of a sum (over the batch or over each token's
uses), the table sized by the largest index seen, the result transposed.
"""

from __future__ import annotations

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays
from nnlib.gradcheck import numerical_gradient

from . import mlp

# ---------------------------------------------------------------- mistakes, as code


def _buffered(d_emb, indices, vocab_size):
    dE = np.zeros((vocab_size, d_emb.shape[-1]))
    dE[indices] += d_emb  # a repeated index is written once: the last write wins
    return dE


def _last_position(d_emb, indices, vocab_size):
    for k in range(indices.shape[1]):  # dE made again for each position: the last stays
        dE = np.zeros((vocab_size, d_emb.shape[-1]))
        np.add.at(dE, indices[:, k], d_emb[:, k])
    return dE


def _first_position(d_emb, indices, vocab_size):
    dE = np.zeros((vocab_size, d_emb.shape[-1]))
    np.add.at(dE, indices[:, 0], d_emb[:, 0])
    return dE


def _mean_over_batch(d_emb, indices, vocab_size):
    return mlp.embedding_backward(d_emb, indices, vocab_size) / len(indices)


def _mean_per_token(d_emb, indices, vocab_size):
    counts = np.bincount(indices.ravel(), minlength=vocab_size)
    return mlp.embedding_backward(d_emb, indices, vocab_size) / np.maximum(counts, 1)[:, None]


def _rows_seen(d_emb, indices, vocab_size):
    dE = np.zeros((indices.max() + 1, d_emb.shape[-1]))
    np.add.at(dE, indices, d_emb)
    return dE


VALUE_MISTAKES = [
    (_buffered, "a token that appears more than once gets only one of its gradients. "
                "`dE[indices] += d_emb` writes each repeated row once (the last write "
                "wins); the gradients of every use must be added, e.g. with np.add.at."),
    (_last_position, "only the last position of the context reaches dE: a token gets a "
                     "gradient from every position it was looked up at, so add them all "
                     "(is dE made again inside a loop?)."),
    (_first_position, "only the first position of the context reaches dE: a token gets a "
                      "gradient from every position it was looked up at, so add them all."),
    (_mean_over_batch, "yours is divided by the batch size: d_emb already holds the loss's "
                       "1/n, so dE is a plain sum."),
    (_mean_per_token, "each row is the average of the gradients of that token's uses: the "
                      "chain rule adds them (a token used twice moves the loss twice)."),
]

# ---------------------------------------------------------------- the checker


def _cases(rng):
    """``(name, d_emb, indices, vocab_size)``; in each batch some tokens repeat and some
    rows of the table are never looked up."""
    small = rng.integers(0, 5, size=(4, 3))  # 12 lookups among 5 tokens: repeats
    single = rng.integers(0, 6, size=(10, 1))
    large = rng.integers(0, 30, size=(32, 6))
    return [
        ("a batch of 4 contexts of 3 tokens, vocabulary 7", rng.normal(size=(4, 3, 2)),
         small, 7),
        ("contexts of one token, vocabulary 8", rng.normal(size=(10, 1, 3)), single, 8),
        ("a batch of 32 contexts of 6 tokens, vocabulary 36", rng.normal(size=(32, 6, 8)),
         large, 36),
    ]


def _lookup_gradient(d_emb, indices, vocab_size):
    """Central differences of ``L(E) = sum(E[indices] * d_emb)``: whose gradient is dE."""
    E = np.zeros((vocab_size, d_emb.shape[-1]))
    return numerical_gradient(lambda table: float(np.sum(table[indices] * d_emb)), E)


def _check_embedding_backward(fn, rng):
    for number, (name, d_emb, indices, vocab_size) in enumerate(_cases(rng)):
        given_d, given_i = d_emb.copy(), indices.copy()
        answer = call(fn, given_d, given_i, vocab_size)
        if answer is None:
            return "your function returned None; did you forget `return`?"
        if not (np.array_equal(given_d, d_emb) and np.array_equal(given_i, indices)):
            return "your function changed its inputs d_emb or indices: leave them as they are."
        expected = mlp.embedding_backward(d_emb, indices, vocab_size)
        if number == 0:  # an independent reference, on the small case
            numeric = _lookup_gradient(d_emb, indices, vocab_size)
            assert np.allclose(numeric, expected, atol=1e-7), "the course's reference is off"
        shaped = np.shape(answer)
        if shaped == expected.T.shape != expected.shape and np.allclose(answer, expected.T):
            return (f"for {name}, yours is transposed: dE has one row per token of the "
                    "vocabulary, shape (vocab_size, embedding_dim), like E.")
        rows_seen = _rows_seen(d_emb, indices, vocab_size)
        if shaped == rows_seen.shape != expected.shape and np.allclose(answer, rows_seen):
            return (f"for {name}, yours has one row per token up to the largest index in "
                    "the batch: dE has the shape of E, (vocab_size, embedding_dim), with "
                    "zeros for the tokens the batch never used.")
        reason = compare_arrays(answer, expected, rtol=1e-9, atol=1e-12,
                                name=f"for {name}, your dE", scale_hint=True,
                                mistakes=[(wrong(d_emb, indices, vocab_size), message)
                                          for wrong, message in VALUE_MISTAKES])
        if reason:
            return reason
    return None


embedding_backward = Task(
    "embedding_backward", _check_embedding_backward, mlp.embedding_backward,
    hints=["emb = E[indices] copies rows of E. If row t was copied to three places, a "
           "small change of E[t] moves all three copies: its gradient is the sum of their "
           "three gradients.",
           "Start from zeros of shape (vocab_size, embedding_dim) and add every row of "
           "d_emb into the row of its token. Fancy-index assignment cannot do it: "
           "dE[indices] += d_emb writes a repeated index only once.",
           "np.add.at(dE, indices, d_emb) adds without buffering; a loop over the batch "
           "and the positions, or a one-hot matrix product, gives the same sums."],
    seed=505,
    owner="the course's",
)

# ---------------------------------------------------------------- practice: numbers


def _uniform_checker(answer):
    right = float(np.log(27))
    return compare_arrays(answer, right, rtol=1e-3, name="the loss", mistakes=[
        (np.log2(27), "that is the loss in bits (log base 2); the course's losses use the "
                      "natural logarithm, ln."),
        (np.log10(27), "that is log base 10; the loss uses the natural logarithm, ln."),
        (1 / 27, "that is the probability of each token; the loss is its negative "
                 "logarithm."),
        (27.0, "that is the number of tokens; the loss is -ln of the probability of each."),
    ])


uniform_loss = Exercise(
    "1. The loss of a uniform guess", _uniform_checker,
    hints=["A uniform guess gives each of the 27 tokens the probability 1/27, whatever "
           "comes next.",
           "The loss of one character is -ln(probability of the right one): -ln(1/27)."],
)


def _repeated_checker(answer):
    right = np.array([[2.0], [0.0], [4.0]])
    return compare_arrays(answer, right, name="your dE", mistakes=[
        (np.array([[2.0], [0.0], [3.0]]), "token 2 was looked up twice, at positions 0 "
                                          "and 2: its row gets both gradients, added."),
        (np.array([[2.0], [0.0], [1.0]]), "token 2 was looked up twice, at positions 0 "
                                          "and 2: its row gets both gradients, added."),
        (np.array([[2.0], [0.0], [2.0]]), "add token 2's two gradients; do not average "
                                          "them."),
    ])


repeated_token = Exercise(
    "2. A token used twice", _repeated_checker,
    hints=["Row t of dE collects d_emb from every position where token t was looked up.",
           "Token 0 sits at position 1 (gradient 2); token 2 at positions 0 and 2 "
           "(gradients 1 and 3); token 1 nowhere."],
)
