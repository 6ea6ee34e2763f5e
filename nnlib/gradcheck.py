"""Gradient checking: compare backpropagation with finite differences.

A derivative is a limit of slopes, so we can estimate it by nudging one number at
a time and watching the loss (central differences)::

    dL/dtheta_i  ~  (L(theta_i + h) - L(theta_i - h)) / (2h)

The error of this estimate shrinks like ``h**2``. Backprop is right when the two
agree: a relative error around 1e-7 or below is good, above 1e-2 means a bug.
ReLU's kink at 0 can cause a false alarm if a nudge crosses it.

``compare_gradients`` lays gradients of the same parameters, computed in different
ways (backpropagation, finite differences, TensorFlow), side by side in a table.
"""

from __future__ import annotations

import html
import inspect

import numpy as np


def numerical_gradient(f, x, h=1e-6):
    """Estimate the gradient of a scalar function by central differences.

    Parameters
    ----------
    f : callable
        ``f()`` returns a float and reads ``x`` (which is modified in place and restored),
        or ``f(x)`` if it takes one argument.
    x : ndarray
        The point, a float array (changed temporarily, restored on return).
    h : float, default=1e-6
        The nudge.

    Returns
    -------
    grad : ndarray, same shape as ``x``
    """
    x = np.asarray(x)
    if x.dtype.kind != "f":
        raise TypeError(f"x must be a float array so it can be nudged, got dtype {x.dtype}.")
    try:
        takes_arg = len(inspect.signature(f).parameters) > 0
    except (TypeError, ValueError):
        takes_arg = True
    call = (lambda: f(x)) if takes_arg else f
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = float(call())
        flat[i] = old - h
        down = float(call())
        flat[i] = old
        gflat[i] = (up - down) / (2 * h)
    return grad


