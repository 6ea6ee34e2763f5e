"""The base of every widget: ``FigureView`` (a figure shown as an image) and ``Explorer``.

Also the start-here check (``widget_check``) that proves widgets work in this setup.
"""

from __future__ import annotations

import base64
import io
import math

import ipywidgets as ipw
import matplotlib.pyplot as plt
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg


class FigureView:
    """A matplotlib figure shown as an image widget, re-rendered on every ``redraw()``.

    The figure is built once; an update changes its artists (``line.set_data``, ...)
    and calls ``redraw()``, which renders the figure with Agg into a PNG and puts it
    in ``self.widget`` (an ``ipywidgets.Image``). The browser swaps the picture in
    place: no flicker, no jumping page, and the same code path in a kernel, in
    pytest and in a benchmark. The last PNG is kept as ``last_png``.

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
        plt.close(fig)

    def render(self) -> bytes:
        """Draw the figure and return it as PNG bytes (fast compression: it stays local)."""
        self.canvas.draw()
        return self._encode()

    def _encode(self) -> bytes:
        # RGB: the figure is opaque, and a quarter fewer bytes encode ~20% faster.
        image = PIL.Image.frombuffer("RGBA", self.canvas.get_width_height(),
                                     self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def redraw(self):
        """Render the figure and show the new picture."""
        self.last_png = self.render()
        self.widget.value = self.last_png


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
    """Base class of the course's widgets.

    Subclasses create ``self.controls`` (a dict of ipywidgets) and a figure, call
    ``self._start(fig)`` at the end of ``__init__``, and implement ``update()``, which
    recomputes, sets artists and calls ``self.view.redraw()``. Every change of a
    control calls ``update``.
    """

    controls: dict
    view: FigureView

    def _start(self, fig):
        """Show ``fig`` (as ``self.view`` and ``self.fig``), connect the controls, draw once."""
        self.fig = fig
        self.view = FigureView(fig)
        self._wire()
        self.update()

    def _wire(self):
        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")

    def _on_change(self, change=None):
        self.update()

    def update(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def layout(self):
        """The widget tree shown in the notebook: controls, any text readout, then the figure.

        A subclass that keeps an ``ipywidgets`` text widget as ``self.readout`` or
        ``self.message`` gets it shown between the controls and the figure.
        """
        controls = ipw.HBox(list(self.controls.values()), layout=ipw.Layout(flex_flow="row wrap"))
        texts = [w for w in (getattr(self, "readout", None), getattr(self, "message", None))
                 if isinstance(w, ipw.Widget)]
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
