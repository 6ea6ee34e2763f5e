"""Callbacks for ``MLP.fit``: ``EarlyStopping`` and ``chain``.

``MLP.fit(..., callback=cb)`` calls ``cb(epoch, logs)`` after every epoch, with the
epoch number (from 1) and ``logs = {"loss": ..., "val_loss": ...}``; a callback that
returns True stops training. That one hook is enough for early stopping.
"""

from __future__ import annotations

import math

from .validation import check_positive, check_positive_int


class EarlyStopping:
    """Stop training when the monitored loss has not improved for ``patience`` epochs.

    Works like Keras' ``keras.callbacks.EarlyStopping``: an epoch improves if its value
    is below the best so far by more than ``min_delta``; after ``patience`` epochs in a
    row without improvement, training stops. With ``restore_best_weights`` the model
    gets back the weights of its best epoch when it stops.

    Parameters
    ----------
    model : nnlib.MLP or None
        The model being trained; needed (and only used) to save and restore its
        weights. May be None when ``restore_best_weights=False``.
    monitor : str, default="val_loss"
        Which entry of ``logs`` to watch (``"val_loss"`` needs ``validation_data``).
    patience : int, default=10
        Epochs without improvement to wait before stopping (>= 1).
    min_delta : float, default=0.0
        Smallest decrease that counts as an improvement (>= 0).
    restore_best_weights : bool, default=True

    Attributes
    ----------
    best : float
        Lowest value of ``monitor`` seen so far (inf before the first epoch).
    best_epoch : int or None
        The epoch (from 1) where ``best`` was reached.
    stopped_epoch : int or None
        The epoch after which training was stopped (None if it was not).
    wait : int
        Epochs since the last improvement.
    restored : bool
        True once the best weights have been put back into the model.

    Notes
    -----
    The state is reset when a new training run starts (``epoch == 1``), so one object
    can serve several ``fit`` calls. Like Keras, the best weights are restored only when
    the callback stops training; if ``fit`` runs out of epochs first, call
    ``restore()`` to get them.

    Examples
    --------
    >>> import nnlib
    >>> from nnlib.data import make_linear
    >>> X, y = make_linear(seed=0)
    >>> model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    >>> early = EarlyStopping(model, patience=20)
    >>> history = model.fit(X[:80], y[:80], validation_data=(X[80:], y[80:]), epochs=500,
    ...                     callback=early, seed=0)
    >>> early.best_epoch <= len(history["loss"]) <= 500
    True
    """

    def __init__(self, model=None, *, monitor="val_loss", patience=10, min_delta=0.0,
                 restore_best_weights=True):
        if restore_best_weights and not hasattr(model, "theta"):
            raise TypeError(
                "EarlyStopping needs the model to restore its best weights: pass the "
                "nnlib.MLP being trained, or restore_best_weights=False. Received: "
                f"model={model!r}"
            )
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be a key of logs such as 'val_loss'. "
                            f"Received: monitor={monitor!r}")
        self.model = model
        self.monitor = monitor
        self.patience = check_positive_int(patience, "patience")
        self.min_delta = check_positive(min_delta, "min_delta", allow_zero=True)
        self.restore_best_weights = bool(restore_best_weights)
        self.reset()

    def reset(self):
        """Forget the previous run (done automatically at epoch 1)."""
        self.best = math.inf
        self.best_epoch = None
        self.stopped_epoch = None
        self.wait = 0
        self.restored = False
        self.best_weights = None

    def __call__(self, epoch, logs) -> bool:
        """The ``MLP.fit`` callback. Returns True to stop training."""
        if epoch == 1:
            self.reset()
        if self.monitor not in logs:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, but the logs only have "
                f"{sorted(logs)}. Pass validation_data to fit, or monitor='loss'."
            )
        value = float(logs[self.monitor])
        if value < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = value, int(epoch), 0
            if self.restore_best_weights:
                self.best_weights = self.model.theta.copy()
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = int(epoch)
            self.restore()
            return True
        return False

    def restore(self):
        """Put the weights of the best epoch back into the model (if they were kept)."""
        if self.restore_best_weights and self.best_weights is not None:
            self.model.theta[...] = self.best_weights
            self.restored = True
        return self

    def __repr__(self):
        return (f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
                f"best_epoch={self.best_epoch}, stopped_epoch={self.stopped_epoch})")


def chain(*callbacks):
    """One callback that calls each of ``callbacks`` in order; it stops if any asks to.

    Every callback is called at every epoch (none is skipped because an earlier one
    asked to stop), e.g. ``chain(live_plot, EarlyStopping(model))``.
    """
    for cb in callbacks:
        if not callable(cb):
            raise TypeError(f"every callback must be callable. Received: {cb!r}")

    def combined(epoch, logs):
        stops = [bool(cb(epoch, logs)) for cb in callbacks]
        return any(stops)

    return combined
