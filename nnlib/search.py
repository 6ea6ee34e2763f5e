"""Hyperparameter tuning: grid search and random search over nnlib MLPs.

A *hyperparameter* is a choice made before training (learning rate, batch size,
number of layers and neurons); training does not change it. Tuning trains one model
per candidate setting on the training set and compares them on the **validation**
set; the test set stays untouched until the very end.

- ``MLPTrainer``      trains one MLP for a setting and returns its validation loss
- ``grid``            every combination of candidate values (a list of settings)
- ``LogUniform``      a range to sample from at random on a log scale
- ``grid_search``     try every setting of a grid
- ``random_search``   try ``n_iter`` settings drawn at random
- ``SearchResult``    the table of results, the best setting, the total time,
                      ``pivot`` for a heat map over two hyperparameters, and
                      ``correct`` / ``accuracies`` of every kept model on new data
- ``simulate_test_reuse``  why the test set is touched once: the optimism of
                      picking the best setting on the test set, by simulation

Everything is seeded: the same seed gives the same weights and batches for every
setting, so settings are compared on equal terms and results repeat exactly.
"""

from __future__ import annotations

import html
import itertools
import math
import numbers
import time

import numpy as np

from . import metrics as _metrics
from .core import losses as _losses
from .core import optimizers
from .core._validation import check_positive, check_positive_int
from .core.model import MLP
from .thresholds import accuracy_at_threshold, predict_at_threshold

HYPERPARAMETERS = ("learning_rate", "batch_size", "n_layers", "n_neurons", "epochs", "l2")
"""The names a setting may use (anything else is a typo and raises)."""

DEFAULTS = {"learning_rate": 0.01, "batch_size": 32, "n_layers": 1, "n_neurons": 16,
            "epochs": 50, "l2": 0.0}
"""Values used for the hyperparameters a setting leaves out."""

TASKS = {
    # task: (output activation, loss, score name)
    "regression": ("linear", "mse", "r2"),
    "binary": ("sigmoid", "binary_cross_entropy", "accuracy"),
}


def _check_setting(setting):
    if not isinstance(setting, dict):
        raise TypeError(f"a setting must be a dict such as {{'learning_rate': 0.01}}. "
                        f"Received: {setting!r}")
    unknown = sorted(set(setting) - set(HYPERPARAMETERS))
    if unknown:
        raise ValueError(f"Unknown hyperparameter(s) {unknown}. Valid names are: "
                         f"{', '.join(HYPERPARAMETERS)}.")


def grid(**candidates) -> list[dict]:
    """Every combination of the candidate values, as a list of settings.

    Parameters
    ----------
    **candidates : list
        One list of values per hyperparameter, e.g.
        ``grid(learning_rate=[0.001, 0.01], n_layers=[1, 2])``.

    Returns
    -------
    list of dict
        ``prod(len(values))`` settings; the last hyperparameter varies fastest.

    Examples
    --------
    >>> grid(learning_rate=[0.1, 0.01], n_layers=[1, 2])
    [{'learning_rate': 0.1, 'n_layers': 1}, {'learning_rate': 0.1, 'n_layers': 2}, \
{'learning_rate': 0.01, 'n_layers': 1}, {'learning_rate': 0.01, 'n_layers': 2}]
    """
    if not candidates:
        raise ValueError("grid needs at least one hyperparameter, e.g. grid(learning_rate=[0.01]).")
    _check_setting(dict.fromkeys(candidates))
    for name, values in candidates.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or not len(values):
            raise ValueError(f"{name} must be a non-empty list of candidate values. "
                             f"Received: {name}={values!r}")
    names = list(candidates)
    return [dict(zip(names, combo)) for combo in itertools.product(*candidates.values())]


class LogUniform:
    """A range ``[low, high]`` sampled uniformly on a log scale (for random search).

    Each power of ten is equally likely: ``LogUniform(1e-4, 1e-1)`` draws as many
    values between 1e-4 and 1e-3 as between 1e-2 and 1e-1.

    Parameters
    ----------
    low, high : float
        ``0 < low < high``.
    integer : bool, default=False
        Round the draws to integers (e.g. a number of neurons).
    """

    def __init__(self, low, high, *, integer=False):
        self.low = check_positive(low, "low")
        self.high = check_positive(high, "high")
        if not self.low < self.high:
            raise ValueError(f"LogUniform needs low < high. Received: low={low!r}, high={high!r}")
        self.integer = bool(integer)

    def sample(self, rng):
        """One draw, using the numpy Generator ``rng``."""
        value = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        return int(round(value)) if self.integer else float(value)

    def __repr__(self):
        kind = ", integer=True" if self.integer else ""
        return f"LogUniform({self.low:g}, {self.high:g}{kind})"


