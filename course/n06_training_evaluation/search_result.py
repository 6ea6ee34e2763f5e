"""``SearchResult``: the table of a hyperparameter search (rows, best setting, time).

Printed as text and shown as an HTML table in a notebook; ``pivot`` arranges it for a
heat map over two hyperparameters; ``correct`` and ``accuracies`` score every kept
model on new data.
"""

from __future__ import annotations

import html
import math
import numbers

import numpy as np

from nnlib.thresholds import predict_at_threshold


class SearchResult(list):
    """The rows of a search (a list of dicts), with the best setting and the total time.

    Each row holds the setting's hyperparameters, what the objective returned
    (``val_loss``, ...) and ``seconds`` (the time that setting took).

    Attributes
    ----------
    param_names : list of str
        The hyperparameters that were searched.
    settings : list of dict
        The settings, in the order they were tried.
    val_loss : ndarray of shape (n_settings,)
    best_index : int
        Row with the lowest ``val_loss`` (the first one on ties).
    best : dict
        The best setting (hyperparameters only).
    best_val_loss : float
    total_seconds : float
        Wall-clock time of the whole search.
    method : str
        ``"grid"`` or ``"random"``.
    """

    def __init__(self, rows, param_names, total_seconds, method):
        super().__init__(rows)
        self.param_names = list(param_names)
        self.total_seconds = float(total_seconds)
        self.method = method
        self.settings = [{k: row[k] for k in self.param_names} for row in rows]
        self.val_loss = np.array([row["val_loss"] for row in rows], dtype=float)
        finite = np.isfinite(self.val_loss)
        if not finite.any():
            self.best_index = None
            self.best = None
            self.best_val_loss = math.inf
        else:
            self.best_index = int(np.argmin(np.where(finite, self.val_loss, np.inf)))
            self.best = dict(self.settings[self.best_index])
            self.best_val_loss = float(self.val_loss[self.best_index])

    def values(self, name):
        """The distinct values of one hyperparameter that were tried, sorted."""
        if name not in self.param_names:
            raise ValueError(f"{name!r} was not searched; searched: {self.param_names}.")
        return sorted({row[name] for row in self})

    def pivot(self, x, y, *, reduce="min"):
        """Validation losses over two hyperparameters, for a heat map.

        Parameters
        ----------
        x, y : str
            Two searched hyperparameters (columns and rows of the table).
        reduce : {"min", "mean"}, default="min"
            How to combine the rows that share a cell (they differ in the other
            hyperparameters): ``"min"`` is the best that cell can do, ``"mean"`` the
            typical value. Diverged rows (inf) count as inf in ``"mean"``.

        Returns
        -------
        x_values : list, length n_x
        y_values : list, length n_y
        table : ndarray of shape (n_y, n_x)
            ``table[i, j]`` for ``y == y_values[i]`` and ``x == x_values[j]``; NaN where
            no setting was tried (random search), inf where every try diverged.
        """
        if reduce not in ("min", "mean"):
            raise ValueError(f"reduce must be 'min' or 'mean'. Received: reduce={reduce!r}")
        if x == y:
            raise ValueError(
                f"x and y must be two different hyperparameters. Received: {x!r} twice.")
        x_values, y_values = self.values(x), self.values(y)
        cells = {}
        for row, loss in zip(self, self.val_loss):
            cells.setdefault((row[y], row[x]), []).append(loss)
        table = np.full((len(y_values), len(x_values)), np.nan)
        for i, yv in enumerate(y_values):
            for j, xv in enumerate(x_values):
                if (yv, xv) in cells:
                    vals = np.array(cells[(yv, xv)])
                    table[i, j] = vals.min() if reduce == "min" else vals.mean()
        return x_values, y_values, table

    def correct(self, X, y, *, threshold=0.5):
        """Which samples each setting's model classifies right (binary classification).

        Needs the trained models in the rows (``MLPTrainer(..., keep_models=True)``)
        with one sigmoid output; a sample is predicted 1 where the score is at least
        ``threshold``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,) or (n_samples, 1), labels 0 and 1
        threshold : float, default=0.5

        Returns
        -------
        ndarray of bool, shape (n_settings, n_samples)
            ``correct[k, i]`` is True if the model of row ``k`` gets sample ``i`` right.
            A diverged model (non-finite scores) counts as wrong where its score is NaN.
        """
        if not self or "model" not in self[0]:
            raise ValueError("the rows hold no trained models: run the search with "
                             "MLPTrainer(..., keep_models=True). Received rows with keys "
                             f"{sorted(self[0]) if self else []}.")
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D or one column, got shape {y.shape}.")
        rows = []
        for row in self:
            with np.errstate(over="ignore", invalid="ignore"):
                scores = row["model"].predict(X)
            if scores.ndim != 2 or scores.shape[1] != 1:
                raise ValueError("correct needs models with one (sigmoid) output; received "
                                 f"predictions of shape {scores.shape}.")
            if scores.shape[0] != y.shape[0]:
                raise ValueError(f"X and y must have the same number of samples, got "
                                 f"{scores.shape[0]} and {y.shape[0]}.")
            rows.append(predict_at_threshold(scores, threshold) == y)
        return np.array(rows, dtype=bool)

    def accuracies(self, X, y, *, threshold=0.5):
        """The accuracy of every setting's model on ``(X, y)`` (see ``correct``).

        Returns
        -------
        ndarray of float, shape (n_settings,)
            ``accuracies[k]`` is ``metrics.accuracy`` of row ``k``'s model.
        """
        return self.correct(X, y, threshold=threshold).mean(axis=1)

    def sorted_rows(self):
        """The rows from best to worst validation loss (diverged last)."""
        return [self[i] for i in np.argsort(self.val_loss, kind="stable")]

    def _cells(self, top=None):
        rows = self.sorted_rows()[:top]
        extra = [k for k in self[0] if k not in self.param_names and k not in ("model",)]
        header = ["rank", *self.param_names, *extra]
        body = []
        for rank, row in enumerate(rows, 1):
            body.append([str(rank)] + [_fmt(row[k]) for k in self.param_names + extra])
        return header, body

    def table(self, top=10) -> str:
        """The ``top`` best rows as aligned text."""
        header, body = self._cells(top)
        widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
        lines = ["  ".join(c.rjust(n) for c, n in zip(r, widths)) for r in [header] + body]
        lines.insert(1, "  ".join("-" * n for n in widths))
        return "\n".join(lines)

    def summary(self) -> str:
        """One sentence: how many settings, how long, which was best."""
        if self.best is None:
            return f"{self.method} search: {len(self)} settings, every one diverged."
        best = ", ".join(f"{k}={_fmt(v)}" for k, v in self.best.items())
        return (f"{self.method} search: {len(self)} settings in {self.total_seconds:.2f} s; "
                f"best: {best} (val_loss {self.best_val_loss:.4f})")

    def __str__(self):
        return self.summary() + "\n" + self.table()

    def _repr_html_(self):
        header, body = self._cells(10)
        head = "".join(f"<th>{html.escape(c)}</th>" for c in header)
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                       for r in body)
        return (f"<p>{html.escape(self.summary())}</p><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table><p>(best 10 of {len(self)} rows)</p>")


def _fmt(value):
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return "inf" if math.isinf(value) else f"{float(value):.4g}"
    return str(value)
