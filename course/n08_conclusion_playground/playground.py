"""The playground's logic (notebook 08): data, model, training in chunks, neuron maps.

``playground_config.PlaygroundConfig`` describes a run
and writes it as one line of text. ``PlaygroundTrainer`` trains the network a few epochs
at a time (``train_chunk``), keeping the weights and the optimizer state between chunks;
the network sees each point through the configuration's input features
(``features``) in training, in the accuracy and on the decision grid alike.
``neuron_maps`` says what every neuron computes over the plane (TensorFlow Playground's
small heat maps), and ``keras_code`` writes the same configuration as a Keras program.

Numpy only: the widget is ``widgets``.
"""

from __future__ import annotations

import math

import numpy as np

from nnlib import data as _data
from nnlib.model import MLP
from nnlib.optimizers import Adam
from nnlib.thresholds import accuracy_at_threshold
from nnlib.validation import check_positive_int

from . import features as _features
from .playground_config import DATASETS, PlaygroundConfig


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
        The points (n, 2) (or (n, 1) for "line") and their targets (n, 1).
    F_train, F_test : ndarray of shape (n, layer_sizes[0])
        What the network sees: the features of ``X_train`` and ``X_test``
        (``config.inputs``).
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
        self.F_train = self.config.inputs(self.X_train)
        self.F_test = self.config.inputs(self.X_test)
        self.model = build_model(self.config)
        self.initial_theta = self.model.theta.copy()
        self.reset()

    def reset(self):
        """Back to the initial weights, a fresh optimizer and empty curves."""
        self.model.theta[...] = self.initial_theta
        self.model.seed_dropout(self.config.seed)  # the same dropout masks again
        self.optimizer = Adam(learning_rate=self.config.learning_rate)
        self._shuffle_rng = np.random.default_rng(self.config.seed)
        self.epoch = 0
        self.train_loss, self.test_loss = [], []
        self.diverged = False
        # Say the training settings now: they change nothing visible before Start.
        self.message = f"ready: press Start ({self._settings()})"

    def _settings(self):
        c = self.config
        return (f"learning rate {c.learning_rate:g}, batch {c.batch_size}, L2 {c.l2:g}, "
                f"dropout {c.dropout:g}")

    #: Settings that change how training goes on, not what is trained: changing only these
    #: keeps the weights, the optimizer's moments and the curves (as TensorFlow Playground).
    TRAINING_SETTINGS = ("learning_rate", "l2", "dropout", "batch_size")

    def retune(self, config) -> bool:
        """Go on training with ``config``'s training settings (``TRAINING_SETTINGS``).

        Returns False, and changes nothing, when ``config`` also differs in the data, the
        inputs or the network: those need a new ``PlaygroundTrainer``.
        """
        same = {name: getattr(self.config, name) for name in self.TRAINING_SETTINGS}
        if config.replace(**same) != self.config:
            return False
        self.config = config
        self.optimizer.learning_rate = config.learning_rate
        dropout = config.dropout if config.hidden else 0.0
        self.model.dropout = MLP._check_dropout(dropout, len(config.hidden))
        self.message = (f"ready: press Start ({self._settings()})" if self.epoch == 0 else
                        f"epoch {self.epoch}: training goes on with {self._settings()}")
        return True

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
        history = self.model.fit(
            self.F_train, self.y_train, optimizer=self.optimizer, loss=self.config.loss,
            epochs=epochs, batch_size=self.config.batch_size, seed=self._shuffle_rng,
            validation_data=(self.F_test, self.y_test), l2=self.config.l2, warn=False)
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
        F, y = (self.F_test, self.y_test) if split == "test" else (self.F_train, self.y_train)
        return accuracy_at_threshold(y, self.model.predict(F))

    def grid_axes(self, resolution=60, margin=0.5):
        """Grid coordinates covering the data with ``margin`` around it.

        Returns
        -------
        x1 : ndarray of shape (resolution,)
        x2 : ndarray of shape (resolution,) or None
            None for "line" (one input).
        """
        resolution = check_positive_int(resolution, "resolution", minimum=2)
        X = np.vstack([self.X_train, self.X_test])
        lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
        x1 = np.linspace(lo[0], hi[0], resolution)
        if self.config.task == "regression":
            return x1, None
        return x1, np.linspace(lo[1], hi[1], resolution)

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
        x1, x2 = self.grid_axes(resolution, margin)
        with np.errstate(all="ignore"):
            if x2 is None:
                return x1, None, self.model.predict(x1[:, None]).ravel()
            values = self.model.predict(self.config.inputs(grid_points(x1, x2)))
        return x1, x2, values.reshape(len(x2), len(x1))

    def neuron_maps(self, resolution=24, margin=0.5):
        """What every neuron computes over the grid of ``grid`` (coarser by default).

        Returns
        -------
        x1, x2 : ndarray of shape (resolution,)
            As ``grid_axes``; ``x2`` is None for "line".
        maps : list of ndarray
            ``neuron_maps(self.model, self.config, x1, x2)``.
        """
        x1, x2 = self.grid_axes(resolution, margin)
        return x1, x2, neuron_maps(self.model, self.config, x1, x2)