def sample_settings(space, n_iter, *, seed=None) -> list[dict]:
    """Draw ``n_iter`` settings at random from ``space``.

    Parameters
    ----------
    space : dict
        Hyperparameter name -> a list of values (one is picked uniformly) or a
        ``LogUniform`` range (or anything with ``sample(rng)``).
    n_iter : int
    seed : int, numpy Generator or None

    Returns
    -------
    list of dict
    """
    _check_setting(space)
    n_iter = check_positive_int(n_iter, "n_iter")
    rng = np.random.default_rng(seed)
    settings = []
    for _ in range(n_iter):
        setting = {}
        for name, values in space.items():
            if hasattr(values, "sample"):
                setting[name] = values.sample(rng)
            elif hasattr(values, "__len__") and len(values) and not isinstance(values, str):
                pick = values[int(rng.integers(len(values)))]
                setting[name] = pick.item() if isinstance(pick, np.generic) else pick
            else:
                raise ValueError(f"space[{name!r}] must be a non-empty list or a LogUniform. "
                                 f"Received: {values!r}")
        settings.append(setting)
    return settings


class MLPTrainer:
    """Train one MLP for a hyperparameter setting and score it on the validation set.

    Calling ``trainer(setting)`` builds ``MLP([n_in] + [n_neurons] * n_layers + [n_out])``
    (hidden ``activation``, output and loss chosen by ``task``), trains it with Adam
    (or SGD) at ``learning_rate`` for ``epochs`` epochs of ``batch_size`` samples on the
    training set, and returns its losses and score. Hyperparameters missing from the
    setting take their values from ``defaults``, then ``DEFAULTS``.

    Parameters
    ----------
    X_train : array_like of shape (n_train, n_features)
    y_train : array_like of shape (n_train,) or (n_train, n_outputs)
    X_val : array_like of shape (n_val, n_features)
    y_val : array_like of shape (n_val,) or (n_val, n_outputs)
    task : {"regression", "binary"}, default="regression"
        ``"regression"``: linear output, MSE, score R². ``"binary"``: one sigmoid
        output, binary cross-entropy, score accuracy at threshold 0.5.
    activation : str, default="relu"
        Activation of the hidden layers.
    optimizer : {"adam", "sgd"}, default="adam"
    defaults : dict, optional
        Values for hyperparameters the settings leave out (e.g. ``{"epochs": 100}``).
    seed : int, default=0
        Seeds the initial weights and the batch order, the same for every setting.
    keep_models : bool, default=False
        Also return the trained model (``result["model"]``).

    Examples
    --------
    >>> trainer = MLPTrainer(X_train, y_train, X_val, y_val, task="binary")  # doctest: +SKIP
    >>> trainer({"learning_rate": 0.01, "n_layers": 2})["val_loss"]          # doctest: +SKIP
    """

    def __init__(self, X_train, y_train, X_val, y_val, *, task="regression", activation="relu",
                 optimizer="adam", defaults=None, seed=0, keep_models=False):
        if task not in TASKS:
            raise ValueError(f"task must be one of {sorted(TASKS)}. Received: task={task!r}")
        optimizers.get(optimizer)  # an unknown name: ValueError listing the valid ones
        self.task = task
        self.output_activation, self.loss, self.score_name = TASKS[task]
        self.activation = activation
        self.optimizer = optimizer
        self.X_train, self.y_train = self._check_xy(X_train, y_train, "X_train", "y_train")
        self.X_val, self.y_val = self._check_xy(X_val, y_val, "X_val", "y_val")
        if self.X_val.shape[1] != self.X_train.shape[1]:
            raise ValueError(f"X_val has {self.X_val.shape[1]} features, but X_train has "
                             f"{self.X_train.shape[1]}.")
        self.defaults = dict(DEFAULTS)
        if defaults:
            _check_setting(defaults)
            self.defaults.update(defaults)
        self.seed = seed
        self.keep_models = bool(keep_models)
        _losses.get(self.loss).check_targets(self.y_train)

    def _check_xy(self, X, y, x_name, y_name):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if X.ndim != 2:
            raise ValueError(f"{x_name} must be 2-D (n_samples, n_features), got shape {X.shape}.")
        if y.ndim == 1:
            y = y[:, None]
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"{x_name} and {y_name} must have the same number of samples, "
                             f"got {X.shape[0]} and {y.shape[0]}.")
        return X, y

    def full_setting(self, setting) -> dict:
        """``setting`` completed with the defaults, every value checked."""
        _check_setting(setting)
        full = {**self.defaults, **setting}
        full["learning_rate"] = check_positive(full["learning_rate"], "learning_rate")
        for name in ("batch_size", "n_neurons", "epochs"):
            full[name] = check_positive_int(full[name], name)
        full["n_layers"] = check_positive_int(full["n_layers"], "n_layers", minimum=0)
        full["l2"] = check_positive(full["l2"], "l2", allow_zero=True)
        return full

    def build(self, setting) -> MLP:
        """The untrained MLP of a setting (same seed, so the same initial weights)."""
        s = self.full_setting(setting)
        sizes = [self.X_train.shape[1]] + [s["n_neurons"]] * s["n_layers"] + [self.y_train.shape[1]]
        acts = [self.activation] * s["n_layers"] + [self.output_activation]
        return MLP(sizes, acts, seed=self.seed)

    def fit(self, setting, X=None, y=None, *, validation_data=None, callback=None):
        """Build and train the model of a setting; return ``(model, history)``.

        Trains on ``(X, y)`` if given (e.g. training and validation sets together for
        the final model), otherwise on the training set. A diverging run does not warn:
        ``history.diverged`` says so.
        """
        s = self.full_setting(setting)
        X = self.X_train if X is None else X
        y = self.y_train if y is None else y
        model = self.build(s)
        opt = optimizers.get(self.optimizer, learning_rate=s["learning_rate"])
        history = model.fit(X, y, optimizer=opt, loss=self.loss, epochs=s["epochs"],
                            batch_size=s["batch_size"], seed=self.seed, l2=s["l2"],
                            validation_data=validation_data, callback=callback, warn=False)
        return model, history

    def score(self, model, X, y) -> float:
        """The task's score of a trained model: R² (regression) or accuracy (binary)."""
        y_hat = model.predict(X)
        if self.task == "binary":
            return accuracy_at_threshold(y, y_hat)
        return _metrics.r2(y, y_hat)

    def __call__(self, setting) -> dict:
        """Train the setting's model; return its ``val_loss``, ``train_loss`` and ``val_score``.

        A diverged run (or a non-finite loss) gets ``val_loss = inf`` and
        ``diverged = True``, so it can never be the best.
        """
        model, history = self.fit(setting)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            diverged = history.diverged or not np.all(np.isfinite(model.theta))
            if diverged:
                val_loss = train_loss = math.inf
                val_score = math.nan
            else:
                val_loss = model.loss(self.X_val, self.y_val, loss=self.loss)
                train_loss = model.loss(self.X_train, self.y_train, loss=self.loss)
                val_score = self.score(model, self.X_val, self.y_val)
        if not math.isfinite(val_loss):
            val_loss, diverged = math.inf, True
        row = {"val_loss": float(val_loss), "train_loss": float(train_loss),
               f"val_{self.score_name}": float(val_score), "diverged": bool(diverged)}
        if self.keep_models:
            row["model"] = model
        return row


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


