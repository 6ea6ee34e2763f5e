"""Tests for nnlib/keras_models.py: shapes, layer names, parity of the numpy twins, training."""

import subprocess
import sys

import numpy as np
import pytest

from course import keras_twin
from course.n05a_mlp_cnn import conv
from course.n05a_mlp_cnn import keras_models as cnn_models
from course.n05b_rnn_lstm_gru import keras_models as rnn_models
from course.n05b_rnn_lstm_gru import recurrent
from course.n05c_transformers import attention
from course.n05c_transformers import keras_models as transformer_models
from course.n05c_transformers import sequences as reverse_sequences


@pytest.fixture(scope="module")
def keras():
    from course import keras_twin

    return keras_twin.import_keras()


def test_import_nnlib_does_not_load_tensorflow():
    code = ("import sys, nnlib, course.keras_twin, course.n05a_mlp_cnn.keras_models, "
            "course.n05a_mlp_cnn.conv, course.n05b_rnn_lstm_gru.recurrent, "
            "course.n05b_rnn_lstm_gru.keras_models, course.n05c_transformers.keras_models, "
            "course.n05c_transformers.attention; print('tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cnn_and_mlp_shapes_and_params(keras, rng):
    keras.utils.set_random_seed(0)
    cnn = cnn_models.build_cnn((8, 8, 1), 10, filters=(8, 16))
    mlp = cnn_models.build_mlp_classifier((8, 8, 1), 10, hidden=(24,))
    X = rng.random((5, 8, 8, 1))
    assert cnn.predict(X, verbose=0).shape == mlp.predict(X, verbose=0).shape == (5, 10)
    assert cnn.count_params() == (conv.count_conv_params(3, 1, 8) + conv.count_conv_params(3, 8, 16)
                                  + (2 * 2 * 16) * 10 + 10)
    assert mlp.count_params() == 64 * 24 + 24 + 24 * 10 + 10


def test_cnn_first_layer_equals_numpy_conv(keras, rng):
    keras.utils.set_random_seed(0)
    cnn = cnn_models.build_cnn((8, 8, 1), 10)
    X = rng.random((3, 8, 8, 1)).astype("float32")
    maps = keras_twin.layer_output(cnn, "conv1", X)
    mine = np.maximum(conv.conv2d(X, *cnn.get_layer("conv1").get_weights(), padding="same"), 0)
    np.testing.assert_allclose(maps, mine, rtol=1e-5, atol=1e-6)  # Keras runs in float32


@pytest.mark.parametrize("kind", ["simple_rnn", "lstm", "gru"])
def test_rnn_regressor_layer_equals_numpy(keras, rng, kind):
    keras.utils.set_random_seed(0)
    model = rnn_models.build_rnn_regressor(kind, 6, 2, units=4)
    X = rng.normal(size=(3, 6, 2)).astype("float32")
    h = recurrent.rnn_forward(kind, X, *model.get_layer("rnn").get_weights())
    W, b = model.get_layer("output").get_weights()
    np.testing.assert_allclose(model.predict(X, verbose=0), h @ W + b, rtol=1e-5, atol=1e-6)


def test_transformer_learns_to_reverse_and_attends_anti_diagonally(keras):
    X, y = reverse_sequences.make_reverse_task(2000, 6, n_symbols=6, seed=0)
    keras.utils.set_random_seed(0)
    model = transformer_models.build_transformer(6, 6, d_model=16, ff_dim=32)
    assert model.predict(X[:2], verbose=0).shape == (2, 6, 6)
    model.fit(X, y, epochs=6, batch_size=64, verbose=0)
    Xt, yt = reverse_sequences.make_reverse_task(200, 6, n_symbols=6, seed=1)
    accuracy = np.mean(np.argmax(model.predict(Xt, verbose=0), axis=-1) == yt)
    assert accuracy > 0.95
    scores = transformer_models.attention_scores(model, Xt[:20])
    assert scores.shape == (20, 1, 6, 6)
    np.testing.assert_allclose(scores.sum(axis=-1), 1.0, atol=1e-5)
    mean = scores[:, 0].mean(axis=0)
    assert np.all(np.argmax(mean, axis=1) == np.arange(6)[::-1])
    # the numpy multi-head attention on the same inputs gives the same weights
    emb = model.get_layer("embedding").get_weights()[0]
    x = emb[Xt[:20]] + attention.positional_encoding(6, 16)
    _, mine = attention.multi_head_attention(x, x, model.get_layer("attention").get_weights(),
                                             return_attention_scores=True)
    np.testing.assert_allclose(mine, scores, atol=1e-5)


def test_errors(keras):
    with pytest.raises(ValueError, match=r"kind must be one of .*Received: kind='rnn'"):
        rnn_models.build_rnn_regressor("rnn", 5)
    with pytest.raises(ValueError, match=r"input_shape must be \(height, width, channels\)"):
        cnn_models.build_cnn((8, 8), 10)
    with pytest.raises(ValueError, match=r"too small for 2 convolutions with padding='valid'.*"
                                         r"conv2 would be 1 wide"):
        cnn_models.build_cnn((8, 8, 1), 10, filters=(8, 16), padding="valid")
    with pytest.raises(ValueError, match=r"padding must be 'same' or 'valid'"):
        cnn_models.build_cnn((8, 8, 1), 10, padding="full")
    with pytest.raises(ValueError, match=r"d_model must be a multiple of num_heads"):
        transformer_models.build_transformer(4, 5, d_model=10, num_heads=3)
    model = cnn_models.build_mlp_classifier((4,), 3)
    with pytest.raises(ValueError, match=r"no layer named 'conv1'. Its layers are"):
        keras_twin.layer_output(model, "conv1", np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0"):
        cnn_models.build_mlp_classifier((4,), 3, learning_rate=0)


def test_compare_rnns_seeds_shapes_and_mse(keras, rng):
    X, y = rng.normal(size=(40, 5, 2)), rng.normal(size=(40, 1))
    Xt, yt = rng.normal(size=(7, 5, 2)), rng.normal(size=(7, 1))
    preds, mse = rnn_models.compare_rnns(["simple_rnn", "gru"], X, y, Xt, yt, epochs=1,
                                           seeds=(3, 4), units=4)
    assert list(preds) == list(mse) == ["simple_rnn", "gru"]
    assert preds["gru"].shape == (2, 7, 1) and mse["gru"].shape == (2,)
    np.testing.assert_allclose(mse["simple_rnn"], ((preds["simple_rnn"] - yt) ** 2).mean(axis=(1, 2)))
    assert not np.allclose(preds["gru"][0], preds["gru"][1])  # each seed its own model
    # the run for seed 4 is the model one gets by seeding with 4 and training by hand
    keras.utils.set_random_seed(4)
    model = rnn_models.build_rnn_regressor("gru", 5, 2, units=4)
    model.fit(X, y, epochs=1, batch_size=32, verbose=0)
    np.testing.assert_allclose(preds["gru"][1], model.predict(Xt, verbose=0), rtol=1e-5, atol=1e-6)


def test_compare_rnns_lstm_learns_to_copy_the_last_value(keras, rng):
    X = rng.uniform(-1, 1, size=(600, 4, 1))
    preds, mse = rnn_models.compare_rnns(["lstm"], X, X[:, -1], X[:50], X[:50, -1],
                                           epochs=30, seeds=(0,), units=8)
    assert mse["lstm"][0] < 0.01 < np.var(X[:50, -1])


def test_compare_rnns_errors():
    X, y = np.zeros((4, 3, 1)), np.zeros((4, 1))
    with pytest.raises(ValueError, match=r"kinds and seeds must not be empty"):
        rnn_models.compare_rnns([], X, y, X, y)
    with pytest.raises(ValueError, match=r"same steps and features.*X_test.shape=\(4, 2, 1\)"):
        rnn_models.compare_rnns(["lstm"], X, y, X[:, :2], y)
    with pytest.raises(ValueError, match=r"y_test must have shape \(4, 1\)"):
        rnn_models.compare_rnns(["lstm"], X, y, X, y.ravel())


def test_accuracy_over_seeds_matches_a_run_by_hand_and_learns(keras, rng):
    X = rng.normal(size=(1200, 4))
    y = (X[:, 0] + 0.5 * rng.normal(size=1200) > 0).astype(int)  # noisy: accuracy ~0.85
    Xtr, ytr, Xte, yte = X[:200], y[:200], X[200:], y[200:]  # large test set: sensitive
    build = lambda: cnn_models.build_mlp_classifier((4,), 2, hidden=(8,))  # noqa: E731
    acc = cnn_models.accuracy_over_seeds(build, Xtr, ytr, Xte, yte, seeds=(0, 7), epochs=5)
    assert acc.shape == (2,) and np.all(acc > 0.7)  # it learns
    keras.utils.set_random_seed(7)
    model = build()
    keras.utils.set_random_seed(7)
    model.fit(Xtr, ytr, epochs=5, batch_size=32, verbose=0)
    assert acc[1] == pytest.approx(model.evaluate(Xte, yte, verbose=0)[1])
    assert acc[0] != acc[1]


def test_accuracy_over_seeds_errors():
    X, y = np.zeros((4, 2)), np.zeros(4, dtype=int)
    with pytest.raises(TypeError, match=r"build must be a callable"):
        cnn_models.accuracy_over_seeds("mlp", X, y, X, y)
    with pytest.raises(ValueError, match=r"seeds must not be empty"):
        cnn_models.accuracy_over_seeds(lambda: None, X, y, X, y, seeds=[])


@pytest.mark.parametrize("kind, layer", [("simple_rnn", "SimpleRNN"), ("lstm", "LSTM"),
                                         ("gru", "GRU")])
def test_gradient_reach_is_the_norm_of_each_steps_jacobian(keras, kind, layer):
    """Against central differences of the numpy forward pass, step by step."""
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, size=(1, 7, 2))
    cell = getattr(keras.layers, layer)(3, dtype="float64")
    cell.build(X.shape)
    cell.set_weights([0.5 * rng.normal(size=w.shape) for w in cell.get_weights()])
    weights = cell.get_weights()
    h = 1e-6
    expected = np.zeros(7)
    for t in range(7):
        columns = []
        for f in range(2):
            up, down = X.copy(), X.copy()
            up[0, t, f] += h
            down[0, t, f] -= h
            columns.append((recurrent.rnn_forward(kind, up, *weights)
                            - recurrent.rnn_forward(kind, down, *weights))[0] / (2 * h))
        expected[t] = np.sqrt(np.sum(np.square(columns)))
    reach = rnn_models.gradient_reach(cell, X)
    assert reach.shape == (7,) and np.allclose(reach, expected, rtol=1e-6, atol=0)


def test_gradient_reach_names_what_it_needs(keras):
    X = np.zeros((1, 4, 1))
    sequences_out = keras.layers.SimpleRNN(2, return_sequences=True, dtype="float64")
    sequences_out.build(X.shape)
    with pytest.raises(ValueError, match=r"last state only, of shape \(batch, 2\)\. "
                                         r"Received: shape \(2, 4, 2\)"):
        rnn_models.gradient_reach(sequences_out, X)
    with pytest.raises(ValueError, match=r"one sequence of shape \(1, n_steps, n_features\)\. "
                                         r"Received: shape \(2, 4, 1\)"):
        rnn_models.gradient_reach(sequences_out, np.zeros((2, 4, 1)))
