"""Notebook 03's exercises: the MSE gradient, softmax + cross-entropy, a dense layer's
backward pass, backprop through a network and the training loop.

Each checker calls the student's code on fresh random inputs, compares with nnlib,
checks derivatives against finite differences of the student's own code, and names the
typical mistakes it recognises.
"""

from __future__ import annotations

import numpy as np

from course import descent
from course.exercises import Exercise, Task, call, compare_arrays, gradient_reason
from nnlib import activations, data, losses
from nnlib.model import MLP
from nnlib.optimizers import Adam

# ---------------------------------------------------------------- the MSE gradient


def _check_mse_grad(fn, rng):
    for shape in [(5, 1), (4, 3)]:
        y, y_hat = rng.normal(size=shape), rng.normal(size=shape)
        got = call(fn, y, y_hat)
        right = losses.mse_grad(y, y_hat)
        n_rows = shape[0]
        reason = compare_arrays(got, right, name=f"the result for arrays of shape {shape}",
                                mistakes=[
            (2 * (y_hat - y), "the mean divides by N, the number of entries: the 1/N is missing."),
            (-right, "the sign is flipped: differentiate (y_hat - y)^2 with respect to y_hat."),
            (right / 2, "the 2 of the derivative of a square is missing."),
            (2 * (y_hat - y) / n_rows, "divide by every entry, y_hat.size, not by the rows."),
            (y_hat - y, "both the 2 of the derivative of a square and the 1/N of the mean "
                        "are missing."),
            ((y_hat - y) ** 2 / y.size, "that is each entry's share of the loss, "
                                        "(y_hat - y)^2 / N, not its derivative."),
            (np.sign(y_hat - y) / y.size, "that is the gradient of the mean absolute error, "
                                          "sign(y_hat - y) / N; a square's derivative is "
                                          "2 (y_hat - y)."),
        ], scale_hint=True)
        if reason:
            return reason
        reason = gradient_reason(lambda v, y=y: losses.mse(y, v), y_hat, got, "the result")
        if reason:
            return reason
    return None


mse_grad = Task(
    "mse_grad", _check_mse_grad, lambda y, y_hat: losses.mse_grad(y, y_hat),
    hints=["MSE is the mean of (y_hat_i - y_i)^2 over all N entries; differentiate one term.",
           "dL/dy_hat_i = 2 (y_hat_i - y_i) / N, where N counts every entry."],
    seed=301,
    forbidden={"losses.mse_grad": losses.mse_grad, "MLP.loss_and_grads": MLP.loss_and_grads},
)

# ---------------------------------------------------------------- softmax + cross-entropy


def _softmax_cross_entropy_reference(scores, Y):
    """Mean categorical cross-entropy of softmax(scores) and its gradient ``(p - Y) / n``."""
    scores, Y = np.asarray(scores, float), np.asarray(Y, float)
    loss = losses.categorical_cross_entropy(Y, scores, from_logits=True)
    return loss, losses.categorical_cross_entropy_grad(Y, scores, from_logits=True)


def _check_softmax_ce(fn, rng):
    n, c = 6, 4
    scores = rng.normal(scale=2.0, size=(n, c))
    Y = data.one_hot(rng.integers(0, c, size=n), c)
    out = call(fn, scores, Y)
    if not isinstance(out, tuple) or len(out) != 2:
        return "return a pair (loss, dscores)."
    loss, dscores = out
    right_loss, right_grad = _softmax_cross_entropy_reference(scores, Y)
    p = activations.softmax(scores)
    reason = compare_arrays(loss, right_loss, name="the loss", mistakes=[
        (right_loss * n, "the loss is summed over samples; take the mean over the batch."),
        (-right_loss, "the loss has the wrong sign: it is minus the log of the probability."),
        (-np.mean(np.log(p)), "only the true class's log-probability counts: multiply by Y."),
    ])
    if reason:
        return reason
    reason = compare_arrays(dscores, right_grad, name="dscores", scale_hint=True, mistakes=[
        (p - Y, "dscores is n times too large: the mean over the batch divides by n."),
        ((Y - p) / n, "dscores has the wrong sign: it is (softmax - Y) / n."),
        (p / n, "dscores should subtract Y, the one-hot targets."),
    ])
    if reason:
        return reason
    reason = gradient_reason(lambda s: float(call(fn, s, Y)[0]), scores, dscores, "dscores")
    if reason:
        return reason
    with np.errstate(all="ignore"):  # exp(1000) overflows unless the scores are shifted
        loss_big = call(fn, scores + 1000.0, Y)[0]
    if not np.isclose(loss_big, right_loss, rtol=1e-6):
        return ("adding 1000 to every score should not change the loss, but yours became "
                f"{float(loss_big):.3g}: subtract each row's largest score before exp "
                "(it does not change the softmax).")
    return _extreme_scores_reason(fn, c)


