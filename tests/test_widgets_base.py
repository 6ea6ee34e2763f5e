"""Tests for course/explorer.py (headless: MPLBACKEND=Agg, no kernel)."""

import base64

import matplotlib.pyplot as plt
import pytest

from course import explorer


def test_widget_check_follows_the_slider():
    check = explorer.widget_check(value=3)
    assert "x² = 9" in check.label.value
    check.slider.value = 7
    assert "x = 7, x² = 49" in check.label.value and check.square == 49
    assert "nnlib-check-slider" in check.slider._dom_classes
    bundle = check._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_figure_view_redraws_headless():
    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    view = explorer.FigureView(fig)
    assert not plt.fignum_exists(fig.number)  # closed in pyplot: shown only through the Output
    view.redraw()
    first = view.last_png
    assert first.startswith(b"\x89PNG")
    line.set_ydata([1, 0])
    view.redraw()
    assert view.last_png != first
    assert view.widget.value == view.last_png  # the picture the browser shows


def test_explorer_shows_controls_readout_then_figure():
    class Demo(explorer.Explorer):
        def __init__(self):
            import ipywidgets as ipw

            self.controls = {"a": ipw.IntSlider(value=1, description="a")}
            self.readout = ipw.HTML()
            fig, self.ax = plt.subplots()
            (self.line,) = self.ax.plot([0, 1], [0, 1])
            self.view = explorer.FigureView(fig)
            self.calls = 0
            self._wire()

        def update(self):
            self.calls += 1
            self.readout.value = f"a = {self.controls['a'].value}"
            self.line.set_ydata([0, self.controls["a"].value])
            self.view.redraw()

    demo = Demo()
    demo.controls["a"].value = 5
    assert demo.calls == 1 and demo.readout.value == "a = 5"
    box = demo.layout()
    assert box.children[1] is demo.readout and box.children[2] is demo.view.widget
    bundle = demo._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]) == demo.view.last_png  # a still for static exports



def test_log_slider_returns_to_its_start_value():
    """Its grid passes through the start value: steps right then back left end there."""
    import math

    from course.explorer import log_slider

    for value, low, high, step in [(0.03, -4, 0, 0.25), (0.05, -4, 0.3, 0.01), (1.0, -1, 2, 0.02)]:
        slider = log_slider(value, low, high, step)
        assert slider.value == value
        offsets = (math.log10(value) - slider.min) / step
        assert abs(offsets - round(offsets)) < 1e-9  # on the grid
        assert low <= slider.min < low + step and slider.max == high
        # what the browser does on five steps right and five left: exponent +- k*step
        exponent = slider.min + round(offsets) * step
        assert math.isclose(10 ** exponent, value, rel_tol=1e-12)
    with pytest.raises(ValueError, match="between"):
        log_slider(10.0, -4, 0, 0.25)
