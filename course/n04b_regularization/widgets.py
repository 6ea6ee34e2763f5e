"""The regularization explorer of notebook 04: L2, L1 and dropout sliders that retrain
a large network on a few noisy points.

Training is ``regularization.fit_regularized`` (an ``nnlib.MLP``); the figure, and how
it changes, is ``plots.RegularizationFigure``.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer, one_blas_thread

from . import regularization
from .plots import RegularizationFigure

STRENGTHS = (0.0, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2)
"""The values offered by the L2 and L1 sliders."""

RECORD_EVERY = 10
"""The loss curves get a point every 10 epochs (60 over 600): evaluating the 200 test
points after every epoch took two thirds of a fit."""

CACHE_SIZE = 128
"""Trainings kept, by setting: moving a slider back to a value seen before is instant."""



class RegularizationExplorer(Explorer):
    """Retrain a large MLP on few noisy points whenever an L2, L1 or dropout slider moves.

    Left: the training points, the test points, the true curve ``sin(2x)``, the fit
    without regularization (dashed) and the current fit. Middle: training and test
    MSE every ``RECORD_EVERY`` (10) epochs. Right: histograms of the kernel values without
    regularization and now. The sliders act on release (``continuous_update=False``):
    a new setting trains the network again (~85 ms on a fast machine); a setting seen
    before is kept and shown at once.

    Parameters
    ----------
    n_train : int, default=12
        Training points (``regularization.overfitting_data``).
    noise : float, default=0.3
    layer_sizes : sequence of int, default=(1, 64, 64, 1)
    epochs : int, default=600
        Full-batch Adam steps per retraining (see ``fit_regularized``).
    learning_rate : float, default=0.02
    seed : int, default=0
        Seeds the data, the starting weights and the dropout masks.

    Attributes
    ----------
    result : regularization.RegularizedFit
        The last training (``result.model``, ``result.history``).
    baseline : regularization.RegularizedFit
        The same network trained without any regularization.
    weights : ndarray
        The current kernel values (``regularization.kernel_values``).
    weight_norm : float
        ``sqrt(sum(W**2))`` over all kernels.
    near_zero : float
        Fraction of the weights with ``|w| <= regularization.NEAR_ZERO``.
    y_curve : ndarray of shape (n_curve, 1)
        The current fit on ``x_curve``.
    train_mse, test_mse : float
        After the last epoch.
    message : str
        The text under the sliders.
    """

    def __init__(self, *, n_train=12, noise=0.3, layer_sizes=(1, 64, 64, 1), epochs=600,
                 learning_rate=0.02, seed=0):
        self.X, self.y, self.X_test, self.y_test = regularization.overfitting_data(
            n_train, noise=noise, seed=seed)
        self.fit_kwargs = {"layer_sizes": tuple(layer_sizes), "epochs": epochs,
                           "learning_rate": learning_rate, "seed": seed,
                           "activations": ("tanh",) * (len(layer_sizes) - 2) + ("linear",)}
        self.x_curve = np.linspace(-1.6, 1.6, 161)[:, None]
        self._fits = {}  # (l1, l2, dropout) -> RegularizedFit, the same seed: the same fit
        self.baseline = self._train(0.0, 0.0, 0.0)
        style = {"description_width": "initial"}
        options = [(f"{v:g}", v) for v in STRENGTHS]
        self.controls = {
            "l2": ipw.SelectionSlider(options=options, value=0.0, description="L2 strength",
                                      style=style, continuous_update=False),
            "l1": ipw.SelectionSlider(options=options, value=0.0, description="L1 strength",
                                      style=style, continuous_update=False),
            "dropout": ipw.FloatSlider(value=0.0, min=0.0, max=0.6, step=0.05,
                                       description="dropout rate", readout_format=".2f",
                                       style=style, continuous_update=False),
        }
        for key in self.controls:
            self.controls[key].add_class(f"{key}-slider")
        self.readout = ipw.HTML()
        self.readout.add_class("regularization-readout")

        title = ("Fit of a 64-64 network to 12 points"
                 if tuple(layer_sizes) == (1, 64, 64, 1) else "Fit")
        self.figure = RegularizationFigure(
            (self.X, self.y), (self.X_test, self.y_test), self.x_curve,
            self._predict(self.baseline.model), regularization.kernel_values(self.baseline.model),
            noise=noise, epochs=epochs, record_every=RECORD_EVERY, title=title)
        self._start(self.figure.fig, dynamic=self.figure.dynamic, on_top=self.figure.legends)

    def forget(self):
        """Drop the kept trainings (the next update of each setting trains again)."""
        self._fits.clear()

    def _train(self, l1, l2, dropout):
        key = (l1, l2, dropout)
        if key not in self._fits:
            with one_blas_thread():  # also when called outside an update (the baseline)
                if len(self._fits) >= CACHE_SIZE:
                    self._fits.pop(next(iter(self._fits)))  # the oldest
                self._fits[key] = self._fit(l1, l2, dropout)
        return self._fits[key]

    def _fit(self, l1, l2, dropout):
        return regularization.fit_regularized(
            self.X, self.y, validation_data=(self.X_test, self.y_test), l1=l1, l2=l2,
            dropout=dropout, record_every=RECORD_EVERY, **self.fit_kwargs)

    def _predict(self, model):
        with np.errstate(over="ignore", invalid="ignore"):
            return model.predict(self.x_curve)

    def update(self):
        l2 = float(self.controls["l2"].value)
        l1 = float(self.controls["l1"].value)
        dropout = float(self.controls["dropout"].value)
        self.result = self._train(l1, l2, dropout)
        history = self.result.history
        self.weights = regularization.kernel_values(self.result.model)
        self.weight_norm = float(np.linalg.norm(self.weights))
        self.near_zero = regularization.near_zero_fraction(self.weights)
        self.y_curve = self._predict(self.result.model)
        train, test = history["train_mse"], history["test_mse"]
        self.train_mse = train[-1] if train else float("nan")
        self.test_mse = test[-1] if test else float("nan")

        if history.diverged:
            self.message = "Training diverged: " + history.message
        else:
            self.message = (f"training MSE {self.train_mse:.3f}, test MSE {self.test_mse:.3f} "
                            f"(without regularization: "
                            f"{self.baseline.history['train_mse'][-1]:.3f} and "
                            f"{self.baseline.history['test_mse'][-1]:.3f})")
        self.figure.show(self.y_curve, history, self.weights, self.weight_norm, self.near_zero,
                         self.message if history.diverged else "")
        self.readout.value = (f"L2 = {l2:g}, L1 = {l1:g}, dropout = {dropout:.2f}: "
                              f"{self.message}")
        self.view.redraw()


def regularization_explorer(**kwargs) -> RegularizationExplorer:
    """Build the regularization widget (see ``RegularizationExplorer`` for the options).

    Examples
    --------
    >>> explorer = regularization_explorer()
    >>> explorer.controls["l2"].value = 1e-2          # retrains at once
    >>> baseline = regularization.kernel_values(explorer.baseline.model)
    >>> bool(explorer.weight_norm < np.linalg.norm(baseline))   # L2 shrinks the weights
    True
    """
    return RegularizationExplorer(**kwargs)
