"""Tests for nnlib/model.py: MLP construction, forward, backprop, fit."""

import warnings

import numpy as np
import pytest

import nnlib
from nnlib import MLP, SGD, Adam, DivergenceWarning
from nnlib.data import make_linear, one_hot
from nnlib.gradcheck import check_model_gradients, numerical_gradient, relative_error

ARTICLE = ([1, 10, 5, 1], ["relu", "relu", "linear"])


# ------------------------------------------------------------------ construction and weights


def test_article_model_shapes_and_init():
    model = MLP(*ARTICLE, seed=0)
    assert [p.shape for p in model.params] == [(1, 10), (10,), (10, 5), (5,), (5, 1), (1,)]
    assert model.count_params() == 81 == sum(p.size for p in model.params)
    for W, (n_in, n_out) in zip(model.weights, [(1, 10), (10, 5), (5, 1)]):
        assert np.abs(W).max() <= np.sqrt(6 / (n_in + n_out))  # glorot-uniform
    assert all(np.all(b == 0) for b in model.biases)  # Keras' zeros
    assert repr(model) == "MLP([1, 10, 5, 1], ['relu', 'relu', 'linear'], n_params=81)"


def test_params_are_views_into_theta():
    model = MLP(*ARTICLE, seed=0)
    model.theta[:] = np.arange(81)
    np.testing.assert_array_equal(model.params[0], np.arange(10).reshape(1, 10))
    model.params[1][:] = -1
    np.testing.assert_array_equal(model.theta[10:20], -1)


def test_same_seed_same_weights_other_seed_other_weights():
    a, b, c = MLP(*ARTICLE, seed=3), MLP(*ARTICLE, seed=3), MLP(*ARTICLE, seed=4)
    np.testing.assert_array_equal(a.theta, b.theta)
    assert not np.array_equal(a.theta, c.theta)


def test_get_set_weights_round_trip_and_copies():
    a, b = MLP(*ARTICLE, seed=1), MLP(*ARTICLE, seed=2)
    b.set_weights(a.get_weights())
    np.testing.assert_array_equal(a.theta, b.theta)
    weights = a.get_weights()
    weights[0][:] = 99  # a copy: the model does not change
    assert not np.any(a.params[0] == 99)


def test_set_weights_errors_name_the_array():
    model = MLP(*ARTICLE, seed=0)
    with pytest.raises(ValueError, match="expects 6 arrays"):
        model.set_weights([np.zeros((1, 10))])
    bad = model.get_weights()
    bad[2] = np.zeros((5, 10))  # transposed W2
    with pytest.raises(ValueError, match=r"W2 must have shape \(10, 5\), got \(5, 10\)"):
        model.set_weights(bad)


def test_copy_is_independent():
    a = MLP(*ARTICLE, seed=0)
    b = a.copy()
    b.params[0][:] = 0
    assert not np.all(a.params[0] == 0)
    X, y = make_linear(seed=0)
    b.fit(X, y, epochs=1)  # the copy trains with its own buffers
    np.testing.assert_array_equal(a.get_weights()[2], MLP(*ARTICLE, seed=0).params[2])


# ------------------------------------------------------------------ forward


def test_forward_worked_by_hand():
    model = MLP([2, 2, 1], ["relu", "linear"], seed=0)
    model.set_weights([np.array([[1.0, -1.0], [2.0, 0.5]]), np.array([0.5, 0.0]),
                       np.array([[2.0], [3.0]]), np.array([1.0])])
    X = np.array([[1.0, 1.0], [-1.0, 2.0]])
    # sample 1: Z1 = [1+2+0.5, -1+0.5] = [3.5, -0.5] -> A1 = [3.5, 0] -> 2*3.5 + 1 = 8
    # sample 2: Z1 = [-1+4+0.5, 1+1] = [3.5, 2] -> A1 = [3.5, 2] -> 7 + 6 + 1 = 14
    np.testing.assert_allclose(model.predict(X), [[8.0], [14.0]])
    np.testing.assert_array_equal(model.forward(X, training=True), model.predict(X))


def test_softmax_output_rows_sum_to_one(rng):
    model = MLP([3, 4, 5], ["tanh", "softmax"], seed=0)
    np.testing.assert_allclose(model.predict(rng.normal(size=(7, 3))).sum(axis=1), 1.0)


def test_float32_model(rng):
    model = MLP(*ARTICLE, seed=0, dtype=np.float32)
    X, y = make_linear(seed=0)
    assert model.predict(X).dtype == np.float32
    history = model.fit(X, y, epochs=2)
    assert model.theta.dtype == np.float32 and len(history["loss"]) == 2


# ------------------------------------------------------------------ backprop vs central differences

