"""The base of every widget: ``FigureView`` (a figure shown as an image) and ``Explorer``.

Also the start-here check (``widget_check``) that proves widgets work in this setup.
"""

from __future__ import annotations

import base64
import contextlib
import math
import struct
import sys
import zlib

import ipywidgets as ipw
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from threadpoolctl import ThreadpoolController


class FigureView:
    """A matplotlib figure shown as an image widget, re-rendered on every ``redraw()``.

    The figure is built once; an update changes its artists (``line.set_data``, ...)
    and calls ``redraw()``, which renders the figure with Agg into a PNG and puts it
    in ``self.widget`` (an ``ipywidgets.Image``). The browser swaps the picture in
    place: no flicker, no jumping page, and the same code path in a kernel, in
    pytest and in a benchmark. The last PNG is kept as ``last_png``.

    Most of a figure never changes while a slider moves (axes, ticks, labels, legends,
    contours), and drawing it is most of the time an update takes. After
    ``set_dynamic(artists)`` the view draws everything else once, keeps those pixels,
    and on each later ``redraw`` pastes them back and draws only ``artists`` on top
    (blitting), by zorder like a full draw. A still artist that lies on top of a
    dynamic one (a zero line over bars) must be listed too. The view draws everything
    again by itself when the limits of any axes changed; call ``invalidate()`` after
    changing anything else that is not listed.
    ``tests/test_widgets_blit.py`` checks, for every widget, that the picture equals a
    full redraw.

    The figure is closed in pyplot's registry, so the inline backend does not show it
    a second time at the end of the cell.

    The picture is shown at its own size, one PNG pixel per CSS pixel (a flex box would
    otherwise stretch it to the output's width, blurring text and enlarging it); only an
    output narrower than the figure shrinks it. ``MAX_WIDTH_PX`` is the width of
    JupyterLab's output area in a common window: widgets draw their figures within it.

    Parameters
    ----------
    fig : matplotlib Figure
        Lay it out when building it (``fig.tight_layout()`` or ``layout="constrained"``):
        the PNG is the whole figure, nothing outside it is added.

    Attributes
    ----------
    dynamic : list of matplotlib Artist
        The artists redrawn every time (whole Axes may be listed);
        empty: the whole figure is drawn every time.
    full_draws : int
        How many renders drew the whole figure.
    """

    MAX_WIDTH_PX = 960

    def __init__(self, fig):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)  # render without pyplot, whatever the backend
        width, _ = self.canvas.get_width_height()
        self.widget = ipw.Image(format="png", layout=ipw.Layout(
            width=f"{width}px", max_width="100%", height="auto", align_self="flex-start"))
        self.widget.add_class("nnlib-figure")
        self.last_png = None
        self.dynamic = []
        self.on_top = []
        self._in_order = []
        self._on_top_pixels = []
        self.full_draws = 0
        self._background = None
        self._limits = None
        plt.close(fig)

    def set_dynamic(self, artists, *, on_top=()):
        """Redraw only ``artists`` from now on; the rest is drawn once (till invalidated).

        ``on_top``: still, opaque artists that lie over dynamic ones (legends made by
        ``boxed_legend``): their pixels are kept from the full draw and pasted back
        over the dynamic artists, which costs nothing, where drawing a legend's texts
        again would cost a few ms each.
        """
        for artist in self.dynamic:
            artist.set_animated(False)
        self.on_top = [artist for artist in on_top if artist is not None]
        self.dynamic = [artist for artist in artists if artist is not None]  # None: no legend yet
        # drawn as a full draw would: by zorder, then in the order given
        self._in_order = sorted(self.dynamic, key=lambda artist: artist.get_zorder())
        for artist in self.dynamic:
            artist.set_animated(True)
        self.invalidate()

    def invalidate(self):
        """Draw the whole figure again at the next render."""
        self._background = None

    def _axes_limits(self):
        return [(ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes]

    def _draw_all(self):
        """Draw everything but the (animated) dynamic artists, laid out once, with them."""
        self.full_draws += 1
        engine = self.fig.get_layout_engine()
        if engine is not None and self.dynamic:
            # Lay out once, at the first draw, with the dynamic artists (a layout engine
            # leaves animated ones out), and keep it: constrained layout took half of a
            # full draw, and the axes no longer shift by a pixel while a slider moves.
            for artist in self.dynamic:
                artist.set_animated(False)
            engine.execute(self.fig)
            for artist in self.dynamic:
                artist.set_animated(True)
            self.fig.set_layout_engine("none")
        self.canvas.draw()

    def render(self) -> bytes:
        """Draw the figure (only its dynamic artists when it can) and return PNG bytes."""
        if not self.dynamic:
            self._draw_all()
            return self._encode()
        limits = self._axes_limits()
        if self._background is None or limits != self._limits:
            self._draw_all()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._limits = limits
            renderer = self.canvas.get_renderer()
            self._on_top_pixels = [self.canvas.copy_from_bbox(a.get_window_extent(renderer))
                                   for a in self.on_top if a.get_visible()]
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self._in_order:
            if artist.get_visible():
                artist.draw(renderer)
        for pixels in self._on_top_pixels:
            self.canvas.restore_region(pixels)
        return self._encode()

    def _encode(self) -> bytes:
        return png_bytes(np.asarray(self.canvas.buffer_rgba()))

    def redraw(self):
        """Render the figure and show the new picture."""
        self.last_png = self.render()
        self.widget.value = self.last_png


_CONTROLLER = (None, -1)  # (ThreadpoolController, len(sys.modules) when it was made)


def one_blas_thread():
    """A context in which numpy's BLAS uses one thread (``threadpoolctl``).

    A widget's matrices are small: one thread is faster than several, and on a shared
    server the idle threads of every student's kernel would spin on the same cores
    (measured: twice the CPU time for the same update). Every update of an
    ``Explorer`` runs in it.
    """
    global _CONTROLLER
    controller, modules = _CONTROLLER
    if modules != len(sys.modules):  # finding the libraries takes ~1 ms: again only after
        controller = ThreadpoolController()  # an import, which may load another BLAS
        _CONTROLLER = controller, len(sys.modules)  # (TensorFlow brings scipy's OpenBLAS)
    return controller.limit(limits=1, user_api="blas")


def png_bytes(rgba) -> bytes:
    """An RGBA picture as an RGB PNG file, written for speed: the picture stays local.

    Each row goes unfiltered and the whole is compressed by zlib at level 1. For a
    plot (mostly flat colour) that is about 40% faster than Pillow's PNG writer at its
    fastest level, and the file is smaller: Pillow's adaptive row filters cost time
    and do not pay off on a plot.

    Parameters
    ----------
    rgba : ndarray of shape (height, width, 4), dtype uint8
        E.g. ``np.asarray(canvas.buffer_rgba())``; the alpha channel is dropped (the
        figures are opaque).

    Returns
    -------
    bytes
    """
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # a 0 (filter "none") per row
    rows[:, 1:] = rgba[..., :3].reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def boxed_legend(ax, **kwargs):
    """``ax.legend(**kwargs)`` in an opaque box, square and without a frame line.

    A widget redraws the lines under such a legend and pastes the legend's pixels back
    on top (``FigureView.set_dynamic(..., on_top=[legend])``) instead of drawing its
    texts again. The box hides what lies behind it, like a legend of matplotlib's
    default style.
    """
    face = ax.get_facecolor()
    return ax.legend(frameon=True, fancybox=False, framealpha=1.0, facecolor=face,
                     edgecolor=face, **kwargs)


def stepped_limits(low, high, *, log=False, current=None, fill=0.4):
    """Axis limits that enclose [low, high] and change only in steps.

    A slider that changes a plot's range would change its limits on every event, and
    new limits mean drawing the whole figure again (ticks and labels are most of the
    drawing). Rounded outwards to 1, 2 or 5 times a power of ten, they change only now
    and then. Linear limits always include 0.

    Parameters
    ----------
    low, high : float
        The range to show (both > 0 with ``log=True``).
    log : bool, default=False
    current : (float, float), optional
        The limits shown now: kept while they enclose the range and the range fills at
        least ``fill`` of them (on a log axis: of their decades), so that a slider
        moving back and forth does not change them at every step.
    fill : float, default=0.4

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> stepped_limits(-0.3, 7.1)
    (-0.5, 10.0)
    >>> stepped_limits(0.012, 0.4, log=True)
    (0.01, 0.5)
    """
    if log and not 0 < low <= high:
        raise ValueError(f"log limits need 0 < low <= high. Received: low={low!r}, "
                         f"high={high!r}")
    if current is not None:
        scale = math.log10 if log else float
        span = scale(current[1]) - scale(current[0])
        if (current[0] <= low and high <= current[1]
                and scale(high) - scale(low) >= fill * span):
            return tuple(current)
    if log:
        return _nice(low, down=True), _nice(high)
    return (-_nice(-low) if low < 0 else 0.0, _nice(high) if high > 0 else 0.0)


def _nice(value, *, down=False):
    """The nearest of 1, 2, 5 times a power of ten above ``value`` (below with ``down``)."""
    power = 10.0 ** math.floor(math.log10(value) + 1e-9)
    steps = [f * power for f in (0.5, 1, 2, 5, 10)]
    if down:
        return float(max(s for s in steps if s <= value * (1 + 1e-9)))
    return float(min(s for s in steps if s >= value * (1 - 1e-9)))


def loss_limits(epoch, losses):
    """Limits of a live loss plot (log y) that change in steps: 10, 20, 50, 100, ... epochs.

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


def log_slider(value, low, high, step, **kwargs) -> ipw.FloatLogSlider:
    """A base-10 ``FloatLogSlider`` whose grid of steps passes through ``value``.

    A log slider moves on the exponents ``low, low + step, low + 2 step, ...``; a start
    value off that grid is snapped to it by the first key press, so moving right and back
    left would not return to the start (0.03 would come back as 0.0316). Here the grid is
    shifted so that ``log10(value)`` lies on it.

    Parameters
    ----------
    value : float
        The start value (> 0).
    low, high : float
        Exponents of the smallest and largest values (``10**low`` to ``10**high``).
    step : float
        Step of the exponent.
    **kwargs
        Passed to ``ipywidgets.FloatLogSlider`` (description, readout_format, ...).
    """
    exponent = math.log10(value)
    if not low <= exponent <= high:
        raise ValueError(f"value must lie between 10**{low:g} and 10**{high:g}. "
                         f"Received: value={value!r}")
    below = math.floor((exponent - low) / step + 1e-9)
    return ipw.FloatLogSlider(value=value, base=10, min=exponent - below * step, max=high,
                              step=step, **kwargs)


class Explorer:
    """Base class of the course's widgets: one contract for all of them.

    A subclass creates ``self.controls`` (a dict of ipywidgets), a figure and, if it
    has a text to show, ``self.readout`` (an ``ipywidgets.HTML``); it calls
    ``self._start(fig, dynamic=...)`` at the end of ``__init__`` and implements
    ``update()``, which recomputes, sets the artists, sets ``self.message`` (the same
    text as a plain ``str``, for tests and notebooks) and calls ``self.view.redraw()``.
    Every change of a control calls ``update`` (with one BLAS thread), except while
    the widget sets several controls itself: ``with self.holding(): ...`` updates once
    at the end.
    """

    controls: dict
    view: FigureView
    message: str = ""
    _held = False

    def _start(self, fig, dynamic=(), on_top=(), *, first=None):
        """Show ``fig`` (as ``self.view`` and ``self.fig``), connect the controls, draw once.

        ``dynamic``: the artists an update changes, ``on_top``: boxed legends over them
        (``FigureView.set_dynamic``); the rest of the figure is drawn only when axis
        limits change. ``first``: what draws the first time, if not ``update``.
        """
        self.fig = fig
        self.view = FigureView(fig)
        self.view.set_dynamic(dynamic, on_top=on_top)
        self._wire()
        with one_blas_thread():
            (first or self.update)()

    def _wire(self):
        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")

    @contextlib.contextmanager
    def holding(self, *, update=True):
        """Set several controls without an update for each; update once at the end.

        ``update=False``: no update at the end either (the caller does what is needed).
        """
        held, self._held = self._held, True
        try:
            yield self
        finally:
            self._held = held
        if update and not held:
            self._on_change()

    def _on_change(self, change=None):
        if self._held:
            return
        with one_blas_thread():
            self.update()

    def update(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def layout(self):
        """The widget tree shown in the notebook: controls, the readout, then the figure."""
        controls = ipw.HBox(list(self.controls.values()), layout=ipw.Layout(flex_flow="row wrap"))
        texts = [self.readout] if isinstance(getattr(self, "readout", None), ipw.Widget) else []
        return ipw.VBox([controls, *texts, self.view.widget])

    def _repr_mimebundle_(self, **kwargs):
        box = self.layout()
        self.view.redraw()
        bundle = box._repr_mimebundle_(**kwargs)
        # A still picture of the first state, for places without a live kernel (a static
        # HTML export, a notebook viewer); JupyterLab prefers the live widget.
        bundle["image/png"] = base64.b64encode(self.view.last_png).decode("ascii")
        return bundle


class WidgetCheck:
    """A slider and a text that follows it: proof that widgets work in this setup.

    Attributes
    ----------
    slider : ipywidgets.IntSlider
    label : ipywidgets.HTML
        Shows ``value`` and ``value**2``; updated on every change of the slider.
    square : int
        The last computed ``value**2``.
    """

    def __init__(self, value=3):
        self.slider = ipw.IntSlider(value=value, min=0, max=10, description="x",
                                  continuous_update=True)
        self.slider.add_class("nnlib-check-slider")
        self.label = ipw.HTML()
        self.slider.observe(self._update, names="value")
        self._update()
        self.box = ipw.VBox([self.slider, self.label])

    def _update(self, change=None):
        x = self.slider.value
        self.square = x * x
        self.label.value = (f"x = {x}, x² = {self.square}: "
                            "if this changes as you drag, widgets work.")

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def widget_check(value=3) -> WidgetCheck:
    """Build the start-here widget: move the slider, the text follows."""
    return WidgetCheck(value)
