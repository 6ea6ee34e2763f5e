"""Notebook 06b's widget: a slider over the epochs of softmax regression's training,
showing its weights as ten 8 x 8 images and the test accuracy at that epoch.

Every epoch's weights were kept while training (``digits.Run``), so moving the slider
computes nothing new: it looks up the epoch and hands the figure
(``plots.WeightImagesFigure``) its images and accuracy.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer

from . import digits
from .plots import WeightImagesFigure


class EpochExplorer(Explorer):
    """Softmax regression's weights after any epoch of its training, one slider away.

    Parameters
    ----------
    run : digits.Run
        The training run of softmax regression (its weights after each epoch).
    X_test : ndarray of shape (n_samples, 64)
    y_test : ndarray of int, shape (n_samples,)
    epoch : int, optional
        The epoch shown first (default: the last).

    Attributes
    ----------
    accuracies : ndarray of shape (n_epochs + 1,)
        The test accuracy before training and after each epoch.
    epoch : int
        The epoch shown.
    images : ndarray of shape (10, 8, 8)
        The weight images of that epoch.
    accuracy : float
        Its test accuracy.
    figure : plots.WeightImagesFigure
    readout : ipywidgets.HTML
    """

    def __init__(self, run, X_test, y_test, *, epoch=None):
        if not isinstance(run, digits.Run):
            raise TypeError(f"run must be a digits.Run. Received: {type(run).__name__}")
        self.run = run
        self.accuracies = run.accuracies(np.asarray(X_test, float), np.asarray(y_test))
        last = len(run.snapshots) - 1
        epoch = last if epoch is None else epoch
        if not 0 <= epoch <= last:
            raise ValueError(f"epoch must lie between 0 and {last}. Received: epoch={epoch!r}")
        self.controls = {
            "epoch": ipw.IntSlider(value=epoch, min=0, max=last, description="epoch",
                                   continuous_update=True),
        }
        self.controls["epoch"].add_class("epoch-slider")
        self.readout = ipw.HTML()
        self.readout.add_class("epoch-readout")
        self.figure = WeightImagesFigure(self.accuracies)
        self._start(self.figure.fig, dynamic=self.figure.dynamic)

    def update(self):
        self.epoch = int(self.controls["epoch"].value)
        self.images = digits.weight_images(self.run.snapshots[self.epoch])
        self.accuracy = float(self.accuracies[self.epoch])
        self.figure.show(self.images, self.epoch, self.accuracy)
        when = "before training" if self.epoch == 0 else f"after epoch {self.epoch}"
        self.message = f"{when}: test accuracy {self.accuracy:.3f}"
        self.readout.value = f"{when}: test accuracy <b>{self.accuracy:.3f}</b>"
        self.view.redraw()


def epoch_explorer(run, X_test, y_test, *, epoch=None) -> EpochExplorer:
    """Build the epoch widget (see ``EpochExplorer``)."""
    return EpochExplorer(run, X_test, y_test, epoch=epoch)
