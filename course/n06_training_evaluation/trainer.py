"""``MLPTrainer``: train one MLP for one setting of hyperparameters (for ``search``).

A setting is a dict of hyperparameters (``HYPERPARAMETERS``; left-out ones take
``DEFAULTS``). The trainer builds an MLP for the setting, trains it on the training
set and returns its losses on the training and validation sets, and its score.
"""

from __future__ import annotations

import math

import numpy as np

from nnlib import losses as _losses
from nnlib import metrics as _metrics
from nnlib import optimizers
from nnlib.model import MLP
from nnlib.thresholds import accuracy_at_threshold
from nnlib.validation import check_positive, check_positive_int

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


def check_setting(setting):
    if not isinstance(setting, dict):
        raise TypeError(f"a setting must be a dict such as {{'learning_rate': 0.01}}. "
                        f"Received: {setting!r}")
    unknown = sorted(set(setting) - set(HYPERPARAMETERS))
    if unknown:
        raise ValueError(f"Unknown hyperparameter(s) {unknown}. Valid names are: "
                         f"{', '.join(HYPERPARAMETERS)}.")


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
    >>> from nnlib.data import make_moons
    >>> X, y = make_moons(120, noise=0.2, seed=0)
    >>> trainer = MLPTrainer(X[:90], y[:90], X[90:], y[90:], task="binary",
    ...                      defaults={"epochs": 20})
    >>> result = trainer({"learning_rate": 0.01, "n_layers": 2})
    >>> 0 < result["val_loss"] < 1
    True
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
            check_setting(defaults)
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
        check_setting(setting)
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
