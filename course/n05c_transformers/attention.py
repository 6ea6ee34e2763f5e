"""Attention in numpy (forward pass only): scaled dot-product, multi-head, positional encoding.

Sequences are batch-first, ``(n_samples, n_steps, d_model)``. ``multi_head_attention``
takes the weights of ``keras.layers.MultiHeadAttention`` in ``layer.get_weights()``
order and returns what the Keras layer returns:

- query kernel ``(d_query, num_heads, key_dim)``, query bias ``(num_heads, key_dim)``
- key kernel ``(d_key, num_heads, key_dim)``, key bias ``(num_heads, key_dim)``
- value kernel ``(d_value, num_heads, value_dim)``, value bias ``(num_heads, value_dim)``
- output kernel ``(num_heads, value_dim, d_out)``, output bias ``(d_out,)``
"""

from __future__ import annotations

import numpy as np

from nnlib.validation import as_float_array, check_positive_int


def softmax(scores, axis=-1):
    """Softmax along ``axis`` (shifted by the max, so large scores do not overflow)."""
    shifted = scores - np.max(scores, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def causal_mask(n_steps):
    """Boolean ``(n_steps, n_steps)`` mask, True on and below the diagonal.

    Position ``i`` may attend to positions ``j <= i`` only (what a text generator uses,
    so that it cannot peek at the words it has to predict).
    """
    n_steps = check_positive_int(n_steps, "n_steps")
    return np.tril(np.ones((n_steps, n_steps), dtype=bool))


def scaled_dot_product_attention(Q, K, V, mask=None):
    """Attention of every query over every key: ``softmax(Q K^T / sqrt(d_k)) V``.

    Parameters
    ----------
    Q : array_like of shape (..., n_queries, d_k)
    K : array_like of shape (..., n_keys, d_k)
    V : array_like of shape (..., n_keys, d_v)
        Leading axes (batch, heads) must match between the three.
    mask : array_like of bool, broadcastable to (..., n_queries, n_keys), optional
        False where a query may not look at a key (those weights become 0).

    Returns
    -------
    output : ndarray of shape (..., n_queries, d_v)
        For each query, the average of the values weighted by the attention weights.
    weights : ndarray of shape (..., n_queries, n_keys)
        Each row sums to 1.

    Raises
    ------
    ValueError
        If the last axes of ``Q`` and ``K`` differ, or ``K`` and ``V`` have different
        numbers of steps.

    Notes
    -----
    .. math:: \\operatorname{Attention}(Q, K, V)
              = \\operatorname{softmax}\\!\\left(\\frac{Q K^\\top}{\\sqrt{d_k}}\\right) V

    Dividing by :math:`\\sqrt{d_k}` keeps the scores of order 1 whatever ``d_k``, so the
    softmax does not saturate.
    """
    Q = as_float_array(Q, "Q")
    K = as_float_array(K, "K")
    V = as_float_array(V, "V")
    if Q.ndim < 2 or K.ndim < 2 or V.ndim < 2:
        raise ValueError(
            "Q, K and V must be at least 2-D (..., n_steps, depth). "
            f"Received: shapes {Q.shape}, {K.shape}, {V.shape}"
        )
    if Q.shape[-1] != K.shape[-1]:
        raise ValueError(
            "Q and K must have the same depth d_k (last axis). "
            f"Received: Q with shape {Q.shape} and K with shape {K.shape}"
        )
    if K.shape[-2] != V.shape[-2]:
        raise ValueError(
            "K and V must have the same number of steps (axis -2). "
            f"Received: K with shape {K.shape} and V with shape {V.shape}"
        )
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        # Keras' choice: a very negative score instead of -inf, so a fully masked row
        # gives uniform weights rather than NaN.
        scores = np.where(mask, scores, -1e9)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights


def _check(name, array, shape):
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}. Received: shape {array.shape}")