def _run(objective, settings, method):
    if not callable(objective):
        raise TypeError(f"objective must be callable, e.g. an MLPTrainer. Received: {objective!r}")
    if not settings:
        raise ValueError("there are no settings to try.")
    for s in settings:
        _check_setting(s)
    names = list(dict.fromkeys(k for s in settings for k in s))
    rows = []
    start = time.perf_counter()
    for setting in settings:
        t0 = time.perf_counter()
        out = objective(dict(setting))
        if not isinstance(out, dict) or "val_loss" not in out:
            raise TypeError("objective(setting) must return a dict with a 'val_loss' entry. "
                            f"Received: {out!r}")
        rows.append({**setting, **out, "seconds": time.perf_counter() - t0})
    return SearchResult(rows, names, time.perf_counter() - start, method)


def grid_search(objective, settings) -> SearchResult:
    """Try every setting of a grid; the best has the lowest validation loss.

    Parameters
    ----------
    objective : callable ``objective(setting) -> dict``
        Returns at least ``{"val_loss": float}`` (inf for a failed run), e.g. an
        ``MLPTrainer``.
    settings : list of dict or dict of lists
        The settings (e.g. from ``grid(...)``), or the candidate lists themselves
        (passed to ``grid``).

    Returns
    -------
    SearchResult
    """
    if isinstance(settings, dict):
        settings = grid(**settings)
    return _run(objective, list(settings), "grid")


