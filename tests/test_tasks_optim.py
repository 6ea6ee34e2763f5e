"""Notebook 04's build-it tasks and exercises (course/n04a_optimizers/tasks.py): the solutions pass,
every typical mistake is named, placeholders count as not attempted."""

import importlib
import math
import re
import sys
import types

import numpy as np
import pytest

from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from course.n04a_optimizers import tasks
from course.n04b_regularization import tasks as regularize_tasks
from nnlib.optimizers import Adam as NnlibAdam
from nnlib.penalties import l2_penalty_grad as nnlib_l2_penalty_grad

sys.path.insert(0, "teacher/solutions")
sol = types.SimpleNamespace(**{  # the solutions of 04a (optimizers) and 04b (penalties)
    **vars(importlib.import_module("04a_optimizers")),
    **vars(importlib.import_module("04b_regularization"))})


def _not_implemented(*args, **kwargs):
    raise NotImplementedError()


def _incorrect(feedback, pattern):
    assert feedback.status == INCORRECT, feedback
    assert re.search(pattern, feedback.message), feedback.message


# ---------------------------------------------------------------- Momentum


class _MomentumBase(sol.Momentum):
    def velocities_for(self, params):
        if self.velocities is None:
            self.velocities = [np.zeros_like(w) for w in params]
        return self.velocities


class PlainSGD(_MomentumBase):
    def step(self, params, grads):
        for w, g in zip(params, grads):
            w -= self.learning_rate * g


class FreshVelocity(_MomentumBase):
    def step(self, params, grads):
        for w, g in zip(params, grads):
            v = -self.learning_rate * g  # a new velocity at every call
            w += v


