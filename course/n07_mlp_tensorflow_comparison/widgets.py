"""Learning rate and epochs against a fixed Keras run (notebook 07).

``learning_rate_explorer``: sliders for Adam's learning rate and the number of
epochs retrain the article's network with nnlib from the same starting weights and
redraw its fit and loss curve (``plots.plot_fit_and_loss``); the Keras run stays
on the plots as a reference.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer, boxed_legend, log_slider, stepped_limits
from course.figures import OKABE_ITO
from nnlib.optimizers import Adam

from . import comparison
from .plots import RUN_STYLES, plot_fit_and_loss

KERAS_LABEL = "Keras (article settings)"
NNLIB_LABEL = "nnlib, this setting"


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

        runs, styles = {}, []
        if keras_predictions is not None or keras_history is not None:
            runs[KERAS_LABEL] = (keras_predictions, keras_history)
            styles.append(RUN_STYLES[0])
        runs[NNLIB_LABEL] = (None, None)
        styles.append(RUN_STYLES[1])
        fig, lines = plot_fit_and_loss(self.X, self.y, runs, floor=0.01, styles=styles)
        self.ax_fit, self.ax_loss = fig.axes[:2]
        self.fit_line, self.loss_line = lines[NNLIB_LABEL]
        self._order = np.argsort(self.X.ravel())
        self.status_text = self.ax_loss.text(0.5, 0.5, "", transform=self.ax_loss.transAxes,
                                             ha="center", va="center", wrap=True,
                                             color=OKABE_ITO["vermillion"], fontsize=11)
        # Legends in boxes, pasted back over the new lines (FigureView.set_dynamic).
        legends = [boxed_legend(self.ax_fit, loc="upper left"),
                   boxed_legend(self.ax_loss, loc="upper right")]
        self._start(fig, dynamic=[self.fit_line, self.loss_line, self.status_text],
                    on_top=legends)

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
            self.fit_line.set_ydata(np.full(self.X.shape[0], np.nan))
            self.status_text.set_text(self.history.message)
        else:
            self.final_mse = float(self.model.loss(self.X, self.y))
            self.slope, self.intercept = comparison.learned_line(self.X, self.y_hat)
            self.fit_line.set_ydata(self.y_hat.ravel()[self._order])
            self.status_text.set_text("")
        self.loss_line.set_data(np.arange(1, losses.size + 1), losses)
        self.ax_loss.set_xlim(0, epochs + 1)
        finite = losses[np.isfinite(losses)]
        if finite.size:  # limits in steps: most updates redraw only the lines
            self.ax_loss.set_ylim(*stepped_limits(
                min(finite.min(), 0.01) / 2, max(finite.max(), 1.0) * 2, log=True,
                current=self.ax_loss.get_ylim()))
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
