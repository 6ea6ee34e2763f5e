"""03b_autograd: what makes each of its checks hold for any COURSE_SEED (see sweeping.py)."""

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, n_seeds, sweep  # noqa: F401

import nnlib
from course.n03b_autograd import value
from nnlib.data import make_moons

CHECKS = {
    # cell 4
    'all((np.isclose(by_hand[k], numeric[k], rtol=1e-06) for k in by_hand))': Exact(
        "fixed numbers"),
    # cell 14
    'np.isclose(w1.grad, x1.data * slope) and np.isclose(x1.grad, w1.data * slope)': Exact(
        "fixed numbers; the course's Value stands in for a wrong one"),
    # cell 14
    'np.isclose(bias.grad, slope) and np.isclose(x2.grad, w2.data * slope)': Exact(
        "fixed numbers; the course's Value stands in for a wrong one"),
    # cell 17
    'np.isclose(loss.data, nnlib_loss, rtol=1e-12)': Swept("test_values_equal_nnlib"),
    # cell 17
    'max(gaps) < 1e-12': Swept("test_values_equal_nnlib"),
    # cell 20
    "np.allclose(losses, history['loss'], rtol=1e-10, atol=0)": Swept("test_values_equal_nnlib"),
    # cell 20
    'all((np.allclose(w, t, rtol=0, atol=1e-10) for w, t in zip(weights, twin.get_weights())))':
        Swept("test_values_equal_nnlib"),
}


def measure(seed):
    """Cells 16-19 with COURSE_SEED=seed, on the course's Value (the student's passes the
    same check, so it computes the same numbers)."""
    X, labels = make_moons(n_samples=40, noise=0.1, seed=seed)
    y = labels.reshape(-1, 1).astype(float)
    acts = ["tanh", "linear"]
    model = nnlib.MLP([2, 6, 1], acts, seed=seed)
    loss, params = value.network_loss(value.Value, model.get_weights(), acts, X, y)
    loss.backward()
    nnlib_loss, nnlib_grads = model.loss_and_grads(X, y, loss="mse")
    gaps = [float(np.max(np.abs(g - n))) for g, n in zip(value.grads_of(params), nnlib_grads)]
    weights, losses = model.get_weights(), []
    for _ in range(30):
        step_loss, step_params = value.network_loss(value.Value, weights, acts, X, y)
        step_loss.backward()
        losses.append(step_loss.data)
        weights = [w - 0.1 * g for w, g in zip(weights, value.grads_of(step_params))]
    twin = model.copy()
    history = twin.fit(X, y, optimizer=nnlib.SGD(learning_rate=0.1), loss="mse", epochs=30,
                       batch_size=len(X), seed=seed)
    return {
        "loss_gap": abs(loss.data - nnlib_loss) / abs(nnlib_loss),
        "grad_gap": max(gaps),
        "loss_curve_gap": float(np.max(np.abs(np.array(losses) - history["loss"])
                                       / np.abs(history["loss"]))),
        "weight_gap": max(float(np.max(np.abs(w - t)))
                          for w, t in zip(weights, twin.get_weights())),
    }


def test_values_equal_nnlib():
    sweep(measure, {
        "the Values' loss equals nnlib's to rtol 1e-12": ("loss_gap", lambda v: v <= 1e-12),
        "the Values' gradient equals nnlib's to 1e-12": ("grad_gap", lambda v: v < 1e-12),
        "30 steps: the loss curves agree to rtol 1e-10": ("loss_curve_gap",
                                                          lambda v: v <= 1e-10),
        "30 steps: the weights agree to 1e-10": ("weight_gap", lambda v: v <= 1e-10),
    })
