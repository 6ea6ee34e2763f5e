"""course.n05c_transformers.attention against keras.layers.MultiHeadAttention in float64 on random weights.

Tolerance: |difference| <= 1e-12 on outputs of order 10 (the same sums in another
order); attention weights (in [0, 1]) to 1e-14. This needs ``key_dim`` 1, 4, 16, ...:
Keras 3.15 turns the scale ``1 / sqrt(key_dim)`` into a tensor through float32, which is
exact only when the square root is a power of two; for other ``key_dim`` the results
differ by about float32's precision (``test_other_key_dim_agrees_to_float32_precision``).
"""

import numpy as np
import pytest

from course.n05c_transformers import attention


@pytest.fixture(scope="module")
def keras():
    from course import keras_twin

    return keras_twin.import_keras()


def _mha(keras, rng, query, value, key=None, **kwargs):
    layer = keras.layers.MultiHeadAttention(dtype="float64", **kwargs)
    layer(query, value, key=key)  # builds the weights
    layer.set_weights([rng.normal(size=w.shape) for w in layer.get_weights()])
    return layer


@pytest.mark.parametrize("kwargs", [
    {"num_heads": 1, "key_dim": 4},
    {"num_heads": 3, "key_dim": 4},
    {"num_heads": 2, "key_dim": 4, "value_dim": 5, "output_shape": 6},
], ids=["one_head", "three_heads", "value_dim_and_output_shape"])
@pytest.mark.parametrize("cross", [False, True], ids=["self", "cross"])
def test_multi_head_attention_equals_keras(keras, rng, kwargs, cross):
    query = rng.normal(size=(2, 6, 8))
    value = rng.normal(size=(2, 5, 7)) if cross else query
    key = rng.normal(size=(2, 5, 3)) if cross else None
    layer = _mha(keras, rng, query, value, key, **kwargs)
    out, scores = layer(query, value, key=key, return_attention_scores=True)
    got, got_scores = attention.multi_head_attention(query, value, layer.get_weights(), key=key,
                                                     return_attention_scores=True)
    np.testing.assert_allclose(got, out.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(got_scores, scores.numpy(), rtol=0, atol=1e-14)
    np.testing.assert_allclose(got_scores.sum(axis=-1), 1.0)


def test_other_key_dim_agrees_to_float32_precision(keras, rng):
    X = rng.normal(size=(2, 6, 8))
    layer = _mha(keras, rng, X, X, num_heads=2, key_dim=3)
    out, scores = layer(X, X, return_attention_scores=True)
    got, got_scores = attention.multi_head_attention(X, X, layer.get_weights(),
                                                     return_attention_scores=True)
    np.testing.assert_allclose(got, out.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_scores, scores.numpy(), rtol=0, atol=1e-6)


def test_masks_equal_keras(keras, rng):
    X = rng.normal(size=(2, 5, 4))
    layer = _mha(keras, rng, X, X, num_heads=2, key_dim=4)
    mask = rng.random((2, 5, 5)) > 0.4
    out, scores = layer(X, X, attention_mask=mask, return_attention_scores=True)
    got, got_scores = attention.multi_head_attention(X, X, layer.get_weights(), mask=mask,
                                                     return_attention_scores=True)
    np.testing.assert_allclose(got, out.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(got_scores, scores.numpy(), rtol=0, atol=1e-14)
    out_c = layer(X, X, use_causal_mask=True).numpy()
    got_c, w = attention.multi_head_attention(X, X, layer.get_weights(),
                                              mask=attention.causal_mask(5),
                                              return_attention_scores=True)
    np.testing.assert_allclose(got_c, out_c, rtol=0, atol=1e-12)
    assert np.all(w[..., np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]] == 0.0)


def test_scaled_dot_product_attention_worked_by_hand():
    # two keys; the query matches key 0 with score 2/sqrt(1)=2 and key 1 with score 0
    Q = np.array([[2.0]])
    K = np.array([[1.0], [0.0]])
    V = np.array([[10.0], [20.0]])
    out, w = attention.scaled_dot_product_attention(Q, K, V)
    p = np.exp(2.0) / (np.exp(2.0) + 1.0)
    np.testing.assert_allclose(w, [[p, 1 - p]])
    np.testing.assert_allclose(out, [[10 * p + 20 * (1 - p)]])


def test_attention_ignores_order_without_positions(rng):
    # permuting keys and values together leaves self-attention's output for a query unchanged
    Q, K, V = rng.normal(size=(1, 4)), rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    perm = rng.permutation(6)
    out, _ = attention.scaled_dot_product_attention(Q, K, V)
    out_perm, _ = attention.scaled_dot_product_attention(Q, K[perm], V[perm])
    np.testing.assert_allclose(out, out_perm, atol=1e-14)


def test_positional_encoding_values():
    P = attention.positional_encoding(50, 16)
    assert P.shape == (50, 16)
    np.testing.assert_array_equal(P[0, 0::2], 0.0)  # sin(0)
    np.testing.assert_array_equal(P[0, 1::2], 1.0)  # cos(0)
    np.testing.assert_allclose(P[3, 0], np.sin(3.0))  # first clock: one radian per step
    np.testing.assert_allclose(P[3, 3], np.cos(3.0 / 10000 ** (2 / 16)))
    assert np.abs(P).max() <= 1.0
    assert len({tuple(np.round(row, 9)) for row in P}) == 50  # every position distinct


@pytest.mark.parametrize(("call", "match"), [
    (lambda: attention.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((2, 4)),
                                                    np.zeros((2, 4))),
     r"Q and K must have the same depth.*\(2, 3\).*\(2, 4\)"),
    (lambda: attention.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((2, 3)),
                                                    np.zeros((4, 3))),
     r"K and V must have the same number of steps"),
    (lambda: attention.scaled_dot_product_attention(np.zeros(3), np.zeros(3), np.zeros(3)),
     r"at least 2-D"),
    (lambda: attention.multi_head_attention(np.zeros((1, 2, 3)), np.zeros((1, 2, 3)), []),
     r"weights must be the 8 arrays.*Received: 0 arrays"),
    (lambda: attention.multi_head_attention(np.zeros((2, 3)), np.zeros((1, 2, 3)), _w()),
     r"query must be 3-D.*Received: query with shape \(2, 3\)"),
    (lambda: attention.multi_head_attention(np.zeros((1, 2, 5)), np.zeros((1, 2, 3)), _w()),
     r"the query kernel must have shape \(5, 2, 4\). Received: shape \(3, 2, 4\)"),
    (lambda: attention.positional_encoding(0, 4), r"n_steps must be an integer >= 1"),
])
def test_errors_name_expected_and_received(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _w(d=3, heads=2, key_dim=4):
    return [np.zeros((d, heads, key_dim)), np.zeros((heads, key_dim))] * 3 + [
        np.zeros((heads, key_dim, d)), np.zeros(d)]
