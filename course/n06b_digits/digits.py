"""Notebook 06b's computations: the 8x8 handwritten digits, a classifier made of the
student's pieces, its run next to nnlib's, the confusion between digits, and
cross-validation.

The data are scikit-learn's copy of the UCI digits (1,797 images of 8 x 8 pixels, grey
levels 0 to 16), shipped inside scikit-learn: nothing is downloaded.
"""

from __future__ import annotations

import functools

import numpy as np

import nnlib
from nnlib.data import one_hot

N_CLASSES = 10
IMAGE_SHAPE = (8, 8)
MAX_PIXEL = 16.0

# The two recipes of the notebook: every training of a model uses its recipe.
RECIPES = {
    "softmax regression": {"layer_sizes": [64, 10], "activations": ["softmax"],
                           "learning_rate": 0.05, "epochs": 10, "batch_size": 128},
    "MLP 64-32-10": {"layer_sizes": [64, 32, 10], "activations": ["relu", "softmax"],
                     "learning_rate": 0.02, "epochs": 15, "batch_size": 64},
}


@functools.lru_cache(maxsize=1)
def _digits():
    from sklearn.datasets import load_digits

    bunch = load_digits()
    X = bunch.data.astype(float) / MAX_PIXEL
    y = bunch.target.astype(int)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def load_digits():
    """The digits with pixels scaled to [0, 1] (read once, then kept).

    Returns
    -------
    X : ndarray of shape (1797, 64)
        Each row an 8 x 8 image, row by row, grey level / 16.
    y : ndarray of int, shape (1797,)
        The digit, 0 to 9.
    """
    X, y = _digits()
    return X.copy(), y.copy()


def stratified_split(y, test_size=0.2, *, seed=None):
    """Indices of a training and a test part with each class in the same proportion.

    Parameters
    ----------
    y : array_like of int, shape (n_samples,)
    test_size : float in (0, 1), default=0.2
        The share of each class that goes to the test part (rounded per class).
    seed : int, numpy Generator or None

    Returns
    -------
    train_idx, test_idx : ndarray of int
        Disjoint, together every index once, each in shuffled order.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of labels. Received: shape {y.shape}")
    if not 0.0 < float(test_size) < 1.0:
        raise ValueError(f"test_size must lie between 0 and 1. Received: test_size={test_size!r}")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_test = int(round(test_size * len(members)))
        test.append(members[:n_test])
        train.append(members[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


# ---------------------------------------------------------------- the student's classifier


class Classifier:
    """A dense network with ReLU hidden layers and a softmax output, made of pieces.

    ``pieces`` has ``dense_forward``, ``relu``, ``relu_grad``, ``softmax_cross_entropy``
    and ``dense_backward`` (``course.student_library.load``: the student's, or nnlib's
    stand-ins). With no hidden layer it is softmax regression. It has what the student's
    ``train`` needs: ``params`` and ``loss_and_grads(X, Y)``.

    Parameters
    ----------
    params : list of ndarray
        ``[W1, b1, W2, b2, ...]``, copied (float64).
    pieces : object with the five functions above
    """

    def __init__(self, params, pieces):
        self.params = [np.array(p, dtype=float) for p in params]
        self.pieces = pieces

    def _forward(self, X):
        """Every layer's ``(Z, A)``; the last Z are the scores."""
        layers, A = [], X
        n_layers = len(self.params) // 2
        for layer in range(n_layers):
            W, b = self.params[2 * layer], self.params[2 * layer + 1]
            Z = self.pieces.dense_forward(A, W, b)
            A = self.pieces.relu(Z) if layer < n_layers - 1 else Z
            layers.append((Z, A))
        return layers

    def scores(self, X):
        """The scores before softmax, shape (n_samples, 10)."""
        return self._forward(X)[-1][0]

    def predict(self, X):
        """The predicted digit of each row of ``X``: the class with the largest score."""
        return np.argmax(self.scores(X), axis=1)

    def loss_and_grads(self, X, Y):
        """The mean cross-entropy of softmax(scores) against one-hot ``Y``, and
        ``[dW1, db1, ...]`` by backprop through the pieces."""
        layers = self._forward(X)
        loss, dZ = self.pieces.softmax_cross_entropy(layers[-1][0], Y)
        grads = [None] * len(self.params)
        for layer in range(len(layers) - 1, -1, -1):
            A_prev = X if layer == 0 else layers[layer - 1][1]
            dW, db, dA_prev = self.pieces.dense_backward(dZ, A_prev, self.params[2 * layer])
            grads[2 * layer], grads[2 * layer + 1] = dW, db
            if layer:
                dZ = dA_prev * self.pieces.relu_grad(layers[layer - 1][0])
        return float(loss), grads

    def get_weights(self):
        return [p.copy() for p in self.params]