def _extreme_scores_reason(fn, c):
    """The loss on scores far apart: right, as a stable version gives it, or the mistake
    reproduced: ``log`` of a rounded softmax, or the whole batch's largest score subtracted."""
    far = np.zeros((1, c))
    far[0, 1] = -1000.0  # the true class is 1000 below the others: p rounds to 0
    apart = np.array([[1000.0] + [999.0] * (c - 1), [-1000.0] + [-1001.0] * (c - 1)])
    for scores, true, what in ((far, 1, "a true class 1000 below the others"),
                               (apart, 0, "one row near +1000 and another near -1000")):
        Y = data.one_hot(np.full(len(scores), true), c)
        right_loss, right_grad = _softmax_cross_entropy_reference(scores, Y)
        with np.errstate(all="ignore"):
            loss, dscores = call(fn, scores.copy(), Y)
            rows, whole = scores - scores.max(axis=1, keepdims=True), scores - scores.max()
            log_p = -np.sum(Y * np.log(np.exp(rows) / np.exp(rows).sum(axis=1, keepdims=True)))
            batch = [-np.sum(Y * (whole - np.log(np.exp(whole).sum(axis=1, keepdims=True)))),
                     -np.sum(Y * np.log(np.exp(whole) / np.exp(whole).sum(axis=1, keepdims=True)))]
        if np.isclose(loss, right_loss, rtol=1e-6) and np.allclose(dscores, right_grad):
            continue
        said = f"with {what}, your loss is {float(loss):.4g}"
        if np.array_equal(loss, log_p / len(Y), equal_nan=True):
            return (f"{said}: the softmax rounds the true class's probability to 0, and "
                    "log(0) is -inf. Take the log without forming p: log p = shifted - "
                    "log(sum(exp(shifted))), with shifted = scores - each row's max.")
        if any(np.array_equal(loss, v / len(Y), equal_nan=True) for v in batch):
            return (f"{said}: you subtract the largest score of the whole batch, so a row "
                    "far below it gives exp = 0 everywhere; subtract each row's own largest "
                    "score (axis=1, keepdims=True).")
        return f"{said}, not the right value: keep every step stable for large |scores|."
    return None


softmax_cross_entropy = Task(
    "softmax_cross_entropy", _check_softmax_ce, _softmax_cross_entropy_reference,
    hints=["softmax turns a row of scores into probabilities; the loss is minus the log of "
           "the true class's probability, averaged over the batch.",
           "Subtract each row's maximum before exp to avoid overflow.",
           "With p = softmax(scores): loss = -mean over samples of sum_c Y log p, and "
           "dL/dscores = (p - Y) / n."],
    seed=302,
    forbidden={"losses.categorical_cross_entropy": losses.categorical_cross_entropy,
               "losses.categorical_cross_entropy_grad": losses.categorical_cross_entropy_grad,
               "activations.softmax": activations.softmax},
)

# ---------------------------------------------------------------- a dense layer backwards


def _dense_backward_reference(dZ, A_prev, W):
    """Gradients of a dense layer ``Z = A_prev @ W + b`` given ``dZ = dL/dZ``."""
    return A_prev.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def _check_dense_backward(fn, rng):
    n, n_in, n_out = 5, 3, 4
    A_prev = rng.normal(size=(n, n_in))
    W = rng.normal(size=(n_in, n_out))
    b = rng.normal(size=n_out)
    dZ = rng.normal(size=(n, n_out))
    out = call(fn, dZ, A_prev, W)
    if not isinstance(out, tuple) or len(out) != 3:
        return "return three arrays: (dW, db, dA_prev)."
    dW, db, dA_prev = out
    right_dW, right_db, right_dA = _dense_backward_reference(dZ, A_prev, W)
    reason = (
        compare_arrays(dW, right_dW, name="dW", mistakes=[
            (A_prev.T @ dZ / n, "dW is divided by n; dZ already holds the 1/n of the loss."),
        ])
        or compare_arrays(db, right_db, name="db", mistakes=[
            (dZ.sum(axis=0) / n, "db is a mean; sum dZ over the samples (dZ already holds "
                                 "the 1/n of the loss)."),
        ])
        or compare_arrays(dA_prev, right_dA, name="dA_prev")
    )
    if reason:
        if np.shape(db) == (n,):
            return "db has one entry per sample: sum dZ over the samples (axis 0)."
        return reason
    # The gradient check: L = sum(dZ * Z) has dL/dZ = dZ.
    def loss_of(W_, b_, A_):
        return float(np.sum(dZ * (A_ @ W_ + b_)))
    return (gradient_reason(lambda w: loss_of(w, b, A_prev), W, dW, "dW")
            or gradient_reason(lambda v: loss_of(W, v, A_prev), b, db, "db")
            or gradient_reason(lambda a: loss_of(W, b, a), A_prev, dA_prev, "dA_prev"))


