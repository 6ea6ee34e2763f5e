"""Notebook 04's exercises: SGD with momentum and Adam as optimizer objects, dropout's
forward and backward pass, the gradient of the L2 penalty, and two numbers to work out
(where gradient descent diverges, two steps of momentum).

The optimizer checkers run the student's class and nnlib's for many steps on the same
parameters and gradients, and compare the parameters after every step. Each typical
mistake (the state not kept between calls, no bias correction, epsilon in the textbook's
place, ...) is simulated as a variant of the update and named when the student's numbers
match it. Dropout is checked statistically on fresh inputs; its backward pass and the
L2 gradient are also checked against finite differences.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays
from nnlib.optimizers import SGD, Adam

from . import surfaces

# ---------------------------------------------------------------- shared: running an optimizer


def _flat(arrays):
    return np.concatenate([np.ravel(a) for a in arrays])


def _problem(rng, n_steps, scales=(1.0, 1.0, 1.0)):
    """Start values of three parameters of different shapes and ``n_steps`` gradients.

    Each gradient is a steady part (the same at every step) plus noise, so an optimizer
    with memory and one without take visibly different paths. ``scales`` sets the size of
    each parameter's gradients.
    """
    shapes = [(3, 2), (2,), (4, 1)]
    params = [rng.normal(size=s) for s in shapes]
    steady = [rng.normal(size=s) for s in shapes]
    grads = [[scale * (d + 0.5 * rng.normal(size=d.shape)) for d, scale in zip(steady, scales)]
             for _ in range(n_steps)]
    return params, grads


def _student_path(opt, params0, grad_seq):
    """The parameters after each of the student's steps, shape (steps, n), or a reason."""
    params = [p.copy() for p in params0]
    originals = list(params)
    rows = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k, grads in enumerate(grad_seq):
            try:
                call(opt.step, params, [g.copy() for g in grads])
            except ZeroDivisionError:
                if k == 0:
                    return _DIVIDED_BY_ZERO
                raise
            rows.append(_flat(originals))
    if len(params) != len(originals) or any(p is not q for p, q in zip(params, originals)):
        return ("step put new arrays into the list params instead of changing the arrays "
                "themselves: a model keeps its original arrays, so it would never learn. "
                "Update each array in place (w -= ..., w += ... or w[...] = ...).")
    path = np.array(rows)
    if np.array_equal(path, np.tile(_flat(params0), (len(rows), 1))):
        return ("step left the parameters unchanged: update each array in place "
                "(w -= ..., w += ... or w[...] = ...). `w = w - ...` only makes a new array "
                "called w; the array in the list stays as it was.")
    return path


_DIVIDED_BY_ZERO = (
    "the first step divides by zero: with t = 0 the bias correction 1 - beta_1**t is 0. "
    "t counts the steps from 1, so advance it before computing the step size.")


def _compare_paths(path, right, variants, *, rtol=1e-12, atol=1e-12, not_finite=()):
    """None if the student's ``path`` matches ``right``, else the reason (naming a variant).

    ``not_finite``: ``(path, message)`` of mistakes that give NaN or infinite values; a
    student's path with the same NaN/inf pattern (and equal finite values) gets its message.
    """
    if isinstance(path, str):
        return path
    for wrong, message in not_finite:
        with np.errstate(invalid="ignore"):
            if wrong.shape == path.shape and np.allclose(path, wrong, rtol=rtol, atol=atol,
                                                         equal_nan=True):
                return message
    if not np.all(np.isfinite(path)):
        if not np.all(np.isfinite(path[0])):
            return _DIVIDED_BY_ZERO.replace("divides by zero", "gives NaN or infinite values")
        return "the parameters became NaN or infinite after a few steps."
    reason = compare_arrays(path, right, rtol=rtol, atol=atol,
                            name="the parameters after each step", mistakes=variants)
    if reason is None:
        return None
    if not any(np.allclose(path, wrong, rtol=rtol, atol=atol) for wrong, _ in variants):
        close = np.all(np.isclose(path, right, rtol=rtol, atol=atol), axis=1)
        if close[0] and not close.all():
            first = int(np.argmin(close)) + 1
            return (f"the first {first - 1} step(s) are right, but step {first} differs: is "
                    "every piece of state kept between calls and updated at every step?")
    return reason


def _reference_path(opt, params0, grad_seq):
    params = [p.copy() for p in params0]
    rows = []
    for grads in grad_seq:
        opt.step(params, [g.copy() for g in grads])
        rows.append(_flat(params))
    return np.array(rows)


