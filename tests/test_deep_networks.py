"""Tests for course/n04c_deep_networks/deep.py: gradients against finite differences,
LayerNorm, clipping, schedules and the recorded training."""

import numpy as np
import pytest

from course.n04c_deep_networks import deep
from nnlib.gradcheck import numerical_gradient, relative_error


@pytest.mark.parametrize("settings", [
    {}, {"init": "he"}, {"layer_norm": True}, {"residual": True, "branch_scale": 0.7},
    {"layer_norm": True, "residual": True},
])
def test_every_gradient_matches_finite_differences(settings, rng):
    X = rng.normal(size=(7, 2))
    y = (rng.random((7, 1)) > 0.5).astype(float)
    net = deep.DeepNet(4, 5, seed=1, **settings)
    for p in net.params:  # away from the start (beta 0, gamma 1): every term matters
        p += 0.1 * rng.normal(size=p.shape)
    _, grads = net.loss_and_grads(X, y)
    for p, g in zip(net.params, grads):
        assert relative_error(g, numerical_gradient(lambda: net.loss(X, y), p)) < 1e-6


def test_layer_norm_backward_matches_finite_differences(rng):
    x, dout = rng.normal(size=(4, 6)) * 3 + 1, rng.normal(size=(4, 6))
    gamma, beta = rng.uniform(0.5, 2, size=6), rng.normal(size=6)
    dx, dgamma, dbeta = deep.layer_norm_backward(dout, x, gamma)
    for array, grad in ((x, dx), (gamma, dgamma), (beta, dbeta)):
        numeric = numerical_gradient(
            lambda: float(np.sum(dout * deep.layer_norm_forward(x, gamma, beta))), array)
        assert relative_error(grad, numeric) < 1e-7
    out = deep.layer_norm_forward(x, np.ones(6), np.zeros(6))
    np.testing.assert_allclose(out.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=1), 1, rtol=1e-4)


def test_the_loss_is_stable_for_huge_logits():
    loss, grad = deep.bce_with_logits(np.array([[800.0], [-800.0]]), np.array([[0.0], [1.0]]))
    assert loss == pytest.approx(800.0) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[0.5], [-0.5]])


def test_layer_norm_and_residual_skip_the_first_layer():
    net = deep.DeepNet(3, 4, layer_norm=True)
    assert [len(slot) for slot in net.slots] == [2, 4, 4]
    assert len(net.params) == 2 + 4 + 4 + 2 and len(net.kernels()) == 3


def test_clip_by_global_norm_keeps_the_direction_and_caps_the_length():
    grads = [np.array([3.0, 0.0]), np.array([[0.0, 4.0]])]  # global norm 5
    clipped, norm = deep.clip_by_global_norm(grads, 1.0)
    assert norm == 5.0 and deep.global_norm(clipped) == pytest.approx(1.0)
    np.testing.assert_allclose(clipped[0], [0.6, 0.0])
    same, _ = deep.clip_by_global_norm(grads, 10.0)
    assert all(a is b for a, b in zip(same, grads))
    with pytest.raises(ValueError, match="max_norm"):
        deep.clip_by_global_norm(grads, 0)


def test_warmup_cosine_rises_then_falls_to_zero():
    rate = deep.warmup_cosine(0.1, 10)
    rates = [rate(t, 110) for t in range(111)]
    assert rates[0] == pytest.approx(0.01) and rates[9] == pytest.approx(0.1)
    assert rates[10] == pytest.approx(0.1) and rates[110] == pytest.approx(0.0, abs=1e-12)
    assert all(a >= b for a, b in zip(rates[10:], rates[11:]))
    assert deep.constant_rate(0.3)(5, 10) == 0.3


def test_train_records_every_layer_and_stops_when_it_diverges():
    X, y = deep.moons(0)
    net = deep.DeepNet(5, 8, init="he", seed=0)
    run = deep.train(net, X, y, steps=20, learning_rate=0.01, record_every=5)
    assert run.recorded_steps == [0, 5, 10, 15, 20] and len(run.losses) == 21
    assert run.activation_std.shape == run.gradient_norm.shape == (5, 5)
    assert run.losses[-1] < run.losses[0] and "trained 20 steps" in run.message
    wild = deep.train(deep.DeepNet(5, 8, init="he", seed=0), X, y, steps=50,
                      learning_rate=50.0, max_loss=1e3)
    assert wild.diverged and "diverged at step" in wild.message
    assert len(wild.losses) == wild.diverged_at + 1


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="init must be"):
        deep.DeepNet(init="lecun")
    with pytest.raises(ValueError, match="depth and width"):
        deep.DeepNet(depth=0)
    X, y = deep.moons(0)
    with pytest.raises(ValueError, match="optimizer must be"):
        deep.train(deep.DeepNet(2, 4), X, y, steps=1, optimizer="rmsprop")


def test_decoupled_decay_equals_l2_for_sgd_and_not_for_adam():
    from nnlib import SGD, Adam

    sgd = deep.decay_paths(SGD(0.01), l2=0.05, steps=50)
    sgdw = deep.decay_paths(deep.SGDW(0.01, weight_decay=0.1), steps=50)
    np.testing.assert_allclose(sgd, sgdw, rtol=0, atol=1e-14)
    plain = deep.decay_paths(Adam(0.01), steps=20)
    np.testing.assert_array_equal(deep.decay_paths(deep.AdamW(0.01, weight_decay=0.0),
                                                   steps=20), plain)
    w = np.array([2.0])
    deep.AdamW(0.1, weight_decay=0.5).step([w], [np.array([0.0])])
    assert w[0] == pytest.approx(2.0 * (1 - 0.05))  # a zero gradient: only the decay
    with pytest.raises(ValueError, match="weight_decay"):
        deep.AdamW(weight_decay=-1)