class RebindVelocity(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v = self.momentum * v - self.learning_rate * g  # noqa: PLW2901 - the mistake
            w += v


class RebindParams(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v *= self.momentum
            v -= self.learning_rate * g
            w = w + v  # noqa: F841, PLW2901 - the mistake


class ReplaceInList(_MomentumBase):
    def step(self, params, grads):
        vs = self.velocities_for(params)
        for i, g in enumerate(grads):
            vs[i] = self.momentum * vs[i] - self.learning_rate * g
            params[i] = params[i] + vs[i]


class Uphill(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v *= self.momentum
            v += self.learning_rate * g
            w += v


class Dampened(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v[...] = self.momentum * v - (1 - self.momentum) * self.learning_rate * g
            w += v


class OldVelocity(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            w += v
            v[...] = self.momentum * v - self.learning_rate * g


class MomentumOnAll(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v[...] = self.momentum * (v - self.learning_rate * g)
            w += v


class Nesterov(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v[...] = self.momentum * v - self.learning_rate * g
            w += self.momentum * v - self.learning_rate * g


class SwappedMomentum(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v[...] = self.learning_rate * v - self.momentum * g
            w += v


class DefaultMomentum(_MomentumBase):
    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v[...] = 0.9 * v - 0.01 * g
            w += v


class TorchForm(_MomentumBase):
    """v = momentum v + g, w -= lr v: the same steps, written PyTorch's way."""

    def step(self, params, grads):
        for w, g, v in zip(params, grads, self.velocities_for(params)):
            v *= self.momentum
            v += g
            w -= self.learning_rate * v


class MomentumNotAttempted(sol.Momentum):
    def step(self, params, grads):
        raise NotImplementedError()


def test_momentum_solution_is_correct_and_passes_grade():
    assert tasks.momentum.check(sol.Momentum).status == CORRECT
    tasks.momentum.grade(sol.Momentum)
    assert tasks.momentum.use(sol.Momentum, quiet=True) is sol.Momentum


def test_momentum_in_pytorchs_form_is_correct_too():
    assert tasks.momentum.check(TorchForm).status == CORRECT
    tasks.momentum.grade(TorchForm)


@pytest.mark.parametrize("cls, pattern", [
    (PlainSGD, r"plain gradient descent.*not kept between calls"),
    (FreshVelocity, r"plain gradient descent.*not kept between calls"),
    (RebindVelocity, r"plain gradient descent.*not kept between calls"),
    (RebindParams, r"left the parameters unchanged.*in place"),
    (ReplaceInList, r"new arrays into the list params"),
    (Uphill, r"move uphill"),
    (Dampened, r"multiplied by \(1 - momentum\)"),
    (OldVelocity, r"previous step's velocity"),
    (MomentumOnAll, r"momentum multiplies the new gradient too"),
    (Nesterov, r"Nesterov"),
    (SwappedMomentum, r"learning_rate and momentum are swapped"),
    (DefaultMomentum, r"default settings.*self\.learning_rate and self\.momentum"),
], ids=["plain SGD", "a fresh velocity every call", "velocity rebound (v = ...)",
        "w rebound (w = w + v)", "new arrays put in the list", "uphill", "dampened by 1 - momentum",
        "the previous step's velocity", "momentum on the new gradient too", "Nesterov",
        "learning_rate and momentum swapped", "default settings hard-coded"])
def test_momentum_mistake_catalogue(cls, pattern):
    _incorrect(tasks.momentum.check(cls), pattern)
    with pytest.raises(AssertionError):
        tasks.momentum.grade(cls)


def test_momentum_not_attempted_and_use_falls_back_to_nnlib():
    assert tasks.momentum.check(MomentumNotAttempted).status == NOT_ATTEMPTED
    reference = tasks.momentum.use(PlainSGD, quiet=True)
    assert reference is tasks._MomentumReference
    assert reference().momentum == 0.9 and reference().learning_rate == 0.01


# ---------------------------------------------------------------- Adam


class _AdamBase(sol.Adam):
    def state(self, params):
        if self.m is None:
            self.m = [np.zeros_like(w) for w in params]
            self.v = [np.zeros_like(w) for w in params]
        return self.m, self.v

    def moments(self, params, grads, b1=None, b2=None):
        b1 = self.beta_1 if b1 is None else b1
        b2 = self.beta_2 if b2 is None else b2
        ms, vs = self.state(params)
        for w, g, m, v in zip(params, grads, ms, vs):
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g**2
            yield w, m, v


def _adam_class(update, *, advance="before", b1=None, b2=None, reset=False):
    """An Adam whose step runs ``update(self, w, m, v, t)`` per parameter."""

    class Variant(_AdamBase):
        def step(self, params, grads):
            if reset:
                self.m = None
            if advance == "before":
                self.t += 1
            elif advance == "stuck":
                self.t = 1
            for w, m, v in self.moments(params, grads, b1, b2):
                update(self, w, m, v, self.t)
            if advance == "after":
                self.t += 1

    return Variant


def _folded(self, w, m, v, t, *, b1=None, b2=None):
    b1 = self.beta_1 if b1 is None else b1
    b2 = self.beta_2 if b2 is None else b2
    alpha = self.learning_rate * math.sqrt(1 - b2**t) / (1 - b1**t)
    w -= alpha * m / (np.sqrt(v) + self.epsilon)


def _textbook(self, w, m, v, t):
    m_hat = m / (1 - self.beta_1**t)
    v_hat = v / (1 - self.beta_2**t)
    w -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)


ADAM_MISTAKES = {
    "textbook": (_adam_class(_textbook), r"textbook form.*epsilon's place differs"),
    "no bias correction": (
        _adam_class(lambda s, w, m, v, t: w.__isub__(s.learning_rate * m /
                                                     (np.sqrt(v) + s.epsilon))),
        r"no bias correction"),
    "only m corrected": (
        _adam_class(lambda s, w, m, v, t: w.__isub__(
            s.learning_rate / (1 - s.beta_1**t) * m / (np.sqrt(v) + s.epsilon))),
        r"only m's bias is corrected"),
    "only v corrected": (
        _adam_class(lambda s, w, m, v, t: w.__isub__(
            s.learning_rate * math.sqrt(1 - s.beta_2**t) * m / (np.sqrt(v) + s.epsilon))),
        r"only v's bias is corrected"),
    "t advanced after use": (_adam_class(_folded, advance="after"),
                             r"first step divides by zero.*t counts the steps from 1"),
    "t never advanced": (_adam_class(_folded, advance="never"),
                         r"first step divides by zero.*t counts the steps from 1"),
    "t stuck at 1": (_adam_class(_folded, advance="stuck"), r"t never advances"),
    "t one ahead": (_adam_class(lambda s, w, m, v, t: _folded(s, w, m, v, t + 1)),
                    r"one step ahead"),
    "state not kept": (_adam_class(_folded, reset=True), r"m and v are not kept between calls"),
    "no sqrt": (
        _adam_class(lambda s, w, m, v, t: w.__isub__(
            s.learning_rate * math.sqrt(1 - s.beta_2**t) / (1 - s.beta_1**t) * m
            / (v + s.epsilon))),
        r"divides by v \+ epsilon"),
    "uphill": (
        _adam_class(lambda s, w, m, v, t: w.__iadd__(
            s.learning_rate * math.sqrt(1 - s.beta_2**t) / (1 - s.beta_1**t) * m
            / (np.sqrt(v) + s.epsilon))),
        r"move uphill"),
}


class SwappedBetas(_AdamBase):
    def step(self, params, grads):
        self.t += 1
        for w, m, v in self.moments(params, grads, b1=self.beta_2, b2=self.beta_1):
            _folded(self, w, m, v, self.t, b1=self.beta_2, b2=self.beta_1)


class ResetEverything(_AdamBase):
    def step(self, params, grads):
        self.m, self.t = None, 1
        for w, m, v in self.moments(params, grads):
            _folded(self, w, m, v, self.t)


class DefaultBetas(_AdamBase):
    def step(self, params, grads):
        self.t += 1
        for w, m, v in self.moments(params, grads, b1=0.9, b2=0.999):
            alpha = self.learning_rate * math.sqrt(1 - 0.999**self.t) / (1 - 0.9**self.t)
            w -= alpha * m / (np.sqrt(v) + 1e-7)


class RebindW(_AdamBase):
    def step(self, params, grads):
        self.t += 1
        for w, m, v in self.moments(params, grads):
            w = w - self.learning_rate * m / (np.sqrt(v) + self.epsilon)  # noqa: F841, PLW2901


class SwappedInTheMoments(_AdamBase):
    def step(self, params, grads):
        self.t += 1
        for w, m, v in self.moments(params, grads, b1=self.beta_2, b2=self.beta_1):
            _folded(self, w, m, v, self.t)


class VFromG(_AdamBase):
    def step(self, params, grads):
        self.t += 1
        ms, vs = self.state(params)
        for w, g, m, v in zip(params, grads, ms, vs):
            m[...] = self.beta_1 * m + (1 - self.beta_1) * g
            v[...] = self.beta_2 * v + (1 - self.beta_2) * g  # g, not g**2
            with np.errstate(invalid="ignore"):
                _folded(self, w, m, v, self.t)


def _epsilon_inside(self, w, m, v, t):
    alpha = self.learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
    w -= alpha * m / np.sqrt(v + self.epsilon)


def _textbook_epsilon_inside(self, w, m, v, t):
    m_hat, v_hat = m / (1 - self.beta_1**t), v / (1 - self.beta_2**t)
    w -= self.learning_rate * m_hat / np.sqrt(v_hat + self.epsilon)


ADAM_MISTAKES["betas swapped"] = (SwappedBetas, r"beta_1 and beta_2 are swapped")
ADAM_MISTAKES["betas swapped in the moments"] = (SwappedInTheMoments,
                                                 r"updated with each other's beta")
ADAM_MISTAKES["v from g"] = (VFromG, r"v is built from the gradients g, not from their squares")
ADAM_MISTAKES["epsilon inside the root"] = (_adam_class(_epsilon_inside),
                                            r"epsilon is inside the square root")
ADAM_MISTAKES["textbook, epsilon inside"] = (_adam_class(_textbook_epsilon_inside),
                                             r"textbook form with epsilon inside")
ADAM_MISTAKES["state and t reset"] = (ResetEverything, r"state is not kept between calls")
ADAM_MISTAKES["default betas"] = (DefaultBetas, r"default betas and epsilon")
ADAM_MISTAKES["params rebound"] = (RebindW, r"left the parameters unchanged")


class AdamNotAttempted(sol.Adam):
    def step(self, params, grads):
        raise NotImplementedError()


def test_adam_solution_is_correct_and_passes_grade():
    assert tasks.adam.check(sol.Adam).status == CORRECT
    tasks.adam.grade(sol.Adam)
    assert tasks.adam.use(sol.Adam, quiet=True) is sol.Adam


def test_adam_in_another_order_is_correct_too():
    ordered = _adam_class(_folded)  # m = b1 m + (1 - b1) g instead of m += (1 - b1)(g - m)
    assert tasks.adam.check(ordered).status == CORRECT
    tasks.adam.grade(ordered)


@pytest.mark.parametrize("name", list(ADAM_MISTAKES))
def test_adam_mistake_catalogue(name):
    cls, pattern = ADAM_MISTAKES[name]
    _incorrect(tasks.adam.check(cls), pattern)
    with pytest.raises(AssertionError):
        tasks.adam.grade(cls)


def test_adam_not_attempted_and_use_falls_back_to_nnlib():
    assert tasks.adam.check(AdamNotAttempted).status == NOT_ATTEMPTED
    assert tasks.adam.use(ADAM_MISTAKES["textbook"][0], quiet=True) is NnlibAdam


def test_the_textbook_form_really_differs_on_the_articles_training():
    """The measurement behind the notebook's text: the textbook form's losses are not
    within 1e-12 of nnlib's on the article's training, the folded form's are."""
    import nnlib
    from nnlib.data import make_linear

    X, y = make_linear(seed=0)

    def losses(optimizer):
        model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
        return np.array(model.fit(X, y, optimizer=optimizer, epochs=200, batch_size=32,
                                  seed=0)["loss"])

    reference = losses(NnlibAdam(0.001))
    assert np.max(np.abs(losses(sol.Adam(0.001)) - reference)) < 1e-12
    assert np.max(np.abs(losses(ADAM_MISTAKES["textbook"][0](0.001)) - reference)) > 1e-6


# ---------------------------------------------------------------- dropout


def _forward(make_mask):
    def dropout_forward(A, rate, rng):
        mask = make_mask(A, rate, rng)
        return A * mask, mask
    return dropout_forward


DROPOUT_FORWARD_MISTAKES = {
    "no scaling": (_forward(lambda A, r, rng: (rng.random(A.shape) < 1 - r) * 1.0),
                   r"no 1/\(1 - rate\) scaling"),
    "drops with probability 1 - rate": (
        _forward(lambda A, r, rng: (rng.random(A.shape) < r) / (1 - r)),
        r"drops each unit with probability 1 - rate"),
    "multiplied by 1 - rate": (
        _forward(lambda A, r, rng: (rng.random(A.shape) < 1 - r) * (1 - r)),
        r"multiplies the kept units by 1 - rate"),
    "divided by rate": (_forward(lambda A, r, rng: (rng.random(A.shape) < 1 - r) / r),
                        r"divided by rate"),
    "np.random instead of rng": (
        _forward(lambda A, r, rng: (np.random.random(A.shape) < 1 - r) / (1 - r)),  # noqa: NPY002
        r"draw the random numbers from the rng argument"),
    "one mask for all samples": (
        _forward(lambda A, r, rng: (rng.random(A.shape[1]) < 1 - r) / (1 - r)),
        r"mask has shape \(8,\)"),
}


def _scaled_out_forward(A, rate, rng):
    mask = (rng.random(A.shape) < 1 - rate) * 1.0
    return A * mask / (1 - rate), mask


DROPOUT_FORWARD_MISTAKES["scaled out, 0/1 mask"] = (
    _scaled_out_forward, r"out is scaled right but the mask holds 0 and 1")


def _in_place_forward(A, rate, rng):
    mask = (rng.random(A.shape) < 1 - rate) / (1 - rate)
    A *= mask
    return A, mask


DROPOUT_FORWARD_MISTAKES["changes A in place"] = (_in_place_forward, r"changed its input A")

def _new_mask_backward(dout, mask):
    keep = np.mean(mask != 0)  # a fresh draw with the same share kept
    return dout * (np.random.default_rng().random(mask.shape) < keep) / keep


DROPOUT_BACKWARD_MISTAKES = {
    "passes dout through": (lambda dout, mask: dout, r"dropped units must pass no gradient"),
    "0/1 mask": (lambda dout, mask: dout * (mask > 0), r"not by \(mask > 0\)"),
    "returns the mask": (lambda dout, mask: mask, r"not the mask"),
    "scaled twice": (
        lambda dout, mask: dout * mask * mask.max(), r"scaled twice"),  # mask.max() = 1/(1-rate)
    "new mask in backward": (_new_mask_backward,
                             r"0 at other units than the ones the mask drops"),
}

DROPOUT_MISTAKES = {
    **{f"forward: {name}": ((fn, sol.dropout_backward), pattern)
       for name, (fn, pattern) in DROPOUT_FORWARD_MISTAKES.items()},
    **{f"backward: {name}": ((sol.dropout_forward, fn), pattern)
       for name, (fn, pattern) in DROPOUT_BACKWARD_MISTAKES.items()},
}


def test_dropout_solution_is_correct_and_passes_grade():
    fns = (sol.dropout_forward, sol.dropout_backward)
    assert regularize_tasks.dropout.check(*fns).status == CORRECT
    regularize_tasks.dropout.grade(*fns)
    assert regularize_tasks.dropout.use(*fns, quiet=True) == fns


@pytest.mark.parametrize("make_mask", [
    lambda A, r, rng: (rng.random(A.shape) >= r) / (1 - r),
    lambda A, r, rng: rng.binomial(1, 1 - r, size=A.shape) / (1 - r),
], ids=["rng.random >= rate", "rng.binomial"])
def test_dropout_drawn_other_ways_is_correct_too(make_mask):
    assert regularize_tasks.dropout.check(_forward(make_mask), sol.dropout_backward).status == CORRECT


@pytest.mark.parametrize("name", list(DROPOUT_MISTAKES))
def test_dropout_mistake_catalogue(name, assert_named):
    fns, pattern = DROPOUT_MISTAKES[name]
    assert_named(regularize_tasks.dropout, *fns, pattern=pattern)


def test_dropout_not_attempted_and_use_falls_back_to_nnlib():
    assert regularize_tasks.dropout.check(_not_implemented, sol.dropout_backward).status == NOT_ATTEMPTED
    assert regularize_tasks.dropout.check(sol.dropout_forward, _not_implemented).status == NOT_ATTEMPTED
    wrong = DROPOUT_FORWARD_MISTAKES["no scaling"][0]
    assert regularize_tasks.dropout.use(wrong, sol.dropout_backward, quiet=True) == (
        regularize_tasks._dropout_forward_reference, regularize_tasks._dropout_backward_reference)


def test_dropout_reference_draws_the_mask_mlp_draws():
    """nnlib's reference is MLP's own dropout: same generator state, same mask."""
    import nnlib

    model = nnlib.MLP([3, 5, 1], ["relu", "linear"], dropout=0.4, seed=7)
    X = np.random.default_rng(1).normal(size=(6, 3))
    rng_state = model._rng.bit_generator.state
    cache = model._forward(X, training=True)
    rng = np.random.default_rng()
    rng.bit_generator.state = rng_state
    A = np.maximum(X @ model.params[0] + model.params[1], 0)
    out, mask = regularize_tasks._dropout_forward_reference(A, 0.4, rng)
    np.testing.assert_array_equal(mask, cache[1][2])
    np.testing.assert_array_equal(out, cache[1][1])


# ---------------------------------------------------------------- L2 penalty's gradient


@pytest.mark.parametrize("fn, pattern", [
    (lambda ws, l2: [l2 * W for W in ws], r"factor 2 is missing"),
    (lambda ws, l2: [-2 * l2 * W for W in ws], r"sign is flipped"),
    (lambda ws, l2: [2 * W for W in ws], r"l2 is missing"),
    (lambda ws, l2: [l2 * np.sign(W) for W in ws], r"L1 penalty's gradient"),
    (lambda ws, l2: l2 * sum(float(np.sum(W**2)) for W in ws), r"returns one number"),
    (lambda ws, l2: 2 * l2 * ws[0], r"return a list of 3 arrays"),
    (lambda ws, l2: [2 * l2 * ws[0]], r"returned 1 array\(s\) for 3 kernels"),
    (lambda ws, l2: [W.__imul__(2 * l2) for W in ws], r"changed the kernels it was given"),
], ids=["no 2", "sign", "no l2", "L1", "penalty", "one array", "first kernel only",
        "in place"])
def test_l2_penalty_grad_mistake_catalogue(fn, pattern):
    _incorrect(regularize_tasks.l2_penalty_grad.check(fn), pattern)
    with pytest.raises(AssertionError):
        regularize_tasks.l2_penalty_grad.grade(fn)


def test_l2_penalty_grad_solution_correct_not_attempted_and_use():
    assert regularize_tasks.l2_penalty_grad.check(sol.l2_penalty_grad).status == CORRECT
    regularize_tasks.l2_penalty_grad.grade(sol.l2_penalty_grad)
    assert regularize_tasks.l2_penalty_grad.check(_not_implemented).status == NOT_ATTEMPTED
    assert regularize_tasks.l2_penalty_grad.check(lambda ws, l2: ...).status == NOT_ATTEMPTED
    wrong = regularize_tasks.l2_penalty_grad.use(lambda ws, l2: [l2 * W for W in ws], quiet=True)
    weights = [np.ones((2, 3))]
    np.testing.assert_array_equal(wrong(weights, 0.1)[0], nnlib_l2_penalty_grad(weights, 0.1)[0])


def test_l2_penalty_grad_other_wrong_answers_are_incorrect_without_a_name():
    _incorrect(regularize_tasks.l2_penalty_grad.check(lambda ws, l2: [2 * l2 * W + 1e-3 for W in ws]),
               r"kernel 1 has the right shape, but .* differ")


# ---------------------------------------------------------------- practice exercises


@pytest.mark.parametrize("name, wrong", [
    ("divergence_limit", 0.2),
    ("momentum_two_steps", np.array([0.81, 0.0])),
])
def test_exercises(name, wrong, assert_practice):
    assert_practice(getattr(tasks, name), sol.ANSWERS[name], wrong)


@pytest.mark.parametrize("name, answer, pattern", [
    ("divergence_limit", 1.0, r"flat direction"),
    ("divergence_limit", 0.125, r"2 / L, not 1 / L"),
    ("divergence_limit", 0.2, r"best rate"),
    ("momentum_two_steps", [0.81, 0.0], r"plain gradient descent"),
    ("momentum_two_steps", [0.9, 0.0], r"after one step"),
    ("momentum_two_steps", [1.26, 0.0], r"uphill"),
    ("momentum_two_steps", [0.75, 0.0], r"taken at the new point"),
])
def test_exercises_name_typical_wrong_numbers(name, answer, pattern):
    _incorrect(getattr(tasks, name).check(answer), pattern)
