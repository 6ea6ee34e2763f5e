"""04b_regularization: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

from functools import lru_cache

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, n_seeds, sweep  # noqa: F401

import nnlib
from course.n04b_regularization import regularization
from course.n04b_regularization.tasks import _dropout_backward_reference, _dropout_forward_reference

FIXED = "no random input: a fixed surface, start and rates, in float64"
SAME = "the same float64 arithmetic on both sides"

CHECKS = {
    # cell 16
    'len(my_losses) == 200 and gap < 1e-12': Exact(
        "the same 800 steps as fit with l2, in the same order (the student's pieces or "
        "nnlib's stand-ins, tests/test_student_library.py)"),
    # cell 4
    'plain.model.count_params() == 4353': Exact("a count of the network's parameters"),
    # cell 4
    'train_mse < 0.3 ** 2': Swept("test_overfitting_and_regularization"),
    # cell 4
    'test_mse > 1.2 * train_mse': Swept("test_overfitting_and_regularization"),
    # cell 7
    'np.isclose(l2_by_hand, penalties.l2_penalty(weights, lam))': Exact(SAME),
    # cell 7
    'np.isclose(loss_with_l2 - loss_plain, l2_by_hand)': Exact(SAME),
    # cell 13
    'all((np.allclose(d, (1 - 2 * alpha_sgd * lam) * W) for d, W in zip(decay, plain.model.weights)))': Exact(
        "W - 0.1 * 2 * lam * W equals (1 - 0.2 * lam) * W up to rounding"),
    # cell 12
    'np.allclose(extra_W, my_grad, rtol=1e-09, atol=1e-12)': Exact(
        "(g + 2 lam W) - g differs from 2 lam W by one rounding of the data gradient g, about "
        "1e-16 |g|: it would take |g| > 1e4 to reach atol=1e-12"),
    # cell 12
    'np.all(extra_b == 0)': Exact("the bias gradients come from the same operations, bit for "
                                  "bit: the penalty only adds to the kernels' gradients"),
    # cell 21
    "over_draws['no regularization'].mean() > 0.3 ** 2": Swept("test_penalties_over_draws"),
    # cell 21
    "over_draws[name].mean() < over_draws['no regularization'].mean()": Swept(
        "test_penalties_over_draws"),
    # cell 24
    'sum(turns) >= 5': Swept("test_penalties_over_draws"),
    # cell 25
    "jumps['dropout 0.1'] + jumps['dropout 0.3'] > jumps['L2 = 0.003'] + jumps['L1 = 0.003']": Swept(
        "test_overfitting_and_regularization"),
    # cell 27
    'np.any(dropout_ratio < 0.9) and np.any(worse_than_both)': Swept("test_penalties_over_draws"),
    # cell 28
    "train_of['L2 = 0.03'] > train_of['L2 = 0.003']": Swept(
        "test_overfitting_and_regularization"),
    # cell 29
    'np.median(off_ratio) > 1': Swept(
        "test_penalties_over_draws"),
    # cell 32
    "norms['L2 = 0.003'] < norms['no regularization']": Swept("test_overfitting_and_regularization"),
    # cell 32
    "norms['L1 = 0.003'] < norms['no regularization']": Swept("test_overfitting_and_regularization"),
    # cell 32
    "zeros['L1 = 0.003'] > 0.9": Swept("test_overfitting_and_regularization"),
    # cell 32
    "1 - zeros['L2 = 0.003'] > 3 * (1 - zeros['L1 = 0.003'])": Swept(
        "test_overfitting_and_regularization"),
    # cell 32
    "zeros['L2 = 0.003'] > 2 * zeros['no regularization']": Swept(
        "test_overfitting_and_regularization"),
    # cell 39
    "mse[yours][0] > mse['no regularization'][0]": Swept(
        "test_overfitting_and_regularization"),
    # cell 39
    "np.isfinite(mse[yours][1])": Swept("test_overfitting_and_regularization"),
}

SETTINGS = {"L2 = 0.003": {"l2": 3e-3}, "L1 = 0.003": {"l1": 3e-3},
            "dropout 0.1": {"dropout": 0.1}, "dropout 0.3": {"dropout": 0.3}}


def fit_with_my_dropout(X, y, rate, seed, epochs=600):
    """Cell 65's loop, with nnlib's dropout (what the unsolved notebook runs)."""
    model = nnlib.MLP([1, 64, 64, 1], ["tanh", "tanh", "linear"], seed=seed)
    W1, b1, W2, b2, W3, b3 = model.params
    adam, rng = nnlib.Adam(learning_rate=0.02), np.random.default_rng(seed)
    for _ in range(epochs):
        H1 = np.tanh(X @ W1 + b1)
        D1, mask1 = _dropout_forward_reference(H1, rate, rng)
        H2 = np.tanh(D1 @ W2 + b2)
        D2, mask2 = _dropout_forward_reference(H2, rate, rng)
        d_out = 2 * (D2 @ W3 + b3 - y) / len(X)
        dZ2 = _dropout_backward_reference(d_out @ W3.T, mask2) * (1 - H2**2)
        dZ1 = _dropout_backward_reference(dZ2 @ W2.T, mask1) * (1 - H1**2)
        grads = [X.T @ dZ1, dZ1.sum(axis=0), D1.T @ dZ2, dZ2.sum(axis=0),
                 D2.T @ d_out, d_out.sum(axis=0)]
        adam.step(model.params, grads)
    return model


def measure_regularization(seed):
    """What cells 42, 53, 56, 58, 60 and 65 compute with COURSE_SEED=seed."""
    X_train, y_train, X_test, y_test = regularization.overfitting_data(12, noise=0.3, seed=seed)
    plain = regularization.fit_regularized(X_train, y_train, validation_data=(X_test, y_test),
                                           seed=seed)
    fits = {"no regularization": plain}
    for name, kwargs in SETTINGS.items():
        fits[name] = regularization.fit_regularized(X_train, y_train,
                                                    validation_data=(X_test, y_test),
                                                    seed=seed, **kwargs)
    train_mse, test_mse = plain.history["train_mse"][-1], plain.history["test_mse"][-1]
    # cell 56
    last_200 = {name: np.array(fit.history["test_mse"][-200:]) for name, fit in fits.items()}
    spread = {name: np.subtract(*np.percentile(values, [75, 25])) / np.median(values)
              for name, values in last_200.items()}
    jumps = {name: np.median(np.abs(np.diff(values))) for name, values in last_200.items()}
    # cell 58
    strong = regularization.fit_regularized(X_train, y_train, l2=0.03, seed=seed)
    x_grid = X_GRID
    train_of = {"L2 = 0.003": fits["L2 = 0.003"].history["train_mse"][-1],
                "L2 = 0.03": strong.history["train_mse"][-1]}
    off_curve = {name: np.mean((model.predict(x_grid) - regularization.true_curve(x_grid)) ** 2)
                 for name, model in [("L2 = 0.003", fits["L2 = 0.003"].model),
                                     ("L2 = 0.03", strong.model)]}
    # cell 60
    norms, zeros = {}, {}
    for name in ["no regularization", "L2 = 0.003", "L1 = 0.003"]:
        values = regularization.kernel_values(fits[name].model)
        norms[name] = np.linalg.norm(values)
        zeros[name] = regularization.near_zero_fraction(values, tol=0.01)
    # cell 65
    with_my_dropout = fit_with_my_dropout(X_train, y_train, 0.3, seed)
    return {
        "train_mse": train_mse,
        "test_over_train": test_mse / train_mse,
        "jumps_dropout_over_penalties": ((jumps["dropout 0.1"] + jumps["dropout 0.3"])
                                         / (jumps["L2 = 0.003"] + jumps["L1 = 0.003"])),
        "spread_L2": spread["L2 = 0.003"],  # printed in the notebook, not checked
        "spread_L1": spread["L1 = 0.003"],
        "train_strong_over_weak": train_of["L2 = 0.03"] / train_of["L2 = 0.003"],
        "off_curve_strong_over_weak": off_curve["L2 = 0.03"] / off_curve["L2 = 0.003"],
        "norm_L2_over_none": norms["L2 = 0.003"] / norms["no regularization"],
        "norm_L1_over_none": norms["L1 = 0.003"] / norms["no regularization"],
        "zeros_L1": zeros["L1 = 0.003"],
        "away_L2_over_L1": (1 - zeros["L2 = 0.003"]) / max(1 - zeros["L1 = 0.003"], 1e-12),
        "zeros_L2_over_none": zeros["L2 = 0.003"] / max(zeros["no regularization"], 1e-12),
        "my_dropout_train_ratio": (with_my_dropout.loss(X_train, y_train)
                                   / plain.model.loss(X_train, y_train)),
        "my_dropout_test_finite": bool(np.isfinite(with_my_dropout.loss(X_test, y_test))),
    }


def test_overfitting_and_regularization():
    sweep(measure_regularization, {
        "training MSE below the noise level": ("train_mse", lambda v: v < 0.3**2),
        "test MSE above 1.2 times the training MSE": ("test_over_train", lambda v: v > 1.2),
        "dropout runs jump more per epoch than the L2 and L1 runs (sums)":
            ("jumps_dropout_over_penalties", lambda v: v > 1),
        "(not checked) L2: middle half of the last 200 test MSEs, vs their median":
            ("spread_L2", lambda v: True),
        "(not checked) L1: middle half of the last 200 test MSEs, vs their median":
            ("spread_L1", lambda v: True),
        "L2 0.03: training MSE above L2 0.003's": ("train_strong_over_weak", lambda v: v > 1),
        "(not checked on one draw) L2 0.03 further from the true curve than L2 0.003":
            ("off_curve_strong_over_weak", lambda v: True),
        "L2 shrinks the weights' norm": ("norm_L2_over_none", lambda v: v < 1),
        "L1 shrinks the weights' norm": ("norm_L1_over_none", lambda v: v < 1),
        "L1: over 90% of the weights near zero": ("zeros_L1", lambda v: v > 0.9),
        "L2 leaves over 3 times as many weights away from 0 as L1":
            ("away_L2_over_L1", lambda v: v > 3),
        "L2: over twice as many near zero as without": ("zeros_L2_over_none", lambda v: v > 2),
        "your dropout: training MSE above the plain run's":
            ("my_dropout_train_ratio", lambda v: v > 1),
        "your dropout: a finite test MSE": ("my_dropout_test_finite", bool),
    })
# ---------------------------------------------------------------- cells 54 and 58


DRAW_SETTINGS = {"no regularization": {}, "L2 = 0.003": {"l2": 3e-3},
                 "L1 = 0.003": {"l1": 3e-3}, "dropout 0.3": {"dropout": 0.3}}


@lru_cache(maxsize=None)
def one_draw(draw):
    """test_mse_over_draws on one draw (the notebook's call, one seed at a time). The test
    MSE is recorded only after the last epoch, the one the notebook uses: the same value."""
    result = regularization.test_mse_over_draws(DRAW_SETTINGS, seeds=[draw], record_every=600)
    return {name: values[0] for name, values in result.items()}


@lru_cache(maxsize=None)
def plain_curve(draw):
    X, y, X_test, y_test = regularization.overfitting_data(12, noise=0.3, seed=draw)
    fit = regularization.fit_regularized(X, y, validation_data=(X_test, y_test), seed=draw,
                                         record_every=10)
    return np.array(fit.history["test_mse"])


X_GRID = np.linspace(-1.5, 1.5, 301).reshape(-1, 1)


@lru_cache(maxsize=None)
def off_curves(draw):
    """Cell 58: the distance from the true curve with L2 0.003 and 0.03, on one draw."""
    X, y, _, _ = regularization.overfitting_data(12, noise=0.3, seed=draw)
    distances = {}
    for name, l2 in [("L2 = 0.003", 3e-3), ("L2 = 0.03", 0.03)]:
        # record_every only spares the per-epoch MSEs: the same weights as the notebook's fit
        model = regularization.fit_regularized(X, y, l2=l2, seed=draw, record_every=600).model
        distances[name] = np.mean((model.predict(X_GRID) - regularization.true_curve(X_GRID)) ** 2)
    return distances


def turns(draw):
    """Cell 56: the plain run's lowest test MSE more than 100 epochs before the end, and
    its last above it (recorded every 10th epoch)."""
    curve = plain_curve(draw)
    return bool(np.argmin(curve) < len(curve) - 10 and curve[-1] > curve.min())


def over_draws(seed):
    """Cell 54's ``over_draws``: the draws ``seed, ..., seed + 9``."""
    draws = [one_draw(draw) for draw in range(seed, seed + 10)]
    return {name: np.array([d[name] for d in draws]) for name in DRAW_SETTINGS}


def test_penalties_over_draws():
    def measure(seed):
        window = range(seed, seed + 10)
        draws = over_draws(seed)
        none = draws["no regularization"]
        dropout_ratio = draws["dropout 0.3"] / none
        worse_than_both = draws["dropout 0.3"] > np.maximum(draws["L2 = 0.003"],
                                                            draws["L1 = 0.003"])
        off_ratio = [off_curves(draw)["L2 = 0.03"] / off_curves(draw)["L2 = 0.003"]
                     for draw in window]
        return {"mean_none": none.mean(),
                "turns": sum(turns(draw) for draw in window),
                "off_curve_median_ratio": np.median(off_ratio),
                "mean_L2": draws["L2 = 0.003"].mean() / none.mean(),
                "mean_L1": draws["L1 = 0.003"].mean() / none.mean(),
                "dropout_best": dropout_ratio.min(),
                "dropout_worse_than_both": int(worse_than_both.sum()),
                "dropout_worse_than_none": int(np.sum(dropout_ratio > 1))}
    sweep(measure, {
        "no regularization: mean test MSE over ten draws above the noise level":
            ("mean_none", lambda v: v > 0.3**2),
        "no regularization: lowest test MSE well before the end, then rising, on at least "
        "5 of 10 draws": ("turns", lambda v: v >= 5),
        "L2 0.03: further from the true curve than L2 0.003, median over ten draws":
            ("off_curve_median_ratio", lambda v: v > 1),
        "L2: mean test MSE over ten draws below the one without":
            ("mean_L2", lambda v: v < 1),
        "L1: mean test MSE over ten draws below the one without":
            ("mean_L1", lambda v: v < 1),
        "dropout 0.3 below 0.9 of the test MSE without on some draw":
            ("dropout_best", lambda v: v < 0.9),
        "dropout 0.3 worse than both penalties on some draw":
            ("dropout_worse_than_both", lambda v: v >= 1),
        "(not checked) dropout 0.3 worse than none on some draw":
            ("dropout_worse_than_none", lambda v: True),
    })
