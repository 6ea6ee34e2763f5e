"""Input checks shared by nnlib's public entry points.

Checks happen once, where a user's data enters (``MLP.fit``, ``losses.mse``,
``metrics.accuracy``, ...), never inside inner loops. Every message says what was
expected and what was received, in the spirit of scikit-learn's messages.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(x, name: str, *, ndim: int | None = None, layout: str | None = None,
                   dtype=np.float64) -> np.ndarray:
    """Return ``x`` as a finite float array, or raise a helpful error.

    Parameters
    ----------
    x : array_like
        The data to check.
    name : str
        The argument's name, used in error messages.
    ndim : int, optional
        The number of dimensions ``x`` must have.
    layout : str, optional
        What those dimensions mean, for the error message, e.g.
        ``"(n_samples, n_steps, n_features)"``.
    dtype : numpy dtype, default=np.float64
        The float dtype to convert to.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be an array of numbers. Received: {name}={x!r}")
    try:
        arr = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be an array of numbers. Received an object of type "
            f"{type(x).__name__} that numpy cannot turn into floats ({exc})."
        ) from None
    if ndim is not None and arr.ndim != ndim and layout is not None:
        raise ValueError(
            f"{name} must be {ndim}-D {layout}. Received: {name} with shape {arr.shape}")
    if ndim is not None and arr.ndim != ndim:
        hint = ""
        if ndim == 2 and arr.ndim == 1:
            hint = (
                " Reshape your data with X.reshape(-1, 1) if it has a single feature, "
                "or X.reshape(1, -1) if it is a single sample."
            )
        raise ValueError(
            f"{name} must be a {ndim}-D array, got a {arr.ndim}-D array of shape {arr.shape}.{hint}"
        )
    if not np.all(np.isfinite(arr)):
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(
            f"{name} contains {n_nan} NaN and {n_inf} infinite value(s); expected finite "
            "numbers only. Remove or impute them before training."
        )
    return arr


def check_same_length(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` if ``a`` and ``b`` have a different number of samples."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same number of samples, got "
            f"{name_a}.shape={a.shape} and {name_b}.shape={b.shape}."
        )


def check_positive(value, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is a positive real number, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number. Received: {name}={value!r}")
    value = float(value)
    ok = value >= 0 if allow_zero else value > 0
    if not ok or not np.isfinite(value):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}. Received: {name}={value!r}")
    return value


def check_in_range(value, name: str, low: float, high: float, *, high_inclusive=False) -> float:
    """Return ``value`` as a float if ``low <= value < high`` (or ``<= high``), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number. Received: {name}={value!r}")
    value = float(value)
    ok = low <= value <= high if high_inclusive else low <= value < high
    if not ok:
        right = "]" if high_inclusive else ")"
        raise ValueError(f"{name} must be in [{low}, {high}{right}. Received: {name}={value!r}")
    return value


def check_positive_int(value, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` if it is an integer ``>= minimum``, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer. Received: {name}={value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}. Received: {name}={value!r}")
    return int(value)


def unknown_name_error(kind: str, name, valid) -> ValueError:
    """Build the error for an unknown activation/loss/optimizer name."""
    return ValueError(
        f"Unknown {kind} {name!r}. Valid {kind} names are: {', '.join(sorted(valid))}."
    )
