"""The playground's logic (notebook 08): configuration, data, model, training in chunks.

A playground configuration says everything needed to reproduce a run: the data set
and its seed, the hidden layers, the activation and the training hyperparameters.
``PlaygroundConfig.to_string()`` writes it as one short line such as::

    data=moons;seed=0;hidden=8,8;act=tanh;lr=0.03;l2=0;dropout=0;batch=16;noise=0.2

and ``PlaygroundConfig.from_string`` reads it back, so a teacher can hand the class an
exact starting point. ``PlaygroundTrainer`` trains the network a few epochs at a time
(``train_chunk``), keeping the weights and the optimizer state between chunks, and
``keras_code`` writes the same configuration as a Keras program;
``config_text_checker`` checks an exercise answer given as a configuration line.

Numpy only: the widget is ``nnlib.widgets.playground``.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np

from . import data as _data
from ._validation import check_in_range, check_positive, check_positive_int, unknown_name_error
from .model import MLP, DivergenceWarning
from .optimizers import Adam

#: name -> (maker in nnlib.data, task). "line" is the article's y = 2x + 1 + noise.
DATASETS = {
    "moons": ("make_moons", "classification"),
    "circles": ("make_circles", "classification"),
    "xor": ("make_xor", "classification"),
    "spirals": ("make_spirals", "classification"),
    "line": ("make_linear", "regression"),
}
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")

# key in the text form -> field name
_KEYS = {"data": "dataset", "seed": "seed", "hidden": "hidden", "act": "activation",
         "lr": "learning_rate", "l2": "l2", "dropout": "dropout", "batch": "batch_size",
         "noise": "noise", "n": "n_samples"}


@dataclasses.dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that defines a playground run.

    Parameters
    ----------
    dataset : str, default="moons"
        One of ``DATASETS``: "moons", "circles", "xor", "spirals" (classification of 2-D
        points) or "line" (the article's regression ``y = 2x + 1 + noise``).
    seed : int, default=0
        Seeds the data, the split, the initial weights, the shuffling and dropout.
    hidden : tuple of int, default=(8, 8)
        Neurons per hidden layer; ``()`` is no hidden layer (a linear model).
    activation : str, default="tanh"
        Activation of every hidden layer: one of ``ACTIVATIONS``.
    learning_rate : float, default=0.03
        Adam's learning rate.
    l2 : float, default=0.0
        Kernel penalty ``l2 * sum(W**2)`` (as Keras' ``regularizers.L2``).
    dropout : float, default=0.0
        Dropout rate after every hidden layer, in [0, 1).
    batch_size : int, default=16
    noise : float, default=0.2
        Noise of the data set (standard deviation).
    n_samples : int, default=200
        Points in the data set; a quarter is held out as the test set.
    """

    dataset: str = "moons"
    seed: int = 0
    hidden: tuple = (8, 8)
    activation: str = "tanh"
    learning_rate: float = 0.03
    l2: float = 0.0
    dropout: float = 0.0
    batch_size: int = 16
    noise: float = 0.2
    n_samples: int = 200

    def __post_init__(self):
        if self.dataset not in DATASETS:
            raise unknown_name_error("dataset", self.dataset, list(DATASETS))
        if self.activation not in ACTIVATIONS:
            raise unknown_name_error("activation", self.activation, list(ACTIVATIONS))
        hidden = tuple(self.hidden) if not isinstance(self.hidden, (int, str)) else None
        if hidden is None:
            raise TypeError(f"hidden must be a sequence of layer sizes, e.g. (8, 8). "
                            f"Received: hidden={self.hidden!r}")
        object.__setattr__(self, "hidden", tuple(check_positive_int(n, "each hidden size")
                                                 for n in hidden))
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) \
                or self.seed < 0:
            raise ValueError(f"seed must be an integer >= 0. Received: seed={self.seed!r}")
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "learning_rate",
                           check_positive(self.learning_rate, "learning_rate"))
        object.__setattr__(self, "l2", check_positive(self.l2, "l2", allow_zero=True))
        object.__setattr__(self, "dropout", check_in_range(self.dropout, "dropout", 0.0, 1.0))
        object.__setattr__(self, "batch_size", check_positive_int(self.batch_size, "batch_size"))
        object.__setattr__(self, "noise", check_positive(self.noise, "noise", allow_zero=True))
        object.__setattr__(self, "n_samples",
                           check_positive_int(self.n_samples, "n_samples", minimum=8))

    @property
    def task(self) -> str:
        """"classification" or "regression"."""
        return DATASETS[self.dataset][1]

    @property
    def layer_sizes(self) -> list:
        """``[n_inputs, *hidden, 1]``: 2 inputs for the 2-D sets, 1 for "line"."""
        n_in = 1 if self.task == "regression" else 2
        return [n_in, *self.hidden, 1]

    @property
    def activations(self) -> list:
        """Hidden activations, then sigmoid (classification) or linear (regression)."""
        out = "sigmoid" if self.task == "classification" else "linear"
        return [self.activation] * len(self.hidden) + [out]

    @property
    def loss(self) -> str:
        return "binary_cross_entropy" if self.task == "classification" else "mse"

    def replace(self, **changes) -> PlaygroundConfig:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_string(self) -> str:
        """The configuration as one short line ``key=value;...`` (see the module docstring)."""
        parts = []
        for key, field in _KEYS.items():
            value = getattr(self, field)
            if field == "hidden":
                value = ",".join(str(n) for n in value) or "none"
            elif isinstance(value, float):
                value = f"{value:g}"
            parts.append(f"{key}={value}")
        return ";".join(parts)

    @classmethod
    def from_string(cls, text) -> PlaygroundConfig:
        """Read a line written by ``to_string``; keys left out keep their defaults.

        Raises
        ------
        ValueError
            For a part without ``=``, an unknown key, or a value out of range.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str. Received: {type(text).__name__}")
        values = {}
        for part in filter(None, (p.strip() for p in text.strip().split(";"))):
            key, sep, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if not sep:
                raise ValueError(f"each part of the configuration must be key=value. "
                                 f"Received: {part!r}")
            if key not in _KEYS:
                raise ValueError(f"unknown configuration key {key!r}; expected one of "
                                 f"{list(_KEYS)}. Received: {text!r}")
            field = _KEYS[key]
            try:
                if field == "hidden":
                    value = () if value in ("", "none") else tuple(int(v) for v in
                                                                   value.split(","))
                elif field in ("seed", "batch_size", "n_samples"):
                    value = int(value)
                elif field not in ("dataset", "activation"):
                    value = float(value)
            except ValueError:
                raise ValueError(f"bad value for {key}: {value!r} (in {text!r})") from None
            values[field] = value
        return cls(**values)


def make_dataset(config):
    """The data of a configuration, split into train and test sets.

    Returns
    -------
    X_train, X_test : ndarray of shape (n, 2) or (n, 1)
    y_train, y_test : ndarray of shape (n, 1)
        0/1 labels (classification) or values (regression) as columns.
    """
    maker = getattr(_data, DATASETS[config.dataset][0])
    X, y = maker(config.n_samples, noise=config.noise, seed=config.seed)
    y = np.asarray(y, float).reshape(-1, 1)
    return _data.train_test_split(X, y, test_size=0.25, seed=config.seed)


def build_model(config) -> MLP:
    """The configuration's network, with its seeded initial weights."""
    dropout = config.dropout if config.hidden else 0.0
    return MLP(config.layer_sizes, config.activations, dropout=dropout, seed=config.seed)