def random_search(objective, space, n_iter, *, seed=None) -> SearchResult:
    """Try ``n_iter`` settings drawn at random from ``space`` (see ``sample_settings``).

    With the same budget as a grid, random search tries more distinct values of each
    hyperparameter: if only one of them matters, it explores that one much better.

    Returns
    -------
    SearchResult
    """
    return _run(objective, sample_settings(space, n_iter, seed=seed), "random")


def simulate_test_reuse(correct, chosen_by_validation, *, test_size, n_repeats=200, seed=None):
    """What reusing the test set for tuning does to the reported score, by simulation.

    ``correct[k, i]`` says whether setting ``k``'s model gets sample ``i`` of a large
    pool of new data right. Each repeat draws a test set of ``test_size`` samples from
    the pool; the rest of the pool stands for the future data the model will meet.
    Two ways of reporting a score are compared:

    - **reuse**: pick the setting with the best accuracy *on this test set* and report
      that accuracy (the test set was used for tuning);
    - **once**: take the setting chosen on the validation set
      (``chosen_by_validation``) and report its accuracy on this test set (the test set
      was touched once).

    Parameters
    ----------
    correct : array_like of bool, shape (n_settings, n_pool)
    chosen_by_validation : int
        Index of the setting picked on the validation set.
    test_size : int
        Samples per test set (< n_pool).
    n_repeats : int, default=200
    seed : int, numpy Generator or None

    Returns
    -------
    dict of str -> ndarray of shape (n_repeats,)
        ``reuse_reported``, ``reuse_true``, ``once_reported``, ``once_true``: the
        reported accuracy and the accuracy on the rest of the pool, per repeat. The
        mean of ``reuse_reported - reuse_true`` is the optimism of reusing the test set.

    Notes
    -----
    The maximum of many noisy estimates is, on average, above the true value of the
    one it picks: ``E[max_k acc_k(test)] >= E[acc_best(test)]``. A test score used for
    choosing is no longer an unbiased estimate.
    """
    correct = np.asarray(correct, dtype=bool)
    if correct.ndim != 2:
        raise ValueError(f"correct must be 2-D (n_settings, n_pool), got shape {correct.shape}.")
    n_settings, n_pool = correct.shape
    k_val = int(chosen_by_validation)
    if not 0 <= k_val < n_settings:
        raise ValueError(f"chosen_by_validation must be in [0, {n_settings}). "
                         f"Received: chosen_by_validation={chosen_by_validation!r}")
    test_size = check_positive_int(test_size, "test_size")
    if test_size >= n_pool:
        raise ValueError(f"test_size must be smaller than the pool ({n_pool}). "
                         f"Received: test_size={test_size}")
    n_repeats = check_positive_int(n_repeats, "n_repeats")
    rng = np.random.default_rng(seed)
    out = {key: np.empty(n_repeats) for key in
           ("reuse_reported", "reuse_true", "once_reported", "once_true")}
    for r in range(n_repeats):
        in_test = np.zeros(n_pool, dtype=bool)
        in_test[rng.choice(n_pool, size=test_size, replace=False)] = True
        test_acc = correct[:, in_test].mean(axis=1)
        future_acc = correct[:, ~in_test].mean(axis=1)
        k_test = int(np.argmax(test_acc))
        out["reuse_reported"][r], out["reuse_true"][r] = test_acc[k_test], future_acc[k_test]
        out["once_reported"][r], out["once_true"][r] = test_acc[k_val], future_acc[k_val]
    return out