HIDDEN = ["relu", "sigmoid", "tanh", "linear", "softmax"]
# (loss, output activation, n_out): the fused pairs and the general chain-rule path
HEADS = [
    ("mse", "linear", 2), ("mse", "relu", 2), ("mse", "sigmoid", 2), ("mse", "tanh", 2),
    ("mse", "softmax", 3),
    ("binary_cross_entropy", "sigmoid", 1), ("binary_cross_entropy", "softmax", 2),
    ("categorical_cross_entropy", "softmax", 3), ("categorical_cross_entropy", "sigmoid", 3),
]


def _targets(loss, n, n_out, rng):
    if loss == "mse":
        return rng.normal(size=(n, n_out))
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, size=(n, n_out)).astype(float)
    return one_hot(rng.integers(0, n_out, size=n), n_out)


@pytest.mark.parametrize("penalty", [(0.0, 0.0), (0.01, 0.03)], ids=["plain", "l1+l2"])
@pytest.mark.parametrize("head", HEADS, ids=lambda h: f"{h[0]}-{h[1]}")
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backprop_matches_central_differences(hidden, head, penalty, rng):
    loss, out_act, n_out = head
    l1, l2 = penalty
    model = MLP([3, 5, 4, n_out], [hidden, hidden, out_act], seed=rng)
    for b in model.biases:  # non-zero biases so every term of the chain rule matters
        b[:] = rng.normal(scale=0.1, size=b.shape)
    X = rng.normal(size=(8, 3))
    y = _targets(loss, 8, n_out, rng)
    rows = check_model_gradients(model, X, y, loss=loss, l1=l1, l2=l2)
    worst = max(row["relative_error"] for row in rows)
    assert worst < 1e-6, rows


def test_gradients_have_param_shapes_and_are_copies(rng):
    model = MLP(*ARTICLE, seed=0)
    X, y = make_linear(20, seed=1)
    value, grads = model.loss_and_grads(X, y)
    assert [g.shape for g in grads] == [p.shape for p in model.params]
    assert value == pytest.approx(nnlib.losses.mse(y, model.predict(X)))
    _, grads2 = model.loss_and_grads(X * 2, y)
    assert not np.allclose(grads[0], grads2[0])  # the first result was not overwritten


def test_dropout_backprop_matches_central_differences_with_frozen_mask(rng):
    model = MLP([3, 6, 6, 1], ["tanh", "relu", "linear"], dropout=0.5, seed=0)
    X, y = rng.normal(size=(10, 3)), rng.normal(size=(10, 1))
    state = model._rng.bit_generator.state
    _, grads = model.loss_and_grads(X, y, training=True)

    def loss_same_mask():
        model._rng.bit_generator.state = state  # the same dropout mask every time
        return model._loss_and_grad(X, y, nnlib.losses.get("mse"), 0.0, 0.0, True)

    for p, g in zip(model.params, grads):
        assert relative_error(g, numerical_gradient(loss_same_mask, p)) < 1e-6


def test_dropout_is_inverted_and_only_in_training(rng):
    model = MLP([4, 200, 1], ["relu", "linear"], dropout=0.25, seed=0)
    X = np.abs(rng.normal(size=(500, 4)))
    cache = model._forward(X, training=True)
    A_drop, mask = cache[1][1], cache[1][2]
    A_full = nnlib.activations.relu(cache[1][0])
    assert np.mean(mask == 0) == pytest.approx(0.25, abs=0.01)
    np.testing.assert_allclose(A_drop[mask > 0], A_full[mask > 0] / 0.75)
    assert A_drop.mean() == pytest.approx(A_full.mean(), rel=0.02)  # expectation kept
    np.testing.assert_array_equal(model.predict(X), model.predict(X))  # no dropout at inference


# ------------------------------------------------------------------ fit


def _fit_by_hand(model, X, y, optimizer, epochs, batch_size):
    losses = []
    for _ in range(epochs):
        total = 0.0
        for start in range(0, len(X), batch_size):
            Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            value, grads = model.loss_and_grads(Xb, yb)
            optimizer.step(model.params, grads)
            total += value * len(Xb)
        losses.append(total / len(X))
    return losses


def test_fit_equals_a_hand_written_loop_with_keras_batching():
    X, y = make_linear(seed=0)
    a, b = MLP(*ARTICLE, seed=0), MLP(*ARTICLE, seed=0)
    opt_a, opt_b = Adam(0.01), Adam(0.01)
    history = a.fit(X, y, optimizer=opt_a, epochs=3, batch_size=32, shuffle=False)
    expected = _fit_by_hand(b, X, y, opt_b, epochs=3, batch_size=32)
    assert opt_a.iterations == 12  # 100 samples in batches of 32, 32, 32, 4 -> 4 steps per epoch
    np.testing.assert_allclose(history["loss"], expected, rtol=1e-12)
    np.testing.assert_allclose(a.theta, b.theta, rtol=1e-12)
    assert history.epochs == [1, 2, 3] and not history.diverged