class PlaygroundTrainer:
    """Train a configuration a few epochs at a time, keeping the curves.

    Parameters
    ----------
    config : PlaygroundConfig, default=PlaygroundConfig()

    Attributes
    ----------
    config : PlaygroundConfig
    X_train, X_test, y_train, y_test : ndarray
    model : nnlib.MLP
    optimizer : nnlib.Adam
        Its moments carry over from one chunk to the next.
    initial_theta : ndarray of shape (n_params,)
        The starting weights, restored by ``reset``.
    epoch : int
        Epochs trained since the last reset.
    train_loss, test_loss : list of float
        One value per epoch: the mean training loss of the epoch (with dropout and
        penalty, as ``fit`` reports it) and the loss on the test set after the epoch.
    diverged : bool
    message : str
    """

    def __init__(self, config=None):
        self.config = config if config is not None else PlaygroundConfig()
        if not isinstance(self.config, PlaygroundConfig):
            raise TypeError(f"config must be a PlaygroundConfig. Received: {self.config!r}")
        self.X_train, self.X_test, self.y_train, self.y_test = make_dataset(self.config)
        self.model = build_model(self.config)
        self.initial_theta = self.model.theta.copy()
        self.reset()

    def reset(self):
        """Back to the initial weights, a fresh optimizer and empty curves."""
        self.model.theta[...] = self.initial_theta
        self.model._rng = np.random.default_rng(self.config.seed)  # same dropout masks again
        self.optimizer = Adam(learning_rate=self.config.learning_rate)
        self._shuffle_rng = np.random.default_rng(self.config.seed)
        self.epoch = 0
        self.train_loss, self.test_loss = [], []
        self.diverged = False
        self.message = "ready: press Start"

    def train_chunk(self, epochs=5):
        """Train ``epochs`` more epochs from the current weights and optimizer state.

        Returns
        -------
        bool
            False if training diverged (nothing more is trained after that).
        """
        epochs = check_positive_int(epochs, "epochs")
        if self.diverged:
            return False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DivergenceWarning)
            history = self.model.fit(
                self.X_train, self.y_train, optimizer=self.optimizer, loss=self.config.loss,
                epochs=epochs, batch_size=self.config.batch_size, seed=self._shuffle_rng,
                validation_data=(self.X_test, self.y_test), l2=self.config.l2)
        self.train_loss += history["loss"]
        self.test_loss += history["val_loss"]
        self.epoch += history.epochs_run
        if history.diverged:
            self.diverged = True
            self.message = history.message
            return False
        self.message = (f"epoch {self.epoch}: train loss {self.train_loss[-1]:.3f}, "
                        f"test loss {self.test_loss[-1]:.3f}")
        return True

    def accuracy(self, split="test") -> float:
        """Share of correctly classified points (classification), nan for regression."""
        if self.config.task != "classification":
            return math.nan
        X, y = (self.X_test, self.y_test) if split == "test" else (self.X_train, self.y_train)
        return float(np.mean((self.model.predict(X) >= 0.5) == (y >= 0.5)))

    def grid(self, resolution=60, margin=0.5):
        """The network's output over a grid covering the data (for the decision boundary).

        Returns
        -------
        x1, x2 : ndarray of shape (resolution,)
            Grid coordinates (2-D data sets); for "line", ``x1`` is the x axis and ``x2``
            is None.
        values : ndarray of shape (resolution, resolution) or (resolution,)
            Predicted probability of class 1 at ``(x1[j], x2[i])`` in ``values[i, j]``, or
            the predicted ``y`` along ``x1`` for regression.
        """
        X = np.vstack([self.X_train, self.X_test])
        lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
        if self.config.task == "regression":
            x1 = np.linspace(lo[0], hi[0], resolution)
            with np.errstate(all="ignore"):
                return x1, None, self.model.predict(x1[:, None]).ravel()
        x1 = np.linspace(lo[0], hi[0], resolution)
        x2 = np.linspace(lo[1], hi[1], resolution)
        g1, g2 = np.meshgrid(x1, x2)
        with np.errstate(all="ignore"):
            values = self.model.predict(np.column_stack([g1.ravel(), g2.ravel()]))
        return x1, x2, values.reshape(resolution, resolution)