# ---------------------------------------------------------------- SGD with momentum


class _MomentumReference(SGD):
    """nnlib's ``SGD`` with the task's defaults (momentum 0.9)."""

    def __init__(self, learning_rate=0.01, momentum=0.9):
        super().__init__(learning_rate, momentum)


def _momentum_variant(params0, grad_seq, lr, mu, kind):
    """The path of a typical mistake (``kind``) in SGD with momentum."""
    ws = [p.copy() for p in params0]
    vs = [np.zeros_like(p) for p in ws]
    rows = []
    for grads in grad_seq:
        for w, v, g in zip(ws, vs, grads):
            if kind == "plain":
                w -= lr * g
            elif kind == "uphill":
                v[...] = mu * v - lr * g
                w -= v
            elif kind == "dampened":
                v[...] = mu * v - (1 - mu) * lr * g
                w += v
            elif kind == "old velocity":
                w += v
                v[...] = mu * v - lr * g
            elif kind == "momentum on all":
                v[...] = mu * (v - lr * g)
                w += v
            elif kind == "nesterov":
                v[...] = mu * v - lr * g
                w += mu * v - lr * g
            elif kind == "swapped":
                v[...] = lr * v - mu * g
                w += v
            else:  # "right"
                v[...] = mu * v - lr * g
                w += v
        rows.append(_flat(ws))
    return np.array(rows)


_MOMENTUM_MISTAKES = [
    ("plain", "these are plain gradient descent's steps: the velocity is not kept between "
              "calls (or momentum never enters it). Create one velocity per parameter on the "
              "first call, keep them in self.velocities, and update them at every step, in "
              "place (v *= ..., v -= ...) or by storing the new arrays back into "
              "self.velocities."),
    ("uphill", "the parameters move uphill: with v = momentum * v - learning_rate * g the "
               "parameters are updated by adding v."),
    ("dampened", "the gradient enters the velocity multiplied by (1 - momentum) as well: "
                 "that is a running mean of the gradients, not momentum. Only the old "
                 "velocity is multiplied by momentum."),
    ("old velocity", "the parameters move with the previous step's velocity: update the "
                     "velocity first, then add the new velocity to the parameters."),
    ("momentum on all", "momentum multiplies the new gradient too: only the old velocity "
                        "is multiplied by momentum, the gradient enters as "
                        "-learning_rate * g."),
    ("nesterov", "this is Nesterov's variant (the parameters move by momentum * v - "
                 "learning_rate * g); here the parameters move by the velocity v itself."),
    ("swapped", "learning_rate and momentum are swapped: momentum multiplies the old "
                "velocity, learning_rate the gradient."),
]


def _check_momentum(cls, rng):
    for lr, mu in [(0.05, 0.7), (0.02, 0.95)]:
        params0, grad_seq = _problem(rng, 12)
        opt = call(cls, learning_rate=lr, momentum=mu)
        path = _student_path(opt, params0, grad_seq)
        right = _reference_path(SGD(lr, momentum=mu), params0, grad_seq)
        variants = [(_momentum_variant(params0, grad_seq, lr, mu, kind), message)
                    for kind, message in _MOMENTUM_MISTAKES]
        variants.append((_momentum_variant(params0, grad_seq, 0.01, 0.9, "right"),
                         "these are the steps of the default settings (learning rate 0.01, "
                         "momentum 0.9): use self.learning_rate and self.momentum, the "
                         "values given to __init__."))
        reason = _compare_paths(path, right, variants)
        if reason:
            return f"with learning_rate={lr}, momentum={mu}: {reason}"
    return None


momentum = Task(
    "Momentum", _check_momentum, _MomentumReference,
    hints=["The velocity is a memory: one array per parameter, zero at the start, kept on "
           "self between calls. Each step first updates the velocity, then moves the "
           "parameter by it.",
           "v = momentum * v - learning_rate * g, then w = w + v, for each parameter and "
           "its gradient.",
           "Change the arrays in place (w += v, not w = w + v): the caller keeps the same "
           "arrays and must see them change."],
    seed=401,
    forbidden={"nnlib.SGD": SGD},
)

# ---------------------------------------------------------------- Adam