def test_fit_learns_the_article_line():
    X, y = make_linear(seed=0)
    model = MLP(*ARTICLE, seed=0)
    history = model.fit(X, y, optimizer=Adam(0.01), epochs=200, seed=0)
    assert history["loss"][-1] < 0.02 < history["loss"][0]
    assert "trained for 200 epoch(s), 800 step(s)" == history.message


def test_fit_shuffle_is_seeded():
    X, y = make_linear(seed=0)
    runs = [MLP(*ARTICLE, seed=0).fit(X, y, epochs=3, seed=s)["loss"] for s in (1, 1, 2)]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_fit_continues_from_current_weights_and_optimizer_state():
    X, y = make_linear(seed=0)
    a, b = MLP(*ARTICLE, seed=0), MLP(*ARTICLE, seed=0)
    opt_a, opt_b = Adam(0.01), Adam(0.01)
    a.fit(X, y, optimizer=opt_a, epochs=4, shuffle=False)
    b.fit(X, y, optimizer=opt_b, epochs=2, shuffle=False)
    b.fit(X, y, optimizer=opt_b, epochs=2, shuffle=False)
    np.testing.assert_allclose(a.theta, b.theta, rtol=1e-12)


def test_validation_loss_and_callback_stop():
    X, y = make_linear(seed=0)
    X_val, y_val = make_linear(30, seed=1)
    model = MLP(*ARTICLE, seed=0)
    seen = []

    def callback(epoch, logs):
        seen.append((epoch, logs["val_loss"], model.loss(X_val, y_val)))
        return epoch == 3

    history = model.fit(X, y, epochs=50, validation_data=(X_val, y_val), callback=callback)
    assert len(history["loss"]) == len(history["val_loss"]) == 3
    assert history.stopped_early and "after epoch 3" in history.message
    assert [epoch for epoch, _, _ in seen] == [1, 2, 3]
    assert seen[-1][1] == pytest.approx(seen[-1][2])  # val_loss = loss of the weights at epoch end


def test_penalties_enter_the_reported_loss_like_keras():
    X, y = make_linear(seed=0)
    model = MLP(*ARTICLE, seed=0)
    penalty = 0.01 * sum(float(np.sum(W**2)) for W in model.weights)
    assert model.loss(X, y, l2=0.01) == pytest.approx(model.loss(X, y) + penalty)


def test_divergence_stops_with_one_message_and_no_numpy_warnings():
    X, y = make_linear(seed=0)
    model = MLP([1, 32, 32, 1], ["relu", "relu", "linear"], seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(X, y, optimizer=SGD(learning_rate=5.0), epochs=100)
    assert history.diverged and history.diverged_at is not None
    assert history.message.startswith(f"diverged at step {history.diverged_at}")
    assert len(history["loss"]) < 100
    assert [w.category for w in caught] == [DivergenceWarning]


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"layer_sizes": [3], "activations": []}, ValueError, "at least an input and an output"),
        ({"layer_sizes": [3, 0, 1], "activations": ["relu", "linear"]}, ValueError,
         "each layer size must be an integer >= 1. Received: each layer size=0"),
        ({"layer_sizes": [3, 4, 1], "activations": ["relu"]}, ValueError,
         r"one name per layer after the input \(2 for layer_sizes=\[3, 4, 1\]\)"),
        ({"layer_sizes": [3, 4, 1], "activations": ["relu", "swish"]}, ValueError,
         "Unknown activation 'swish'. Valid activation names are: linear, relu"),
        ({"layer_sizes": [3, 4, 1], "activations": ["relu", "linear"], "dropout": 1.0},
         ValueError, r"dropout must be in \[0.0, 1.0\)"),
        ({"layer_sizes": [3, 4, 1], "activations": ["relu", "linear"], "dtype": int},
         TypeError, "dtype must be a float type"),
    ],
)
def test_constructor_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        MLP(**kwargs)


def test_input_shape_errors_name_shapes():
    model = MLP(*ARTICLE, seed=0)
    X, y = make_linear(seed=0)
    with pytest.raises(ValueError, match=r"shape \(100,\).*X.reshape\(-1, 1\)"):
        model.predict(X.ravel())
    with pytest.raises(ValueError, match=r"X has shape \(100, 2\), but this MLP expects \(n_samples, 1\)"):
        model.predict(np.hstack([X, X]))
    with pytest.raises(ValueError, match=r"X and y must have the same number of samples.*\(100, 1\).*\(99, 1\)"):
        model.fit(X, y[:99])
    with pytest.raises(ValueError, match=r"y has shape \(100, 2\), but this MLP outputs \(n_samples, 1\)"):
        model.loss_and_grads(X, np.hstack([y, y]))


