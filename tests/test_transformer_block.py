"""course/n05e_transformer_block/block.py: the causal Transformer language model in numpy.

Its gradient against central differences with every part on and off, attention's backward
pass against TensorFlow's GradientTape, the parts really left out, causality, the errors,
training, sampling and the measures of the depth explorer. The model runs on the course's
own pieces (05c's attention, 04c's layer_norm_backward, 05d's embedding_backward), which
stand in for the student's.
"""

import itertools
from types import SimpleNamespace

import numpy as np
import pytest

from course.n04c_deep_networks.deep import layer_norm_backward
from course.n05c_transformers.attention import scaled_dot_product_attention
from course.n05d_language_model.mlp import embedding_backward
from course.n05e_transformer_block import block
from nnlib.gradcheck import numerical_gradient, relative_error

PIECES = SimpleNamespace(attention=scaled_dot_product_attention,
                         layer_norm_backward=layer_norm_backward,
                         embedding_backward=embedding_backward)
V, N_STEPS = 7, 6
TINY = {"d_model": 8, "n_blocks": 2, "n_heads": 2}
COMBOS = [dict(zip(block.PARTS, flags)) for flags in itertools.product([True, False], repeat=3)]
COMBO_IDS = ["+".join(name for name, on in combo.items() if on) or "none" for combo in COMBOS]


def _tiny(seed=0, d_ff=8):
    """A model away from its start (gammas not 1, betas and biases not 0: every term of the
    gradient matters) and 3 sequences of 5 tokens from 0..4: P's last row and E's last two
    rows are never used."""
    rng = np.random.default_rng(seed)
    params = block.init_params(V, N_STEPS, **TINY, d_ff=d_ff, output_scale=1.0, seed=seed)
    for name in block.weight_names(params):
        if name.endswith("gamma"):
            params[name] = 1.0 + 0.3 * rng.normal(size=params[name].shape)
        elif name.endswith(("beta", "b1", "b2", "b_out")):
            params[name] = 0.3 * rng.normal(size=params[name].shape)
    X = rng.integers(0, 5, size=(3, 5))
    y = rng.integers(0, V, size=(3, 5))
    return params, X, y


def _nll(params, X, y, **parts):
    """The loss by hand: the mean of -log softmax(logits)[next token], from ``forward``."""
    logits = block.forward(PIECES, params, X, **parts)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -float(np.mean(np.take_along_axis(log_p, np.asarray(y)[..., None], axis=-1)))