dense_backward = Task(
    "dense_backward", _check_dense_backward, _dense_backward_reference,
    hints=["Z = A_prev @ W + b. Each weight W[i, j] meets input i of every sample; each bias "
           "b[j] is added to every sample.",
           "Match the shapes: dW has W's shape (n_in, n_out), db has (n_out,), dA_prev has "
           "A_prev's shape (n, n_in).",
           "dW = A_prev^T dZ, db = the sum of dZ over samples, dA_prev = dZ W^T."],
    seed=303,
    forbidden={"MLP.loss_and_grads": MLP.loss_and_grads},
)

# ---------------------------------------------------------------- backprop through a network


def _backprop_reference(params, X, y):
    """MSE loss and gradients of a ReLU network with a linear output; ``params`` as
    ``[W1, b1, W2, b2, ...]``."""
    sizes = [params[0].shape[0]] + [W.shape[1] for W in params[0::2]]
    model = MLP(sizes, ["relu"] * (len(sizes) - 2) + ["linear"], seed=0)
    model.set_weights([np.array(p, dtype=float) for p in params])
    return model.loss_and_grads(X, y, loss="mse")


def _check_backprop(fn, rng):
    model = MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=int(rng.integers(1 << 30)))
    X = rng.uniform(-1, 1, size=(8, 1))
    y = 2 * X + 1 + 0.1 * rng.normal(size=X.shape)
    params = [p.copy() for p in model.get_weights()]
    # the output bias at the median score: half of the outputs negative, so a ReLU on the
    # output layer (which must be linear) changes the result
    params[-1] = params[-1] - np.median(model.predict(X))
    model.set_weights(params)
    given = [p.copy() for p in params]
    out = call(fn, given, X, y)
    if not all(np.array_equal(a, b) for a, b in zip(given, params)):
        return ("your backprop changed the parameters it was given; compute new arrays "
                "(the optimizer changes the weights, after backprop).")
    if not isinstance(out, tuple) or len(out) != 2:
        return "return a pair (loss, grads) with grads = [dW1, db1, dW2, db2, dW3, db3]."
    loss, grads = out
    right_loss, right_grads = model.loss_and_grads(X, y, loss="mse")
    relu_out = MLP([1, 10, 5, 1], ["relu", "relu", "relu"])
    relu_out.set_weights(params)
    relu_loss, relu_grads = relu_out.loss_and_grads(X, y, loss="mse")
    if not isinstance(grads, (list, tuple)) or len(grads) != len(params):
        return f"grads should be a list of {len(params)} arrays, [dW1, db1, dW2, db2, dW3, db3]."
    if (np.isclose(loss, relu_loss) and not np.isclose(relu_loss, right_loss)) or all(
            np.shape(g) == np.shape(r) and np.allclose(g, r) for g, r in zip(grads, relu_grads)):
        return ("your output layer goes through ReLU: the last layer is linear (y_hat = Z3), "
                "so its dZ is dL/dy_hat itself.")
    reason = compare_arrays(loss, right_loss, name="the loss", mistakes=[
        (right_loss * y.size, "it is the sum of the squared errors; the MSE is their mean."),
    ])
    if reason:
        return reason
    names = [f"{kind}{i // 2 + 1}" for i, kind in zip(range(len(params)), ["dW", "db"] * 3)]
    reasons = [compare_arrays(got, right, name=name, scale_hint=True)
               for name, got, right in zip(names, grads, right_grads)]
    if all(reasons):
        ratios = [np.asarray(g, float) / r for g, r in zip(grads, right_grads)
                  if np.shape(g) == np.shape(r) and np.all(np.abs(r) > 1e-9)]
        factor = ratios[0].flat[0] if ratios else np.nan
        if ratios and all(np.allclose(q, factor, rtol=1e-6) for q in ratios):
            if np.isclose(factor, -1.0):
                return ("every gradient has its sign flipped: the output's dZ is "
                        "2 (y_hat - y) / N, prediction minus target.")
            if np.isclose(factor, len(X)):
                return (f"every gradient is {factor:.4g} times too large, N = {len(X)}: the "
                        "output's dZ = 2 (y_hat - y) / N is missing its 1/N.")
            return (f"every gradient is {factor:.4g} times the right one: the output's dZ "
                    "= 2 (y_hat - y) / N has a wrong factor.")
    if any(reasons):
        last_wrong = max(i for i, r in enumerate(reasons) if r)
        right_after = [names[i] for i in range(last_wrong + 1, len(names))]
        said = reasons[last_wrong]
        layer = last_wrong // 2 + 1
        if right_after and last_wrong % 2 == 0:  # dW wrong, db of its layer right
            said += (f" ({', '.join(right_after)} {'is' if len(right_after) == 1 else 'are'} "
                     f"right: look at how dW{layer} is formed from dZ and the layer's input)")
        elif right_after:
            said += (f" ({', '.join(right_after)} are right, so look at how dZ passes back "
                     f"into layer {layer})")
        return said
    for i, (p, g) in enumerate(zip(params, grads)):
        def loss_of(v, i=i):
            trial = [q.copy() for q in params]
            trial[i] = v
            return float(call(fn, trial, X, y)[0])
        reason = gradient_reason(loss_of, p, g, names[i])
        if reason:
            return reason
    return None


