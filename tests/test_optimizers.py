"""Tests for nnlib/optimizers.py (parity with Keras lives in test_keras_bridge.py)."""

import numpy as np
import pytest

from nnlib import optimizers
from nnlib.optimizers import SGD, Adam


def test_sgd_golden_step_from_keras_tests():
    w = np.array([1.0, 2.0, 3.0, 4.0])
    SGD(learning_rate=0.5).step([w], [np.array([1.0, 6.0, 7.0, 2.0])])
    np.testing.assert_allclose(w, [0.5, -1.0, -0.5, 3.0])


def test_adam_golden_step_from_keras_tests():
    w = np.array([1.0, 2.0, 3.0, 4.0])
    Adam(learning_rate=0.5).step([w], [np.array([1.0, 6.0, 7.0, 2.0])])
    # the first Adam step moves every weight by about lr (m/sqrt(v) = g/|g|), minus epsilon's share
    np.testing.assert_allclose(w, [0.5, 1.5, 2.5, 3.5], atol=1e-5)
    assert np.all(w > [0.5, 1.5, 2.5, 3.5])


def test_sgd_momentum_by_hand():
    # vel1 = -0.1*2 = -0.2 ; w = 0.8 ; vel2 = 0.9*-0.2 - 0.1*2 = -0.38 ; w = 0.42
    w = np.array([1.0])
    opt = SGD(learning_rate=0.1, momentum=0.9)
    opt.step([w], [np.array([2.0])])
    np.testing.assert_allclose(w, [0.8])
    opt.step([w], [np.array([2.0])])
    np.testing.assert_allclose(w, [0.42])
    assert opt.iterations == 2


def test_sgd_nesterov_by_hand():
    # vel1 = -0.2 ; w += 0.9*-0.2 - 0.2 = -0.38 -> 0.62 ; vel2 = -0.38 ; w += -0.342 - 0.2 -> 0.078
    w = np.array([1.0])
    opt = SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    opt.step([w], [np.array([2.0])])
    np.testing.assert_allclose(w, [0.62])
    opt.step([w], [np.array([2.0])])
    np.testing.assert_allclose(w, [0.078])
    with pytest.raises(TypeError, match="nesterov must be True or False. Received: nesterov='yes'"):
        SGD(0.1, momentum=0.9, nesterov="yes")


def test_adam_two_steps_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-7
    w, g = np.array([1.0]), np.array([0.5])
    opt = Adam(lr, b1, b2, eps)
    m = v = 0.0
    expected = 1.0
    for t in (1, 2):
        opt.step([w], [g])
        m += (0.5 - m) * (1 - b1)
        v += (0.25 - v) * (1 - b2)
        expected -= lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
        np.testing.assert_allclose(w, [expected], rtol=1e-15)


def test_updates_several_params_in_place():
    a, b = np.ones((2, 3)), np.ones(3)
    ids = id(a), id(b)
    SGD(0.1).step([a, b], [np.ones((2, 3)), np.full(3, 2.0)])
    assert (id(a), id(b)) == ids
    np.testing.assert_allclose(a, 0.9)
    np.testing.assert_allclose(b, 0.8)


def test_adam_descends_a_quadratic():
    w = np.array([5.0, -3.0])
    opt = Adam(learning_rate=0.1)
    for _ in range(500):
        opt.step([w], [2 * w])
    assert np.abs(w).max() < 1e-2


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_learning_rate_must_be_positive(lr):
    with pytest.raises(ValueError, match=f"learning_rate must be a finite number > 0. Received: learning_rate={lr}"):
        SGD(learning_rate=lr)
    with pytest.raises(ValueError, match="learning_rate"):
        Adam(learning_rate=lr)


def test_bad_hyperparameters():
    with pytest.raises(ValueError, match=r"momentum must be in \[0.0, 1.0\). Received: momentum=1.5"):
        SGD(0.1, momentum=1.5)
    with pytest.raises(ValueError, match="beta_1"):
        Adam(beta_1=1.0)
    with pytest.raises(ValueError, match="epsilon"):
        Adam(epsilon=0)
    with pytest.raises(TypeError, match="learning_rate must be a real number"):
        SGD("fast")


def test_mismatched_lists_and_shapes():
    opt = SGD(0.1, momentum=0.5)
    with pytest.raises(ValueError, match="same length, got 1 params and 2 grads"):
        opt.step([np.ones(2)], [np.ones(2), np.ones(2)])
    opt.step([np.ones(2)], [np.ones(2)])
    with pytest.raises(ValueError, match=r"built for params of shapes \[\(2,\)\], got \[\(3,\)\]"):
        opt.step([np.ones(3)], [np.ones(3)])
    opt.reset()
    opt.step([np.ones(3)], [np.ones(3)])  # fine after reset


def test_get_by_name_and_errors():
    assert isinstance(optimizers.get("adam"), Adam)
    assert optimizers.get("SGD").learning_rate == 0.01  # Keras' default
    opt = Adam()
    assert optimizers.get(opt) is opt
    with pytest.raises(ValueError, match="Unknown optimizer 'rmsprop'. Valid optimizer names are: Adam, SGD"):
        optimizers.get("rmsprop")
    with pytest.raises(TypeError, match="optimizer must be"):
        optimizers.get(0.1)


def test_repr_shows_config():
    assert repr(SGD(0.5, momentum=0.9)) == "SGD(learning_rate=0.5, momentum=0.9, nesterov=False)"


def test_fit_accepts_any_object_with_a_step_method():
    """A student's optimizer (notebook 04) needs only ``step(params, grads)``."""
    import nnlib
    from nnlib import optimizers

    class Plain:
        def __init__(self, learning_rate):
            self.learning_rate = learning_rate

        def step(self, params, grads):
            for w, g in zip(params, grads):
                w -= self.learning_rate * g

    X, y = nnlib.data.make_linear(seed=0)
    mine, ref = (nnlib.MLP([1, 4, 1], ["relu", "linear"], seed=0) for _ in range(2))
    a = mine.fit(X, y, optimizer=Plain(0.05), epochs=3, seed=0)["loss"]
    b = ref.fit(X, y, optimizer=optimizers.SGD(0.05), epochs=3, seed=0)["loss"]
    assert a == b
    with pytest.raises(TypeError, match="optimizer must be"):
        optimizers.get(object())


def test_get_builds_every_optimizer_by_name_with_settings():
    from nnlib import optimizers

    sgd = optimizers.get("SGD", learning_rate=0.1)
    assert type(sgd) is optimizers.SGD and sgd.get_config() == {
        "learning_rate": 0.1, "momentum": 0.0, "nesterov": False}
    assert optimizers.get("sgd with momentum").get_config()["momentum"] == 0.9
    assert optimizers.get("SGD with momentum", momentum=0.5).get_config()["momentum"] == 0.5
    assert optimizers.get("Adam", learning_rate=0.01).get_config()["learning_rate"] == 0.01
    adam = optimizers.Adam()
    assert optimizers.get(adam) is adam
    with pytest.raises(TypeError, match="settings apply to an optimizer built by name"):
        optimizers.get(adam, learning_rate=0.1)
    with pytest.raises(ValueError, match="Valid optimizer names are: Adam, SGD, SGD with"):
        optimizers.get("rmsprop")