def initial_weights(recipe, seed):
    """The starting weights of a recipe's network (nnlib's Glorot draw, zero biases)."""
    return nnlib.MLP(recipe["layer_sizes"], recipe["activations"], seed=seed).get_weights()


def epoch_seeds(seed, epochs):
    """One shuffling seed per epoch, all from ``seed``."""
    return [int(s) for s in np.random.default_rng(seed).integers(2**31, size=epochs)]


class Run:
    """A training run, epoch by epoch: the loss of each epoch and the weights after it.

    Attributes
    ----------
    losses : list of float
        The training loss of each epoch (``epochs`` values).
    snapshots : list of list of ndarray
        The weights before training (index 0) and after each epoch (index ``e``).
    """

    def __init__(self, losses, snapshots):
        self.losses = list(losses)
        self.snapshots = snapshots

    @property
    def weights(self):
        """The weights after the last epoch."""
        return self.snapshots[-1]

    def accuracies(self, X, y):
        """The accuracy on ``(X, y)`` of the weights after each epoch (index 0: before)."""
        return np.array([accuracy_of(w, X, y) for w in self.snapshots])


def run_with_pieces(pieces, recipe, X, y, *, seed, start=None):
    """Train a recipe's network with the student's ``train`` and ``Adam`` (``pieces``),
    one epoch per call, keeping the weights after each epoch.

    Parameters
    ----------
    pieces : object with ``train``, ``Adam`` and the pieces of ``Classifier``
    recipe : dict, one of ``RECIPES``
    X : ndarray of shape (n_samples, 64)
    y : ndarray of int, shape (n_samples,)
    seed : int
        Seeds the starting weights (unless ``start``) and each epoch's shuffle.
    start : list of ndarray, optional

    Returns
    -------
    Run
    """
    start = initial_weights(recipe, seed) if start is None else start
    net = Classifier(start, pieces)
    optimizer = pieces.Adam(learning_rate=recipe["learning_rate"])
    Y = one_hot(y, N_CLASSES)
    losses, snapshots = [], [net.get_weights()]
    for epoch_seed in epoch_seeds(seed, recipe["epochs"]):
        losses += list(pieces.train(net, X, Y, optimizer, epochs=1,
                                    batch_size=recipe["batch_size"], seed=epoch_seed))
        snapshots.append(net.get_weights())
    return Run(losses, snapshots)


def run_with_nnlib(recipe, X, y, *, seed, start=None):
    """The same run as ``run_with_pieces``, with nnlib's ``MLP.fit`` and ``Adam``."""
    model = nnlib.MLP(recipe["layer_sizes"], recipe["activations"], seed=seed)
    if start is not None:
        model.set_weights(start)
    optimizer = nnlib.Adam(learning_rate=recipe["learning_rate"])
    Y = one_hot(y, N_CLASSES)
    losses, snapshots = [], [model.get_weights()]
    for epoch_seed in epoch_seeds(seed, recipe["epochs"]):
        history = model.fit(X, Y, optimizer=optimizer, loss="categorical_cross_entropy",
                            epochs=1, batch_size=recipe["batch_size"], seed=epoch_seed)
        losses += history["loss"]
        snapshots.append(model.get_weights())
    return Run(losses, snapshots)


def scores_of(weights, X):
    """The scores of a network with ReLU hidden layers and ``weights``, as nnlib computes."""
    A = X
    n_layers = len(weights) // 2
    for layer in range(n_layers):
        Z = A @ weights[2 * layer] + weights[2 * layer + 1]
        A = np.maximum(Z, 0.0) if layer < n_layers - 1 else Z
    return Z


def accuracy_of(weights, X, y):
    """The share of rows of ``X`` whose largest score is at their label."""
    return float(np.mean(np.argmax(scores_of(weights, X), axis=1) == y))


