"""A playground run as data and as one line of text (notebook 08).

A playground configuration says everything needed to reproduce a run: the data set
and its seed, the input features, the hidden layers, the activation and the training
hyperparameters. ``PlaygroundConfig.to_string()`` writes it as one short line such as::

    data=moons;seed=0;hidden=8,8;act=tanh;lr=0.03;l2=0;dropout=0;batch=16;noise=0.2;n=200;feat=x1,x2

and ``PlaygroundConfig.from_string`` reads it back (keys left out keep their defaults),
so a teacher can hand the class an exact starting point. ``feat`` lists the network's
input features (``features``); ``config_text_checker`` checks an exercise answer
given as a configuration line.

Numpy only; ``playground`` trains the runs.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from nnlib.validation import check_in_range, check_positive, check_positive_int, unknown_name_error

from . import features as _features

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
         "noise": "noise", "n": "n_samples", "feat": "features"}


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
    features : tuple of str, default=("x1", "x2")
        The network's inputs, from ``features.FEATURES``: "x1", "x2", "x1^2",
        "x2^2", "x1*x2", "sin(x1)", "sin(x2)" (kept in that order). Only for the 2-D
        data sets: "line" has the one input x and takes the default only.
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
    features: tuple = _features.DEFAULT_FEATURES

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
        features = _features.check_features(self.features)
        if self.task == "regression" and features != _features.DEFAULT_FEATURES:
            raise ValueError(f"features apply to the 2-D data sets "
                             f"({', '.join(d for d in DATASETS if d != 'line')}); "
                             f"{self.dataset!r} has one input x. Received: "
                             f"features={features!r}")
        object.__setattr__(self, "features", features)

    @property
    def task(self) -> str:
        """"classification" or "regression"."""
        return DATASETS[self.dataset][1]

    @property
    def layer_sizes(self) -> list:
        """``[n_inputs, *hidden, 1]``: one input per feature, 1 for "line"."""
        n_in = 1 if self.task == "regression" else len(self.features)
        return [n_in, *self.hidden, 1]

    def inputs(self, X):
        """The network's inputs for raw points ``X``: their features (``X`` for "line").

        Parameters
        ----------
        X : ndarray of shape (n_samples, 2), or (n_samples, 1) for "line"

        Returns
        -------
        ndarray of shape (n_samples, layer_sizes[0])
        """
        if self.task == "regression":
            return np.asarray(X, dtype=float)
        return _features.feature_matrix(X, self.features)

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
            elif field == "features":
                if self.task == "regression":
                    continue  # the line has one input, x: nothing to choose
                value = ",".join(value)
            elif isinstance(value, float):
                value = f"{value:g}"
            parts.append(f"{key}={value}")
        return ";".join(parts)

    @staticmethod
    def parse_hidden(text) -> tuple:
        """Hidden layer sizes from text, as the widget's box and ``from_string`` read them:
        ``"8,8"`` is ``(8, 8)``; ``""``, ``"none"`` and ``"0"`` are ``()``, no hidden layer."""
        text = text.strip()
        if text in ("", "none", "0"):
            return ()
        return tuple(int(v) for v in text.split(","))

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
                    value = cls.parse_hidden(value)
                elif field == "features":
                    value = tuple(v.strip() for v in value.split(","))
                elif field in ("seed", "batch_size", "n_samples"):
                    value = int(value)
                elif field not in ("dataset", "activation"):
                    value = float(value)
            except ValueError:
                raise ValueError(f"bad value for {key}: {value!r} (in {text!r})") from None
            values[field] = value
        return cls(**values)


def config_text_checker(target):
    """A checker for ``course.exercises.Exercise``: is the answer ``target``'s configuration?

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

