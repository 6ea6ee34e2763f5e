"""05c_transformers: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, sweep  # noqa: F401

from course.n05c_transformers import sequences
from course.n05c_transformers import tasks as attention_tasks
from course.n05c_transformers.attention import (
    causal_mask,
    multi_head_attention,
    positional_encoding,
)

FIXED = "fixed inputs: nothing random decides it"
CHECKS = {
    # cell 4
    'np.isclose(weights.sum(), 1.0) and np.isclose(output[0, 0], weights[0] @ V[:, 0])': Exact(FIXED),
    # cell 4
    'weights[0, 0] > weights[0, 1] > weights[0, 2]': Exact(FIXED),
    # cell 7
    'all((0.8 < scaled < 1.2 for _, scaled in score_spread.values()))': Swept("test_score_spread"),
    # cell 7
    'score_spread[512][0] > 10': Swept("test_score_spread"),
    # cell 10
    "top_weight['q.k'] > 0.99 and top_weight['q.k / sqrt(d_k)'] < 0.5": Swept("test_score_spread"),
    # cell 10
    "jacobian_size['q.k'] < 0.01 * jacobian_size['q.k / sqrt(d_k)']": Swept("test_score_spread"),
    # cell 13
    'np.allclose(out_nnlib, out_keras.numpy(), rtol=0, atol=1e-12)': Swept("test_attention_equals_keras"),
    # cell 13
    'np.allclose(scores_nnlib, scores_keras.numpy(), rtol=0, atol=1e-14)': Swept("test_attention_equals_keras"),
    # cell 16
    '1e-10 < gap_3 < 1e-05': Swept("test_attention_equals_keras"),
    # cell 22
    'np.allclose(out_causal, out_keras_causal, rtol=0, atol=1e-12)': Swept("test_attention_equals_keras"),
    # cell 22
    'np.allclose(out_causal, multi_head_attention(X_att, X_att, mha.get_weights(), mask=causal_mask(5)), rtol=0, atol=1e-12)': Swept("test_attention_equals_keras"),
    # cell 22
    'np.allclose(np.triu(masked_weights, k=1), 0.0, rtol=0, atol=1e-09)': Exact(
        "a shut-out score becomes -1e9, whose exponential underflows to exactly 0"),
    # cell 24
    'np.all(np.triu(nnlib_masked, k=1) == 0.0)': Exact(
        "a shut-out score becomes -1e9, whose exponential underflows to exactly 0"),
    # cell 24
    'np.allclose(nnlib_masked.sum(axis=-1), 1.0)': Exact("a softmax: every row sums to 1"),
    # cell 27
    'np.allclose(out_perm, out_nnlib[:, perm])': Exact(
        "attention without positions is permutation-equivariant; only the order of float64 "
        "sums changes"),
    # cell 30
    'P.shape == (50, 32) and np.abs(P).max() <= 1.0': Exact(FIXED),
    # cell 30
    'np.allclose(P[0, 0::2], 0.0) and np.allclose(P[0, 1::2], 1.0)': Exact(FIXED),
    # cell 31
    'near < far': Exact(FIXED),
    # cell 32
    'closest_pair > 0.5': Exact(FIXED),
    # cell 37
    'digit_accuracy > 0.95': OverRuns("test_transformer_over_seeds"),
    # cell 42
    'np.array_equal(strongest, np.arange(N_STEPS)[::-1])': OverRuns("test_transformer_over_seeds"),
    # cell 45
    'np.allclose(numpy_scores, trained_scores, atol=1e-05)': OverRuns("test_transformer_over_seeds"),
}


def test_score_spread():
    def measure(seed):
        score_rng = np.random.default_rng(seed)
        spread = {}
        for d_k in (4, 512):
            q, k = score_rng.normal(size=(2, 1000, d_k))
            dots = np.sum(q * k, axis=1)
            spread[d_k] = (dots.std(), (dots / np.sqrt(d_k)).std())
        scaled = [s for _, s in spread.values()]
        # cell 9: 8 keys per query at d_k = 512, from the same generator
        q = score_rng.normal(size=(1000, 512))
        k = score_rng.normal(size=(1000, 8, 512))
        dots = np.einsum("nd,nkd->nk", q, k)
        top, size = {}, {}
        for name, scores in (("scaled", dots / np.sqrt(512)), ("raw", dots)):
            e = np.exp(scores - scores.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            J = p[:, :, None] * np.eye(8) - p[:, :, None] * p[:, None, :]
            top[name] = np.median(p.max(axis=1))
            size[name] = np.median(np.abs(J).sum(axis=(1, 2)))
        return {"scaled_min": min(scaled), "scaled_max": max(scaled), "unscaled_512": spread[512][0],
                "top_raw": top["raw"], "top_scaled": top["scaled"],
                "jacobian_ratio": size["raw"] / size["scaled"]}

    sweep(measure, {"scaled std > 0.8": ("scaled_min", lambda v: v > 0.8),
                    "scaled std < 1.2": ("scaled_max", lambda v: v < 1.2),
                    "unscaled std at d_k = 512 > 10": ("unscaled_512", lambda v: v > 10),
                    "unscaled: median largest weight > 0.99": ("top_raw", lambda v: v > 0.99),
                    "scaled: median largest weight < 0.5": ("top_scaled", lambda v: v < 0.5),
                    "unscaled J < 0.01 x scaled J": ("jacobian_ratio", lambda v: v < 0.01)})


def test_attention_equals_keras():
    """Cells 11-19: forward passes only, with the random inputs and weights of each seed."""
    from course import keras_twin as twin

    keras = twin.import_keras()

    def measure(seed):
        keras.utils.set_random_seed(seed)
        rng = np.random.default_rng(seed)
        X_att = rng.normal(size=(2, 5, 8))
        mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4, dtype="float64")
        mha(X_att, X_att)
        mha.set_weights([rng.normal(size=w.shape) for w in mha.get_weights()])
        out_keras, scores_keras = mha(X_att, X_att, return_attention_scores=True)
        out_nnlib, scores_nnlib = multi_head_attention(X_att, X_att, mha.get_weights(),
                                                       return_attention_scores=True)
        check_rng = np.random.default_rng(seed)
        mha_3 = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, dtype="float64")
        mha_3(X_att, X_att)
        mha_3.set_weights([check_rng.normal(size=w.shape) for w in mha_3.get_weights()])
        gap_3 = float(np.max(np.abs(mha_3(X_att, X_att).numpy()
                                    - multi_head_attention(X_att, X_att, mha_3.get_weights()))))
        wq, bq, wk, bk, wv, bv, wo, bo = mha.get_weights()
        Q_h, K_h, V_h = (np.einsum("nsd,dhk->nhsk", X_att, w) + b[:, None, :]
                         for w, b in [(wq, bq), (wk, bk), (wv, bv)])
        heads_out, _ = attention_tasks.attention._reference(Q_h, K_h, V_h, mask=causal_mask(5))
        out_causal = np.einsum("nhsv,hvo->nso", heads_out, wo) + bo
        out_keras_causal = mha(X_att, X_att, use_causal_mask=True).numpy()
        causal_nnlib = multi_head_attention(X_att, X_att, mha.get_weights(), mask=causal_mask(5))
        return {"out": float(np.max(np.abs(out_nnlib - out_keras.numpy()))),
                "scores": float(np.max(np.abs(scores_nnlib - scores_keras.numpy()))),
                "gap_3": gap_3,
                "causal": float(max(np.max(np.abs(out_causal - out_keras_causal)),
                                    np.max(np.abs(out_causal - causal_nnlib))))}

    sweep(measure, {
        "outputs equal Keras to 1e-12": ("out", lambda v: v <= 1e-12),
        "attention weights equal Keras to 1e-14": ("scores", lambda v: v <= 1e-14),
        "1e-10 < gap_3 < 1e-5": ("gap_3", lambda v: 1e-10 < v < 1e-5),
        "causal attention equals Keras and nnlib to 1e-12": ("causal", lambda v: v <= 1e-12),
    })


def _measure_trained(seed):
    """Cells 27-36: the Transformer block trained from seed."""
    from course import keras_twin as twin
    from course.n05c_transformers import keras_models as models

    keras = twin.import_keras()
    X_rev, y_rev = sequences.make_reverse_task(4000, 8, n_symbols=10, seed=seed)
    X_te, y_te = sequences.make_reverse_task(500, 8, n_symbols=10, seed=seed + 1)
    keras.utils.set_random_seed(seed)
    transformer = models.build_transformer(8, 10, d_model=32, num_heads=1)
    keras.utils.set_random_seed(seed)
    transformer.fit(X_rev, y_rev, epochs=10, batch_size=64, verbose=0)
    y_pred = np.argmax(transformer.predict(X_te, verbose=0), axis=-1)
    trained_scores = models.attention_scores(transformer, X_te[:100])
    mean_scores = trained_scores[:, 0].mean(axis=0)
    anti = mean_scores[np.arange(8), np.arange(8)[::-1]]
    others = mean_scores.copy()
    others[np.arange(8), np.arange(8)[::-1]] = -1.0
    embeddings = transformer.get_layer("embedding").get_weights()[0]
    X_embedded = embeddings[X_te[:100]] + positional_encoding(8, 32)
    _, numpy_scores = multi_head_attention(
        X_embedded, X_embedded, transformer.get_layer("attention").get_weights(),
        return_attention_scores=True)
    excess = np.abs(numpy_scores - trained_scores) - (1e-5 + 1e-5 * np.abs(trained_scores))
    return {"digit_accuracy": float(np.mean(y_pred == y_te)),
            # > 0 exactly when every row's strongest weight is on the anti-diagonal
            "antidiagonal_margin": float(np.min(anti - others.max(axis=1))),
            "scores_excess": float(np.max(excess))}


def test_transformer_over_seeds():
    sweep(_measure_trained, {
        "digit_accuracy > 0.95": ("digit_accuracy", lambda v: v > 0.95),
        "the strongest weights lie on the anti-diagonal": ("antidiagonal_margin", lambda v: v > 0),
        "numpy scores within allclose(atol=1e-5) of Keras'": ("scores_excess", lambda v: v <= 0),
    }, keras=True)
