"""Input features of the playground (notebook 08): x1, x2 and what is built from them.

A network sees each point ``(x1, x2)`` of a 2-D data set through its input features.
Besides the coordinates themselves, TensorFlow Playground offers ``x1^2``, ``x2^2``,
``x1*x2``, ``sin(x1)`` and ``sin(x2)``; this module computes the same ones.

With ``x1^2`` and ``x2^2`` as inputs, even a network without a hidden layer draws a
curved boundary: its output ``sigmoid(w1 x1^2 + w2 x2^2 + b)`` is 0.5 where
``w1 x1^2 + w2 x2^2 + b = 0``, an ellipse (a circle when ``w1 = w2``).

Numpy only; ``playground`` uses it for the configuration, the training and the
Keras code.
"""

from __future__ import annotations

import numpy as np

#: name -> function of ``X`` of shape (n, 2) giving the feature of shape (n,).
FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}

#: name -> the same feature as a numpy expression of columns ``x1`` and ``x2`` (for code).
FEATURE_CODE = {
    "x1": "x1",
    "x2": "x2",
    "x1^2": "x1**2",
    "x2^2": "x2**2",
    "x1*x2": "x1 * x2",
    "sin(x1)": "np.sin(x1)",
    "sin(x2)": "np.sin(x2)",
}

#: name -> label for checkboxes and plots.
FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁x₂",
    "sin(x1)": "sin(x₁)",
    "sin(x2)": "sin(x₂)",
}

#: The raw coordinates: what a network sees when no feature is added.
DEFAULT_FEATURES = ("x1", "x2")


def check_features(features, name="features") -> tuple:
    """Return ``features`` as a tuple of names in the order of ``FEATURES``, or raise.

    Parameters
    ----------
    features : sequence of str
        Names from ``FEATURES``, e.g. ``("x1", "x2", "x1*x2")``, in any order.
    name : str, default="features"
        The argument's name, used in error messages.

    Returns
    -------
    tuple of str
        The same names, sorted as in ``FEATURES`` (so two selections of the same features
        compare equal).

    Raises
    ------
    TypeError
        If ``features`` is a single str or not a sequence.
    ValueError
        If it is empty, names an unknown feature or names one twice.
    """
    if isinstance(features, str) or not hasattr(features, "__iter__"):
        raise TypeError(f"{name} must be a sequence of feature names such as ('x1', 'x2'). "
                        f"Received: {name}={features!r}")
    given = list(features)
    unknown = [f for f in given if f not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r} in {name}; valid features are "
                         f"{', '.join(FEATURES)}. Received: {name}={tuple(given)!r}")
    if not given:
        raise ValueError(f"{name} must name at least one feature, e.g. ('x1', 'x2'). "
                         f"Received: {name}=()")
    if len(set(given)) != len(given):
        raise ValueError(f"{name} names a feature twice. Received: {name}={tuple(given)!r}")
    return tuple(f for f in FEATURES if f in given)


def feature_matrix(X, features=DEFAULT_FEATURES):
    """The network's inputs: the chosen features of 2-D points, one column each.

    Parameters
    ----------
    X : ndarray of shape (n_samples, 2)
        Points ``(x1, x2)``.
    features : sequence of str, default=("x1", "x2")
        Names from ``FEATURES``; the columns follow the order of ``FEATURES``.

    Returns
    -------
    ndarray of shape (n_samples, n_features)

    Raises
    ------
    ValueError
        If ``X`` is not of shape (n_samples, 2), or for a bad ``features`` (see
        ``check_features``).

    Notes
    -----
    Row ``i`` is ``[f(x1_i, x2_i) for f in features]``, e.g. with
    ``features=("x1^2", "x2^2")``: ``[x1_i**2, x2_i**2]``.
    """
    features = check_features(features)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2): the points (x1, x2). "
                         f"Received: X with shape {X.shape}")
    return np.column_stack([FEATURES[f](X) for f in features])
