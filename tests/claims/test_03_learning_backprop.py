"""03_learning_backprop: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

import warnings

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, n_seeds, sweep  # noqa: F401

import nnlib
from course import descent
from course.n03_learning_backprop import diagnostics
from nnlib import gradcheck
from nnlib.activations import relu
from nnlib.data import make_linear
from nnlib.gradcheck import numerical_gradient

FIXED = "fixed inputs, nothing random"
ROUNDING = "the same float64 arithmetic (rounding about 1e-16 of values of size 0.01-10)"
ONE_SAMPLE = ("set_weights fixes the neuron, one sample and batch_size=1: every seed takes "
              "the same 20 steps")
# make_linear: X = linspace(-1, 1, 100) for every seed (only the noise on y is random), so
# the line's loss is a quadratic with a fixed Hessian H = 2 diag(mean x^2, 1), mean x^2 = 0.3401
LINE = "X is the same linspace for every seed, so L'' = 2 mean(x^2) = 0.680 is fixed"

CHECKS = {
    # cell 4
    'np.isclose(mse_by_hand, losses.mse(y_true, y_pred))': Exact(FIXED),
    # cell 4
    'np.isclose(bce_by_hand, losses.binary_cross_entropy(y_true, y_pred))': Exact(FIXED),
    # cell 11
    'mse_on_grid.max() <= 1.0': Exact(FIXED),
    # cell 11
    'np.isclose(bce_on_grid[0], -np.log(1e-07))': Exact(FIXED),
    # cell 11
    'np.all(np.diff(bce_on_grid) < 0)': Exact(FIXED),
    # cell 13
    'np.isclose(slope_mse, losses.mse_grad(one, wrong).item())': Exact(FIXED),
    # cell 14
    'abs(slope_bce) > 10 * abs(slope_mse)': Exact(FIXED),
    # cell 17
    'np.isclose(dz_bce, y_hat.item() - 1)': Exact(FIXED),
    # cell 17
    'abs(dz_bce) > 40 * abs(dz_mse)': Exact(FIXED),
    # cell 20
    "after_20['binary_cross_entropy'] > 0.9": Exact(ONE_SAMPLE),
    # cell 20
    "after_20['mse'] < 0.1": Exact(ONE_SAMPLE),
    # cell 27
    'np.allclose(J, J_numeric, rtol=0, atol=1e-09) and np.allclose(J.sum(axis=1), 0.0)':
        Exact(FIXED),
    # cell 27
    'np.allclose(dL_dz, p - y_one)': Exact(FIXED),
    # cell 32
    '0.005 < mse_best < 0.02': Bounded(
        1.5e-5, "least squares with 2 parameters on 100 points with N(0, 0.1^2) noise: "
        "100 * mse_best / 0.01 ~ chi2(98); scipy.stats.chi2.cdf(50, 98) + "
        "scipy.stats.chi2.sf(200, 98) = 1.4e-5 + 5.7e-9"),
    # cell 36
    'np.allclose([dL_dw, dL_db], descent.line_mse_grad(w, b, X, y))': Exact(ROUNDING),
    # cell 36
    'np.allclose([dL_dw, dL_db], numeric, rtol=1e-06)': Swept("test_the_line"),
    # cell 41
    'abs(descent.line_mse(w, b, X, y) - mse_best) < 0.001': Swept("test_the_line"),
    # cell 42
    'arrow_end < 0.01 * arrow_start': Exact(
        LINE + ": each of the 40 steps multiplies the gradient by I - 0.25 H, whose factors "
        "are 1 - 0.5 * 0.340 = 0.830 and 0.5, so arrow_end <= 0.830**40 * arrow_start "
        "= 5.8e-4 * arrow_start for every draw of the noise (test_the_line measures it)"),
    # cell 49
    "distance['crawls'] > 0.5 and distance['converges'] < 1e-06": Exact(FIXED),
    # cell 49
    "np.all(np.diff(np.sign(paths['oscillates'].w - 3.0)) != 0)": Exact(FIXED),
    # cell 49
    "paths['diverges'].diverged and paths['diverges'].diverged_at == 35": Exact(FIXED),
    # cell 51
    'grows == (lr > limit)': Exact(FIXED),
    # cell 53
    'np.isclose(through_origin(1.5), losses.mse(y, 1.5 * X))': Exact(ROUNDING),
    # cell 54
    'on_first.diverged and (not on_second.diverged)': Exact(
        LINE + ", so 2/L'' = 2.94 > 1.5: every step shrinks the distance to the minimum "
        "(factor 1 - 1.5 * 0.680 = -0.02) and the loss never passes 1e6; (w - 3)^2 is fixed"),
    # cell 59
    'np.allclose([dL_dw, dL_db], numeric, rtol=1e-07)': Exact(FIXED),
    # cell 69
    'np.allclose(dW3, nnlib_grads[4]) and np.allclose(db3, nnlib_grads[5])': Exact(ROUNDING),
    # cell 77
    'np.isclose(loss_value, loss_by_hand)': Exact(ROUNDING),
    # cell 76
    'np.shape(g_hand) == g_nnlib.shape and np.allclose(g_hand, g_nnlib)': Exact(ROUNDING),
    # cell 83
    "near_kink or table.max_relative_error('central differences') < 1e-05":
        Swept("test_central_differences"),
    # cell 86
    "verdicts == {0.0: 'wrong', 0.3: 'good'}": Exact(FIXED),
    # cell 91
    "len(history['loss']) == 200 and (history['loss'][-1] < 0.03 or layer_2_dead)":
        Swept("test_sgd_training"),
    # cell 97
    'len(my_losses) == 200 and gap < 1e-12': Exact(
        "nnlib's train (the fallback) does fit's arithmetic step for step: the gap is 0"),
    # cell 97
    'all((np.allclose(a, b, rtol=0, atol=1e-12) for a, b in zip(my_net.params, start.get_weights())))':
        Exact("the same 800 steps in the same order: identical weights (the student's pieces "
              "or nnlib's stand-ins, tests/test_student_library.py)"),
    # cell 101
    'history_unstable.diverged and live_unstable.message == history_unstable.message':
        Swept("test_sgd_diverges"),
    # cell 101
    'sum((issubclass(w.category, nnlib.DivergenceWarning) for w in caught)) == 1':
        Swept("test_sgd_diverges"),
    # cell 102
    "history_unstable.diverged_at is not None and len(history_unstable['loss']) < 40":
        Swept("test_sgd_diverges"),
    # cell 107
    "np.isclose(start_loss, spiral_net.loss(X3, Y3, loss='categorical_cross_entropy'))":
        Exact(ROUNDING),
    # cell 107
    'abs(start_loss - np.log(3)) < 0.05': Swept("test_spiral_diagnostics"),
    # cell 109
    'np.abs(scores).max() < 1.0': Swept("test_spiral_diagnostics"),
    # cell 112
    'tiny_losses[-1] < 0.01': Swept("test_spiral_diagnostics"),
    # cell 115
    "all((0.001 < v < 0.01 for v in ratios['Adam, lr 0.001']))": Swept("test_spiral_diagnostics"),
    # cell 115
    "all((v < 0.0002 for v in ratios['SGD, lr 0.001']))": Swept("test_spiral_diagnostics"),
    # cell 116
    'all((0.1 < m < 0.5 for m in mean_abs_w))': Swept("test_spiral_diagnostics"),
    # cell 116
    "min(ratios['Adam, lr 0.001']) > 20 * max(ratios['SGD, lr 0.001'])":
        Swept("test_spiral_diagnostics"),
    # cell 119
    'all((0.1 < z < 0.9 for z in zero_share))': Swept("test_spiral_diagnostics"),
}

ARTICLE = ([1, 10, 5, 1], ["relu", "relu", "linear"])


def test_the_line():
    """Cells 24-35: the gradient at (0.5, -1) and forty steps of gradient descent."""
    def measure(seed):
        X, y = make_linear(seed=seed)
        w_best, b_best = np.polyfit(X.ravel(), y.ravel(), deg=1)
        mse_best = descent.line_mse(w_best, b_best, X, y)
        w, b = 0.5, -1.0
        r = w * X + b - y
        by_hand = [2 * np.mean(r * X), 2 * np.mean(r)]
        numeric = numerical_gradient(lambda p: descent.line_mse(p[0], p[1], X, y),
                                     np.array([w, b]))
        alpha = 0.25
        for _ in range(40):
            dw, db = descent.line_mse_grad(w, b, X, y)
            w, b = w - alpha * dw, b - alpha * db
        arrow_start = alpha * np.linalg.norm(descent.line_mse_grad(0.5, -1.0, X, y))
        arrow_end = alpha * np.linalg.norm(descent.line_mse_grad(w, b, X, y))
        return {"mse_best": mse_best,
                "numeric_gap": float(np.max(np.abs(np.subtract(by_hand, numeric))
                                            / np.abs(numeric))),
                "numeric_ok": bool(np.allclose(by_hand, numeric, rtol=1e-6)),
                "excess": abs(descent.line_mse(w, b, X, y) - mse_best),
                "arrow_ratio": arrow_end / arrow_start}
    sweep(measure, {
        "the best line's MSE is between 0.005 and 0.02 (Bounded)": (
            "mse_best", lambda v: 0.005 < v < 0.02),
        "central differences give the line's gradient (relative gap, rtol 1e-6)": (
            "numeric_gap", lambda v: v < 1e-6),
        "central differences give the line's gradient (np.allclose)": (
            "numeric_ok", lambda v: v),
        "40 steps of gradient descent reach the best line's MSE within 1e-3": (
            "excess", lambda v: v < 1e-3),
        "the arrow shrinks below 1% of its start (Exact: at most 5.8e-4)": (
            "arrow_ratio", lambda v: v < 5.8e-4)})


def test_central_differences():
    """Cells 79-83: central differences agree with backprop unless a nudge can cross ReLU's kink."""
    def measure(seed):
        X, y = make_linear(seed=seed)
        model = nnlib.MLP(*ARTICLE, seed=seed)
        X_batch, y_batch = X[::5], y[::5]
        _, grads = model.loss_and_grads(X_batch, y_batch, loss="mse")
        numeric_grads = [numerical_gradient(lambda: model.loss(X_batch, y_batch), p)
                         for p in model.params]
        table = gradcheck.compare_gradients(grads, {"central differences": numeric_grads})
        W1, b1, W2, b2 = model.params[:4]
        Z1 = X_batch @ W1 + b1
        closest = min(np.abs(Z1).min(), np.abs(relu(Z1) @ W2 + b2).min())
        error = table.max_relative_error("central differences")
        return {"near_kink": bool(closest < 1e-6),
                "error_away_from_kinks": 0.0 if closest < 1e-6 else error}
    sweep(measure, {
        "central differences agree to 1e-5 (relative) unless a hidden z is within a nudge "
        "of the kink": ("error_away_from_kinks", lambda v: v < 1e-5),
        "(how often a hidden z is within a nudge of the kink)": (
            "near_kink", lambda v: True)})


