"""Keras experiments over several seeds (notebooks 05a, 05b): how much a result owes to luck.

- ``compare_rnns``: SimpleRNN, LSTM and GRU regressors trained from several seeds.
- ``accuracy_over_seeds``: any model builder, trained and evaluated from several seeds.

TensorFlow is imported only when a function here is called.
"""

from __future__ import annotations

import numpy as np

from ..core.validation import check_positive_int
from .models import build_rnn_regressor
from .twin import import_keras


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


def accuracy_over_seeds(build, X_train, y_train, X_test, y_test, *, seeds=(0, 1, 2), epochs=30,
                        batch_size=32):
    """Test accuracy of a classifier trained once per seed: how much of a result is luck.

    For each seed: seed Keras, call ``build()`` for a fresh compiled model, seed Keras again
    (as the notebooks do before ``fit``), fit it, and evaluate it on the test set.

    Parameters
    ----------
    build : callable
        ``build()`` returns a compiled classifier with metric ``accuracy``, e.g.
        ``lambda: build_cnn((8, 8, 1), 10)``.
    X_train, y_train, X_test, y_test : ndarray
        Training and test data (integer labels).
    seeds : iterable of int, default=(0, 1, 2)
    epochs : int, default=30
    batch_size : int, default=32

    Returns
    -------
    ndarray of shape (n_seeds,)
        The test accuracy of the model trained with each seed.
    """
    keras = import_keras()
    if not callable(build):
        raise TypeError(f"build must be a callable returning a model. Received: {build!r}")
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError(f"seeds must not be empty. Received: seeds={seeds}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    accuracies = []
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        model = build()
        keras.utils.set_random_seed(seed)
        model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
        accuracies.append(float(model.evaluate(X_test, y_test, verbose=0)[1]))
    return np.array(accuracies)
