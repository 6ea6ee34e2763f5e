"""Tests for nnlib/callbacks.py."""

import numpy as np
import pytest

import nnlib
from nnlib import callbacks
from nnlib.data import make_moons


def _feed(early, losses):
    """Call the callback with a list of validation losses; return the epoch it stopped at."""
    for epoch, value in enumerate(losses, 1):
        if early(epoch, {"loss": 0.0, "val_loss": value}):
            return epoch
    return None


def test_stops_after_patience_epochs_without_improvement():
    # best at epoch 3 (0.5); epochs 4, 5, 6 do not improve -> stop after epoch 6
    early = callbacks.EarlyStopping(patience=3, restore_best_weights=False)
    assert _feed(early, [1.0, 0.8, 0.5, 0.6, 0.55, 0.7, 0.1]) == 6
    assert (early.best_epoch, early.stopped_epoch, early.best) == (3, 6, 0.5)


def test_min_delta_and_reset_between_runs():
    early = callbacks.EarlyStopping(patience=2, min_delta=0.1, restore_best_weights=False)
    # 0.95 is not better than 1.0 by more than 0.1
    assert _feed(early, [1.0, 0.95, 0.92, 0.5]) == 3
    assert early.best_epoch == 1
    # a new run (epoch 1 again) starts from scratch
    assert _feed(early, [2.0, 1.5, 1.0, 0.5]) is None
    assert early.best_epoch == 4 and early.stopped_epoch is None


def test_restores_the_best_weights_of_a_real_fit():
    X, y = make_moons(40, noise=0.35, seed=1)
    X_val, y_val = make_moons(200, noise=0.35, seed=2)
    model = nnlib.MLP([2, 32, 32, 1], ["relu", "relu", "sigmoid"], seed=0)
    early = callbacks.EarlyStopping(model, patience=15)
    history = model.fit(X, y, loss="binary_cross_entropy", optimizer=nnlib.Adam(0.02),
                        epochs=500, batch_size=40, seed=0, validation_data=(X_val, y_val),
                        callback=early)
    assert history.stopped_early and early.restored
    assert len(history["loss"]) == early.stopped_epoch == early.best_epoch + 15
    best = min(history["val_loss"])
    assert history["val_loss"][early.best_epoch - 1] == best
    # the model now has the weights of the best epoch, not of the last one
    assert model.loss(X_val, y_val, loss="binary_cross_entropy") == pytest.approx(best, rel=1e-12)
    assert history["val_loss"][-1] > best


def test_restore_after_fit_ran_out_of_epochs():
    X, y = make_moons(40, noise=0.35, seed=1)
    X_val, y_val = make_moons(100, noise=0.35, seed=2)
    model = nnlib.MLP([2, 32, 1], ["relu", "sigmoid"], seed=0)
    early = callbacks.EarlyStopping(model, patience=1000)
    history = model.fit(X, y, loss="binary_cross_entropy", optimizer=nnlib.Adam(0.05),
                        epochs=80, batch_size=40, seed=0, validation_data=(X_val, y_val),
                        callback=early)
    assert not history.stopped_early and not early.restored
    early.restore()
    assert model.loss(X_val, y_val, loss="binary_cross_entropy") == pytest.approx(
        min(history["val_loss"]), rel=1e-12)


def test_chain_calls_all_and_stops_if_any_asks():
    calls = []
    a = lambda epoch, logs: calls.append(("a", epoch)) or False
    b = lambda epoch, logs: calls.append(("b", epoch)) or epoch == 2
    both = callbacks.chain(b, a)
    assert both(1, {}) is False and both(2, {}) is True
    assert calls == [("b", 1), ("a", 1), ("b", 2), ("a", 2)]  # a still runs at epoch 2
    with pytest.raises(TypeError, match="every callback must be callable. Received: 3"):
        callbacks.chain(a, 3)


def test_errors():
    with pytest.raises(TypeError, match="EarlyStopping needs the model to restore"):
        callbacks.EarlyStopping(patience=3)
    with pytest.raises(ValueError, match="patience must be an integer >= 1. Received: patience=0"):
        callbacks.EarlyStopping(patience=0, restore_best_weights=False)
    early = callbacks.EarlyStopping(restore_best_weights=False)
    with pytest.raises(ValueError, match=r"monitors 'val_loss', but the logs only have \['loss'\]"):
        early(1, {"loss": 1.0})
    model = nnlib.MLP([1, 1], ["linear"], seed=0)
    X = np.zeros((4, 1))
    with pytest.raises(ValueError, match="Pass validation_data to fit, or monitor='loss'"):
        model.fit(X, X, epochs=2, callback=callbacks.EarlyStopping(model))
