"""``MLP``: a multi-layer perceptron with backpropagation written out by hand.

A network with layer sizes ``[n_0, n_1, ..., n_L]`` has ``L`` dense layers. Layer
``l`` computes, for a batch ``A_0 = X`` of shape ``(n_samples, n_0)``::

    Z_l = A_{l-1} @ W_l + b_l        W_l: (n_{l-1}, n_l), b_l: (n_l,)
    A_l = f_l(Z_l)                   f_l: the layer's activation

and the prediction is ``y_hat = A_L``. Backpropagation walks the same layers in
reverse with the chain rule::

    dZ_l     = dA_l * f_l'(Z_l)
    dW_l     = A_{l-1}.T @ dZ_l
    db_l     = sum of dZ_l over the batch
    dA_{l-1} = dZ_l @ W_l.T

All weights and biases live in one flat vector ``theta`` (the ``W_l`` and ``b_l``
are reshaped views into it), and the gradient is one flat vector too, as in
"the gradient is the vector of all partial derivatives". An optimizer step is then
a handful of array operations on two vectors, whatever the number of layers.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from . import activations as _activations
from . import losses as _losses
from . import optimizers as _optimizers
from . import penalties as _penalties
from .data import batch_indices
from .initializers import glorot_uniform
from .validation import (
    as_float_array,
    check_in_range,
    check_positive,
    check_positive_int,
    check_same_length,
)


class DivergenceWarning(RuntimeWarning):
    """Issued once when training stops because the loss stopped being finite."""


class History(dict):
    """What ``MLP.fit`` returns: ``history["loss"]`` (and ``"val_loss"``) per epoch.

    Attributes
    ----------
    diverged : bool
        True if training stopped because the loss became NaN or infinite.
    diverged_at : int or None
        The optimizer step (counted from 1 within this ``fit`` call) whose loss was not finite.
    stopped_early : bool
        True if the callback asked to stop.
    message : str
        A sentence describing how training ended.
    """

    def __init__(self):
        super().__init__(loss=[])
        self.diverged = False
        self.diverged_at = None
        self.stopped_early = False
        self.epochs_run = 0
        self.message = ""

    @property
    def epochs(self):
        """Epoch numbers (1, 2, ...) matching ``history["loss"]``, for plotting."""
        return list(range(1, len(self["loss"]) + 1))


class MLP:
    """A fully connected feed-forward network (multi-layer perceptron).

    Parameters
    ----------
    layer_sizes : list of int, length L + 1
        Neurons per layer, input layer first: ``[1, 10, 5, 1]`` is one input, two
        hidden layers of 10 and 5 neurons, and one output.
    activations : list of str, length L
        Activation of each layer after the input: ``["relu", "relu", "linear"]``.
        See ``nnlib.activations.ACTIVATIONS`` for the names.
    dropout : float or list of float, default=0.0
        Dropout rate after each hidden layer (one value for all, or one per hidden
        layer), in [0, 1). Only active in ``forward(X, training=True)``.
    seed : int, numpy Generator or None, default=None
        Seeds the initial weights and dropout masks.
    dtype : numpy float dtype, default=np.float64

    Attributes
    ----------
    params : list of ndarray
        ``[W1, b1, W2, b2, ...]``, views into ``theta`` (Keras' ``get_weights`` order).
    theta : ndarray of shape (n_params,)
        All parameters as one vector.

    Examples
    --------
    >>> model = MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    >>> model.count_params()
    81
    """

    def __init__(self, layer_sizes, activations, *, dropout=0.0, seed=None, dtype=np.float64):
        sizes = list(layer_sizes) if not isinstance(layer_sizes, (str, bytes)) else None
        if not sizes or len(sizes) < 2:
            raise ValueError(
                "layer_sizes must list at least an input and an output size, e.g. "
                f"[1, 10, 5, 1]. Received: layer_sizes={layer_sizes!r}"
            )
        self.layer_sizes = [check_positive_int(n, "each layer size") for n in sizes]
        n_layers = len(self.layer_sizes) - 1
        if isinstance(activations, str) or len(activations) != n_layers:
            raise ValueError(
                f"activations must be a list with one name per layer after the input "
                f"({n_layers} for layer_sizes={self.layer_sizes}). Received: "
                f"activations={activations!r}"
            )
        self.activations = [_activations.get(a) for a in activations]
        self.dropout = self._check_dropout(dropout, n_layers - 1)
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise TypeError(f"dtype must be a float type. Received: dtype={dtype!r}")
        self._rng = np.random.default_rng(seed)

        shapes = []
        for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            shapes += [(n_in, n_out), (n_out,)]
        self.theta = np.zeros(sum(math.prod(s) for s in shapes), dtype=self.dtype)
        self.params = _views(self.theta, shapes)
        self._grad = np.zeros_like(self.theta)
        self._grad_views = _views(self._grad, shapes)
        for W in self.params[0::2]:
            W[...] = glorot_uniform(W.shape, self._rng, self.dtype)

    @staticmethod
    def _check_dropout(dropout, n_hidden):
        rates = list(dropout) if np.ndim(dropout) else [dropout] * n_hidden
        if len(rates) != n_hidden:
            raise ValueError(
                f"dropout must be one rate or one rate per hidden layer ({n_hidden}). "
                f"Received: dropout={dropout!r}"
            )
        return [check_in_range(r, "dropout", 0.0, 1.0) for r in rates]

    # ------------------------------------------------------------ weights

    @property
    def weights(self):
        """The kernels ``[W1, W2, ...]`` (views)."""
        return self.params[0::2]

    @property
    def biases(self):
        """The biases ``[b1, b2, ...]`` (views)."""
        return self.params[1::2]

    def count_params(self) -> int:
        """Number of trainable numbers: ``sum(n_in * n_out + n_out)`` over layers."""
        return self.theta.size

    def get_weights(self):
        """Copies of ``[W1, b1, W2, b2, ...]``, the order of Keras' ``get_weights()``."""
        return [p.copy() for p in self.params]

    def set_weights(self, weights):
        """Load ``[W1, b1, ...]`` (e.g. ``keras_model.get_weights()``) into this network."""
        weights = list(weights)
        if len(weights) != len(self.params):
            raise ValueError(
                f"set_weights expects {len(self.params)} arrays [W1, b1, ...], got {len(weights)}."
            )
        for i, (p, w) in enumerate(zip(self.params, weights)):
            w = np.asarray(w)
            if w.shape != p.shape:
                kind = "W" if i % 2 == 0 else "b"
                raise ValueError(
                    f"set_weights: {kind}{i // 2 + 1} must have shape {p.shape}, got {w.shape}."
                )
            p[...] = w

    def seed_dropout(self, seed):
        """Restart the dropout masks' random stream from ``seed`` (same seed, same masks)."""
        self._rng = np.random.default_rng(seed)

    def copy(self):
        """A deep copy (same architecture and weights, independent arrays)."""
        clone = MLP.__new__(MLP)
        clone.__dict__.update(self.__dict__)
        clone.theta = self.theta.copy()
        shapes = [p.shape for p in self.params]
        clone.params = _views(clone.theta, shapes)
        clone._grad = np.zeros_like(clone.theta)
        clone._grad_views = _views(clone._grad, shapes)
        clone._rng = np.random.default_rng(self._rng.bit_generator.random_raw())
        return clone

    def __repr__(self):
        acts = [a.name for a in self.activations]
        return f"MLP({self.layer_sizes}, {acts}, n_params={self.count_params()})"

    # ------------------------------------------------------------ checks at the entry points

    def _check_X(self, X, name="X"):
        X = as_float_array(X, name, dtype=self.dtype)
        if X.ndim == 1 and self.layer_sizes[0] == 1:
            raise ValueError(
                f"{name} must be 2-D of shape (n_samples, 1), got shape {X.shape}. "
                f"Use {name}.reshape(-1, 1)."
            )
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(
                f"{name} has shape {X.shape}, but this MLP expects (n_samples, "
                f"{self.layer_sizes[0]}): {self.layer_sizes[0]} feature(s) per sample."
            )
        return X

    def _check_y(self, y, X, loss, name="y"):
        y = as_float_array(y, name, dtype=self.dtype)
        n_out = self.layer_sizes[-1]
        if y.ndim == 1 and n_out == 1:
            y = y[:, None]
        if y.ndim == 1 and loss.name == "categorical_cross_entropy":
            raise ValueError(
                f"{name} looks like integer class labels (shape {y.shape}), but "
                "categorical_cross_entropy needs one-hot rows of shape (n_samples, "
                f"{n_out}). Use nnlib.data.one_hot({name}, {n_out})."
            )
        if y.ndim != 2 or y.shape[1] != n_out:
            raise ValueError(
                f"{name} has shape {y.shape}, but this MLP outputs (n_samples, {n_out})."
            )
        check_same_length(X, y, "X" if name == "y" else "X_val", name)
        loss.check_targets(y)
        return y

    def forward(self, X, training=False, *, all_layers=False):
        """Run the network on a batch.

        Parameters
        ----------
        X : array_like of shape (n_samples, layer_sizes[0])
        training : bool, default=False
            Apply dropout (inverted dropout: kept activations are divided by
            ``1 - rate`` so their expected value does not change).
        all_layers : bool, default=False
            Return every layer's activations, ``[X, A_1, ..., y_hat]``.

        Returns
        -------
        y_hat : ndarray of shape (n_samples, layer_sizes[-1]), or a list (``all_layers``)
        """
        cache = self._forward(self._check_X(X), training)
        return [A for _, A, *_ in cache] if all_layers else cache[-1][1]

    def predict(self, X):
        """Predictions without dropout; same as ``forward(X, training=False)``."""
        return self.forward(X, training=False)

    def _forward(self, X, training):
        """Forward pass keeping what backprop needs: a list of ``(Z, A)`` per layer.

        The first entry is ``(None, X)``. With dropout, the mask is kept too.
        """
        cache = [(None, X)]
        A = X
        n_layers = len(self.activations)
        for l, act in enumerate(self.activations):
            W, b = self.params[2 * l], self.params[2 * l + 1]
            Z = A @ W + b
            A = act.fn(Z)
            if training and l < n_layers - 1 and self.dropout[l] > 0:
                keep = 1.0 - self.dropout[l]
                mask = (self._rng.random(A.shape) < keep) / keep
                A = A * mask
                cache.append((Z, A, mask))
            else:
                cache.append((Z, A))
        return cache

    # ------------------------------------------------------------ loss and backprop

    def loss_and_grads(self, X, y, loss="mse", l1=0.0, l2=0.0, training=False):
        """Loss on a batch and its gradient with respect to every parameter.

        Parameters
        ----------
        X : array_like of shape (n_samples, layer_sizes[0])
        y : array_like of shape (n_samples, layer_sizes[-1])
        loss : str, default="mse"
            ``"mse"``, ``"binary_cross_entropy"`` or ``"categorical_cross_entropy"``.
        l1, l2 : float, default=0.0
            Penalties on the kernels, as Keras' ``kernel_regularizer``:
            ``l1 * sum(|W|) + l2 * sum(W**2)`` summed over layers (biases are not penalised).
        training : bool, default=False
            Whether dropout is active.

        Returns
        -------
        loss_value : float
        grads : list of ndarray
            ``[dW1, db1, dW2, db2, ...]``, same shapes as ``params``.
        """
        loss = _losses.get(loss)
        X = self._check_X(X)
        y = self._check_y(y, X, loss)
        l1 = check_positive(l1, "l1", allow_zero=True)
        l2 = check_positive(l2, "l2", allow_zero=True)
        value = self._loss_and_grad(X, y, loss, l1, l2, training)
        return value, [g.copy() for g in self._grad_views]

    def _loss_and_grad(self, X, y, loss, l1, l2, training):
        """Fill ``self._grad`` and return the loss; inputs are already checked."""
        cache = self._forward(X, training)
        Z_out, y_hat = cache[-1][0], cache[-1][1]
        value = self._data_loss(cache, y, loss)
        if self._on_logits(loss):  # dL/dZ = (y_hat - y) / n, on the scores
            dZ = loss.grad_from_logits(y, Z_out)
        else:
            dZ = self.activations[-1].backward(Z_out, loss.grad(y, y_hat))

        for l in range(len(self.activations) - 1, -1, -1):
            A_prev = cache[l][1]
            W = self.params[2 * l]
            dW, db = self._grad_views[2 * l], self._grad_views[2 * l + 1]
            np.matmul(A_prev.T, dZ, out=dW)
            np.sum(dZ, axis=0, out=db)
            if l == 0:
                break
            dA = dZ @ W.T
            if len(cache[l]) == 3:  # dropout: only the kept units pass gradient
                dA *= cache[l][2]
            dZ = self.activations[l - 1].backward(cache[l][0], dA)

        if l1 or l2:
            kernels = self.params[0::2]
            value += _penalties.penalty(kernels, l1, l2)
            _penalties.add_penalty_grads(kernels, self._grad_views[0::2], l1, l2)
        return value

    def _on_logits(self, loss):
        # A sigmoid or softmax output paired with its cross-entropy is handled on the
        # scores Z: exact and stable, and what Keras does.
        return loss.output_activation == self.activations[-1].name

    def _data_loss(self, cache, y, loss):
        """The loss of the forward pass ``cache`` against ``y``, before any penalty."""
        if self._on_logits(loss):
            return loss.value_from_logits(y, cache[-1][0])
        return loss.value(y, cache[-1][1])

    def loss(self, X, y, loss="mse", l1=0.0, l2=0.0):
        """Loss of the current weights on ``(X, y)`` (no dropout), plus any penalty."""
        loss = _losses.get(loss)
        X = self._check_X(X)
        y = self._check_y(y, X, loss)
        return self._eval_loss(X, y, loss, l1, l2)

    def _eval_loss(self, X, y, loss, l1, l2):
        value = self._data_loss(self._forward(X, training=False), y, loss)
        if l1 or l2:
            value += _penalties.penalty(self.params[0::2], l1, l2)
        return value

    # ------------------------------------------------------------ training

    def fit(self, X, y, *, optimizer="adam", loss="mse", epochs=1, batch_size=32, shuffle=True,
            seed=None, validation_data=None, callback=None, l1=0.0, l2=0.0, warn=True,
            step_callback=None):
        """Train with mini-batch gradient descent, like Keras' ``model.fit``.

        Parameters
        ----------
        X : array_like of shape (n_samples, layer_sizes[0])
        y : array_like of shape (n_samples, layer_sizes[-1])
        optimizer : nnlib optimizer or str, default="adam"
            E.g. ``nnlib.optimizers.Adam(learning_rate=0.01)``. Its state carries over
            between ``fit`` calls, so training can continue in chunks.
        loss : str, default="mse"
        epochs : int, default=1
            Passes over the data.
        batch_size : int, default=32
            Samples per step; the last batch of an epoch keeps what is left
            (100 samples, batch 32: steps of 32, 32, 32, 4). ``batch_size=1`` is the
            per-sample SGD of the textbook, ``batch_size=len(X)`` full-batch descent.
        shuffle : bool, default=True
            Shuffle the samples before each epoch.
        seed : int, numpy Generator or None, default=None
            Seeds the shuffling.
        validation_data : tuple (X_val, y_val), optional
            Evaluated after each epoch into ``history["val_loss"]``.
        callback : callable ``callback(epoch, logs) -> bool``, optional
            Called after each epoch with the epoch number (from 1) and
            ``{"loss": ..., "val_loss": ...}``; returning True stops training.
        l1, l2 : float, default=0.0
            Kernel penalties (see ``loss_and_grads``).
        warn : bool, default=True
            Issue a ``DivergenceWarning`` if training diverges. False for a caller that
            reports ``history.diverged`` itself (a widget, a search over settings).
        step_callback : callable ``step_callback(step, loss) -> bool``, optional
            Called at every step (from 1) with the batch's loss, before the update (it
            may change ``optimizer.learning_rate``); returning True stops training there.

        Returns
        -------
        History
            A dict with ``"loss"`` (and ``"val_loss"``) lists, one value per epoch. As in
            Keras, an epoch's loss is the mean of its batch losses weighted by batch size,
            each computed before that batch's update, and includes the penalties.
            If the loss becomes NaN or infinite, training stops, ``history.diverged``
            is True and ``history.message`` says at which step.

        Raises
        ------
        ValueError, TypeError
            For inputs of the wrong shape, non-finite data, or bad hyperparameters.
        """
        loss = _losses.get(loss)
        optimizer = _optimizers.get(optimizer)
        X = self._check_X(X)
        y = self._check_y(y, X, loss)
        epochs = check_positive_int(epochs, "epochs")
        batch_size = check_positive_int(batch_size, "batch_size")
        l1 = check_positive(l1, "l1", allow_zero=True)
        l2 = check_positive(l2, "l2", allow_zero=True)
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError("validation_data must be a tuple (X_val, y_val).")
            X_val = self._check_X(validation_data[0], "X_val")
            y_val = self._check_y(validation_data[1], X_val, loss, "y_val")
        for name, fn in (("callback", callback), ("step_callback", step_callback)):
            if fn is not None and not callable(fn):
                raise TypeError(f"{name} must be callable. Received: {fn!r}")

        rng = np.random.default_rng(seed)
        history = History()
        if validation_data is not None:
            history["val_loss"] = []
        n = X.shape[0]
        params, grads = [self.theta], [self._grad]
        step = 0
        # Overflow inside a diverging run is expected; we detect it through the loss.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(1, epochs + 1):
                total = 0.0
                for idx in batch_indices(n, batch_size, shuffle=shuffle, rng=rng):
                    step += 1
                    X_batch, y_batch = X[idx], y[idx]
                    value = self._loss_and_grad(X_batch, y_batch, loss, l1, l2, True)
                    if step_callback is not None and step_callback(step, value):
                        history.stopped_early = True
                        history.message = f"stopped by the step callback at step {step}"
                        return history
                    if not math.isfinite(value):
                        return self._diverged(history, step, epoch, value, warn)
                    optimizer.step(params, grads)
                    total += value * X_batch.shape[0]
                logs = {"loss": total / n}
                history["loss"].append(logs["loss"])
                if validation_data is not None:
                    logs["val_loss"] = self._eval_loss(X_val, y_val, loss, l1, l2)
                    history["val_loss"].append(logs["val_loss"])
                history.epochs_run = epoch
                if callback is not None and callback(epoch, logs):
                    history.stopped_early = True
                    history.message = f"stopped by the callback after epoch {epoch}"
                    return history
        history.message = f"trained for {epochs} epoch(s), {step} step(s)"
        return history

    def _diverged(self, history, step, epoch, value, warn=True):
        history.diverged = True
        history.diverged_at = step
        history.message = (
            f"diverged at step {step} (epoch {epoch}): the loss became {value}. "
            "Training stopped; try a smaller learning rate."
        )
        if warn:
            warnings.warn(history.message, DivergenceWarning, stacklevel=3)
        return history


def _views(flat, shapes):
    """Split a flat vector into reshaped views, one per shape."""
    views, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        views.append(flat[start : start + size].reshape(shape))
        start += size
    return views
