"""Solutions of notebook 05c's build-it task (merged into the teacher's notebook by
tools/classroom.py) and the answers of its practice exercises."""

import numpy as np


def attention(Q, K, V, mask=None):
    d_k = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)  # (..., n_queries, n_keys)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)  # shut out the keys marked False
    scores = scores - scores.max(axis=-1, keepdims=True)  # exp cannot overflow
    e = np.exp(scores)
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ V, weights


ANSWERS = {
    "scale_factor": 0.125,  # 1 / sqrt(64)
    "attention_weights": [0.576, 0.212, 0.212],  # softmax([2, 0, 0] / sqrt(4))
    "causal_pairs": 21,  # 1 + 2 + ... + 6
}


WRITTEN = {
    "why_positional_encoding": r"""
Self-attention compares contents only: each weight comes from a query-key dot product, and
the output is a weighted average of the values. Shuffling the positions shuffles the rows of
$Q$, $K$ and $V$ together, so every position gets the same output as before, only at its new
place (the notebook checked this): on its own, self-attention sees a set, not a sequence. To
reverse, output position $i$ must find the input at position $7 - i$, so the model must know
where each digit sits. Adding the sinusoidal encoding to each embedding gives every position
its own pattern, which queries and keys can match on.
""",
}
