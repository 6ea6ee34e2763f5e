"""nnlib against TensorFlow/Keras 3 in float64: forward pass, gradients, optimizers, fit.

Keras keeps learning rates in float32 variables, so exact agreement needs
hyperparameters that float32 represents exactly (powers of two and friends);
the drift with Keras' defaults is measured in its own test.
"""

import numpy as np
import pytest

from course import keras_twin
from nnlib import MLP, SGD, Adam
from nnlib.data import make_linear, one_hot

keras = keras_twin.import_keras()
tf = pytest.importorskip("tensorflow")

EXACT_ADAM = {"learning_rate": 2**-7, "beta_1": 0.875, "beta_2": 1 - 2**-10, "epsilon": 2**-23}
EXACT_SGD = {"learning_rate": 2**-5, "momentum": 0.875}

CASES = [  # (layer sizes, activations, loss)
    ([1, 10, 5, 1], ["relu", "relu", "linear"], "mse"),
    ([3, 8, 4, 1], ["tanh", "sigmoid", "sigmoid"], "binary_cross_entropy"),
    ([3, 6, 5, 4], ["relu", "tanh", "softmax"], "categorical_cross_entropy"),
]


def _data(sizes, loss, rng, n=40):
    X = rng.normal(size=(n, sizes[0]))
    if loss == "mse":
        y = rng.normal(size=(n, sizes[-1]))
    elif loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=(n, 1)).astype(float)
    else:
        y = one_hot(rng.integers(0, sizes[-1], size=n), sizes[-1])
    return X, y


@pytest.mark.parametrize(("sizes", "acts", "loss"), CASES)
def test_forward_pass_equals_keras(sizes, acts, loss, rng):
    model = MLP(sizes, acts, seed=0)
    for b in model.biases:
        b[:] = rng.normal(size=b.shape)
    kmodel = keras_twin.to_keras(model)
    X, _ = _data(sizes, loss, rng)
    np.testing.assert_allclose(model.predict(X), kmodel(X).numpy(), rtol=1e-12, atol=1e-14)
    assert kmodel.count_params() == model.count_params()


@pytest.mark.parametrize("penalty", [(0.0, 0.0), (0.01, 0.02)], ids=["plain", "l1+l2"])
@pytest.mark.parametrize(("sizes", "acts", "loss"), CASES)
def test_gradients_equal_gradient_tape(sizes, acts, loss, penalty, rng):
    model = MLP(sizes, acts, seed=1)
    kmodel = keras_twin.to_keras(model)
    X, y = _data(sizes, loss, rng)
    value, grads = model.loss_and_grads(X, y, loss=loss, l1=penalty[0], l2=penalty[1])
    k_value, k_grads = keras_twin.keras_loss_and_grads(kmodel, X, y, loss, l1=penalty[0],
                                                         l2=penalty[1])
    assert value == pytest.approx(k_value, rel=1e-12)
    for g, kg in zip(grads, k_grads):
        np.testing.assert_allclose(g, kg, rtol=1e-10, atol=1e-14)


def test_weights_move_both_ways():
    model = MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    kmodel = keras_twin.to_keras(model, copy_weights=False)
    model.set_weights(kmodel.get_weights())  # Keras -> nnlib, untransposed
    np.testing.assert_array_equal(model.params[2], kmodel.layers[1].kernel.numpy())
    back = keras_twin.from_keras(kmodel)
    assert back.layer_sizes == [1, 10, 5, 1]
    assert [a.name for a in back.activations] == ["relu", "relu", "linear"]
    np.testing.assert_array_equal(back.theta, model.theta)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(lambda: Adam(**EXACT_ADAM), lambda: keras.optimizers.Adam(**EXACT_ADAM)),
     (lambda: SGD(**EXACT_SGD), lambda: keras.optimizers.SGD(**EXACT_SGD)),
     (lambda: SGD(**EXACT_SGD, nesterov=True),
      lambda: keras.optimizers.SGD(**EXACT_SGD, nesterov=True))],
    ids=["adam", "sgd-momentum", "sgd-nesterov"],
)
def test_100_optimizer_steps_equal_keras(ours, theirs, rng):
    w = rng.normal(size=(4, 3))
    ours_opt, their_opt = ours(), theirs()
    var = tf.Variable(w.copy(), dtype=tf.float64)
    for _ in range(100):
        g = rng.normal(size=w.shape)
        ours_opt.step([w], [g])
        their_opt.apply_gradients([(tf.constant(g), var)])
    np.testing.assert_allclose(w, var.numpy(), rtol=1e-10, atol=1e-12)


