"""The causal Transformer language model of notebook 05e, in numpy, forward and backward.

Tokens in, the scores of the next token at every position out. Each block is the
"pre-LayerNorm" block of GPT-2 and most models since::

    x   = E[X] + P                           (n, T, d)  token and position embeddings
    for each block:
        x = x + Attention(LN1(x))            causal, several heads
        x = x + FFN(LN2(x))                  relu(h @ W1 + b1) @ W2 + b2, at each position
    logits = LNf(x) @ W_out + b_out          (n, T, vocab_size)
    loss   = mean over the n * T positions of -log softmax(logits)[next token]

Three switches take a part out, to show what it does: ``residual=False`` replaces
``x = x + f(x)`` by ``x = f(x)``, ``layer_norm=False`` leaves out the three LayerNorms,
``feed_forward=False`` the FFN.

The model is built from the pieces the student wrote in earlier notebooks, passed in as
``pieces`` (what ``course.student_library.load("attention", "layer_norm_backward",
"embedding_backward")`` returns: theirs, or the course's stand-ins): 05c's masked
``attention``, 04c's ``layer_norm_backward`` and 05d's ``embedding_backward``. This
notebook's own piece, ``attention_backward``, is an argument too, so that the notebook
trains with the student's. The parameters are a dict of arrays (``init_params``).
"""

from __future__ import annotations

import numpy as np

import nnlib
from course.explorer import one_blas_thread
from nnlib.losses import categorical_cross_entropy, categorical_cross_entropy_grad
from nnlib.validation import check_positive, check_positive_int

EPS = 1e-5  # LayerNorm's epsilon, as 04c's layer_norm_backward assumes by default

PARTS = ("residual", "layer_norm", "feed_forward")


def attention_backward(d_out, Q, K, V, weights):
    """The gradients of attention, ``(dQ, dK, dV)``, from that of its output.

    Parameters
    ----------
    d_out : ndarray of shape (..., n_queries, d_v)
        ``dL/d output`` where ``output, weights = attention(Q, K, V, mask)``.
    Q : ndarray of shape (..., n_queries, d_k)
    K : ndarray of shape (..., n_keys, d_k)
    V : ndarray of shape (..., n_keys, d_v)
    weights : ndarray of shape (..., n_queries, n_keys)
        The forward pass' weights (0 where the mask shut a key out).

    Returns
    -------
    dQ, dK, dV : ndarrays of the shapes of Q, K and V

    Notes
    -----
    With ``S = Q K^T / sqrt(d_k)``, ``A = softmax(S)`` row by row and ``out = A V``::

        dV = A^T d_out        dA = d_out V^T
        dS = A * (dA - sum(dA * A, over the keys))      softmax's Jacobian, row by row
        dQ = dS K / sqrt(d_k)                            dK = dS^T Q / sqrt(d_k)

    A shut-out key has ``A = 0``, so its ``dS`` is 0: the mask needs no term of its own.
    """
    At = np.swapaxes(weights, -1, -2)
    dV = At @ d_out
    dA = d_out @ np.swapaxes(V, -1, -2)
    dS = weights * (dA - np.sum(dA * weights, axis=-1, keepdims=True))
    scale = 1.0 / np.sqrt(Q.shape[-1])
    return dS @ K * scale, np.swapaxes(dS, -1, -2) @ Q * scale, dV