def test_sgd_training():
    """Cells 70-72: SGD, learning rate 0.05, batches of 10, 200 epochs: the MSE ends below
    0.03 unless all of layer 2's ReLUs died (then the network predicts a constant, MSE ~1.4)."""
    def measure(seed):
        X, y = make_linear(seed=seed)
        net = nnlib.MLP(*ARTICLE, seed=seed)
        history = net.fit(X, y, optimizer=nnlib.SGD(learning_rate=0.05), loss="mse", epochs=200,
                          batch_size=10, seed=seed)
        W1, b1, W2, b2 = net.params[:4]
        layer_2_dead = bool(np.all(relu(relu(X @ W1 + b1) @ W2 + b2) == 0))
        final = history["loss"][-1]
        return {"epochs": len(history["loss"]), "layer_2_dead": layer_2_dead,
                "final_alive": 0.0 if layer_2_dead else final,
                "final_dead": final if layer_2_dead else 10.0}
    sweep(measure, {
        "SGD trains all 200 epochs": ("epochs", lambda v: v == 200),
        "the final MSE is below 0.03 where layer 2 is alive": ("final_alive", lambda v: v < 0.03),
        "(where layer 2 died, the final MSE: 10 = no such seed)": ("final_dead", lambda v: v > 0.03),
        "(how often layer 2 dies)": ("layer_2_dead", lambda v: True)})