backprop = Task(
    "backprop", _check_backprop, _backprop_reference,
    hints=["Go forward keeping every layer's Z and A, then go back from the loss one layer "
           "at a time with dense_backward.",
           "At the output: dZ = dL/dy_hat (linear output). Before a ReLU layer: "
           "dZ = dA * (Z > 0).",
           "The MSE's gradient is 2 (y_hat - y) / N."],
    seed=304,
    forbidden={"MLP.loss_and_grads": MLP.loss_and_grads, "MLP.fit": MLP.fit},
)

# ---------------------------------------------------------------- the training loop


def _train_reference(model, X, y, optimizer, *, epochs, batch_size, seed):
    """nnlib's training loop, step for step as ``MLP.fit`` runs it, for any model with
    ``params`` and ``loss_and_grads``: the loss of each epoch, as a list."""
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        total = 0.0
        for idx in data.batch_indices(len(X), batch_size, shuffle=True, rng=rng):
            value, grads = model.loss_and_grads(X[idx], y[idx])
            optimizer.step(model.params, grads)
            total += value * len(idx)
        history.append(total / len(X))
    return history


def _loop_variants(model, X, y, epochs, batch_size, seed):
    """Loss histories of typical mistakes, each named: a history equal to one of them is
    what that mistake gives (the cause is reproduced, not guessed)."""
    def run(shuffle=True, reseed=False, weighted=True, after=False, y_in_order=False,
            drop_last=False, own_step=False, no_update=False, last_only=False, over_all=False):
        m = model.copy()
        opt = Adam(learning_rate=0.01)
        rng = np.random.default_rng(seed)
        out = []
        for _ in range(epochs):
            if reseed:
                rng = np.random.default_rng(seed)
            batches = list(data.batch_indices(len(X), batch_size, shuffle=shuffle, rng=rng))
            values, sizes = [], []
            for start, idx in zip(range(0, len(X), batch_size), batches):
                if drop_last and len(idx) < batch_size:
                    continue
                y_batch = y[start:start + len(idx)] if y_in_order else y[idx]
                value, grads = m.loss_and_grads(X[idx], y_batch)
                if own_step:
                    for w, g in zip(m.params, grads):
                        w -= 0.01 * g
                elif not no_update:
                    opt.step(m.params, grads)
                if after:
                    value = m.loss(X[idx], y_batch)
                values.append(value)
                sizes.append(len(idx))
            if over_all:  # the kept batches' losses summed, divided by every sample
                out.append(np.dot(values, sizes) / len(X))
            else:
                out.append(values[-1] if last_only else
                           np.average(values, weights=sizes if weighted else None))
        return out
    return [
        (run(shuffle=False), "the samples are never shuffled: shuffle them at the start of "
                             "every epoch."),
        (run(reseed=True), "every epoch shuffles in the same order: make one generator "
                           "from the seed before the first epoch and keep using it."),
        (run(weighted=False), "the epoch's loss is a plain mean of the batch losses; weight "
                              "each by its batch size (the last batch is smaller)."),
        (run(after=True), "the loss is measured after the update; record it before, as it "
                          "comes with the gradients."),
        (run(y_in_order=True), "X is shuffled but y is not: index X and y with the same "
                               "batch indices, so each sample keeps its target."),
        *[(run(drop_last=True, over_all=over_all),
           "the last, smaller batch is skipped: keep it (22 samples in batches of 8 are 8, 8 "
           "and 6).") for over_all in (False, True)],
        (run(own_step=True), "the weights move by a plain gradient step, not by the "
                             "optimizer you were given: call optimizer.step(model.params, "
                             "grads)."),
        (run(no_update=True), "the weights never change: call optimizer.step(model.params, "
                              "grads) after each batch's gradients."),
        (run(last_only=True), "each epoch's loss is the last batch's loss only: average "
                              "over every batch of the epoch, weighted by batch size."),
    ]


