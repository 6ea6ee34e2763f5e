"""course.n05b_rnn_lstm_gru.recurrent against keras.layers.SimpleRNN / LSTM / GRU in float64 on random weights.

Tolerance: the same float64 operations in a slightly different order, so the states
agree to rounding: |difference| <= 1e-12 (states lie in [-1, 1]).
"""

import numpy as np
import pytest

from course.n05b_rnn_lstm_gru import recurrent

ATOL = 1e-12
KINDS = [("simple_rnn", "SimpleRNN", {}), ("lstm", "LSTM", {}),
         ("gru", "GRU", {"reset_after": True}), ("gru", "GRU", {"reset_after": False})]
IDS = ["simple_rnn", "lstm", "gru_reset_after", "gru_reset_before"]


@pytest.fixture(scope="module")
def keras():
    from course import keras_twin

    return keras_twin.import_keras()


def _layer(keras, name, kwargs, rng, X, units=5, **more):
    layer = getattr(keras.layers, name)(units, dtype="float64", **kwargs, **more)
    layer.build(X.shape)
    # random weights at scale 0.5: the gates open and close, not stuck at initialization
    layer.set_weights([0.5 * rng.normal(size=w.shape) for w in layer.get_weights()])
    return layer


@pytest.mark.parametrize(("kind", "name", "kwargs"), KINDS, ids=IDS)
def test_unrolled_cell_equals_keras_layer(keras, rng, kind, name, kwargs):
    X = rng.normal(size=(3, 7, 4))
    layer = _layer(keras, name, kwargs, rng, X, return_sequences=True)
    expected = layer(X).numpy()
    got = recurrent.rnn_forward(kind, X, *layer.get_weights(), return_sequences=True,
                                reset_after=kwargs.get("reset_after", True))
    assert got.shape == expected.shape == (3, 7, 5)
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL)
    last = recurrent.rnn_forward(kind, X, *layer.get_weights(),
                                 reset_after=kwargs.get("reset_after", True))
    np.testing.assert_array_equal(last, got[:, -1])


@pytest.mark.parametrize(("kind", "name", "kwargs"), KINDS, ids=IDS)
def test_initial_state_and_final_state_equal_keras(keras, rng, kind, name, kwargs):
    X = rng.normal(size=(2, 4, 3))
    layer = _layer(keras, name, kwargs, rng, X, units=6, return_state=True)
    if kind == "lstm":
        state = (rng.normal(size=(2, 6)), rng.normal(size=(2, 6)))
        out, h, c = (t.numpy() for t in layer(X, initial_state=list(state)))
        expected_state = (h, c)
    else:
        state = rng.normal(size=(2, 6))
        out, h = (t.numpy() for t in layer(X, initial_state=[state]))
        expected_state = h
    got, got_state = recurrent.rnn_forward(kind, X, *layer.get_weights(), initial_state=state,
                                           return_state=True,
                                           reset_after=kwargs.get("reset_after", True))
    np.testing.assert_allclose(got, out, rtol=0, atol=ATOL)
    np.testing.assert_allclose(np.asarray(got_state), np.asarray(expected_state), atol=ATOL)


@pytest.mark.parametrize(("kind", "name", "kwargs"), KINDS, ids=IDS)
def test_count_rnn_params_equals_keras(keras, kind, name, kwargs, rng):
    layer = _layer(keras, name, kwargs, rng, np.zeros((1, 2, 3)), units=7)
    assert recurrent.count_rnn_params(kind, 3, 7, **kwargs) == layer.count_params()


def test_simple_rnn_worked_by_hand():
    # one unit, w = 1, u = 0.5, b = 0: h1 = tanh(1), h2 = tanh(0 + 0.5 tanh(1))
    X = np.array([[[1.0], [0.0]]])
    H = recurrent.rnn_forward("simple_rnn", X, [[1.0]], [[0.5]], [0.0], return_sequences=True)
    np.testing.assert_allclose(H[0, :, 0], [np.tanh(1.0), np.tanh(0.5 * np.tanh(1.0))])


def test_lstm_gate_order_is_i_f_c_o():
    # zero weights; biases open only the gate we name: with the forget gate shut (bias -50)
    # and input/output open, c = tanh(b_c); reorder i/f and the result changes.
    units = 1
    zeros_k, zeros_u = np.zeros((1, 4 * units)), np.zeros((units, 4 * units))
    bias = np.array([50.0, -50.0, 0.3, 50.0])  # i, f, c, o
    state0 = (np.zeros((1, 1)), np.full((1, 1), 7.0))
    h, c = recurrent.lstm_cell(np.zeros((1, 1)), state0, zeros_k, zeros_u, bias)
    np.testing.assert_allclose(c, np.tanh(0.3))  # the old 7.0 is forgotten
    np.testing.assert_allclose(h, np.tanh(np.tanh(0.3)))


def test_gru_update_gate_near_one_keeps_the_state():
    k, u = np.zeros((1, 3)), np.zeros((1, 3))
    bias = np.array([[50.0, 0.0, 0.0], [0.0, 0.0, 0.0]])  # z = 1: keep h
    h = recurrent.gru_cell(np.ones((1, 1)), np.full((1, 1), 0.25), k, u, bias)
    np.testing.assert_allclose(h, 0.25)


@pytest.mark.parametrize(("call", "match"), [
    (lambda: recurrent.rnn_forward("rnn", np.zeros((1, 2, 3)), *_w("simple_rnn")),
     r"kind must be one of \['gru', 'lstm', 'simple_rnn'\]. Received: kind='rnn'"),
    (lambda: recurrent.rnn_forward("lstm", np.zeros((2, 3)), *_w("lstm")),
     r"X must be 3-D .*Received: X with shape \(2, 3\)"),
    (lambda: recurrent.rnn_forward("lstm", np.zeros((1, 2, 4)), *_w("lstm")),
     r"kernel for lstm must have shape \(n_features=4, 4 \* units\).*\(3, 8\)"),
    (lambda: recurrent.rnn_forward("lstm", np.zeros((1, 2, 3)), np.zeros((3, 8)),
                                   np.zeros((2, 4)), np.zeros(8)),
     r"recurrent_kernel for lstm with 2 units must have shape \(2, 8\).*\(2, 4\)"),
    (lambda: recurrent.rnn_forward("gru", np.zeros((1, 2, 3)), np.zeros((3, 6)),
                                   np.zeros((2, 6)), np.zeros(6)),
     r"bias for gru must have shape \(2, 6\) \(reset_after=True.*Received: bias with shape"),
    (lambda: recurrent.rnn_forward("simple_rnn", np.zeros((1, 2, 3)), *_w("simple_rnn"),
                                   initial_state=np.zeros((2, 2))),
     r"initial_state must have shape \(1, 2\). Received: shape \(2, 2\)"),
])
def test_errors_name_expected_and_received(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _w(kind, n_features=3, units=2):
    g = recurrent.KINDS[kind]
    bias = np.zeros((2, 3 * units)) if kind == "gru" else np.zeros(g * units)
    return np.zeros((n_features, g * units)), np.zeros((units, g * units)), bias