def test_sgd_diverges():
    """Cells 79-80: SGD with learning rate 2.0 diverges within 40 epochs, with one warning."""
    def measure(seed):
        X, y = make_linear(seed=seed)
        unstable = nnlib.MLP(*ARTICLE, seed=seed)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = unstable.fit(X, y, optimizer=nnlib.SGD(learning_rate=2.0), epochs=40,
                                   batch_size=10, seed=seed)
        return {"diverged": history.diverged,
                "warnings": sum(issubclass(w.category, nnlib.DivergenceWarning) for w in caught),
                "stopped_at": history.diverged_at if history.diverged_at is not None else 10**9,
                "epochs": len(history["loss"])}
    sweep(measure, {
        "SGD with learning rate 2.0 diverges": ("diverged", lambda v: v),
        "exactly one DivergenceWarning": ("warnings", lambda v: v == 1),
        "it stops at a step (of 400)": ("stopped_at", lambda v: v < 400),
        "before 40 complete epochs": ("epochs", lambda v: v < 40)})


def test_spiral_diagnostics():
    """Cells 82-91: the four checks before a long run, on three spirals."""
    def measure(seed):
        X3, labels = nnlib.data.make_spirals(300, n_classes=3, seed=seed)
        Y3 = nnlib.data.one_hot(labels, 3)
        spiral_net = nnlib.MLP([2, 32, 32, 3], ["relu", "relu", "softmax"], seed=seed)
        start_loss = spiral_net.loss(X3, Y3, loss="categorical_cross_entropy")
        scores = diagnostics.output_scores(spiral_net, X3)
        tiny = np.random.default_rng(seed).choice(len(X3), size=12, replace=False)
        tiny_losses = diagnostics.overfit_tiny(
            spiral_net.copy(), X3[tiny], Y3[tiny], loss="categorical_cross_entropy",
            optimizer=nnlib.Adam(learning_rate=0.01), epochs=600, seed=seed)
        batch = slice(0, 32)
        adam = diagnostics.update_ratios(
            spiral_net, X3[batch], Y3[batch], nnlib.Adam(learning_rate=0.001),
            loss="categorical_cross_entropy")
        sgd = diagnostics.update_ratios(
            spiral_net, X3[batch], Y3[batch], nnlib.SGD(learning_rate=0.001),
            loss="categorical_cross_entropy")
        mean_abs_w = [float(np.mean(np.abs(W))) for W in spiral_net.params[0::2]]
        values = diagnostics.layer_values(spiral_net, X3, Y3,
                                                loss="categorical_cross_entropy")
        zero_share = [float(np.mean(A == 0)) for A in values["activations"]]
        return {"start_gap": abs(start_loss - np.log(3)), "max_score": np.abs(scores).max(),
                "tiny_final": tiny_losses[-1], "adam_min": min(adam), "adam_max": max(adam),
                "sgd_max": max(sgd), "w_min": min(mean_abs_w), "w_max": max(mean_abs_w),
                "adam_over_sgd": min(adam) / max(sgd),
                "zero_min": min(zero_share), "zero_max": max(zero_share)}
    sweep(measure, {
        "the loss at the start is within 0.05 of ln 3": ("start_gap", lambda v: v < 0.05),
        "every score at the start is below 1 in size": ("max_score", lambda v: v < 1.0),
        "12 samples are memorised (loss below 0.01)": ("tiny_final", lambda v: v < 0.01),
        "Adam's smallest update ratio is above 1e-3": ("adam_min", lambda v: v > 1e-3),
        "Adam's largest update ratio is below 1e-2": ("adam_max", lambda v: v < 1e-2),
        "SGD's update ratios are below 2e-4": ("sgd_max", lambda v: v < 2e-4),
        "mean |W| of every layer is above 0.1": ("w_min", lambda v: v > 0.1),
        "mean |W| of every layer is below 0.5": ("w_max", lambda v: v < 0.5),
        "Adam's ratios are over 20 times SGD's": ("adam_over_sgd", lambda v: v > 20),
        "no hidden layer has fewer than 10% zeros": ("zero_min", lambda v: v > 0.1),
        "no hidden layer has more than 90% zeros": ("zero_max", lambda v: v < 0.9)})
