"""Learning rate and epochs against a fixed Keras run (notebook 07).

``learning_rate_explorer``: sliders for Adam's learning rate and the number of
epochs retrain the article's network with nnlib from the same starting weights and
redraw its fit and loss curve (``plots.LearningRateFigure``); the Keras run stays
on the plots as a reference.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer, log_slider
from nnlib.optimizers import Adam

from . import comparison
from .plots import LearningRateFigure


class LearningRateExplorer(Explorer):
    """Retrain the article's network live for a learning rate and a number of epochs.

    The sliders act on release (``continuous_update=False``): each change trains the
    network again (~50 ms on a fast machine, up to ~130 ms), too slow to follow a drag.

    Parameters
    ----------
    X, y : array_like of shape (n_samples, 1)
        The article's data.
    initial_weights : list of ndarray, optional
        ``[W1, b1, ..., W3, b3]`` every retraining starts from (e.g. the Keras model's
        initial ``get_weights()``); default: ``article_mlp(seed=seed)``'s.
    keras_history : sequence of float, optional
        Keras' loss per epoch, drawn as a fixed dashed reference curve.
    keras_predictions : array_like of shape (n_samples, 1), optional
        Keras' predictions on ``X``, drawn as a fixed dashed reference line.
    learning_rate : float, default=0.001
        Starting value of the logarithmic slider (1e-4 to 1e-1).
    epochs : int, default=200
        Starting value of the epochs slider (20 to 1000).
    batch_size : int, default=32
    seed : int, default=0
        Seeds the shuffling (and the weights when ``initial_weights`` is None).

    Attributes
    ----------
    model : nnlib.MLP
        The network trained by the last update.
    history : nnlib.History
    y_hat : ndarray of shape (n_samples, 1)
    final_mse : float
        MSE of the trained network on ``(X, y)`` (nan if training diverged).
    slope, intercept : float
        ``comparison.learned_line(X, y_hat)``.
    figure : plots.LearningRateFigure
        The fit and the loss curves (``figure.fit_line``, ``figure.loss_line``, ...).
    readout : ipywidgets.HTML
    """

    def __init__(self, X, y, *, initial_weights=None, keras_history=None, keras_predictions=None,
                 learning_rate=0.001, epochs=200, batch_size=32, seed=0):
        self.X = np.asarray(X, float)
        self.y = np.asarray(y, float)
        self.batch_size = batch_size
        self.seed = seed
        start = comparison.article_mlp(seed=seed, initial_weights=initial_weights)
        self.initial_weights = start.get_weights()
        self.controls = {
            "lr": log_slider(learning_rate, -4, -1, 0.25,
                                     description="learning rate", readout_format=".4f",
                                     continuous_update=False,
                                     style={"description_width": "initial"}),
            "epochs": ipw.IntSlider(value=epochs, min=20, max=1000, step=20,
                                    description="epochs", continuous_update=False),
        }
        self.controls["lr"].add_class("lr-slider")
        self.controls["epochs"].add_class("epochs-slider")
        self.readout = ipw.HTML()
        self.readout.add_class("lr-readout")

        self.figure = LearningRateFigure(self.X, self.y, keras_predictions=keras_predictions,
                                         keras_history=keras_history, floor=0.01)
        self._start(self.figure.fig, dynamic=self.figure.dynamic, on_top=self.figure.legends)

    def update(self):
        lr = float(self.controls["lr"].value)
        epochs = int(self.controls["epochs"].value)
        self.model = comparison.article_mlp(initial_weights=self.initial_weights)
        self.history = self.model.fit(self.X, self.y, optimizer=Adam(learning_rate=lr),
                                      loss="mse", epochs=epochs,
                                      batch_size=self.batch_size, seed=self.seed, warn=False)
        losses = np.asarray(self.history["loss"], float)
        with np.errstate(all="ignore"):
            self.y_hat = self.model.predict(self.X)
        if self.history.diverged or not np.all(np.isfinite(self.y_hat)):
            self.final_mse = self.slope = self.intercept = float("nan")
            self.figure.show(None, losses, epochs, status=self.history.message)
        else:
            self.final_mse = float(self.model.loss(self.X, self.y))
            self.slope, self.intercept = comparison.learned_line(self.X, self.y_hat)
            self.figure.show(self.y_hat, losses, epochs)
        self.message = (f"learning rate {lr:.4g}, {epochs} epochs: final MSE "
                        f"{self.final_mse:.4f}, slope {self.slope:.3f}, intercept "
                        f"{self.intercept:.3f}")
        self.readout.value = (
            f"learning rate {lr:.4g}, {epochs} epochs: final MSE <b>{self.final_mse:.4f}</b> "
            f"(noise floor 0.01) &nbsp; learned line: slope {self.slope:.3f} (true 2), "
            f"intercept {self.intercept:.3f} (true 1)")
        self.view.redraw()


def learning_rate_explorer(X, y, **kwargs) -> LearningRateExplorer:
    """Build the notebook-07 widget; see ``LearningRateExplorer`` for the arguments."""
    return LearningRateExplorer(X, y, **kwargs)