def _check_train(fn, rng):
    seed = int(rng.integers(1 << 30))
    model = MLP([1, 6, 1], ["relu", "linear"], seed=seed)
    X = rng.uniform(-1, 1, size=(22, 1))  # 22 samples, batch 8: the last batch has 6
    y = 2 * X + 1
    epochs, batch_size = 3, 8
    mine = model.copy()
    got = call(fn, mine, X, y, Adam(learning_rate=0.01), epochs=epochs,
               batch_size=batch_size, seed=seed)
    ref_model = model.copy()
    right = list(ref_model.fit(X, y, optimizer=Adam(learning_rate=0.01), loss="mse",
                               epochs=epochs, batch_size=batch_size, seed=seed)["loss"])
    if got is None:
        return "return the list of epoch losses."
    reason = compare_arrays(got, right, rtol=1e-10, atol=1e-12, name="the loss history",
                            mistakes=_loop_variants(model, X, y, epochs, batch_size, seed))
    if reason and reason.endswith("from the right values.") and np.shape(got) == (epochs,):
        got = np.asarray(got, dtype=float)
        first = int(np.argmax(~np.isclose(got, right, rtol=1e-10, atol=1e-12)))
        side = "higher" if got[first] > right[first] else "lower"
        moved = not all(np.allclose(a, b) for a, b in zip(mine.get_weights(),
                                                          model.get_weights()))
        return (f"the loss history differs from MLP.fit's from epoch {first + 1} on "
                f"({side} there), and none of the typical mistakes gives yours; the model's "
                f"weights {'did' if moved else 'did not'} change. Compare your loop with the "
                "three hints, step by step.")
    if reason:
        return reason
    for w_mine, w_ref in zip(mine.get_weights(), ref_model.get_weights()):
        if not np.allclose(w_mine, w_ref, rtol=1e-10, atol=1e-12):
            return ("the losses are right but the model's weights differ from MLP.fit's: "
                    "update model.params in place with optimizer.step.")
    return None


train = Task(
    "train", _check_train, _train_reference,
    hints=["An epoch is one pass over the data in shuffled mini-batches; each batch gives a "
           "loss and gradients, and the optimizer takes one step.",
           "Use nnlib.data.batch_indices(n, batch_size, shuffle=True, rng=rng) with one "
           "generator rng = np.random.default_rng(seed) made before the first epoch.",
           "model.loss_and_grads(X_batch, y_batch) gives (loss, grads); "
           "optimizer.step(model.params, grads) updates the weights in place. The epoch's "
           "loss is the mean of the batch losses weighted by batch size."],
    seed=305,
    forbidden={"MLP.fit": MLP.fit},
)

# ---------------------------------------------------------------- practice: numbers


def _step_checker(answer):
    problem = descent.Quadratic1D(a=1.0, minimum=3.0)
    right = descent.gradient_descent_1d(problem, problem.grad, 0.5, 0.1, 1).w[1]
    return compare_arrays(answer, right, name="w after one step", mistakes=[
        (0.5 + 0.1 * problem.grad(0.5), "you stepped uphill: subtract the gradient."),
        (0.5 - problem.grad(0.5), "multiply the gradient by the learning rate."),
    ])


one_step = Exercise(
    "One step of gradient descent", _step_checker,
    hints=["Differentiate L(w) = (w - 3)^2 and evaluate it at w = 0.5.",
           "Then w_new = w - learning_rate * L'(w)."],
)


def _rate_checker(answer):
    steep = descent.Quadratic1D(a=5.0, minimum=1.0)
    right = [lr for lr in (0.05, 0.15, 0.25) if lr > steep.stability_limit()][0]
    return compare_arrays(answer, right, name="the learning rate")


which_rate_diverges = Exercise(
    "Which learning rate diverges?", _rate_checker,
    hints=["Gradient descent on a parabola converges while learning_rate < 2 / L''.",
           "Compute L'' for L(w) = 5 (w - 1)^2 and compare each rate with 2 / L''."],
)