def weight_images(weights):
    """Softmax regression's kernel as ten 8 x 8 images: ``images[k]`` holds the weight of
    every pixel in digit k's score. Shape (10, 8, 8)."""
    W = np.asarray(weights[0])
    if W.shape != (64, N_CLASSES):
        raise ValueError(f"expected the kernel of softmax regression, shape (64, 10). "
                         f"Received: shape {W.shape}")
    return W.T.reshape(N_CLASSES, *IMAGE_SHAPE)


def template_matches(weights, X, y):
    """For each digit k, the digit whose mean image (minus the mean of all images) is most
    like weight image k (by correlation). ``matches[k] == k``: image k looks like a k."""
    images = weight_images(weights).reshape(N_CLASSES, -1)
    centre = X.mean(axis=0)
    means = np.stack([X[y == k].mean(axis=0) - centre for k in range(N_CLASSES)])
    corr = np.corrcoef(images, means)[:N_CLASSES, N_CLASSES:]
    return np.argmax(corr, axis=1)


# ---------------------------------------------------------------- which digits are confused


def confused_pairs(C, top=3):
    """The pairs of digits mixed up most often, either way round.

    Parameters
    ----------
    C : ndarray of int, shape (10, 10)
        A confusion matrix (rows: true digit, columns: predicted).
    top : int, default=3

    Returns
    -------
    list of (int, int, int)
        ``(a, b, count)`` with a < b and count = C[a, b] + C[b, a], largest first (ties:
        the smaller pair first).
    """
    C = np.asarray(C)
    pairs = [(a, b, int(C[a, b] + C[b, a])) for a in range(len(C)) for b in range(a + 1, len(C))]
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs[:top]


# ---------------------------------------------------------------- cross-validation


def k_fold_indices(n_samples, k, seed=None):
    """The course's k-fold split: ``k`` pairs ``(train_idx, val_idx)``.

    The samples are shuffled with ``seed`` and cut into ``k`` folds whose sizes differ by
    at most 1 (the first ``n_samples % k`` folds have one more); fold i validates, the
    other folds train.
    """
    if int(k) != k or k < 2 or k > n_samples:
        raise ValueError(f"k must be an integer from 2 to n_samples={n_samples}. "
                         f"Received: k={k!r}")
    order = np.random.default_rng(seed).permutation(n_samples)
    sizes = np.full(k, n_samples // k) + (np.arange(k) < n_samples % k)
    ends = np.cumsum(sizes)
    folds = [order[end - size:end] for size, end in zip(sizes, ends)]
    return [(np.concatenate(folds[:i] + folds[i + 1:]), folds[i]) for i in range(k)]


def fit_nnlib(recipe, X, y, *, seed):
    """A recipe's network trained by nnlib on ``(X, y)`` (as ``run_with_nnlib``); its
    weights."""
    return run_with_nnlib(recipe, X, y, seed=seed).weights


def repeated_cv(folds_fn, X, y, *, k=5, repeats=4, seed=0, recipes=None):
    """``repeats`` runs of k-fold cross-validation, each with its own shuffle.

    Each fold is also a single train/validation split, so one call gives both: the
    accuracy of ``repeats * k`` single splits and ``repeats`` cross-validation estimates
    (the mean over a repeat's folds), for every recipe, on the same folds.

    Parameters
    ----------
    folds_fn : callable ``folds_fn(n_samples, k, seed) -> [(train_idx, val_idx), ...]``
        The student's ``k_fold_indices`` (or the course's).
    X, y : the data
    k, repeats : int
    seed : int
        Repeat r shuffles with seed ``seed * 1000 + r``; the networks start from ``seed``.
    recipes : dict, default ``RECIPES``

    Returns
    -------
    dict of str to ndarray of shape (repeats, k)
        Each recipe's validation accuracy per repeat and fold.
    """
    recipes = RECIPES if recipes is None else recipes
    scores = {name: np.empty((repeats, k)) for name in recipes}
    for r in range(repeats):
        for i, (train, val) in enumerate(folds_fn(len(X), k, seed * 1000 + r)):
            train, val = np.asarray(train), np.asarray(val)
            for name, recipe in recipes.items():
                weights = fit_nnlib(recipe, X[train], y[train], seed=seed)
                scores[name][r, i] = accuracy_of(weights, X[val], y[val])
    return scores