def config_text_checker(target):
    """A checker for ``nnlib.exercises.Exercise``: is the answer ``target``'s configuration?

    Parameters
    ----------
    target : PlaygroundConfig
        The expected setup.

    Returns
    -------
    callable ``check(answer) -> str or None``
        None when ``answer`` (a configuration line) reads as ``target``; otherwise a short
        message: not a str, an unreadable line (the reason from ``from_string``), or the
        names of the settings that differ.
    """
    if not isinstance(target, PlaygroundConfig):
        raise TypeError(f"target must be a PlaygroundConfig. Received: {target!r}")

    def check(answer):
        if not isinstance(answer, str):
            return (f"expected a str such as 'data=...;seed=...', "
                    f"got {type(answer).__name__}.")
        try:
            given = PlaygroundConfig.from_string(answer)
        except (TypeError, ValueError) as error:
            return f"that line cannot be read: {error}"
        if given == target:
            return None
        wrong = [key for key, field in _KEYS.items()
                 if getattr(given, field) != getattr(target, field)]
        return f"not the same setup; check: {', '.join(wrong)}."

    return check


def keras_code(config, *, epochs=200) -> str:
    """Python code that builds and trains the configuration's network with Keras 3.

    The data come from ``nnlib.data`` with the same seed and split, so the program
    trains on exactly the playground's points.

    Parameters
    ----------
    config : PlaygroundConfig
    epochs : int, default=200

    Returns
    -------
    str
        A complete program (imports, data, model, compile, fit, evaluate).
    """
    epochs = check_positive_int(epochs, "epochs")
    maker, task = DATASETS[config.dataset]
    reg = f", kernel_regularizer=keras.regularizers.L2({config.l2:g})" if config.l2 else ""
    lines = [
        "import keras",
        "import numpy as np",
        "",
        f"from nnlib.data import {maker}, train_test_split",
        "",
        f"# playground configuration: {config.to_string()}",
        f"X, y = {maker}({config.n_samples}, noise={config.noise:g}, seed={config.seed})",
        "y = np.asarray(y, float).reshape(-1, 1)",
        f"X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, "
        f"seed={config.seed})",
        "",
        f"keras.utils.set_random_seed({config.seed})",
        "model = keras.Sequential([",
        f"    keras.Input(shape=({config.layer_sizes[0]},)),",
    ]
    for units in config.hidden:
        lines.append(f'    keras.layers.Dense({units}, activation="{config.activation}"{reg}),')
        if config.dropout:
            lines.append(f"    keras.layers.Dropout({config.dropout:g}),")
    out = config.activations[-1]
    lines.append(f'    keras.layers.Dense(1, activation="{out}"{reg}),')
    lines.append("])")
    loss = "binary_crossentropy" if task == "classification" else "mean_squared_error"
    metrics = ', metrics=["accuracy"]' if task == "classification" else ""
    lines += [
        f"model.compile(optimizer=keras.optimizers.Adam(learning_rate={config.learning_rate:g}),",
        f'              loss="{loss}"{metrics})',
        f"history = model.fit(X_train, y_train, epochs={epochs}, "
        f"batch_size={config.batch_size},",
        "                    validation_data=(X_test, y_test), verbose=0)",
        "print(model.evaluate(X_test, y_test, verbose=0))",
    ]
    return "\n".join(lines) + "\n"