def grid_points(x1, x2):
    """The points ``(x1[j], x2[i])`` of a grid, row by row: shape (len(x2) * len(x1), 2)."""
    g1, g2 = np.meshgrid(x1, x2)
    return np.column_stack([g1.ravel(), g2.ravel()])


def neuron_maps(model, config, x1, x2=None):
    """What every neuron of ``model`` computes over a grid: TensorFlow Playground's heat maps.

    One forward pass over all grid points, keeping every layer's activations.

    Parameters
    ----------
    model : nnlib.MLP
        Built for ``config`` (``layer_sizes[0]`` inputs).
    config : PlaygroundConfig
        Gives the feature mapping (``config.inputs``).
    x1 : ndarray of shape (r1,)
    x2 : ndarray of shape (r2,) or None, default=None
        None for "line": the maps are then curves along ``x1``.

    Returns
    -------
    maps : list of ndarray, one per layer, input first
        ``maps[0]``: the input features, ``maps[l]`` for ``l = 1 .. L-1``: hidden layer
        ``l``'s activations, ``maps[-1]``: the output. Each of shape (n_neurons, r2, r1)
        (value at ``(x1[j], x2[i])`` in ``[k, i, j]``), or (n_neurons, r1) for "line".

    Raises
    ------
    ValueError
        If ``model`` does not take ``config``'s inputs.

    Notes
    -----
    With ``F`` the grid's features (one row per point), ``A_0 = F`` and
    ``A_l = f_l(A_{l-1} W_l + b_l)``; ``maps[l][k]`` is column ``k`` of ``A_l``.
    """
    if list(model.layer_sizes[:1]) != config.layer_sizes[:1]:
        raise ValueError(f"model takes {model.layer_sizes[0]} inputs, but the configuration "
                         f"has {config.layer_sizes[0]} ({', '.join(config.features)}). "
                         f"Received: model={model!r}")
    x1 = np.asarray(x1, dtype=float)
    if x2 is None:
        shape, A = (len(x1),), x1[:, None]
    else:
        x2 = np.asarray(x2, dtype=float)
        shape, A = (len(x2), len(x1)), config.inputs(grid_points(x1, x2))
    with np.errstate(all="ignore"):
        layers = model.forward(A, all_layers=True)
    return [A_l.T.reshape(-1, *shape) for A_l in layers]


def keras_code(config, *, epochs=200) -> str:
    """Python code that builds and trains the configuration's network with Keras 3.

    The data come from ``nnlib.data`` with the same seed and split, so the program
    trains on exactly the playground's points; input features other than x1, x2 are
    computed with numpy (``features.FEATURE_CODE``) before ``fit``.

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
    ]
    if task == "classification" and config.features != _features.DEFAULT_FEATURES:
        columns = ", ".join(_features.FEATURE_CODE[f] for f in config.features)
        lines += [
            f"# the network's inputs: {', '.join(config.features)} of every point (x1, x2)",
            "def features(X):",
            "    x1, x2 = X[:, 0], X[:, 1]",
            f"    return np.column_stack([{columns}])",
            "",
            "",
            "X_train, X_test = features(X_train), features(X_test)",
            "",
        ]
    lines += [
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
