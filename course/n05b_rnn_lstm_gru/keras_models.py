"""The Keras models of notebook 05b: SimpleRNN, LSTM and GRU regressors.

- ``build_rnn_regressor``: one recurrent layer (named ``"rnn"``) and a linear output.
- ``compare_rnns``: every kind trained from several seeds, with its test predictions and MSE.

TensorFlow is imported only when a function here is called (``keras_twin.import_keras``).
"""

from __future__ import annotations

import numpy as np

from course.keras_twin import import_keras, keras_adam
from nnlib.validation import check_positive_int

RNN_LAYERS = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def build_rnn_regressor(kind, n_steps, n_features=1, *, units=16, learning_rate=0.01):
    """A recurrent layer reading the sequence, then ``Dense(1)`` on its last state.

    Parameters
    ----------
    kind : {"simple_rnn", "lstm", "gru"}
    n_steps : int
        Sequence length.
    n_features : int, default=1
    units : int, default=16
    learning_rate : float, default=0.01

    Returns
    -------
    keras.Model
        Compiled with Adam and MSE; the recurrent layer is named ``"rnn"``.
    """
    keras = import_keras()
    if kind not in RNN_LAYERS:
        raise ValueError(f"kind must be one of {sorted(RNN_LAYERS)}. Received: kind={kind!r}")
    layer = getattr(keras.layers, RNN_LAYERS[kind])(check_positive_int(units, "units"),
                                                     name="rnn")
    model = keras.Sequential([
        keras.Input(shape=(check_positive_int(n_steps, "n_steps"),
                           check_positive_int(n_features, "n_features"))),
        layer,
        keras.layers.Dense(1, name="output"),
    ], name=kind)
    model.compile(keras_adam(keras, learning_rate), "mse")
    return model


def compare_rnns(kinds, X, y, X_test, y_test, *, epochs=10, seeds=(0,), units=16,
                 batch_size=32, learning_rate=0.01):
    """Train a ``build_rnn_regressor`` for every kind and seed; return its test predictions and MSE.

    For each ``kind`` and each ``seed``: seed Keras (``keras.utils.set_random_seed(seed)``),
    build the model, fit it on ``(X, y)``, predict ``X_test`` and compute the test mean
    squared error. Training the same architecture from several seeds shows how much a
    result owes to luck.

    Parameters
    ----------
    kinds : iterable of {"simple_rnn", "lstm", "gru"}
    X : ndarray of shape (n_samples, n_steps, n_features)
    y : ndarray of shape (n_samples, 1)
    X_test : ndarray of shape (n_test, n_steps, n_features)
    y_test : ndarray of shape (n_test, 1)
    epochs : int, default=10
    seeds : iterable of int, default=(0,)
        One model per seed (and kind).
    units : int, default=16
    batch_size : int, default=32
    learning_rate : float, default=0.01

    Returns
    -------
    predictions : dict of str to ndarray of shape (n_seeds, n_test, 1)
        ``predictions[kind][k]``: the test predictions of the model trained with ``seeds[k]``.
    mse : dict of str to ndarray of shape (n_seeds,)
        Test MSE of each of those models.
    """
    keras = import_keras()
    kinds, seeds = list(kinds), [int(s) for s in seeds]
    if not kinds or not seeds:
        raise ValueError(
            f"kinds and seeds must not be empty. Received: kinds={kinds}, seeds={seeds}"
        )
    X, X_test = np.asarray(X, dtype=float), np.asarray(X_test, dtype=float)
    y, y_test = np.asarray(y, dtype=float), np.asarray(y_test, dtype=float)
    if X.ndim != 3 or X_test.shape[1:] != X.shape[1:]:
        raise ValueError(
            "X and X_test must be (n_samples, n_steps, n_features) with the same steps and "
            f"features. Received: X.shape={X.shape}, X_test.shape={X_test.shape}"
        )
    if y_test.shape != (len(X_test), 1):
        raise ValueError(
            f"y_test must have shape ({len(X_test)}, 1). Received: y_test.shape={y_test.shape}"
        )
    predictions, mse = {}, {}
    for kind in kinds:
        runs = []
        for seed in seeds:
            keras.utils.set_random_seed(seed)
            model = build_rnn_regressor(kind, X.shape[1], X.shape[2], units=units,
                                        learning_rate=learning_rate)
            model.fit(X, y, epochs=check_positive_int(epochs, "epochs"),
                      batch_size=check_positive_int(batch_size, "batch_size"), verbose=0)
            runs.append(np.asarray(model(X_test)))  # calling the model directly, like a layer
        predictions[kind] = np.stack(runs)
        mse[kind] = np.mean((predictions[kind] - y_test) ** 2, axis=(1, 2))
    return predictions, mse


def gradient_reach(layer, X):
    """How much each input step still moves the last state: ``||dh_T / dx_t||`` for every t.

    The Jacobian of the layer's last state with respect to one sequence, computed by
    ``tf.GradientTape``: the sequence is copied once per unit, and copy ``j``
    differentiates unit ``j`` of ``h_T`` (one backward pass for the whole Jacobian).

    Parameters
    ----------
    layer : keras recurrent layer
        Built, returning its last state only (``return_sequences=False``), float64.
    X : ndarray of shape (1, n_steps, n_features)
        One sequence.

    Returns
    -------
    reach : ndarray of shape (n_steps,)
        The Frobenius norm of ``dh_T / dx_t`` for each step ``t`` (first step first).
    """
    import tensorflow as tf

    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 3 or X.shape[0] != 1:
        raise ValueError("X must be one sequence of shape (1, n_steps, n_features). "
                         f"Received: shape {X.shape}.")
    copies = tf.constant(np.repeat(X, layer.units, axis=0))
    with tf.GradientTape() as tape:
        tape.watch(copies)
        last = layer(copies)
        if last.shape != (layer.units, layer.units):
            raise ValueError("layer must return its last state only, of shape "
                             f"(batch, {layer.units}). Received: shape {tuple(last.shape)}.")
        diagonal = tf.linalg.trace(last)  # sum over j of unit j of copy j
    jacobian = tape.gradient(diagonal, copies).numpy()  # (units, n_steps, n_features)
    return np.sqrt(np.sum(jacobian**2, axis=(0, 2)))