def init_params(vocab_size, n_steps, *, d_model=32, n_blocks=2, n_heads=2, d_ff=None,
                output_scale=0.01, seed=None):
    """Random weights for ``n_blocks`` blocks reading up to ``n_steps`` tokens.

    ``E`` (a row per token) and ``P`` (a row per position) are normal, of standard
    deviation 1 and 1/2; the attention and FFN kernels are normal with variance
    1 / fan-in (2 / fan-in before the ReLU, He's), so a block's output starts at the size
    of its input; ``W_out`` is normal times ``output_scale``, small, so the first loss is
    near ln V; biases and the LayerNorms' ``beta`` start at 0, their ``gamma`` at 1.

    Returns
    -------
    dict
        ``n_heads`` (an int) and the weights: ``E`` (V, d), ``P`` (n_steps, d), ``W_out``,
        ``b_out``, ``lnf_gamma``, ``lnf_beta``, and for block ``i`` ``{i}.Wq``, ``{i}.Wk``,
        ``{i}.Wv``, ``{i}.Wo`` (d, d), ``{i}.W1`` (d, d_ff), ``{i}.b1``, ``{i}.W2``
        (d_ff, d), ``{i}.b2``, ``{i}.ln1_gamma``, ``{i}.ln1_beta``, ``{i}.ln2_gamma``,
        ``{i}.ln2_beta``.
    """
    vocab_size = check_positive_int(vocab_size, "vocab_size", minimum=2)
    n_steps = check_positive_int(n_steps, "n_steps")
    d_model = check_positive_int(d_model, "d_model")
    n_blocks = check_positive_int(n_blocks, "n_blocks")
    n_heads = check_positive_int(n_heads, "n_heads")
    if d_model % n_heads:
        raise ValueError(f"d_model must be a multiple of n_heads. Received: d_model={d_model}, "
                         f"n_heads={n_heads}")
    d_ff = 4 * d_model if d_ff is None else check_positive_int(d_ff, "d_ff")
    output_scale = check_positive(output_scale, "output_scale", allow_zero=True)
    rng = np.random.default_rng(seed)
    d = d_model
    params = {"n_heads": n_heads, "E": rng.standard_normal((vocab_size, d)),
              "P": rng.standard_normal((n_steps, d)) / 2}
    for i in range(n_blocks):
        for name in ("Wq", "Wk", "Wv", "Wo"):
            params[f"{i}.{name}"] = rng.standard_normal((d, d)) / np.sqrt(d)
        params[f"{i}.W1"] = rng.standard_normal((d, d_ff)) * np.sqrt(2 / d)
        params[f"{i}.b1"] = np.zeros(d_ff)
        params[f"{i}.W2"] = rng.standard_normal((d_ff, d)) / np.sqrt(d_ff)
        params[f"{i}.b2"] = np.zeros(d)
        for ln in ("ln1", "ln2"):
            params[f"{i}.{ln}_gamma"] = np.ones(d)
            params[f"{i}.{ln}_beta"] = np.zeros(d)
    params["lnf_gamma"], params["lnf_beta"] = np.ones(d), np.zeros(d)
    params["W_out"] = rng.standard_normal((d, vocab_size)) * output_scale
    params["b_out"] = np.zeros(vocab_size)
    return params


def weight_names(params):
    """The names of the arrays the optimizer updates (every entry but ``n_heads``)."""
    return [name for name in params if name != "n_heads"]


def n_blocks_of(params):
    return sum(1 for name in params if name.endswith(".Wq"))


def layer_norm_forward(x, gamma, beta):
    """LayerNorm over the last axis (04c's, for a stream of any number of axes)."""
    centred = x - x.mean(axis=-1, keepdims=True)
    return gamma * centred / np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + EPS) \
        + beta


def _ln_backward(pieces, dout, x, gamma):
    d = x.shape[-1]
    dx, dgamma, dbeta = pieces.layer_norm_backward(dout.reshape(-1, d), x.reshape(-1, d),
                                                   gamma, EPS)
    return np.reshape(dx, x.shape), dgamma, dbeta


def _outer(a, b):
    """``sum over every position of a[..., :, None] * b[..., None, :]``: a weight's gradient
    from its input ``a`` and its output's gradient ``b`` (one matrix product)."""
    return a.reshape(-1, a.shape[-1]).T @ b.reshape(-1, b.shape[-1])


