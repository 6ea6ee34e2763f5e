"""05e_transformer_block: what makes each of its checks hold for any COURSE_SEED (see
sweeping.py).

The pieces are the course's (they stand in for the student's; a right piece of the
student's computes the same numbers, up to rounding: tests/test_tasks_transformer_block.py
and the first-gradient check of cell 22).
"""

import runpy
from types import SimpleNamespace

import numpy as np
from sweeping import ROOT, Swept, sweep

from course.n04c_deep_networks.deep import layer_norm_backward
from course.n05c_transformers.attention import scaled_dot_product_attention
from course.n05d_language_model import bigram, text
from course.n05e_transformer_block import block

CHECKS = {
    # cell 4
    'abs(init_loss - np.log(VOCAB_SIZE)) < 0.05': Swept("test_the_depth_claims"),
    # cell 8
    "no_residual['spread'][-1] < 0.1 * full['spread'][-1]": Swept("test_the_depth_claims"),
    # cell 9
    "no_norm['size'][-1] > 30 * full['size'][-1] and no_norm['largest_weight'][-1] > 0.99":
        Swept("test_the_depth_claims"),
    # cell 10
    "full['largest_weight'][-1] < 0.5 and no_norm['loss'] > 3 * full['loss']":
        Swept("test_the_depth_claims"),
    # cell 19
    'val_loss < bigram_val - 0.3': Swept("test_the_training_claims"),
    # cell 22
    'gap < 1e-09': Swept("test_the_training_claims"),
    # cell 25
    "val_losses['no residual'] > val_losses['full block'] + 0.3":
        Swept("test_the_training_claims"),
    # cell 26
    "val_losses['no feed-forward'] > val_losses['full block']": Swept("test_the_training_claims"),
    # cell 30
    'schedule_val[60] < schedule_val[0]': Swept("test_the_warmup_claim"),
}

VOCAB_SIZE, N_STEPS = len(text.ALPHABET), 16
SIZES = {"d_model": 32, "n_blocks": 2, "n_heads": 2}
TRAINING = {"steps": 600, "batch_size": 32, "learning_rate": 0.01}


def course_pieces():
    """The course's pieces, which stand in for the student's 05c, 04c and 05d ones."""
    from course.n05d_language_model.mlp import embedding_backward

    return SimpleNamespace(attention=scaled_dot_product_attention,
                           layer_norm_backward=layer_norm_backward,
                           embedding_backward=embedding_backward)


def teacher_attention_backward():
    """The teacher's solution (written another way than the course's)."""
    solutions = ROOT / "teacher" / "solutions" / "05e_transformer_block.py"
    return runpy.run_path(str(solutions))["attention_backward"]


def _streams(seed):
    train_docs, val_docs = text.split_documents(text.course_prose(), validation_share=0.1,
                                                seed=seed)
    return (train_docs, val_docs, block.token_stream([text.encode(d) for d in train_docs]),
            block.token_stream([text.encode(d) for d in val_docs]))


def measure_depth(seed):
    """Cells 3-10 with COURSE_SEED=seed."""
    pieces = course_pieces()
    _, _, train_stream, val_stream = _streams(seed)
    params = block.init_params(VOCAB_SIZE, N_STEPS, **SIZES, seed=seed)
    init_loss = block.negative_log_likelihood(pieces, params, val_stream)
    rng = np.random.default_rng(seed)
    X, y = block.windows(train_stream, rng.integers(0, len(train_stream) - N_STEPS, 32), N_STEPS)
    profiles = block.depth_profiles(pieces, X, y, VOCAB_SIZE, n_blocks=8, seed=seed)
    full, no_residual, no_norm = (profiles[name] for name in block.DEPTH_VARIANTS)
    return {
        "init_gap": abs(init_loss - np.log(VOCAB_SIZE)),
        "collapse": no_residual["spread"][-1] / full["spread"][-1],
        "growth": no_norm["size"][-1] / full["size"][-1],
        "saturated": no_norm["largest_weight"][-1],
        "full_largest": full["largest_weight"][-1],
        "loss_ratio": no_norm["loss"] / full["loss"],
    }


