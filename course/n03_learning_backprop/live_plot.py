"""``live_loss_plot``: a loss curve that redraws while ``MLP.fit`` trains (notebook 03)."""

from __future__ import annotations

import textwrap

import numpy as np

from course.explorer import FigureView, boxed_legend, loss_limits
from course.figures import OKABE_ITO, new_axes


class LiveLossPlot:
    """A loss curve that redraws while ``MLP.fit`` trains: pass it as ``callback``.

    Each call ``live(epoch, logs)`` appends ``logs["loss"]`` (and ``logs["val_loss"]``
    if present) to the lines; every ``every`` epochs the figure is redrawn in the
    notebook. ``finish(history)`` draws the last epochs and, if training diverged,
    writes ``history.message`` on the plot.

    Parameters
    ----------
    every : int, default=5
        Redraw every this many epochs (drawing costs more than an epoch of a small net).
    log_scale : bool, default=True
    title : str, default="Training loss, live"

    Attributes
    ----------
    epochs : list of int
    history : dict of str -> list of float
        ``"loss"`` and ``"val_loss"`` as received.
    lines : dict of str -> matplotlib Line2D
    n_redraws : int
        How many times the figure was drawn.
    message : str
        The text shown on the plot after ``finish`` (empty before).

    Examples
    --------
    >>> import nnlib
    >>> X, y = nnlib.data.make_linear(seed=0)
    >>> model = nnlib.MLP([1, 10, 5, 1], ["relu", "relu", "linear"], seed=0)
    >>> live = live_loss_plot(every=10)
    >>> history = model.fit(X, y, epochs=100, callback=live, seed=0)
    >>> _ = live.finish(history)
    >>> live.epochs[-1]
    100
    """

    def __init__(self, *, every=5, log_scale=True, title="Training loss, live"):
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an integer >= 1. Received: every={every!r}")
        self.every = every
        self.epochs = []
        self.history = {"loss": [], "val_loss": []}
        self.n_redraws = 0
        self.message = ""
        fig, ax = new_axes(figsize=(6.4, 3.6))
        self.ax = ax
        self.lines = {
            "loss": ax.plot([], [], color=OKABE_ITO["blue"], linestyle="-", marker="",
                            label="training loss")[0],
            "val_loss": ax.plot([], [], color=OKABE_ITO["vermillion"], linestyle="--",
                                marker="", label="validation loss")[0],
        }
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.set_title(title)
        self.text = ax.text(0.03, 0.95, "", transform=ax.transAxes, ha="left", va="top",
                            color=OKABE_ITO["vermillion"], fontsize=10)
        fig.tight_layout()
        self.view = FigureView(fig)
        self.fig = fig
        self._legend_for = None

    def __call__(self, epoch, logs):
        """The ``MLP.fit`` callback: record ``logs``, redraw every ``every`` epochs.

        Returns
        -------
        bool
            Always False (never asks training to stop).
        """
        self.epochs.append(int(epoch))
        for key, line in self.lines.items():
            if key in logs:
                self.history[key].append(float(logs[key]))
                n = len(self.history[key])
                line.set_data(self.epochs[-n:], self.history[key])
        if epoch % self.every == 0:
            self._redraw()
        return False

    def finish(self, history=None):
        """Draw every recorded epoch; show ``history.message`` if training diverged."""
        if history is not None and getattr(history, "diverged", False):
            self.message = history.message
            self.text.set_text(textwrap.fill(self.message, 48))
            self.text.set_bbox({"facecolor": "white", "edgecolor": OKABE_ITO["vermillion"]})
        self._redraw()
        return self

    def _redraw(self):
        shown = [line for line in self.lines.values() if len(line.get_xdata())]
        if shown:
            if self.ax.get_yscale() == "log":
                self._set_log_limits(shown)
            else:
                self.ax.relim()
                self.ax.autoscale_view()
            labels = [line.get_label() for line in shown]
            if labels != self._legend_for:  # a legend only when the lines shown change
                self._legend_for = labels
                legend = boxed_legend(self.ax, handles=shown, loc="upper right")
                # Limits in steps: most redraws draw only the lines and the text.
                self.view.set_dynamic([*self.lines.values(), self.text], on_top=[legend])
        self.view.redraw()
        self.n_redraws += 1

    def _set_log_limits(self, shown):
        # A diverging run reaches losses near 1e300, where matplotlib's automatic
        # margins and log ticks overflow. Show losses up to 1e200 at most; a curve that
        # leaves the top has diverged, and the message says so.
        values = np.concatenate([np.asarray(line.get_ydata(), float) for line in shown])
        values = values[np.isfinite(values) & (values > 0)]
        x_limits, y_limits = loss_limits(self.epochs[-1], list(np.minimum(values, 1e200)))
        self.ax.set_xlim(*x_limits)
        self.ax.set_ylim(*y_limits)

    def _repr_mimebundle_(self, **kwargs):
        self.view.redraw()
        return self.view.widget._repr_mimebundle_(**kwargs)


def live_loss_plot(*, every=5, log_scale=True, title="Training loss, live") -> LiveLossPlot:
    """Build a live loss curve to pass as ``MLP.fit(..., callback=live)``."""
    return LiveLossPlot(every=every, log_scale=log_scale, title=title)