def test_default_adam_drifts_slightly_from_keras(rng):
    """With the defaults (0.001, 0.9, 0.999: not exact in float32) Keras rounds the learning
    rate and the betas of the bias correction to float32, so the two drift apart by about
    1e-6 of the distance moved (course.n07_mlp_tensorflow_comparison.comparison.KerasRoundedAdam removes the drift)."""
    w0 = rng.normal(size=(4, 3))
    w, var = w0.copy(), tf.Variable(w0, dtype=tf.float64)
    ours, theirs = Adam(), keras.optimizers.Adam()
    for _ in range(100):
        g = rng.normal(size=w.shape)
        ours.step([w], [g])
        theirs.apply_gradients([(tf.constant(g), var)])
    moved = np.abs(w - w0).max()
    drift = np.abs(w - var.numpy()).max()
    assert 1e-9 < drift / moved < 1e-4


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(lambda: Adam(**EXACT_ADAM), lambda: keras.optimizers.Adam(**EXACT_ADAM)),
     (lambda: SGD(**EXACT_SGD), lambda: keras.optimizers.SGD(**EXACT_SGD)),
     (lambda: SGD(**EXACT_SGD, nesterov=True),
      lambda: keras.optimizers.SGD(**EXACT_SGD, nesterov=True))],
    ids=["adam", "sgd-momentum", "sgd-nesterov"],
)
def test_fit_100_steps_equals_keras_fit(ours, theirs):
    """The article's model and data, same start, same batches: same losses and weights."""
    X, y = make_linear(seed=0)
    model = MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    kmodel = keras_twin.to_keras(model)
    kmodel.compile(optimizer=theirs(), loss="mse")
    # 100 samples, batch 32 -> 4 steps per epoch (the last one of 4 samples); 25 epochs = 100 steps
    with keras_twin.floatx("float64"):  # otherwise fit rounds X and y to float32
        k_hist = kmodel.fit(X, y, batch_size=32, epochs=25, shuffle=False, verbose=0).history
    history = model.fit(X, y, optimizer=ours(), batch_size=32, epochs=25, shuffle=False)
    # Keras' loss tracker is a float32 metric: the reported losses agree to float32 precision.
    np.testing.assert_allclose(history["loss"], k_hist["loss"], rtol=1e-6)
    for w, kw in zip(model.get_weights(), kmodel.get_weights()):
        np.testing.assert_allclose(w, kw, rtol=1e-10, atol=1e-12)


def test_to_keras_needs_keras_3():
    assert int(keras.__version__.split(".")[0]) >= 3
    assert keras_twin.KERAS_LOSSES["mse"] == "mean_squared_error"


def test_import_keras_makes_training_repeatable():
    keras = keras_twin.import_keras()
    from tensorflow.python.framework import config  # the public API has no getter

    assert config.is_op_determinism_enabled()

    def train(seed):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(8, "relu"),
                                  keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        X = np.linspace(-1, 1, 60).reshape(20, 3)
        model.fit(X, X.sum(axis=1), epochs=3, batch_size=4, verbose=0)
        return np.concatenate([w.ravel() for w in model.get_weights()])

    assert np.array_equal(train(1), train(1))
    assert not np.array_equal(train(1), train(2))
