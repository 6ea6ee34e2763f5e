"""The gradient-descent explorer of notebook 04: optimizers walking on 2-D loss surfaces.

All numbers come from ``nnlib.lessons.surfaces`` (surfaces, ``run_optimizer``) and
``nnlib.core.optimizers``; the drawing from ``nnlib.plots.optimizer_plots``.
"""

from __future__ import annotations

import html
import math

import ipywidgets as ipw
import numpy as np

from ..lessons import surfaces
from ..plots.optimizer_plots import OptimizerExplorerFigure
from ..plots.style import OKABE_ITO
from .base import Explorer, boxed_legend, log_slider, stepped_limits

ALL_THREE = "all three, side by side"
OPTIMIZER_CHOICES = (*surfaces.OPTIMIZER_NAMES, ALL_THREE)

LR_MIN, LR_MAX = 1e-4, 2.0
LOSS_FLOOR = 1e-12
"""Losses (above the minimum) below this are drawn at it: the bottom of the loss plot."""

PRESETS = {
    "quadratic bowl": {"too small": 0.002, "good": 0.1, "diverges": 0.21},
    "Rosenbrock": {"too small": 1e-4, "good": 0.002, "diverges": 0.003},
    "two minima": {"too small": 0.002, "good": 0.05, "diverges": 0.5},
}
"""Learning rates of plain SGD for each preset, per surface (see ``apply_preset``).

On the bowl, 0.21 is just above ``2 / L = 0.2``; Rosenbrock's valley needs a tiny rate
and many steps (its curvature across the valley is about 1000)."""

PRESET_STEPS = 200


def describe_path(path, steps, surface=None) -> str:
    """A few words on how a path ended: diverged, settled (in which minimum), or moving.

    Parameters
    ----------
    path : nnlib.lessons.descent.DescentPath
    steps : int
        The number of steps asked for.
    surface : nnlib.lessons.surfaces.Surface, optional
        If given, a path that ends within 0.05 of one of ``surface.minima`` is said to
        have reached it ("the minimum", or "the global" / "a local minimum").
    """
    if path.diverged:
        return f"DIVERGED at step {path.diverged_at}"
    end, loss = path.points[-1], path.loss[-1]
    if surface is not None:
        distances = np.linalg.norm(surface.minima - end, axis=1)
        k = int(np.argmin(distances))
        if distances[k] < 0.05:
            which = ("the minimum" if len(surface.minima) == 1 else
                     "the global minimum" if k == 0 else "a local minimum (not the lowest)")
            return f"reached {which} in {steps} steps (loss {loss:.3g})"
    moved = abs(path.loss[-1] - path.loss[0])
    if moved < 1e-3 * max(abs(path.loss[0]), 1.0):
        return f"barely moved in {steps} steps (loss {loss:.3g})"
    return f"still on its way after {steps} steps (loss {loss:.3g})"


