"""``BlitView``: a figure shown as an image, redrawing only the artists that change.

Live training redraws the same figure many times a second, and most of it (axes,
labels, data points) never changes. ``BlitView`` draws that still part once and keeps
the pixels; each later ``redraw`` pastes them back and draws only the changing artists
on top, then sends the PNG like ``FigureView`` does (the same widget, the same tests).
``loss_limits`` gives a live loss plot limits that change in steps, so that its axes
stay in the still part most of the time.
"""

from __future__ import annotations

import numpy as np

from .base import FigureView


class BlitView(FigureView):
    """A ``FigureView`` that redraws only the artists that change.

    The first ``render`` draws the figure without its ``dynamic`` artists (they are
    marked animated) and keeps that picture; every later ``render`` pastes it back and
    draws only the ``dynamic`` artists on top, in their order. Call ``invalidate`` after
    changing anything else (a new data set, a new network).

    Attributes
    ----------
    dynamic : list of matplotlib Artist
        Whole Axes may be listed (they are drawn with their ticks and texts).
    """

    def __init__(self, fig):
        super().__init__(fig)
        self.dynamic = []
        self._background = None

    def set_dynamic(self, artists):
        """Mark ``artists`` as the ones redrawn every time; invalidates the background."""
        for artist in self.dynamic:
            artist.set_animated(False)
        self.dynamic = list(artists)
        for artist in self.dynamic:
            artist.set_animated(True)
        self.invalidate()

    def invalidate(self):
        """Draw everything again at the next ``render``."""
        self._background = None

    def render(self) -> bytes:
        """Draw what changed (everything the first time) and return the figure as PNG bytes."""
        if self._background is None:
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self.dynamic:
            artist.draw(renderer)
        return self._encode()


def loss_limits(epoch, losses):
    """Limits of the loss plot that change in steps: 10, 20, 50, 100, ... epochs; half decades.

    Parameters
    ----------
    epoch : int
    losses : list of float

    Returns
    -------
    ((0, x_max), (y_min, y_max)) : tuple of tuples of float
    """
    x_max = 10
    while x_max < epoch:
        x_max = x_max * 5 // 2 if str(x_max)[0] == "2" else x_max * 2
    finite = np.array([v for v in losses if np.isfinite(v) and v > 0])
    if not finite.size:
        return (0.0, x_max * 1.02), (0.1, 1.0)
    low = 10 ** (np.floor(2 * np.log10(finite.min() / 1.2)) / 2)
    high = 10 ** (np.ceil(2 * np.log10(finite.max() * 1.2)) / 2)
    return (0.0, x_max * 1.02), (float(low), float(high))