def _adam_variant(params0, grad_seq, lr, b1, b2, eps, kind):
    """The path of a typical mistake (``kind``) in Adam; ``"right"`` is nnlib's update."""
    ws = [p.copy() for p in params0]
    ms = [np.zeros_like(p) for p in ws]
    vs = [np.zeros_like(p) for p in ws]
    if kind == "swapped":
        b1, b2 = b2, b1
    mb1, mb2 = (b2, b1) if kind == "swapped moments" else (b1, b2)  # the moments' betas
    rows, t = [], 0
    for grads in grad_seq:
        t += 1
        if kind in ("reset", "reset all"):
            ms = [np.zeros_like(p) for p in ws]
            vs = [np.zeros_like(p) for p in ws]
        tt = {"t stuck": 1, "reset all": 1, "t ahead": t + 1}.get(kind, t)
        c1, c2 = 1 - b1**tt, 1 - b2**tt
        alpha = {"no correction": lr, "only m": lr / c1,
                 "only v": lr * math.sqrt(c2)}.get(kind, lr * math.sqrt(c2) / c1)
        for w, m, v, g in zip(ws, ms, vs, grads):
            m += (g - m) * (1 - mb1)
            v += ((g if kind == "v from g" else g * g) - v) * (1 - mb2)
            if kind == "textbook":
                w -= lr * (m / c1) / (np.sqrt(v / c2) + eps)
            elif kind == "epsilon inside":
                w -= alpha * m / np.sqrt(v + eps)
            elif kind == "textbook, epsilon inside":
                w -= lr * (m / c1) / np.sqrt(v / c2 + eps)
            elif kind == "no sqrt":
                w -= alpha * m / (v + eps)
            elif kind == "uphill":
                w += alpha * m / (np.sqrt(v) + eps)
            else:
                w -= alpha * m / (np.sqrt(v) + eps)
        rows.append(_flat(ws))
    return np.array(rows)


_ADAM_MISTAKES = [
    ("textbook", "this is the textbook form (m_hat = m / (1 - beta_1**t), "
                 "v_hat = v / (1 - beta_2**t), epsilon added to sqrt(v_hat)). nnlib and "
                 "Keras add epsilon to sqrt(v) and fold the bias correction into the step "
                 "size, alpha_t = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t): only "
                 "epsilon's place differs, but it changes the numbers. Implement the form "
                 "given in the text."),
    ("no correction", "there is no bias correction: m and v start at 0, so the step size "
                      "must be learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t), "
                      "not learning_rate."),
    ("only m", "only m's bias is corrected: the step size also needs the factor "
               "sqrt(1 - beta_2**t) for v."),
    ("only v", "only v's bias is corrected: the step size also needs the division by "
               "(1 - beta_1**t) for m."),
    ("t stuck", "t never advances (every step uses t = 1): t counts the steps, so add 1 to "
                "it at every call, before the bias correction."),
    ("t ahead", "the bias correction runs one step ahead: the first step must use t = 1 "
                "(t starts at 0 and is advanced once per call, before it is used)."),
    ("reset", "m and v are not kept between calls: every step starts from m = v = 0 "
              "again. Create them on the first call only and keep them on self; update them "
              "in place (m += ...) or store the new arrays back into self.m and self.v."),
    ("reset all", "the state is not kept between calls: every step looks like a first "
                  "step. Create m and v on the first call only, keep them and t on self."),
    ("swapped", "beta_1 and beta_2 are swapped: beta_1 (0.9 by default) decays the mean of "
                "the gradients m, beta_2 (0.999) the mean of their squares v."),
    ("swapped moments", "m and v are updated with each other's beta: m with beta_1 (0.9 by "
                        "default), v with beta_2 (0.999). The bias correction has them right."),
    ("epsilon inside", "epsilon is inside the square root, sqrt(v + epsilon): add it outside, "
                       "sqrt(v) + epsilon (the trap the text warns about)."),
    ("textbook, epsilon inside", "this is the textbook form with epsilon inside the square "
                                 "root, sqrt(v_hat + epsilon). Implement the form given in the "
                                 "text: alpha_t * m / (sqrt(v) + epsilon)."),
    ("no sqrt", "the step divides by v + epsilon: divide by sqrt(v) + epsilon, so that the "
                "step has the size of the learning rate."),
    ("uphill", "the parameters move uphill: subtract the step."),
]


