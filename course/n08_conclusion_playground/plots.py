"""The playground's figure (notebook 08): the network, the output and the loss curves.

``PlaygroundFigure`` draws what ``widgets.Playground`` computes with ``playground``: the
network as neuron heat maps (``neuron_maps.NeuronMaps``), the decision map over the
plane (or the fitted curve for the article's line) with the data, and the train and
test loss curves. The widget hands it numbers; this module only draws.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import NullFormatter

from course.explorer import loss_limits
from course.figures import OKABE_ITO, STYLE, new_axes

from .neuron_maps import MAP_CMAP, NeuronMaps

NET_CAPTIONS = {  # what the squares (or boxes) are, then what the lines are
    task: f"{first}\nlines: weights, blue solid if positive, vermillion dashed if negative, "
          "width ∝ |w|"
    for task, first in [
        ("classification", "squares: what each neuron outputs over the plane (orange high, "
                           "blue low)"),
        ("regression", "boxes: what each neuron outputs along x (grey line: 0; 0.5 for "
                       "sigmoid)")]}
"""The caption under the network, by task."""


class PlaygroundFigure:
    """The figure of ``widgets.playground``: network left, output top right, losses below.

    Built once, empty of data; ``set_network`` draws a new data set and network (a new
    configuration), ``show`` the state of the training (new weights, more epochs).
    960 x 576 px: JupyterLab's output area shows it at this size, not scaled down.

    Attributes
    ----------
    fig : matplotlib Figure
    ax_net, ax_data, ax_loss : matplotlib Axes
        The network, the output (decision map or fitted curve) and the loss curves.
    neuron_maps : neuron_maps.NeuronMaps or None
        The network panel (None before ``set_network``): ``neuron_maps.images[l][k]`` is
        the heat map of the k-th shown neuron of layer l (0: the input features; last: the
        output).
    image : matplotlib AxesImage or None
        The decision map (None for a regression, which has ``fit_line`` instead).
    fit_line : matplotlib Line2D or None
        The network's curve (None for a classification).
    train_line, test_line : matplotlib Line2D
        The loss after each epoch.
    status_text : matplotlib Text
        Across the loss plot: why training stopped, or what to do first.
    dynamic : list of matplotlib Artist
        What ``show`` changes, with what lies on top of it (``FigureView.set_dynamic``);
        it depends on the network drawn: set it again after ``set_network``.
    """

    def __init__(self):
        fig, ax = new_axes(figsize=(12, 7.2), dpi=80)
        ax.remove()
        with mpl.rc_context(STYLE):
            self.ax_net = fig.add_axes((0.0, 0.0, 0.56, 1.0))
            self.ax_data = fig.add_axes((0.625, 0.43, 0.355, 0.475))
            self.ax_loss = fig.add_axes((0.625, 0.075, 0.355, 0.235))
        self.fig = fig
        (self.train_line,) = self.ax_loss.plot([], [], color=OKABE_ITO["blue"], linestyle="-",
                                               marker="", label="train")
        (self.test_line,) = self.ax_loss.plot([], [], color=OKABE_ITO["vermillion"],
                                              linestyle="--", marker="", label="test")
        self.ax_loss.set_yscale("log")
        self.ax_loss.yaxis.set_minor_formatter(NullFormatter())  # fewer labels, faster redraw
        self.ax_loss.set_xlabel("epoch", fontsize=10, labelpad=1)
        self.ax_loss.set_ylabel("loss", fontsize=10)
        self.ax_loss.tick_params(labelsize=10)
        self.ax_loss.legend(loc="upper right", fontsize=10, ncol=2)
        self.status_text = self.ax_loss.text(0.5, 0.5, "", transform=self.ax_loss.transAxes,
                                             ha="center", va="center", wrap=True, fontsize=10,
                                             color=OKABE_ITO["vermillion"])
        self.neuron_maps = None
        self.image = None
        self.fit_line = None
        self._data_dynamic = []

    @property
    def dynamic(self):
        # Drawn every update; the rest (axes, labels, points' legend) only when it changes.
        maps = self.neuron_maps.dynamic if self.neuron_maps is not None else []
        return [self.train_line, self.test_line, self.status_text, *self._data_dynamic,
                *maps]

    def set_network(self, task, train, test, grid, maps, weights, *, activations,
                    input_labels):
        """Draw a new data set and network; ``show`` then draws its training.

        Parameters
        ----------
        task : {"classification", "regression"}
        train, test : (ndarray, ndarray)
            The points ``(X, y)``: ``X`` of shape (n, 2) for a classification (labels 0
            and 1 in ``y``), (n, 1) for a regression.
        grid : (ndarray, ndarray, ndarray)
            ``(x1, x2, values)`` of ``PlaygroundTrainer.grid``: the output over the plane
            (``x2`` None and ``values`` of shape (n,) along ``x1`` for a regression).
        maps : list of ndarray
            ``PlaygroundTrainer.neuron_maps(...)[2]``: what each neuron computes.
        weights : list of ndarray
            The kernels ``W_1, ..., W_L``.
        activations : list of str
            The activation of each layer after the input.
        input_labels : list of str
            One label per input neuron.
        """
        self._draw_data(task, train, test, grid)
        self.ax_net.clear()
        self.neuron_maps = NeuronMaps(self.ax_net, maps, weights, activations=activations,
                                      input_labels=input_labels, caption=NET_CAPTIONS[task])

    def _draw_data(self, task, train, test, grid):
        (X_train, y_train), (X_test, y_test) = train, test
        ax = self.ax_data
        ax.clear()
        ax.grid(False)
        if task == "classification":
            x1, x2, values = grid
            self.image = ax.imshow(values, origin="lower", extent=(x1[0], x1[-1], x2[0], x2[-1]),
                                   cmap=MAP_CMAP, vmin=0, vmax=1, aspect="auto",
                                   interpolation="bilinear", alpha=0.8)
            points = []
            for label, color, marker in ((0, OKABE_ITO["blue"], "o"),
                                         (1, OKABE_ITO["orange"], "s")):
                for X, y, face, kind in ((X_train, y_train, color, "train"),
                                         (X_test, y_test, "white", "test")):
                    pick = y.ravel() == label
                    points.append(ax.scatter(
                        X[pick, 0], X[pick, 1], s=20, marker=marker, facecolors=face,
                        edgecolors="black", linewidths=0.7,
                        label=f"class {label}" if kind == "train" else None))
            ax.scatter([], [], s=20, marker="o", facecolors="white", edgecolors="black",
                       linewidths=0.7, label="test points (hollow)")
            self.fit_line = None
            ax.set_xlabel("$x_1$", fontsize=10, labelpad=1)
            ax.set_ylabel("$x_2$", fontsize=10, labelpad=1)
            ax.set_title("output: P(class 1) over the plane", fontsize=10, pad=22)
            # the spines go over the map, as in a full draw
            self._data_dynamic = [self.image, *points,
                                  *(sp for sp in ax.spines.values() if sp.get_visible())]
        else:
            self.image = None
            ax.scatter(X_train.ravel(), y_train.ravel(), s=16, color=OKABE_ITO["blue"],
                       marker="o", label="train")
            ax.scatter(X_test.ravel(), y_test.ravel(), s=22, facecolors="white",
                       edgecolors=OKABE_ITO["vermillion"], marker="^", label="test (hollow)")
            (self.fit_line,) = ax.plot([], [], color=OKABE_ITO["black"], linestyle="-",
                                       marker="", linewidth=2, label="network")
            y_all = np.vstack([y_train, y_test]).ravel()
            pad = 0.3 * np.ptp(y_all)
            ax.set_ylim(y_all.min() - pad, y_all.max() + pad)
            ax.set_xlabel("x", fontsize=10, labelpad=1)
            ax.set_ylabel("y", fontsize=10, labelpad=1)
            ax.set_title("output: the fitted curve", fontsize=10, pad=22)
            self._data_dynamic = [self.fit_line]
        ax.tick_params(labelsize=10)
        # Above the map, not on it: it stays in the still background.
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=10,
                  borderpad=0.2, handletextpad=0.2, columnspacing=1.0)

    def show(self, grid, maps, weights, epoch, train_loss, test_loss, *, status="",
             diverged=False):
        """Draw the network's state: its output, its neurons, its weights, its losses.

        Parameters
        ----------
        grid : (ndarray, ndarray, ndarray)
            ``(x1, x2, values)`` as in ``set_network``, for the current weights (non-finite
            values of a decision map are drawn at 0.5).
        maps : list of ndarray
            What each neuron computes now (same shapes as in ``set_network``).
        weights : list of ndarray
            The kernels now.
        epoch : int
            The epochs trained.
        train_loss, test_loss : list of float
            One value per epoch trained.
        status : str, default=""
            Written across the loss plot.
        diverged : bool, default=False
            Writes ``status`` in vermillion (grey otherwise).
        """
        x1, _, values = grid
        if self.image is not None:
            self.image.set_data(np.nan_to_num(values, nan=0.5))
        else:
            self.fit_line.set_data(x1, values)
        self.neuron_maps.update(maps, weights)
        epochs = np.arange(1, epoch + 1)
        self.train_line.set_data(epochs, train_loss)
        self.test_line.set_data(epochs, test_loss)
        # Limits in steps: the still part of the figure is redrawn only when they change.
        x_limits, y_limits = loss_limits(epoch, train_loss + test_loss)
        self.ax_loss.set_xlim(*x_limits)
        self.ax_loss.set_ylim(*y_limits)
        self.status_text.set_text(status)
        self.status_text.set_color(OKABE_ITO["vermillion"] if diverged else "#555555")
