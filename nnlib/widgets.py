"""Widget builders for the notebooks.

Each builder returns a small object (an ``Explorer``) that holds its controls
(ipywidgets, in ``.controls``), draws into a matplotlib figure (``.fig``) and keeps
the results of its last update as attributes. A test sets ``.value`` on a control
and checks what was computed, without a browser or a kernel: ipywidgets calls
observers synchronously. Notebooks display the object by ending a cell with it.

The computation behind a widget lives in nnlib's math modules; the widget only
calls it and shows the result.
"""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class FigureView:
    """A matplotlib figure shown inside an ``ipywidgets.Output``, redrawn on demand.

    The figure is closed in pyplot's registry (so the inline backend does not show it
    a second time at the end of the cell) and re-sent as one image per ``redraw()``.
    The output area keeps a fixed height, so the page does not jump while dragging.
    Outside a kernel (tests, benchmarks) ``redraw()`` renders with Agg instead.
    """

    def __init__(self, fig):
        self.fig = fig
        height = int(fig.get_figheight() * fig.dpi) + 12
        self.output = W.Output(layout=W.Layout(min_height=f"{height}px"))
        plt.close(fig)

    def redraw(self):
        if _in_kernel():
            from IPython.display import clear_output, display

            with self.output:
                clear_output(wait=True)
                display(self.fig)
        else:
            self.fig.canvas.draw()


class Explorer:
    """Base class of the course's widgets.

    Subclasses create ``self.controls`` (a dict of ipywidgets), ``self.view`` (a
    ``FigureView``) and implement ``update()``, which recomputes, sets artists and
    calls ``self.view.redraw()``. ``_wire()`` makes every control call ``update``.
    """

    controls: dict
    view: FigureView

    def _wire(self):
        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")

    def _on_change(self, change=None):
        self.update()

    def update(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def layout(self):
        """The widget tree shown in the notebook: controls above, figure below."""
        return W.VBox([W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap")),
                       self.view.output])

    def _repr_mimebundle_(self, **kwargs):
        box = self.layout()
        self.view.redraw()
        return box._repr_mimebundle_(**kwargs)


class WidgetCheck:
    """A slider and a text that follows it: proof that widgets work in this setup.

    Attributes
    ----------
    slider : ipywidgets.IntSlider
    label : ipywidgets.HTML
        Shows ``value`` and ``value**2``; updated on every change of the slider.
    """

    def __init__(self, value=3):
        self.slider = W.IntSlider(value=value, min=0, max=10, description="x",
                                  continuous_update=True)
        self.slider.add_class("nnlib-check-slider")
        self.label = W.HTML()
        self.slider.observe(self._update, names="value")
        self._update()
        self.box = W.VBox([self.slider, self.label])

    def _update(self, change=None):
        x = self.slider.value
        self.label.value = f"x = {x}, x² = {x * x}: if this changes as you drag, widgets work."

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def widget_check(value=3) -> WidgetCheck:
    """Build the start-here widget: move the slider, the text follows."""
    return WidgetCheck(value)


# ============================================================ notebook 01 (structure)
# (widget builders for 01_structure.ipynb go here)

# ============================================================ notebook 02 (forward pass)
# (widget builders for 02_forward_pass.ipynb go here)

# ============================================================ notebook 03 (learning, backprop)
# (widget builders for 03_learning_backprop.ipynb go here)