def _check_adam(cls, rng):
    defaults = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}
    configs = [{"learning_rate": 0.01, **defaults},
               {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-4}]
    for config in configs:
        # gradients of very different sizes: epsilon matters for the small ones
        params0, grad_seq = _problem(rng, 20, scales=(1.0, 1e-3, 30.0))
        opt = call(cls, **config)
        path = _student_path(opt, params0, grad_seq)
        right = _reference_path(Adam(**config), params0, grad_seq)
        args = (config["learning_rate"], config["beta_1"], config["beta_2"], config["epsilon"])
        variants = [(_adam_variant(params0, grad_seq, *args, kind), message)
                    for kind, message in _ADAM_MISTAKES]
        if config["beta_1"] != defaults["beta_1"]:
            variants += [
                (_adam_variant(params0, grad_seq, 0.001, *defaults.values(), "right"),
                 "these are the steps of the default settings: use self.learning_rate, "
                 "self.beta_1, self.beta_2 and self.epsilon, the values given to __init__."),
                (_adam_variant(params0, grad_seq, config["learning_rate"],
                               *defaults.values(), "right"),
                 "these are the steps of the default betas and epsilon: use self.beta_1, "
                 "self.beta_2 and self.epsilon, the values given to __init__."),
            ]
        with np.errstate(invalid="ignore"):
            from_g = _adam_variant(params0, grad_seq, *args, "v from g")
        reason = _compare_paths(path, right, variants, not_finite=[(from_g, (
            "v is built from the gradients g, not from their squares g^2: v goes negative "
            "and its square root is NaN. v = v + (1 - beta_2) (g^2 - v)."))])
        if reason:
            settings = ", ".join(f"{k}={v}" for k, v in config.items())
            return f"with {settings}: {reason}"
    return None


adam = Task(
    "Adam", _check_adam, Adam,
    hints=["Adam keeps, per parameter, a running mean m of the gradients and v of their "
           "squares (both start at 0), and counts its steps t from 1. The step divides m "
           "by sqrt(v), so each parameter gets its own step size.",
           "At each call: t = t + 1; m = m + (1 - beta_1) (g - m); "
           "v = v + (1 - beta_2) (g^2 - v).",
           "Then alpha_t = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t) and "
           "w = w - alpha_t * m / (sqrt(v) + epsilon), in place."],
    seed=402,
    forbidden={"nnlib.Adam": Adam},
)

# ---------------------------------------------------------------- practice: numbers


def _limit_checker(answer):
    bowl = surfaces.QuadraticBowl(h_x=2.0, h_y=8.0)
    right = bowl.stability_limit()
    return compare_arrays(answer, right, name="the learning rate", mistakes=[
        (2 / bowl.h_x, "that is the limit of the flat direction; the steepest one (the "
                       "largest curvature) diverges first."),
        (1 / bowl.largest_curvature, "the limit is 2 / L, not 1 / L."),
        (2 / (bowl.h_x + bowl.h_y), "that is the best rate 2 / (L + mu), not the limit."),
    ])


divergence_limit = Exercise(
    "Where plain gradient descent starts to diverge", _limit_checker,
    hints=["Which curvature is the largest, h_x = 2 or h_y = 8?",
           "Plain gradient descent diverges above 2 / L, L the largest curvature."],
)


def _momentum_steps_checker(answer):
    bowl = surfaces.QuadraticBowl()

    def path(lr, mu, steps=2):
        return surfaces.run_optimizer(bowl, SGD(lr, momentum=mu), (1.0, 0.0), steps).points[-1]

    right = path(0.1, 0.5)
    # step 2 with the gradient of the start point (1, 0) instead of the new point
    start = np.array([1.0, 0.0])
    v1 = -0.1 * bowl.grad(start)
    stale = start + v1 + (0.5 * v1 - 0.1 * bowl.grad(start))
    up1 = start - v1
    uphill = up1 + (-0.5 * v1 + 0.1 * bowl.grad(up1))
    reason = compare_arrays(answer, right, name="the point after two steps", mistakes=[
        (path(0.1, 0.0), "that is plain gradient descent: the second step also adds "
                         "beta times the first velocity."),
        (path(0.1, 0.5, 1), "that is after one step; take a second one."),
        (uphill, "you stepped uphill: the velocity subtracts alpha times the gradient."),
        (stale, "the second step's gradient is taken at the new point, not at the "
                       "start."),
    ])
    if reason and np.shape(answer) != (2,):
        return reason + " Answer with an array [x, y]."
    return reason


momentum_two_steps = Exercise(
    "Two steps of SGD with momentum", _momentum_steps_checker,
    hints=["On the default bowl the gradient at (x, y) is (x, 10 y); y stays 0 here.",
           "Step 1: v = beta * 0 - alpha * gradient, then x = x + v. Step 2: the same with "
           "the new x and the v of step 1."],
)