class OptimizerExplorer(Explorer):
    """SGD, SGD with momentum and Adam on a 2-D loss surface, one slider away.

    Left: the contours of the surface and the optimizer's path (one marker per step).
    Right: the loss after each step (log scale). Bottom: the learning rate on a log
    axis; on the quadratic bowl the divergence threshold ``2 / L`` (``2 (1 + beta) / L``
    with momentum ``beta``) is marked and the rates above it shaded. The sliders
    update the picture while they are dragged (continuous updates: 15-30 ms each).

    Parameters
    ----------
    surface : str or nnlib.lessons.surfaces.Surface, default="quadratic bowl"
        The starting surface; the dropdown offers the three of ``surfaces.SURFACES``
        (a Surface passed here replaces the one of the same ``name``).
    optimizer : str, default="SGD"
        One of ``OPTIMIZER_CHOICES`` ("SGD", "SGD with momentum", "Adam", or all
        three side by side).
    learning_rate : float, default=0.05
        Starting value of the log slider (``LR_MIN`` = 1e-4 to ``LR_MAX`` = 2).
    steps : int, default=50
    max_steps : int, default=200
    momentum : float, default=0.9
    max_loss : float, default=1e6
        A path whose loss passes it is declared diverged and stops there.

    Attributes
    ----------
    surface : nnlib.lessons.surfaces.Surface
    paths : dict of str to nnlib.lessons.descent.DescentPath
        The last computed path of each optimizer shown.
    path : nnlib.lessons.descent.DescentPath
        The first of ``paths`` (the only one unless all three are shown).
    diverged : bool
        Whether any shown path diverged.
    diverged_at : int or None
        The step at which ``path`` diverged.
    stability_limit : float or None
        ``2 (1 + momentum) / L`` for SGD (momentum 0 for plain SGD) on the bowl; None
        elsewhere and for Adam.
    message : str
        The text written on the plot.
    """

    def __init__(self, surface="quadratic bowl", *, optimizer="SGD", learning_rate=0.05,
                 steps=50, max_steps=200, momentum=0.9, max_loss=1e6):
        self.surfaces = {name: cls() for name, cls in surfaces.SURFACES.items()}
        if isinstance(surface, surfaces.Surface):
            self.surfaces[surface.name] = surface
            surface = surface.name
        if surface not in self.surfaces:
            raise ValueError(f"surface must be one of {list(self.surfaces)}. "
                             f"Received: surface={surface!r}")
        if optimizer not in OPTIMIZER_CHOICES:
            raise ValueError(f"optimizer must be one of {list(OPTIMIZER_CHOICES)}. "
                             f"Received: optimizer={optimizer!r}")
        self.max_loss = float(max_loss)
        self._legend_labels = None
        self._loss_tops = {}
        first = self.surfaces[surface]
        style = {"description_width": "initial"}
        self.controls = {
            "surface": ipw.Dropdown(options=list(self.surfaces), value=surface,
                                    description="surface", style=style),
            "optimizer": ipw.Dropdown(options=list(OPTIMIZER_CHOICES), value=optimizer,
                                      description="optimizer", style=style),
            "lr": log_slider(learning_rate, math.log10(LR_MIN), math.log10(LR_MAX), 0.01,
                                     description="learning rate", readout_format=".3g",
                                     style=style, continuous_update=True),
            "steps": ipw.IntSlider(value=steps, min=1, max=max_steps, description="steps",
                                   style=style, continuous_update=True),
            "momentum": ipw.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                        description="momentum", readout_format=".2f",
                                        style=style, continuous_update=True),
            "x0": ipw.FloatSlider(value=first.start[0], min=first.xlim[0], max=first.xlim[1],
                                  step=0.05, description="start x", readout_format=".2f",
                                  style=style, continuous_update=True),
            "y0": ipw.FloatSlider(value=first.start[1], min=first.ylim[0], max=first.ylim[1],
                                  step=0.05, description="start y", readout_format=".2f",
                                  style=style, continuous_update=True),
        }
        for key in self.controls:
            self.controls[key].add_class(f"{key.replace('0', '')}-slider"
                                         if key != "lr" else "lr-slider")
        self.controls["x0"].add_class("start-slider")
        self.controls["y0"].add_class("start-slider")
        self.preset_buttons = {}
        for name in ("too small", "good", "diverges"):
            button = ipw.Button(description=f"preset: {name}",
                                tooltip=f"plain SGD with a learning rate that is {name}")
            button.add_class("preset-" + name.replace(" ", "-"))
            button.on_click(lambda _b, name=name: self.apply_preset(name))
            self.preset_buttons[name] = button
        self.readout = ipw.HTML()
        self.readout.add_class("optimizer-readout")

        figure = OptimizerExplorerFigure(first, learning_rate, (LR_MIN, LR_MAX))
        self.plot = figure.surface_plot
        self.ax_surface, self.ax_loss, self.ax_lr = figure.ax_surface, figure.ax_loss, figure.ax_lr
        self.loss_lines, self.loss_text = figure.loss_lines, figure.loss_text
        self.limit_span, self.limit_line = figure.limit_span, figure.limit_line
        self.lr_marker, self.lr_text = figure.lr_marker, figure.lr_text
        self._figure_dynamic = figure.dynamic
        self._start(figure.fig, dynamic=self._dynamic())

    def _dynamic(self):
        """What an update changes (see ``FigureView``); the rest is drawn once."""
        return self._figure_dynamic

    def _loss_limits(self, surface):
        """``(LOSS_FLOOR, top)``: ``top`` a 1-2-5 value above the loss anywhere on the window."""
        if surface.name not in self._loss_tops:
            _, _, values = surface.grid(61)
            self._loss_tops[surface.name] = stepped_limits(
                LOSS_FLOOR, 3 * float(np.max(values) - surface.min_value), log=True)[1]
        return LOSS_FLOOR, self._loss_tops[surface.name]

    # ---------------------------------------------------------------- controls

    def _on_change(self, change=None):
        if self._held:
            return
        if change is not None and change.get("owner") is self.controls["surface"]:
            self._reset_start()
        super()._on_change(change)

    def _reset_start(self):
        """Fit the start sliders to the new surface's window and put them at its start."""
        s = self.surfaces[self.controls["surface"].value]
        with self.holding(update=False):
            for key, lim, value in (("x0", s.xlim, s.start[0]), ("y0", s.ylim, s.start[1])):
                slider = self.controls[key]
                slider.min, slider.max = -1e9, 1e9  # avoid min > max while both move
                slider.min, slider.max = lim
                slider.value = value

    def apply_preset(self, name):
        """Switch to plain SGD with the preset learning rate of ``name`` on this surface.

        Parameters
        ----------
        name : {"too small", "good", "diverges"}
            Also resets the start point to the surface's default and shows
            ``PRESET_STEPS`` (200) steps, or the most the steps slider allows.
        """
        rates = PRESETS[self.controls["surface"].value]
        if name not in rates:
            raise ValueError(f"name must be one of {list(rates)}. Received: name={name!r}")
        with self.holding():
            self.controls["optimizer"].value = "SGD"
            self.controls["lr"].value = rates[name]
            self.controls["steps"].value = min(PRESET_STEPS, self.controls["steps"].max)
            self._reset_start()

    def layout(self):
        rows = [
            ipw.HBox([self.controls[k] for k in ("surface", "optimizer", "lr")],
                     layout=ipw.Layout(flex_flow="row wrap")),
            ipw.HBox([self.controls[k] for k in ("steps", "momentum", "x0", "y0")],
                     layout=ipw.Layout(flex_flow="row wrap")),
            ipw.HBox(list(self.preset_buttons.values())),
        ]
        return ipw.VBox([*rows, self.readout, self.view.widget])

    # ---------------------------------------------------------------- computation

    def update(self):
        c = self.controls
        self.surface = self.surfaces[c["surface"].value]
        lr = float(c["lr"].value)
        steps = int(c["steps"].value)
        momentum = float(c["momentum"].value)
        start = (float(c["x0"].value), float(c["y0"].value))
        choice = c["optimizer"].value
        names = surfaces.OPTIMIZER_NAMES if choice == ALL_THREE else (choice,)
        self.paths = {
            name: surfaces.run_optimizer(self.surface,
                                         surfaces.make_optimizer(name, lr, momentum),
                                         start, steps, max_loss=self.max_loss)
            for name in names
        }
        self.path = next(iter(self.paths.values()))
        self.diverged = any(p.diverged for p in self.paths.values())
        self.diverged_at = self.path.diverged_at
        self.stability_limit = None
        if isinstance(self.surface, surfaces.QuadraticBowl) and choice != "Adam":
            beta = 0.0 if choice == "SGD" else momentum
            self.stability_limit = self.surface.stability_limit(beta)
        lines = [f"{name}: {describe_path(p, steps, self.surface)}"
                 for name, p in self.paths.items()]
        self.message = "\n".join(lines)
        self._draw(lr, steps, momentum, choice)
        # The sentences go above the figure only; the figure keeps its own labels.
        self.readout.value = "<br>".join(html.escape(line) for line in lines)
        self.view.redraw()

    def _draw(self, lr, steps, momentum, choice):
        labels = list(self.paths)
        if self.surface is not self.plot.surface:
            self.plot.set_surface(self.surface)
            self.view.invalidate()  # new contours
        self.plot.show(list(self.paths.values()), labels, "", self.diverged)
        self.ax_surface.set_title(f"{self.surface.formula}   (■ start, ★ minimum)",
                                  fontsize=10.5)
        min_value = self.surface.min_value
        for k, line in enumerate(self.loss_lines):
            if k < len(labels):
                loss = np.clip(self.paths[labels[k]].loss - min_value, LOSS_FLOOR, None)
                line.set_data(np.arange(len(loss)), loss)
                line.set_label(labels[k])
                line.set_markevery(max(1, len(loss) // 20))
                line.set_visible(True)
            else:
                line.set_data([], [])
                line.set_visible(False)
        self.ax_loss.set_xlim(0, max(steps, 1))
        # The same y-axis for every learning rate on this surface: curves can be compared
        # from one setting to the next, and an update redraws only the lines. A diverging
        # loss leaves the plot through the top.
        self.ax_loss.set_ylim(*self._loss_limits(self.surface))
        if labels != self._legend_labels:  # a new legend only when the optimizers change
            boxed_legend(self.ax_loss, handles=self.loss_lines[:len(labels)], loc="lower left",
                         fontsize=8.5)
            self._legend_labels = labels
            if hasattr(self, "view"):
                self.view.set_dynamic(self._dynamic(), on_top=[self.ax_loss.get_legend()])
        self.loss_text.set_text("diverged: the loss blew up" if self.diverged else "")
        self.loss_text.set_color(OKABE_ITO["vermillion"])
        self.loss_text.set_visible(self.diverged)
        # learning-rate strip
        self.lr_marker.set_data([lr], [0.3])
        limit = self.stability_limit
        visible = limit is not None
        self.limit_line.set_visible(visible)
        self.limit_span.set_visible(visible)
        if visible:
            self.limit_line.set_data([limit, limit], [0, 1])
            self.limit_span.set_x(limit)
            self.limit_span.set_width(LR_MAX - limit)
            what = "2/L" if choice == "SGD" else "2(1+β)/L"
            side = ">" if lr > limit else "<"
            self.lr_text.set_text(f"learning rate {lr:.3g} {side} {what} = {limit:.3g} "
                                  f"(L = {self.surface.largest_curvature:g}, the largest "
                                  "curvature): shaded rates diverge")
        elif isinstance(self.surface, surfaces.QuadraticBowl):
            self.lr_text.set_text(f"learning rate {lr:.3g}: Adam's steps are about the "
                                  "learning rate in size, so there is no 2/L limit")
        else:
            self.lr_text.set_text(f"learning rate {lr:.3g}: no single threshold here, the "
                                  "curvature changes from place to place")


def optimizer_explorer(surface="quadratic bowl", *, optimizer="SGD", learning_rate=0.05,
                       steps=50, **kwargs) -> OptimizerExplorer:
    """Build the 2-D gradient-descent explorer (see ``OptimizerExplorer``).

    Examples
    --------
    >>> explorer = optimizer_explorer()                 # SGD on the quadratic bowl
    >>> explorer.controls["lr"].value = 0.25            # above 2/L = 0.2
    >>> explorer.diverged
    True
    """
    return OptimizerExplorer(surface, optimizer=optimizer, learning_rate=learning_rate,
                             steps=steps, **kwargs)