def multi_head_attention(query, value, weights, key=None, *, mask=None,
                         return_attention_scores=False):
    """Multi-head attention with Keras' ``MultiHeadAttention`` weights.

    Parameters
    ----------
    query : array_like of shape (n_samples, n_queries, d_query)
    value : array_like of shape (n_samples, n_keys, d_value)
    weights : list of 8 ndarrays
        ``keras_layer.get_weights()``: query kernel and bias, key kernel and bias,
        value kernel and bias, output kernel and bias (shapes in the module docstring).
    key : array_like of shape (n_samples, n_keys, d_key), optional
        Default: ``value`` (as in Keras). Self-attention is ``query = value = X``.
    mask : array_like of bool, broadcastable to (n_samples, n_queries, n_keys), optional
        Keras' ``attention_mask``: False where a query may not attend to a key.
    return_attention_scores : bool, default=False
        Also return the attention weights.

    Returns
    -------
    output : ndarray of shape (n_samples, n_queries, d_out)
    scores : ndarray of shape (n_samples, num_heads, n_queries, n_keys)
        Only if ``return_attention_scores``; each row sums to 1.

    Raises
    ------
    ValueError
        If ``weights`` does not hold 8 arrays of matching shapes, or the inputs are not 3-D
        or do not fit the kernels.

    Notes
    -----
    Each head :math:`h` projects the inputs, attends, and the heads are mixed back:

    .. math::
        Q_h = X_q W^Q_h + b^Q_h, \\quad K_h = X_k W^K_h + b^K_h, \\quad
        V_h = X_v W^V_h + b^V_h

        \\text{head}_h = \\operatorname{softmax}\\!\\left(\\frac{Q_h K_h^\\top}
        {\\sqrt{d_k}}\\right) V_h, \\quad
        \\text{output} = \\sum_h \\text{head}_h W^O_h + b^O
    """
    if len(weights) != 8:
        raise ValueError(
            "weights must be the 8 arrays of keras MultiHeadAttention.get_weights() "
            f"(kernel and bias for query, key, value, output). Received: {len(weights)} arrays"
        )
    wq, bq, wk, bk, wv, bv, wo, bo = (as_float_array(w, "weights") for w in weights)
    layout = "(n_samples, n_steps, depth)"
    query = as_float_array(query, "query", ndim=3, layout=layout)
    value = as_float_array(value, "value", ndim=3, layout=layout)
    key = value if key is None else as_float_array(key, "key", ndim=3, layout=layout)
    if wq.ndim != 3:
        raise ValueError(
            f"the query kernel must have shape (d_query, num_heads, key_dim). "
            f"Received: shape {wq.shape}"
        )
    _, heads, key_dim = wq.shape
    value_dim = wv.shape[-1]
    _check("the query kernel", wq, (query.shape[-1], heads, key_dim))
    _check("the query bias", bq, (heads, key_dim))
    _check("the key kernel", wk, (key.shape[-1], heads, key_dim))
    _check("the key bias", bk, (heads, key_dim))
    _check("the value kernel", wv, (value.shape[-1], heads, value_dim))
    _check("the value bias", bv, (heads, value_dim))
    _check("the output kernel", wo, (heads, value_dim, wo.shape[-1]))
    _check("the output bias", bo, (wo.shape[-1],))
    # Project, keeping the heads on their own axis: (n, heads, steps, dim)
    Q = np.einsum("nsd,dhk->nhsk", query, wq) + bq[None, :, None, :]
    K = np.einsum("nsd,dhk->nhsk", key, wk) + bk[None, :, None, :]
    V = np.einsum("nsd,dhk->nhsk", value, wv) + bv[None, :, None, :]
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.ndim == 3:
            mask = mask[:, None, :, :]  # same mask for every head
    heads_out, scores = scaled_dot_product_attention(Q, K, V, mask=mask)
    output = np.einsum("nhsv,hvo->nso", heads_out, wo) + bo
    if return_attention_scores:
        return output, scores
    return output


def positional_encoding(n_steps, d_model, *, base=10000.0):
    """The sinusoidal positional encoding of "Attention is all you need".

    Parameters
    ----------
    n_steps : int
        Sequence length.
    d_model : int
        Depth of the embeddings it is added to.
    base : float, default=10000.0

    Returns
    -------
    P : ndarray of shape (n_steps, d_model)
        Values in [-1, 1]; row ``pos`` is added to the embedding of the token at ``pos``.

    Notes
    -----
    .. math:: P_{pos, 2i} = \\sin\\!\\left(\\frac{pos}{\\text{base}^{2i/d}}\\right), \\quad
              P_{pos, 2i+1} = \\cos\\!\\left(\\frac{pos}{\\text{base}^{2i/d}}\\right)

    Attention itself ignores order (shuffling the keys and values together changes
    nothing), so the position must be written into the inputs. Each pair of columns is
    a clock turning at its own speed: fast in the first columns, slow in the last.
    """
    n_steps = check_positive_int(n_steps, "n_steps")
    d_model = check_positive_int(d_model, "d_model")
    pos = np.arange(n_steps)[:, None]
    i = np.arange(d_model)[None, :]
    angle = pos / base ** ((i - i % 2) / d_model)
    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))
