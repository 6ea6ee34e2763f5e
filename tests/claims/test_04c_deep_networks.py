"""04c_deep_networks: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, n_seeds, sweep  # noqa: F401

from course.n04c_deep_networks import deep
from nnlib.gradcheck import relative_error

FIXES = ["He", "LayerNorm", "residual"]

CHECKS = {
    "runs['Glorot'].losses[-1] > 0.5": Swept("test_depth_trains_with_a_fix"),
    "all((best[name] < 0.35 for name in FIXES))": Swept("test_depth_trains_with_a_fix"),
    "spread['Glorot'] < 0.01": Swept("test_depth_trains_with_a_fix"),
    "all((spread[name] > 0.1 for name in FIXES))": Swept("test_depth_trains_with_a_fix"),
    "top['Glorot'] < 0.01 * min((top[name] for name in FIXES))": Swept(
        "test_depth_trains_with_a_fix"),
    "gap < 1e-09": Exact(
        "one gradient, no training: a right backward differs from the course's by float64 "
        "rounding only (measured with another right form in measure_depth: see student_gap)"),
    "unclipped.diverged": Swept("test_clipping_tames_the_exploding_run"),
    "min(clipped.losses) < 0.1 and (not clipped.diverged)": Swept(
        "test_clipping_tames_the_exploding_run"),
    "adam_l2[-1, 0] > 0.9 and adam_l2[-1, 1] < 0.01": Exact(
        "fixed numbers: two weights, a deterministic back-and-forth gradient"),
    "np.allclose(adamw[:, 0], adamw[:, 1], rtol=0.0001)": Exact(
        "fixed numbers; Adam's step does not depend on the gradient's scale (up to epsilon)"),
    "np.allclose(sgd_l2, sgdw, rtol=0, atol=1e-12)": Exact(
        "w - lr * (g + 2 l2 w) and w - lr * d * w - lr * g are equal for d = 2 l2; "
        "only rounding differs"),
}


def staged_layer_norm_backward(dout, x, gamma, eps):
    """A right LayerNorm backward written another way (the computational graph, node by
    node, as CS231n does): it stands in for a student's that passed its check."""
    n = x.shape[1]
    mu = x.mean(axis=1, keepdims=True)
    xmu = x - mu
    var = (xmu**2).mean(axis=1, keepdims=True)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1.0 / sqrtvar
    xhat = xmu * ivar
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dxhat = dout * gamma
    divar = np.sum(dxhat * xmu, axis=1, keepdims=True)
    dxmu1 = dxhat * ivar
    dsqrtvar = -divar / sqrtvar**2
    dvar = 0.5 * dsqrtvar / sqrtvar
    dsq = dvar * np.ones_like(x) / n
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -np.sum(dx1, axis=1, keepdims=True)
    dx = dx1 + dmu * np.ones_like(x) / n
    return dx, dgamma, dbeta


def measure_depth(seed):
    """Cells of sections 1, 2 and 4 with COURSE_SEED=seed (the recordings at steps 0 and
    200 only: the rest is what the widget shows)."""
    X, y = deep.moons(seed)
    runs = deep.train_variants(X, y, seed=seed, record_every=deep.STEPS)
    spread = {name: run.activation_std[0, -1] / run.activation_std[0, 0]
              for name, run in runs.items()}
    top = {name: run.gradient_norm[0].max() for name, run in runs.items()}
    yours = deep.train(deep.DeepNet(deep.DEPTH, deep.WIDTH, seed=seed,
                                    **deep.VARIANTS["LayerNorm"]), X, y, steps=deep.STEPS,
                       learning_rate=deep.LEARNING_RATE,
                       layer_norm_backward=staged_layer_norm_backward)
    mine, course = np.array(yours.losses), np.array(runs["LayerNorm"].losses)
    net = deep.DeepNet(deep.DEPTH, deep.WIDTH, seed=seed, **deep.VARIANTS["LayerNorm"])
    _, staged = net.loss_and_grads(X, y, layer_norm_backward=staged_layer_norm_backward)
    _, reference = net.loss_and_grads(X, y)
    return {
        "glorot_final": runs["Glorot"].losses[-1],
        "worst_best_fix": max(min(runs[name].losses) for name in FIXES),
        "glorot_spread": spread["Glorot"],
        "smallest_fix_spread": min(spread[name] for name in FIXES),
        "glorot_top_over_fixes": top["Glorot"] / min(top[name] for name in FIXES),
        "first_gradient_gap": max(relative_error(a, b) for a, b in zip(staged, reference)),
        # 200 steps on another right backward: np.allclose(rtol=1e-9, atol=1e-12) holds
        # when this is at most 1 (it is not a check: rounding grows over a long run)
        "student_gap": float(np.max(np.abs(mine - course) / (1e-12 + 1e-9 * np.abs(course))))
        if mine.shape == course.shape else np.inf,
    }


def test_depth_trains_with_a_fix():
    sweep(measure_depth, {
        "Glorot: loss after 200 steps above 0.5": ("glorot_final", lambda v: v > 0.5),
        "He, LayerNorm, residual: each reaches a loss below 0.35": (
            "worst_best_fix", lambda v: v < 0.35),
        "Glorot at step 0: last layer's spread below 1/100 of the first's": (
            "glorot_spread", lambda v: v < 0.01),
        "the fixes at step 0: last layer's spread above 1/10 of the first's": (
            "smallest_fix_spread", lambda v: v > 0.1),
        "Glorot at step 0: its largest layer gradient below 1/100 of any fix's smallest": (
            "glorot_top_over_fixes", lambda v: v < 0.01),
        "a right backward of the student's: first gradient equal to 1e-9": (
            "first_gradient_gap", lambda v: v < 1e-9),
        "(not a check) 200 steps on it: loss gap in units of rtol 1e-9": (
            "student_gap", lambda v: True),
    })


def measure_clipping(seed):
    """Section 5 with COURSE_SEED=seed."""
    X, y = deep.moons(seed)
    runs = {clip: deep.train(deep.DeepNet(deep.DEPTH, deep.WIDTH, seed=seed, init="he"), X, y,
                             steps=deep.STEPS, learning_rate=deep.CLIP_RATE, clip_norm=clip)
            for clip in (None, deep.CLIP_NORM)}
    return {"unclipped_diverged_at": runs[None].diverged_at if runs[None].diverged else np.inf,
            "clipped_final": np.inf if runs[deep.CLIP_NORM].diverged
            else runs[deep.CLIP_NORM].losses[-1],
            "clipped_best": np.inf if runs[deep.CLIP_NORM].diverged
            else min(runs[deep.CLIP_NORM].losses)}


def test_clipping_tames_the_exploding_run():
    sweep(measure_clipping, {
        "without clipping, rate 0.5 diverges within 200 steps": (
            "unclipped_diverged_at", lambda v: v <= deep.STEPS),
        "clipped by global norm 0.2, it trains: never diverges, reaches a loss below 0.1": (
            "clipped_best", lambda v: v < 0.1),
        "(not a check) clipped: the loss after 200 steps": ("clipped_final", lambda v: True),
    })
