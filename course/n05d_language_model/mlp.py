"""The MLP language model of notebook 05d, in numpy: a context window of tokens in, the
scores of the next token out.

    emb    = E[X]                        (n, block_size, embedding_dim)  a table lookup
    x      = emb.reshape(n, -1)          (n, block_size * embedding_dim) concatenated
    h      = tanh(x @ W1 + b1)           (n, hidden)
    logits = h @ W2 + b2                 (n, vocab_size)
    loss   = mean of -log softmax(logits)[y]

The parameters are the list ``[E, W1, b1, W2, b2]`` (what ``nnlib.Adam.step`` takes).
The backward pass is written out layer by layer; the lookup's backward pass,
``embedding_backward``, is passed in, so that the notebook trains with the student's.
"""

from __future__ import annotations

import numpy as np

import nnlib
from course.explorer import one_blas_thread
from nnlib.validation import check_positive, check_positive_int

NAMES = ("E", "W1", "b1", "W2", "b2")


def embedding_backward(d_emb, indices, vocab_size):
    """The gradient of the loss with respect to the table ``E``, from that of ``E[indices]``.

    Row ``t`` of the result is the sum of ``d_emb`` over every place where token ``t``
    was looked up: a token that appears twice in a batch gets both gradients added.

    Parameters
    ----------
    d_emb : ndarray of shape (n, block_size, embedding_dim)
        ``dL/d emb`` where ``emb = E[indices]``.
    indices : ndarray of shape (n, block_size), int
    vocab_size : int
        The number of rows of ``E``.

    Returns
    -------
    ndarray of shape (vocab_size, embedding_dim)
    """
    d_emb = np.asarray(d_emb, dtype=float)
    indices = np.asarray(indices)
    if d_emb.shape[:-1] != indices.shape:
        raise ValueError(f"d_emb must have shape indices.shape + (embedding_dim,); got d_emb "
                         f"{d_emb.shape} and indices {indices.shape}")
    dE = np.zeros((vocab_size, d_emb.shape[-1]))
    np.add.at(dE, indices, d_emb)
    return dE


def init_params(vocab_size, block_size, *, embedding_dim=10, hidden=100, output_scale=0.01,
                seed=None):
    """Random ``[E, W1, b1, W2, b2]``.

    ``E`` is standard normal; ``W1`` is normal with standard deviation
    ``(5/3) / sqrt(fan_in)`` (tanh's usual gain), so the hidden layer starts neither
    saturated nor flat; ``W2`` is normal times ``output_scale``, small, so that every
    logit starts near 0; the biases start at 0.
    """
    vocab_size = check_positive_int(vocab_size, "vocab_size", minimum=2)
    block_size = check_positive_int(block_size, "block_size")
    embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
    hidden = check_positive_int(hidden, "hidden")
    output_scale = check_positive(output_scale, "output_scale", allow_zero=True)
    rng = np.random.default_rng(seed)
    fan_in = block_size * embedding_dim
    return [rng.standard_normal((vocab_size, embedding_dim)),
            rng.standard_normal((fan_in, hidden)) * (5 / 3) / np.sqrt(fan_in),
            np.zeros(hidden),
            rng.standard_normal((hidden, vocab_size)) * output_scale,
            np.zeros(vocab_size)]


def _check_params(params):
    if len(params) != 5:
        raise ValueError(f"params must be [E, W1, b1, W2, b2], got {len(params)} arrays")
    E, W1, _, W2, _ = params
    if W1.shape[0] % E.shape[1]:
        raise ValueError(f"W1 has {W1.shape[0]} rows, not a multiple of the embedding size "
                         f"{E.shape[1]}")


def logits(params, X):
    """The scores of the next token for each context: ``(n, vocab_size)``."""
    E, W1, b1, W2, b2 = params
    X = np.asarray(X)
    return np.tanh(E[X].reshape(len(X), -1) @ W1 + b1) @ W2 + b2