def test_non_finite_data_is_rejected():
    model = MLP(*ARTICLE, seed=0)
    X, y = make_linear(seed=0)
    X[5, 0] = np.nan
    with pytest.raises(ValueError, match="X contains 1 NaN and 0 infinite"):
        model.fit(X, y)
    X[5, 0] = 0.0
    y[0, 0] = np.inf
    with pytest.raises(ValueError, match="y contains 0 NaN and 1 infinite"):
        model.fit(X, y)
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        model.predict("not data")


def test_label_format_errors():
    clf = MLP([2, 4, 3], ["relu", "softmax"], seed=0)
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"integer class labels.*nnlib.data.one_hot\(y, 3\)"):
        clf.fit(X, np.array([0, 1, 2, 1]), loss="categorical_cross_entropy")
    binary = MLP([2, 4, 1], ["relu", "sigmoid"], seed=0)
    with pytest.raises(ValueError, match=r"targets y in \[0, 1\]"):
        binary.fit(X, np.array([0, 1, 2, 1]), loss="binary_cross_entropy")


def test_fit_hyperparameter_errors():
    model = MLP(*ARTICLE, seed=0)
    X, y = make_linear(seed=0)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0. Received: learning_rate=0.0"):
        model.fit(X, y, optimizer=SGD(learning_rate=0.0))
    with pytest.raises(ValueError, match="epochs must be an integer >= 1. Received: epochs=0"):
        model.fit(X, y, epochs=0)
    with pytest.raises(TypeError, match="batch_size must be an integer. Received: batch_size=2.5"):
        model.fit(X, y, batch_size=2.5)
    with pytest.raises(ValueError, match="l2 must be a finite number >= 0. Received: l2=-1.0"):
        model.fit(X, y, l2=-1)
    with pytest.raises(ValueError, match="Unknown loss 'mae'"):
        model.fit(X, y, loss="mae")
    with pytest.raises(ValueError, match="validation_data must be a tuple"):
        model.fit(X, y, validation_data=X)
    with pytest.raises(TypeError, match="callback must be callable"):
        model.fit(X, y, callback="print")


def test_fit_can_diverge_quietly_for_callers_that_report_it():
    import warnings

    X = np.linspace(-1, 1, 20)[:, None]
    y = 3 * X
    model = MLP([1, 8, 1], ["relu", "linear"], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        history = model.fit(X, y, optimizer=SGD(learning_rate=50.0), epochs=200,
                            batch_size=20, warn=False)
    assert history.diverged and history.message.startswith("diverged at step")
    with pytest.warns(DivergenceWarning, match="diverged at step"):
        MLP([1, 8, 1], ["relu", "linear"], seed=0).fit(
            X, y, optimizer=SGD(learning_rate=50.0), epochs=200, batch_size=20)


def test_seed_dropout_repeats_the_masks():
    X = np.linspace(-1, 1, 16)[:, None]
    model = MLP([1, 32, 1], ["relu", "linear"], dropout=0.5, seed=0)
    model.seed_dropout(7)
    first = model.forward(X, training=True)
    assert not np.array_equal(first, model.forward(X, training=True))  # new masks
    model.seed_dropout(7)
    np.testing.assert_array_equal(model.forward(X, training=True), first)


def test_step_callback_sees_each_batch_loss_before_its_update_and_can_stop():
    X = np.linspace(-1, 1, 10)[:, None]
    y = 2 * X
    model = MLP([1, 4, 1], ["tanh", "linear"], seed=0)
    twin = model.copy()
    seen = []
    opt = SGD(learning_rate=0.1)

    def before_update(step, loss):
        seen.append((step, loss))
        opt.learning_rate = 0.1 / step  # a schedule, set before each update
        return step == 7

    history = model.fit(X, y, optimizer=opt, epochs=5, batch_size=4, shuffle=False,
                        step_callback=before_update)
    assert [s for s, _ in seen] == list(range(1, 8)) and history.stopped_early
    assert history.message == "stopped by the step callback at step 7"
    # the same six updates by hand: step k uses rate 0.1 / k
    for k, idx in zip(range(1, 7), [slice(0, 4), slice(4, 8), slice(8, 10)] * 2, strict=True):
        value, grads = twin.loss_and_grads(X[idx], y[idx])
        assert value == pytest.approx(seen[k - 1][1], rel=1e-12)
        for p, g in zip(twin.params, grads, strict=True):
            p -= (0.1 / k) * g
    np.testing.assert_allclose(model.theta, twin.theta, rtol=1e-12)
    with pytest.raises(TypeError, match="step_callback must be callable"):
        model.fit(X, y, step_callback=3)