def relative_error(a, b, tiny=1e-12) -> float:
    """``max|a - b| / max(|a| + |b|)``: scale-free distance between two gradients."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}.")
    scale = max(float(np.max(np.abs(a) + np.abs(b), initial=0.0)), tiny)
    return float(np.max(np.abs(a - b), initial=0.0)) / scale


def check_model_gradients(model, X, y, *, loss="mse", l1=0.0, l2=0.0, h=1e-6):
    """Compare ``model.loss_and_grads`` with central differences, parameter by parameter.

    Parameters
    ----------
    model : nnlib.MLP
    X, y : arrays as for ``model.loss_and_grads``
    loss : str, default="mse"
    l1, l2 : float, default=0.0
    h : float, default=1e-6

    Returns
    -------
    list of dict
        One row per parameter (``"W1"``, ``"b1"``, ...) with ``shape``,
        ``max_abs_diff`` and ``relative_error``. Dropout is off (a gradient check
        needs a deterministic loss).
    """
    _, grads = model.loss_and_grads(X, y, loss=loss, l1=l1, l2=l2)
    rows = []
    for i, (p, g) in enumerate(zip(model.params, grads)):
        num = numerical_gradient(lambda: model.loss(X, y, loss=loss, l1=l1, l2=l2), p, h=h)
        name = f"{'W' if i % 2 == 0 else 'b'}{i // 2 + 1}"
        rows.append({
            "param": name,
            "shape": p.shape,
            "max_abs_diff": float(np.max(np.abs(num - g))),
            "relative_error": relative_error(num, g),
        })
    return rows


# ---------------------------------------------------------------- comparing gradients

# Rules of thumb for the relative error between two gradients (see Notes below).
GOOD_BELOW = 1e-7
WRONG_ABOVE = 1e-2


def gradient_verdict(rel_error) -> str:
    """A word on a relative error between two gradients of the same thing.

    Returns
    -------
    str
        ``"good"`` up to 1e-7, ``"acceptable"`` up to 1e-4 (typical with ReLU's kink
        or float32), ``"suspicious"`` up to 1e-2, ``"wrong"`` above 1e-2.
    """
    rel_error = float(rel_error)
    if not rel_error <= WRONG_ABOVE:  # NaN counts as wrong
        return "wrong"
    if rel_error <= GOOD_BELOW:
        return "good"
    return "acceptable" if rel_error <= 1e-4 else "suspicious"


class GradientComparison(list):
    """Rows of a gradient comparison (a list of dicts) that display as a table.

    Each row has ``param``, ``shape``, ``method``, ``max_abs_diff``, ``relative_error``
    and ``verdict``; the reference method is named in ``reference``.
    """

    def __init__(self, rows, reference):
        super().__init__(rows)
        self.reference = reference

    def max_relative_error(self, method=None) -> float:
        """The largest relative error (over all rows, or those of one method)."""
        errors = [r["relative_error"] for r in self if method in (None, r["method"])]
        if not errors:
            raise ValueError(f"No rows for method={method!r}; methods: {self.methods}.")
        return max(errors)

    @property
    def methods(self):
        """The compared methods, in order."""
        return list(dict.fromkeys(r["method"] for r in self))

    def _cells(self):
        header = ["parameter", "shape", f"compared with {self.reference}", "max |difference|",
                  "relative error", "verdict"]
        body = [[r["param"], str(r["shape"]), r["method"], f"{r['max_abs_diff']:.2e}",
                 f"{r['relative_error']:.2e}", r["verdict"]] for r in self]
        return header, body

    def __str__(self):
        header, body = self._cells()
        widths = [max(len(row[i]) for row in [header] + body) for i in range(len(header))]
        lines = ["  ".join(c.ljust(n) for c, n in zip(row, widths)) for row in [header] + body]
        lines.insert(1, "  ".join("-" * n for n in widths))
        return "\n".join(lines)

    def _repr_html_(self):
        header, body = self._cells()
        colour = {"good": "#009E73", "acceptable": "#0072B2", "suspicious": "#E69F00",
                  "wrong": "#D55E00"}
        head = "".join(f"<th>{html.escape(c)}</th>" for c in header)
        rows = []
        for cells in body:
            tds = "".join(f"<td>{html.escape(c)}</td>" for c in cells[:-1])
            tds += f'<td style="color:{colour[cells[-1]]};font-weight:bold">{cells[-1]}</td>'
            rows.append(f"<tr>{tds}</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def compare_gradients(reference, others, *, names=None, reference_name="reference"):
    """Compare gradients of the same parameters computed in different ways.

    Parameters
    ----------
    reference : list of ndarray
        The gradients taken as reference, e.g. ``[dW1, db1, dW2, db2, ...]`` from
        ``MLP.loss_and_grads``.
    others : dict of str -> list of ndarray
        Other ways of computing the same gradients, by name, e.g.
        ``{"central differences": [...], "tf.GradientTape": [...]}``.
    names : list of str, optional
        One name per parameter; default ``W1, b1, W2, b2, ...``.
    reference_name : str, default="reference"
        How the reference is called in the table.

    Returns
    -------
    GradientComparison
        One row per parameter and method: ``max_abs_diff = max|g - g_ref|``,
        ``relative_error = max|g - g_ref| / max(|g| + |g_ref|)`` (as
        ``relative_error`` above) and its ``verdict`` (``gradient_verdict``).

    Notes
    -----
    Usual reading of the relative error: about 1e-7 or less is good (float64 central
    differences reach 1e-8 to 1e-10); up to 1e-4 is acceptable where the loss has kinks
    (ReLU at 0: a nudge that crosses the kink sees a different slope, a false alarm);
    above 1e-2 the gradient is almost certainly wrong.
    """
    reference = [np.asarray(g, dtype=float) for g in reference]
    if names is None:
        names = [f"{'W' if i % 2 == 0 else 'b'}{i // 2 + 1}" for i in range(len(reference))]
    names = [str(n) for n in names]
    if len(names) != len(reference):
        raise ValueError(
            f"names must have one entry per gradient ({len(reference)}). "
            f"Received {len(names)} names: {list(names)!r}"
        )
    if not isinstance(others, dict) or not others:
        raise TypeError(
            "others must be a non-empty dict {method name: list of gradients}. "
            f"Received: {type(others).__name__}"
        )
    rows = []
    for method, grads in others.items():
        grads = list(grads)
        if len(grads) != len(reference):
            raise ValueError(
                f"others[{method!r}] has {len(grads)} gradients, expected {len(reference)} "
                "(one per parameter)."
            )
        for name, ref, g in zip(names, reference, grads):
            g = np.asarray(g, dtype=float)
            if g.shape != ref.shape:
                raise ValueError(
                    f"others[{method!r}] gives {name} the shape {g.shape}, but the reference "
                    f"has shape {ref.shape}."
                )
            rel = relative_error(g, ref)
            rows.append({
                "param": name,
                "shape": ref.shape,
                "method": method,
                "max_abs_diff": float(np.max(np.abs(g - ref), initial=0.0)),
                "relative_error": rel,
                "verdict": gradient_verdict(rel),
            })
    rows.sort(key=lambda r: names.index(r["param"]))
    return GradientComparison(rows, reference_name)