def log_softmax(z):
    """``z - logsumexp(z)`` along the last axis, computed stably."""
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def loss_and_grads(params, X, y, embedding_backward=embedding_backward):
    """The mean negative log-likelihood of ``y`` given ``X``, and its gradient.

    Returns
    -------
    (float, list of ndarray)
        The loss and ``[dE, dW1, db1, dW2, db2]``.
    """
    _check_params(params)
    E, W1, b1, W2, b2 = params
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    emb = E[X]
    x = emb.reshape(n, -1)
    h = np.tanh(x @ W1 + b1)
    log_p = log_softmax(h @ W2 + b2)
    loss = -float(log_p[np.arange(n), y].mean())
    d_logits = np.exp(log_p)  # softmax, then minus one at the target, over n
    d_logits[np.arange(n), y] -= 1.0
    d_logits /= n
    dW2, db2 = h.T @ d_logits, d_logits.sum(axis=0)
    d_pre = (d_logits @ W2.T) * (1.0 - h * h)
    dW1, db1 = x.T @ d_pre, d_pre.sum(axis=0)
    d_emb = (d_pre @ W1.T).reshape(emb.shape)
    dE = embedding_backward(d_emb, X, E.shape[0])
    return loss, [dE, dW1, db1, dW2, db2]


def negative_log_likelihood(params, X, y, *, chunk=8192):
    """The mean of ``-ln p(y | X)`` over all pairs, in nats per character."""
    X, y = np.asarray(X), np.asarray(y)
    total = 0.0
    for start in range(0, len(X), chunk):
        log_p = log_softmax(logits(params, X[start:start + chunk]))
        total -= float(log_p[np.arange(len(log_p)), y[start:start + chunk]].sum())
    return total / len(X)


def train(params, X, y, *, steps=2000, batch_size=64, learning_rate=0.01, seed=None,
          embedding_backward=embedding_backward):
    """Adam on random minibatches; ``params`` are updated in place.

    Each step draws ``batch_size`` pairs at random (with replacement) and takes one step
    of ``nnlib.Adam(learning_rate)``; the rate drops to a tenth for the last quarter of
    the steps.

    Returns
    -------
    list of float
        The minibatch loss of every step (before its update).
    """
    steps = check_positive_int(steps, "steps")
    batch_size = check_positive_int(batch_size, "batch_size")
    _check_params(params)
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must hold the same number of pairs, got {len(X)} and "
                         f"{len(y)}")
    rng = np.random.default_rng(seed)
    optimizer = nnlib.Adam(learning_rate=learning_rate)
    # One vector holds every parameter (the arrays are views of it): Adam updates one
    # array instead of five, with a fifth of the small numpy calls.
    flat = np.concatenate([p.ravel() for p in params])
    views, start = [], 0
    for p in params:
        views.append(flat[start:start + p.size].reshape(p.shape))
        start += p.size
    losses = []
    with one_blas_thread():  # small matrices: one BLAS thread is the fastest
        for step in range(steps):
            if step == (3 * steps) // 4:
                optimizer.learning_rate = learning_rate / 10
            batch = rng.integers(0, len(X), size=batch_size)
            loss, grads = loss_and_grads(views, X[batch], y[batch], embedding_backward)
            optimizer.step([flat], [np.concatenate([g.ravel() for g in grads])])
            losses.append(loss)
    for p, v in zip(params, views):
        p[...] = v
    return losses


def next_probabilities(params, context, temperature=1.0):
    """``softmax(logits / T)`` of the next token after one context of token indices."""
    temperature = check_positive(temperature, "temperature")
    scores = logits(params, np.asarray(context)[None, :])[0] / temperature
    return np.exp(log_softmax(scores))


def sample(params, block_size, n_tokens, *, temperature=1.0, seed=None, prompt=()):
    """Draw ``n_tokens`` tokens, one at a time, each from ``softmax(logits / T)``.

    The context starts as ``END`` tokens (index 0) followed by ``prompt``. The uniform
    numbers behind the draws depend only on ``seed``: with the same seed, two
    temperatures make the same choices wherever their distributions agree.

    Returns
    -------
    ndarray of shape (n_tokens,), int
    """
    temperature = check_positive(temperature, "temperature")
    E, W1, b1, W2, b2 = params
    uniforms = np.random.default_rng(seed).random(n_tokens)
    context = list(np.zeros(block_size, dtype=np.int64)) + [int(t) for t in prompt]
    out = np.empty(n_tokens, dtype=np.int64)
    for i in range(n_tokens):
        window = context[len(context) - block_size:]
        scores = (np.tanh(E[window].reshape(-1) @ W1 + b1) @ W2 + b2) / temperature
        p = np.exp(scores - scores.max())
        cumulative = np.cumsum(p)
        token = int(np.searchsorted(cumulative, uniforms[i] * cumulative[-1], side="right"))
        out[i] = min(token, len(p) - 1)
        context.append(out[i])
    return out