def _stream(n=200):
    """A tiny text with a rule to learn: 1 2 3 4 5 6, then END, again and again."""
    return block.token_stream([np.arange(1, V)] * (n // V))


# ---------------------------------------------------------------- the gradient


@pytest.mark.parametrize("parts", COMBOS, ids=COMBO_IDS)
def test_every_gradient_agrees_with_central_differences(parts):
    """Every number of every weight nudged, with each part on or off."""
    params, X, y = _tiny(seed=COMBOS.index(parts))
    loss, grads = block.loss_and_grads(PIECES, params, X, y, **parts)
    assert np.isclose(loss, _nll(params, X, y, **parts), rtol=1e-12)
    assert sorted(grads) == sorted(block.weight_names(params))
    for name in block.weight_names(params):
        numeric = numerical_gradient(lambda w, name=name: _nll({**params, name: w}, X, y, **parts),
                                     params[name])
        assert relative_error(grads[name], numeric) < 1e-6, name
    assert np.all(grads["P"][5:] == 0)  # position 5 is never read by 5 steps
    assert np.all(grads["E"][5:] == 0)  # tokens 5 and 6 never appear in X


def test_attention_backward_agrees_with_tensorflow():
    """dQ, dK, dV of sum(out * d_out), out = softmax(Q K^T / sqrt(d_k) + causal mask) V, by
    GradientTape in float64: the same sums in another order, so equal to rounding."""
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(3)
    for lead in [(2, 3), ()]:  # sequences and heads, or one sequence with one head
        T = 5
        Q, K = rng.normal(size=lead + (T, 4)), rng.normal(size=lead + (T, 4))
        V_, d_out = rng.normal(size=lead + (T, 3)), rng.normal(size=lead + (T, 3))
        mask = np.tril(np.ones((T, T), dtype=bool))
        out, weights = scaled_dot_product_attention(Q, K, V_, mask)
        q, k, v = (tf.constant(a) for a in (Q, K, V_))
        with tf.GradientTape() as tape:
            tape.watch([q, k, v])
            scores = tf.matmul(q, k, transpose_b=True) / np.sqrt(4.0)
            scores = scores + tf.constant(np.where(mask, 0.0, -1e9))
            A = tf.nn.softmax(scores, axis=-1)
            total = tf.reduce_sum(tf.matmul(A, v) * tf.constant(d_out))
        expected = tape.gradient(total, [q, k, v])
        np.testing.assert_allclose(weights, A.numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(out, tf.matmul(A, v).numpy(), rtol=0, atol=1e-12)
        got = block.attention_backward(d_out, Q, K, V_, weights)
        for mine, theirs, name in zip(got, expected, "QKV"):
            assert mine.shape == theirs.shape, name
            np.testing.assert_allclose(mine, theirs.numpy(), rtol=0, atol=1e-12, err_msg=name)


def test_attention_backward_gives_a_key_no_gradient_from_queries_that_cannot_see_it(rng):
    T = 4
    Q, K, V_ = rng.normal(size=(T, 3)), rng.normal(size=(T, 3)), rng.normal(size=(T, 2))
    _, weights = scaled_dot_product_attention(Q, K, V_, np.tril(np.ones((T, T), dtype=bool)))
    d_out = np.zeros((T, 2))
    d_out[0] = rng.normal(size=2)  # only the first query's output matters; it sees key 0
    dQ, dK, dV = block.attention_backward(d_out, Q, K, V_, weights)
    assert np.all(dK[1:] == 0) and np.all(dV[1:] == 0) and np.all(dQ[1:] == 0)
    assert np.all(dQ[0] == 0)  # one key: its weight is 1 whatever the query


# ---------------------------------------------------------------- the parts


FFN_WEIGHTS = ("W1", "b1", "W2", "b2", "ln2_gamma", "ln2_beta")


def test_without_the_feed_forward_its_weights_do_nothing():
    params, X, y = _tiny()
    _, grads = block.loss_and_grads(PIECES, params, X, y, feed_forward=False)
    for i, name in itertools.product(range(2), FFN_WEIGHTS):
        assert np.all(grads[f"{i}.{name}"] == 0), f"{i}.{name}"
    assert np.any(grads["0.Wq"] != 0)
    other = dict(params, **{f"{i}.{name}": params[f"{i}.{name}"] + 1.0
                            for i, name in itertools.product(range(2), FFN_WEIGHTS)})
    logits = block.forward(PIECES, params, X, feed_forward=False)
    np.testing.assert_array_equal(block.forward(PIECES, other, X, feed_forward=False), logits)
    assert not np.allclose(block.forward(PIECES, other, X), block.forward(PIECES, params, X))


def test_without_layer_norm_the_gammas_and_betas_do_nothing():
    params, X, y = _tiny()
    norms = [name for name in block.weight_names(params) if name.endswith(("gamma", "beta"))]
    assert len(norms) == 2 * 2 * 2 + 2  # ln1 and ln2 in each of the 2 blocks, and lnf
    _, grads = block.loss_and_grads(PIECES, params, X, y, layer_norm=False)
    assert all(np.all(grads[name] == 0) for name in norms)
    other = dict(params, **{name: params[name] * 2.0 + 0.5 for name in norms})
    np.testing.assert_array_equal(block.forward(PIECES, other, X, layer_norm=False),
                                  block.forward(PIECES, params, X, layer_norm=False))


def test_without_residual_connections_the_output_changes_and_the_stream_is_the_last_part():
    params, X, _ = _tiny()
    with_residual = block.forward(PIECES, params, X)
    logits, saved = block.forward(PIECES, params, X, residual=False, keep=True)
    assert not np.allclose(logits, with_residual)
    # without the residual nor the FFN, the stream after a block is attention's output alone
    _, saved = block.forward(PIECES, params, X, residual=False, feed_forward=False, keep=True)
    cache = saved["blocks"][1]
    merged = cache["heads"].transpose(0, 2, 1, 3).reshape(3, 5, 8)
    np.testing.assert_allclose(saved["streams"][2], merged @ params["1.Wo"], rtol=1e-12)


@pytest.mark.parametrize("parts", [COMBOS[0], COMBOS[-1], {"residual": False}],
                         ids=["all parts", "no part", "no residual"])
def test_the_model_is_causal(parts):
    """Changing the token at position t changes no score at a position before t."""
    params, _, _ = _tiny()
    X = np.random.default_rng(1).integers(0, V, size=(2, N_STEPS))
    logits, saved = block.forward(PIECES, params, X, keep=True, **parts)
    assert logits.shape == (2, N_STEPS, V)
    assert len(saved["streams"]) == 3 and len(saved["weights"]) == 2
    assert all(np.all(np.triu(A, k=1) == 0) for A in saved["weights"])  # no weight on the future
    for t in range(N_STEPS):
        changed = X.copy()
        changed[:, t] = (changed[:, t] + 1) % V
        other = block.forward(PIECES, params, changed, **parts)
        np.testing.assert_allclose(other[:, :t], logits[:, :t], rtol=1e-12, atol=1e-12)
        assert not np.allclose(other[:, t], logits[:, t]), t


# ---------------------------------------------------------------- the weights and the errors


def test_init_params_shapes_and_seed():
    params = block.init_params(V, N_STEPS, d_model=8, n_blocks=3, n_heads=4, d_ff=12, seed=5)
    assert params["n_heads"] == 4 and block.n_blocks_of(params) == 3
    assert params["E"].shape == (V, 8) and params["P"].shape == (N_STEPS, 8)
    assert params["W_out"].shape == (8, V) and params["b_out"].shape == (V,)
    for i in range(3):
        assert params[f"{i}.Wq"].shape == params[f"{i}.Wo"].shape == (8, 8)
        assert params[f"{i}.W1"].shape == (8, 12) and params[f"{i}.W2"].shape == (12, 8)
        assert np.all(params[f"{i}.ln1_gamma"] == 1) and np.all(params[f"{i}.b1"] == 0)
    assert len(block.weight_names(params)) == 2 + 2 + 2 + 3 * 12
    assert block.init_params(V, N_STEPS, **TINY)["0.W1"].shape == (8, 32)  # d_ff = 4 d
    same = block.init_params(V, N_STEPS, d_model=8, n_blocks=3, n_heads=4, d_ff=12, seed=5)
    other = block.init_params(V, N_STEPS, d_model=8, n_blocks=3, n_heads=4, d_ff=12, seed=6)
    for name in block.weight_names(params):
        np.testing.assert_array_equal(params[name], same[name])
    assert not np.array_equal(params["E"], other["E"])


def test_the_first_loss_is_near_ln_V():
    rng = np.random.default_rng(0)
    vocab = 37
    X, y = rng.integers(0, vocab, size=(64, 16)), rng.integers(0, vocab, size=(64, 16))
    small = block.init_params(vocab, 16, seed=0)  # the default small output_scale
    assert abs(block.loss_and_grads(PIECES, small, X, y)[0] - np.log(vocab)) < 0.01
    zero = block.init_params(vocab, 16, output_scale=0.0, seed=0)
    assert np.isclose(block.loss_and_grads(PIECES, zero, X, y)[0], np.log(vocab), rtol=1e-12)


def test_init_params_refuses_bad_sizes():
    with pytest.raises(ValueError, match=r"d_model must be a multiple of n_heads\. Received: "
                                         r"d_model=10, n_heads=3"):
        block.init_params(V, N_STEPS, d_model=10, n_heads=3)
    with pytest.raises(ValueError, match=r"vocab_size must be an integer >= 2\. Received: "
                                         r"vocab_size=1"):
        block.init_params(1, N_STEPS)
    with pytest.raises(TypeError, match=r"vocab_size must be an integer\. Received: "
                                        r"vocab_size=7\.0"):
        block.init_params(7.0, N_STEPS)
    with pytest.raises(ValueError, match=r"n_steps must be an integer >= 1\. Received: n_steps=0"):
        block.init_params(V, 0)
    with pytest.raises(ValueError, match="output_scale"):
        block.init_params(V, N_STEPS, output_scale=-1.0)


def test_bad_tokens_are_refused_with_what_was_received():
    params, X, y = _tiny()
    with pytest.raises(ValueError, match=r"X must be a 2-D array of token indices .*"
                                         r"Received: shape \(3, 5\), dtype float64"):
        block.forward(PIECES, params, X.astype(float))
    with pytest.raises(ValueError, match=r"X must be a 2-D array .* Received: shape \(5,\)"):
        block.forward(PIECES, params, X[0])
    with pytest.raises(ValueError, match=r"token indices must lie in \[0, 7\)\. Received: "
                                         r"values from 0 to 7"):
        block.forward(PIECES, params, [[0, 7]])
    with pytest.raises(ValueError, match=r"values from -1 to 2"):
        block.forward(PIECES, params, [[2, -1]])
    with pytest.raises(ValueError, match=r"X has 7 steps, but the model reads at most "
                                         r"n_steps=6"):
        block.forward(PIECES, params, np.zeros((1, 7), dtype=int))
    with pytest.raises(ValueError, match=r"y must have the shape of X, \(3, 5\)\. Received: "
                                         r"shape \(3, 4\)"):
        block.loss_and_grads(PIECES, params, X, y[:, :4])
    with pytest.raises(ValueError, match="token indices"):  # a bad X is refused in training too
        block.loss_and_grads(PIECES, params, X + 10, y)


# ---------------------------------------------------------------- training


def test_train_updates_in_place_and_is_deterministic():
    stream = _stream()
    first = block.init_params(V, N_STEPS, **TINY, seed=0)
    kept = {name: first[name] for name in block.weight_names(first)}
    start = {name: value.copy() for name, value in kept.items()}
    losses = block.train(PIECES, first, stream, steps=12, batch_size=4, seed=3)
    assert len(losses) == 12 and all(isinstance(loss, float) for loss in losses)
    assert all(first[name] is kept[name] for name in kept)  # the same arrays, changed
    assert all(not np.array_equal(first[name], start[name]) for name in kept if name != "P")
    again = block.init_params(V, N_STEPS, **TINY, seed=0)
    assert block.train(PIECES, again, stream, steps=12, batch_size=4, seed=3) == losses
    assert all(np.array_equal(first[name], again[name]) for name in kept)
    other = block.init_params(V, N_STEPS, **TINY, seed=0)
    assert block.train(PIECES, other, stream, steps=12, batch_size=4, seed=4) != losses


def test_train_learns_a_tiny_rule_with_the_given_backward_pass():
    calls = []

    def spy(*args):
        calls.append(1)
        return block.attention_backward(*args)

    params = block.init_params(V, N_STEPS, **TINY, seed=0)
    losses = block.train(PIECES, params, _stream(), steps=60, batch_size=8,
                         learning_rate=0.02, seed=0, attention_backward=spy)
    assert len(calls) == 60 * 2  # once per block and step
    assert np.mean(losses[-5:]) < 0.5 * losses[0]
    assert block.negative_log_likelihood(PIECES, params, _stream()) < 0.5 * np.log(V)


def test_a_diverging_run_raises_and_names_the_step():
    for parts in ({}, {"layer_norm": False}):
        params = block.init_params(V, N_STEPS, **TINY, seed=0)
        with pytest.raises(FloatingPointError, match=r"at step \d+: the run diverged"):
            block.train(PIECES, params, _stream(), steps=20, batch_size=4,
                        learning_rate=1e30, seed=0, **parts)


def test_train_refuses_a_stream_too_short_and_bad_settings():
    params = block.init_params(V, N_STEPS, **TINY, seed=0)
    with pytest.raises(ValueError, match=r"stream must hold more than n_steps \+ 1 = 7 tokens\. "
                                         r"Received: 7"):
        block.train(PIECES, params, np.zeros(7, dtype=int), steps=2)
    with pytest.raises(ValueError, match=r"steps must be an integer >= 1\. Received: steps=0"):
        block.train(PIECES, params, _stream(), steps=0)
    with pytest.raises(ValueError, match=r"batch_size"):
        block.train(PIECES, params, _stream(), batch_size=0)


# ---------------------------------------------------------------- text in, text out


def test_token_stream_and_windows_worked_by_hand():
    np.testing.assert_array_equal(block.token_stream([[1, 2], [3]]), [0, 1, 2, 0, 3, 0])
    assert block.token_stream([[1]]).dtype == np.int64
    X, y = block.windows(np.arange(20), [0, 5, 15], 4)
    np.testing.assert_array_equal(X, [[0, 1, 2, 3], [5, 6, 7, 8], [15, 16, 17, 18]])
    np.testing.assert_array_equal(y, X + 1)  # each target is the token after its input
    stream = _stream()
    X, y = block.windows(stream, [3, 40], N_STEPS)
    np.testing.assert_array_equal(y[:, :-1], X[:, 1:])
    np.testing.assert_array_equal(y[:, -1], stream[[3 + N_STEPS, 40 + N_STEPS]])


@pytest.mark.parametrize("parts", [{}, {"layer_norm": False}], ids=["all parts", "no LN"])
def test_negative_log_likelihood_is_the_mean_over_windows_that_do_not_overlap(parts):
    params, _, _ = _tiny()
    stream = np.random.default_rng(2).integers(0, V, size=40)
    starts = np.arange(0, 40 - N_STEPS - 1, N_STEPS)  # 0, 6, ..., 30: the last is 31..37
    assert len(starts) == 6
    X, y = block.windows(stream, starts, N_STEPS)
    expected = _nll(params, X, y, **parts)
    got = block.negative_log_likelihood(PIECES, params, stream, **parts)
    assert np.isclose(got, expected, rtol=1e-12)
    assert np.isclose(got, block.loss_and_grads(PIECES, params, X, y, **parts)[0], rtol=1e-12)
    with pytest.raises(ValueError, match=r"stream must hold more than n_steps \+ 1 = 7 tokens"):
        block.negative_log_likelihood(PIECES, params, stream[:7])


def test_sample_is_deterministic_in_range_and_starts_from_the_prompt():
    params, _, _ = _tiny()
    tokens = block.sample(PIECES, params, 30, seed=1)
    assert tokens.shape == (30,) and tokens.dtype == np.int64
    assert tokens.min() >= 0 and tokens.max() < V
    np.testing.assert_array_equal(block.sample(PIECES, params, 30, seed=1), tokens)
    assert not np.array_equal(block.sample(PIECES, params, 30, seed=2), tokens)
    prompt = [3, 1, 4]
    with_prompt = block.sample(PIECES, params, 30, seed=1, prompt=prompt)
    assert not np.array_equal(with_prompt, tokens)
    # the first token is drawn from the model's softmax after END and the prompt
    scores = block.forward(PIECES, params, np.array([[0] + prompt]))[0, -1]
    p = np.exp(scores - scores.max())
    u = np.random.default_rng(1).random(30)[0]
    assert with_prompt[0] == np.searchsorted(np.cumsum(p), u * p.sum(), side="right")
    long_prompt = block.sample(PIECES, params, 5, seed=1, prompt=[1] * 20)  # > n_steps: cut
    assert long_prompt.shape == (5,)
    with pytest.raises(ValueError, match="n_tokens"):
        block.sample(PIECES, params, 0)


# ---------------------------------------------------------------- the depth explorer's measures


def test_position_spread_is_zero_for_equal_positions_and_scale_free(rng):
    same = np.tile(rng.normal(size=(2, 1, 4)), (1, 5, 1))
    assert block.position_spread(same) == pytest.approx(0.0, abs=1e-12)
    stream = rng.normal(size=(3, 6, 8))
    spread = block.position_spread(stream)
    assert 0.5 < spread < 1.5  # unrelated positions
    assert block.position_spread(7.5 * stream) == pytest.approx(spread, rel=1e-12)
    shifted = stream + 0.0
    shifted[:, :, 0] += 100.0  # a common direction added to every position: closer, in angle
    assert block.position_spread(shifted) < 0.1 * spread


def test_largest_weight_for_one_hot_and_for_uniform_rows():
    T = 8
    one_hot = np.broadcast_to(np.eye(T), (2, 2, T, T))
    assert block.largest_weight(one_hot) == 1.0
    uniform = np.tril(np.ones((T, T))) / np.arange(1, T + 1)[:, None]  # row t: 1/(t+1) each
    # rows 4..7 of the second half: largest weights 1/5, 1/6, 1/7, 1/8
    assert block.largest_weight(uniform) == pytest.approx((1 / 6 + 1 / 7) / 2)
    assert 1 / T < block.largest_weight(uniform) < 2 / T


def test_similarity_is_the_cosine_of_every_two_positions(rng):
    stream = rng.normal(size=(5, 4))
    S = block.similarity(stream)
    assert S.shape == (5, 5)
    np.testing.assert_allclose(np.diag(S), 1.0, rtol=1e-12)
    np.testing.assert_allclose(S, S.T, rtol=1e-12)
    a, b = stream[1], stream[3]
    assert S[1, 3] == pytest.approx(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert np.all(np.abs(S) <= 1 + 1e-12)


def test_depth_profiles_run_each_variant_from_the_same_start():
    X, y = block.windows(_stream(), np.arange(4) * 7, N_STEPS)
    profiles = block.depth_profiles(PIECES, X, y, V, n_blocks=3, seed=1, d_model=8)
    assert list(profiles) == list(block.DEPTH_VARIANTS)
    for name, profile in profiles.items():
        assert set(profile) == {"streams", "weights", "spread", "size", "largest_weight",
                                "loss"}
        assert len(profile["streams"]) == len(profile["spread"]) == len(profile["size"]) == 4
        assert len(profile["weights"]) == len(profile["largest_weight"]) == 3
        assert profile["streams"][0].shape == (4, N_STEPS, 8)
        assert profile["weights"][0].shape == (4, 2, N_STEPS, N_STEPS)
        assert profile["spread"] == [block.position_spread(s) for s in profile["streams"]]
        assert profile["size"][-1] == float(np.std(profile["streams"][-1]))
        np.testing.assert_array_equal(profile["streams"][0], profiles["full block"]["streams"][0])
        params = block.init_params(V, N_STEPS, n_blocks=3, seed=1, d_model=8)
        loss, _ = block.loss_and_grads(PIECES, params, X, y, **block.DEPTH_VARIANTS[name])
        assert profile["loss"] == loss
    assert not np.allclose(profiles["no residual"]["streams"][-1],
                           profiles["full block"]["streams"][-1])
    only = block.depth_profiles(PIECES, X, y, V, n_blocks=2, seed=1, d_model=8,
                                variants={"no feed-forward": {"feed_forward": False}})
    assert list(only) == ["no feed-forward"] and len(only["no feed-forward"]["streams"]) == 3


def test_rate_at_warms_up_linearly_then_follows_a_cosine_or_the_cut():
    rates = [block.rate_at(t, 100, 0.03, warmup=10, cosine=True) for t in range(100)]
    np.testing.assert_allclose(rates[:10], 0.03 * np.arange(1, 11) / 10)
    assert rates[10] == pytest.approx(0.03) and rates[-1] < 1e-4
    assert np.all(np.diff(rates[10:]) < 0)  # the cosine only falls
    cut = [block.rate_at(t, 100, 0.01) for t in range(100)]
    assert cut[:75] == [0.01] * 75 and cut[75:] == [0.001] * 25
    with pytest.raises(ValueError, match="warmup must be an integer >= 0. Received: warmup=-1"):
        block.train(PIECES, block.init_params(7, 4, d_model=4, n_blocks=1,
                                               n_heads=1, seed=0),
                    np.arange(20) % 7, steps=2, warmup=-1)