def _split(a, n_heads):
    n, T, d = a.shape
    return a.reshape(n, T, n_heads, d // n_heads).transpose(0, 2, 1, 3)


def _merge(a):
    n, h, T, dk = a.shape
    return a.transpose(0, 2, 1, 3).reshape(n, T, h * dk)


def _check_tokens(params, X):
    X = np.asarray(X)
    if X.ndim != 2 or not np.issubdtype(X.dtype, np.integer):
        raise ValueError(f"X must be a 2-D array of token indices (n_sequences, n_steps). "
                         f"Received: shape {X.shape}, dtype {X.dtype}")
    vocab_size, n_steps = params["E"].shape[0], params["P"].shape[0]
    if X.shape[1] > n_steps:
        raise ValueError(f"X has {X.shape[1]} steps, but the model reads at most n_steps="
                         f"{n_steps}")
    if X.size and (X.min() < 0 or X.max() >= vocab_size):
        raise ValueError(f"token indices must lie in [0, {vocab_size}). Received: values from "
                         f"{X.min()} to {X.max()}")
    return X


def _one_hot(y, vocab_size):
    return np.eye(vocab_size)[np.asarray(y).ravel()]


def forward(pieces, params, X, *, residual=True, layer_norm=True, feed_forward=True,
            keep=False):
    """The scores of the next token at every position, ``(n, T, vocab_size)``.

    With ``keep=True`` also what the backward pass needs and what the notebook shows:
    a dict with ``"streams"``, the stream ``x`` entering each block and leaving the
    last (``n_blocks + 1`` arrays of shape (n, T, d)), and ``"weights"``, each block's
    attention weights (n, heads, T, T).
    """
    X = _check_tokens(params, X)
    n, T = X.shape
    H = params["n_heads"]
    mask = np.tril(np.ones((T, T), dtype=bool))  # causal: position t sees 0..t
    x = params["E"][X] + params["P"][:T]
    saved = {"X": X, "streams": [], "weights": [], "blocks": []}
    for i in range(n_blocks_of(params)):
        p = {name[len(f"{i}."):]: value for name, value in params.items()
             if name.startswith(f"{i}.")}
        saved["streams"].append(x)
        h = layer_norm_forward(x, p["ln1_gamma"], p["ln1_beta"]) if layer_norm else x
        Q, K, V = (_split(h @ p[w], H) for w in ("Wq", "Wk", "Wv"))
        heads, A = pieces.attention(Q, K, V, mask)
        a = _merge(heads) @ p["Wo"]
        x1 = x + a if residual else a
        cache = {"x": x, "h": h, "Q": Q, "K": K, "V": V, "A": A, "heads": heads, "x1": x1}
        if feed_forward:
            h2 = layer_norm_forward(x1, p["ln2_gamma"], p["ln2_beta"]) if layer_norm else x1
            z = h2 @ p["W1"] + p["b1"]
            r = np.maximum(z, 0.0)
            f = r @ p["W2"] + p["b2"]
            x = x1 + f if residual else f
            cache.update(h2=h2, z=z, r=r)
        else:
            x = x1
        saved["weights"].append(A)
        saved["blocks"].append(cache)
    saved["streams"].append(x)
    hf = layer_norm_forward(x, params["lnf_gamma"], params["lnf_beta"]) if layer_norm else x
    saved["hf"] = hf
    logits = hf @ params["W_out"] + params["b_out"]
    return (logits, saved) if keep else logits


def loss_and_grads(pieces, params, X, y, *, residual=True, layer_norm=True, feed_forward=True,
                   attention_backward=attention_backward):
    """The mean negative log-likelihood of ``y`` given ``X`` at every position, and its
    gradient.

    Parameters
    ----------
    pieces : object with ``attention``, ``layer_norm_backward`` and ``embedding_backward``
    params : dict
    X, y : ndarray of shape (n, T), int
        ``y[:, t]`` is the token that follows ``X[:, t]``.

    Returns
    -------
    (float, dict of ndarray)
        The loss and the gradient of every weight, under the weights' names.
    """
    flags = {"residual": residual, "layer_norm": layer_norm, "feed_forward": feed_forward}
    logits, saved = forward(pieces, params, X, **flags, keep=True)
    y = np.asarray(y)
    if y.shape != saved["X"].shape:
        raise ValueError(f"y must have the shape of X, {saved['X'].shape}. Received: "
                         f"shape {y.shape}")
    n, T = y.shape
    H = params["n_heads"]
    vocab_size = logits.shape[-1]
    targets = _one_hot(y, vocab_size)
    flat_logits = logits.reshape(-1, vocab_size)
    loss = categorical_cross_entropy(targets, flat_logits, from_logits=True)
    d_logits = categorical_cross_entropy_grad(targets, flat_logits,
                                              from_logits=True).reshape(logits.shape)
    grads = {"W_out": _outer(saved["hf"], d_logits), "b_out": d_logits.sum(axis=(0, 1))}
    dx = d_logits @ params["W_out"].T
    zeros = {name: np.zeros_like(value) for name, value in params.items() if name != "n_heads"}
    if layer_norm:
        dx, grads["lnf_gamma"], grads["lnf_beta"] = _ln_backward(
            pieces, dx, saved["streams"][-1], params["lnf_gamma"])
    for i in reversed(range(n_blocks_of(params))):
        c, g = saved["blocks"][i], {}
        if feed_forward:  # x = x1 + f (or f), f = relu(h2 W1 + b1) W2 + b2
            g["W2"], g["b2"] = _outer(c["r"], dx), dx.sum(axis=(0, 1))
            dz = (dx @ params[f"{i}.W2"].T) * (c["z"] > 0)
            g["W1"], g["b1"] = _outer(c["h2"], dz), dz.sum(axis=(0, 1))
            dh2 = dz @ params[f"{i}.W1"].T
            if layer_norm:
                dh2, g["ln2_gamma"], g["ln2_beta"] = _ln_backward(pieces, dh2, c["x1"],
                                                                  params[f"{i}.ln2_gamma"])
            dx = dx + dh2 if residual else dh2
        g["Wo"] = _outer(_merge(c["heads"]), dx)  # x1 = x + a (or a), a = merge(heads) Wo
        d_heads = _split(dx @ params[f"{i}.Wo"].T, H)
        dQ, dK, dV = attention_backward(d_heads, c["Q"], c["K"], c["V"], c["A"])
        dh = 0.0
        for name, d_part in (("Wq", dQ), ("Wk", dK), ("Wv", dV)):
            d_part = _merge(np.asarray(d_part))
            g[name] = _outer(c["h"], d_part)
            dh = dh + d_part @ params[f"{i}.{name}"].T
        if layer_norm:
            dh, g["ln1_gamma"], g["ln1_beta"] = _ln_backward(pieces, dh, c["x"],
                                                             params[f"{i}.ln1_gamma"])
        dx = dx + dh if residual else dh
        grads.update({f"{i}.{name}": value for name, value in g.items()})
    grads["P"] = dx.sum(axis=0)
    if T < params["P"].shape[0]:
        grads["P"] = np.vstack([grads["P"], np.zeros((params["P"].shape[0] - T, dx.shape[-1]))])
    grads["E"] = pieces.embedding_backward(dx, saved["X"], vocab_size)
    return loss, {name: grads.get(name, zeros[name]) for name in weight_names(params)}


def token_stream(documents):
    """Encoded documents (arrays of token indices) as one array, each preceded by ``END``
    (index 0), with one more ``END`` at the end."""
    parts = [np.r_[0, np.asarray(doc, dtype=np.int64)] for doc in documents]
    return np.concatenate(parts + [np.zeros(1, dtype=np.int64)])


def windows(stream, starts, n_steps):
    """``X`` and ``y``: the ``n_steps`` tokens from each start, and the ones after them."""
    index = np.asarray(starts)[:, None] + np.arange(n_steps + 1)
    chunk = np.asarray(stream)[index]
    return chunk[:, :-1], chunk[:, 1:]


def negative_log_likelihood(pieces, params, stream, **parts):
    """The mean of ``-ln p(next token)`` over the stream, read in windows of the model's
    ``n_steps`` that do not overlap, in nats per character."""
    n_steps = params["P"].shape[0]
    starts = np.arange(0, len(stream) - n_steps - 1, n_steps)
    if not len(starts):
        raise ValueError(f"stream must hold more than n_steps + 1 = {n_steps + 1} tokens. "
                         f"Received: {len(stream)}")
    total, count = 0.0, 0
    for chunk in np.array_split(starts, max(1, len(starts) // 512)):
        X, y = windows(stream, chunk, n_steps)
        logits = forward(pieces, params, X, **parts).reshape(-1, params["E"].shape[0])
        total += categorical_cross_entropy(_one_hot(y, logits.shape[-1]), logits,
                                           from_logits=True) * y.size
        count += y.size
    return total / count


def rate_at(step, steps, learning_rate, *, warmup=0, cosine=False):
    """The learning rate of step ``step`` (from 0) of ``steps``.

    A linear warm-up first, ``learning_rate * (step + 1) / warmup`` for ``step < warmup``;
    then either a cosine from ``learning_rate`` down to 0 over the remaining steps
    (``cosine=True``), or ``learning_rate``, cut to a tenth for the last quarter of the
    steps (as 05d's ``mlp.train``).
    """
    if step < warmup:
        return learning_rate * (step + 1) / warmup
    if cosine:
        return learning_rate * 0.5 * (1 + np.cos(np.pi * (step - warmup) / max(steps - warmup, 1)))
    return learning_rate if step < (3 * steps) // 4 else learning_rate / 10


def train(pieces, params, stream, *, steps=600, batch_size=32, learning_rate=0.01, warmup=0,
          cosine=False, seed=None, attention_backward=attention_backward, **parts):
    """Adam on windows of the model's ``n_steps`` tokens drawn at random from ``stream``;
    ``params`` are updated in place.

    Each step's rate is ``rate_at(step, steps, learning_rate, warmup=warmup, cosine=cosine)``:
    by default ``learning_rate``, cut to a tenth for the last quarter of the steps.

    Returns
    -------
    list of float
        The minibatch loss of every step, before its update.

    Raises
    ------
    FloatingPointError
        If the run diverged: the loss, or a number inside the model, overflowed.
    """
    steps = check_positive_int(steps, "steps")
    batch_size = check_positive_int(batch_size, "batch_size")
    warmup = check_positive_int(warmup, "warmup", minimum=0)
    n_steps = params["P"].shape[0]
    stream = np.asarray(stream)
    if len(stream) < n_steps + 2:
        raise ValueError(f"stream must hold more than n_steps + 1 = {n_steps + 1} tokens. "
                         f"Received: {len(stream)}")
    rng = np.random.default_rng(seed)
    optimizer = nnlib.Adam(learning_rate=learning_rate)
    names = weight_names(params)
    flat = np.concatenate([params[name].ravel() for name in names])
    views, start = {"n_heads": params["n_heads"]}, 0
    for name in names:  # one vector holds every weight: one Adam update, not thirty
        size = params[name].size
        views[name] = flat[start:start + size].reshape(params[name].shape)
        start += size
    losses = []
    with one_blas_thread():
        for step in range(steps):
            optimizer.learning_rate = rate_at(step, steps, learning_rate, warmup=warmup,
                                              cosine=cosine)
            X, y = windows(stream, rng.integers(0, len(stream) - n_steps, size=batch_size),
                           n_steps)
            try:  # a diverging run overflows inside the model before its loss is infinite
                with np.errstate(over="raise", invalid="raise"):
                    loss, grads = loss_and_grads(pieces, views, X, y,
                                                 attention_backward=attention_backward, **parts)
                    if not np.isfinite(loss):
                        raise FloatingPointError(f"the loss is {loss}")
                    optimizer.step([flat],
                                   [np.concatenate([grads[name].ravel() for name in names])])
            except FloatingPointError as error:
                raise FloatingPointError(f"{error} at step {step}: the run diverged (try a "
                                         "smaller learning_rate)") from None
            losses.append(loss)
    for name in names:
        params[name][...] = views[name]
    return losses


def sample(pieces, params, n_tokens, *, seed=None, prompt=(), **parts):
    """Draw ``n_tokens`` tokens one at a time, each from the model's softmax, after
    ``prompt`` (token indices; the text starts with ``END``). The context is the last
    ``n_steps`` tokens.

    Returns
    -------
    ndarray of shape (n_tokens,), int
    """
    n_tokens = check_positive_int(n_tokens, "n_tokens")
    n_steps = params["P"].shape[0]
    uniforms = np.random.default_rng(seed).random(n_tokens)
    context = [0] + [int(t) for t in prompt]
    out = np.empty(n_tokens, dtype=np.int64)
    for i in range(n_tokens):
        window = np.array(context[-n_steps:])[None, :]
        scores = forward(pieces, params, window, **parts)[0, -1]
        p = np.exp(scores - scores.max())
        cumulative = np.cumsum(p)
        token = int(np.searchsorted(cumulative, uniforms[i] * cumulative[-1], side="right"))
        out[i] = min(token, len(p) - 1)
        context.append(out[i])
    return out


# ---------------------------------------------------------------- what a deep stack does


def position_spread(stream):
    """How different the positions of each sequence still are: the mean distance of each
    position's vector from the sequence's mean vector, over the mean length of the
    vectors (1-ish when the positions are unrelated, 0 when they are all the same).

    Parameters
    ----------
    stream : ndarray of shape (n, T, d)
    """
    stream = np.asarray(stream, dtype=float)
    apart = np.linalg.norm(stream - stream.mean(axis=1, keepdims=True), axis=-1)
    return float(apart.mean() / np.linalg.norm(stream, axis=-1).mean())


def largest_weight(weights):
    """The median, over the rows of the second half of the positions (each sees at least
    half the keys), of a row's largest attention weight: near 1 when attention
    saturates, near 2 / T when it spreads evenly."""
    weights = np.asarray(weights)
    T = weights.shape[-1]
    return float(np.median(weights[..., T // 2:, :].max(axis=-1)))


def similarity(stream):
    """The cosine similarity of every two positions of one sequence, ``(T, T)``."""
    stream = np.asarray(stream, dtype=float)
    unit = stream / np.linalg.norm(stream, axis=-1, keepdims=True)
    return unit @ unit.T


DEPTH_VARIANTS = {
    "full block": {},
    "no residual": {"residual": False},
    "no LayerNorm": {"layer_norm": False},
}
"""The networks of the depth explorer: each name, and the part it leaves out."""


def depth_profiles(pieces, X, y, vocab_size, *, n_blocks=8, seed=None,
                   variants=DEPTH_VARIANTS, **sizes):
    """What ``n_blocks`` untrained blocks do to the sequences ``X`` (next tokens ``y``),
    for each variant.

    Each variant gets the same weights (``init_params(..., seed=seed)``). For each:
    the stream before the first block and after each (``n_blocks + 1`` arrays), each
    block's attention weights, and the first loss.

    Returns
    -------
    dict of str to dict
        ``"streams"``, ``"weights"``, ``"spread"`` (``position_spread`` of each stream),
        ``"size"`` (standard deviation of each stream), ``"largest_weight"`` (of each
        block) and ``"loss"``.
    """
    profiles = {}
    for name, parts in variants.items():
        params = init_params(vocab_size, X.shape[1], n_blocks=n_blocks, seed=seed, **sizes)
        logits, saved = forward(pieces, params, X, keep=True, **parts)
        flat = logits.reshape(-1, vocab_size)
        loss = categorical_cross_entropy(_one_hot(y, vocab_size), flat, from_logits=True)
        profiles[name] = {
            "streams": saved["streams"], "weights": saved["weights"],
            "spread": [position_spread(s) for s in saved["streams"]],
            "size": [float(np.std(s)) for s in saved["streams"]],
            "largest_weight": [largest_weight(a) for a in saved["weights"]],
            "loss": loss,
        }
    return profiles
