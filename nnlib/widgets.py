"""Widget builders for the notebooks.

Each builder returns a small object that holds its controls (ipywidgets) and the
results of its last update, so a test can set ``.value`` on a control and check
what was computed, without a browser or a kernel. Notebooks display it with
``display(obj)`` (or by ending a cell with it).

The computation behind a widget lives in nnlib's math modules; the widget only
calls it and shows the result.
"""

from __future__ import annotations

import ipywidgets as W


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