DEPTH_CLAIMS = {
    "the loss at the start is within 0.05 of ln V": ("init_gap", lambda v: v < 0.05),
    "without residuals, the positions' spread after 8 blocks is < 0.1 of the full block's":
        ("collapse", lambda v: v < 0.1),
    "without LayerNorm, the stream is > 30 times the full block's": ("growth", lambda v: v > 30),
    "without LayerNorm, attention's largest weight is > 0.99": ("saturated", lambda v: v > 0.99),
    "the full block's largest weight is < 0.5": ("full_largest", lambda v: v < 0.5),
    "without LayerNorm, the first loss is > 3 times the full block's":
        ("loss_ratio", lambda v: v > 3),
}


def test_the_depth_claims():
    sweep(measure_depth, DEPTH_CLAIMS)


def measure_training(seed, attention_backward=None):
    """Cells 17-26 with COURSE_SEED=seed: the teacher's attention_backward trains the full
    model (as a student's right one would), the course's gives the first-gradient twin."""
    pieces = course_pieces()
    mine = teacher_attention_backward() if attention_backward is None else attention_backward
    train_docs, val_docs, train_stream, val_stream = _streams(seed)
    X1, y1 = text.contexts(train_docs, 1)
    X1_val, y1_val = text.contexts(val_docs, 1)
    P = bigram.bigram_probabilities(bigram.bigram_counts(X1, y1, VOCAB_SIZE))
    bigram_val = bigram.negative_log_likelihood(P, X1_val, y1_val)
    val_losses = {}
    for name, part in (("full block", {}), ("no residual", {"residual": False}),
                       ("no feed-forward", {"feed_forward": False})):
        params = block.init_params(VOCAB_SIZE, N_STEPS, **SIZES, seed=seed)
        block.train(pieces, params, train_stream, **TRAINING, seed=seed,
                    attention_backward=mine, **part)
        val_losses[name] = block.negative_log_likelihood(pieces, params, val_stream, **part)
    start = block.init_params(VOCAB_SIZE, N_STEPS, **SIZES, seed=seed)
    X, y = block.windows(train_stream, np.arange(0, 32 * N_STEPS, N_STEPS), N_STEPS)
    _, yours = block.loss_and_grads(pieces, start, X, y, attention_backward=mine)
    _, course = block.loss_and_grads(pieces, start, X, y)
    return {
        "bigram_margin": bigram_val - val_losses["full block"],
        "gap": max(float(np.max(np.abs(yours[n] - course[n]))) for n in yours),
        "residual_margin": val_losses["no residual"] - val_losses["full block"],
        "feed_forward_margin": val_losses["no feed-forward"] - val_losses["full block"],
    }


TRAINING_CLAIMS = {
    "the Transformer's validation loss is 0.3 below the bigram's":
        ("bigram_margin", lambda v: v > 0.3),
    "the teacher's attention_backward gives the course's first gradient to 1e-9":
        ("gap", lambda v: v < 1e-9),
    "without residuals, the validation loss is 0.3 above the full block's":
        ("residual_margin", lambda v: v > 0.3),
    "without the feed-forward networks, it is above the full block's":
        ("feed_forward_margin", lambda v: v > 0),
}


def test_the_training_claims():
    sweep(measure_training, TRAINING_CLAIMS)


WARMUP = {"learning_rate": 0.05, "cosine": True}


def measure_warmup(seed):
    """Cells 29-30 with COURSE_SEED=seed: a cosine schedule from the peak rate 0.05, with and
    without 60 steps of warm-up (the course's pieces; section 5's runs use the student's
    attention_backward, which trains the same model)."""
    pieces = course_pieces()
    _, _, train_stream, val_stream = _streams(seed)
    val = {}
    for warmup in (0, 60):
        params = block.init_params(VOCAB_SIZE, N_STEPS, **SIZES, seed=seed)
        block.train(pieces, params, train_stream, steps=TRAINING["steps"],
                    batch_size=TRAINING["batch_size"], **WARMUP, warmup=warmup, seed=seed)
        val[warmup] = block.negative_log_likelihood(pieces, params, val_stream)
    return {"warmup_margin": val[0] - val[60]}


WARMUP_CLAIMS = {
    "at peak rate 0.05, the cosine schedule ends lower with 60 steps of warm-up":
        ("warmup_margin", lambda v: v > 0),
}


def test_the_warmup_claim():
    sweep(measure_warmup, WARMUP_CLAIMS)

