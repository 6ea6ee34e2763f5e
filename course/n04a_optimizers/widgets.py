"""The gradient-descent explorer of notebook 04: optimizers walking on 2-D loss surfaces.

All numbers come from ``surfaces`` (surfaces, ``run_optimizer``) and
``nnlib.optimizers``; the drawing from ``plots``.
"""

from __future__ import annotations

import html
import math

import ipywidgets as ipw

from course.explorer import Explorer, log_slider
from nnlib import optimizers

from . import surfaces
from .plots import OptimizerExplorerFigure

ALL_THREE = "all three, side by side"
OPTIMIZER_CHOICES = (*optimizers.OPTIMIZERS, ALL_THREE)

LR_MIN, LR_MAX = 1e-4, 2.0

PRESETS = {
    "quadratic bowl": {"too small": 0.002, "good": 0.1, "diverges": 0.21},
    "Rosenbrock": {"too small": 1e-4, "good": 0.002, "diverges": 0.003},
    "two minima": {"too small": 0.002, "good": 0.05, "diverges": 0.5},
}
"""Learning rates of plain SGD for each preset, per surface (see ``apply_preset``).

On the bowl, 0.21 is just above ``2 / L = 0.2``; Rosenbrock's valley needs a tiny rate
and many steps (its curvature across the valley is about 1000)."""

PRESET_STEPS = 200


def _optimizer(name, learning_rate, momentum):
    """A fresh optimizer of ``optimizers.OPTIMIZERS``; the momentum slider sets SGD's."""
    settings = {"momentum": momentum} if "momentum" in optimizers.OPTIMIZERS[name][1] else {}
    return optimizers.get(name, learning_rate=learning_rate, **settings)


class OptimizerExplorer(Explorer):
    """SGD, SGD with momentum and Adam on a 2-D loss surface, one slider away.

    Left: the contours of the surface and the optimizer's path (one marker per step).
    Right: the loss after each step (log scale). Bottom: the learning rate on a log
    axis; on the quadratic bowl the divergence threshold ``2 / L`` (``2 (1 + beta) / L``
    with momentum ``beta``) is marked and the rates above it shaded. The sliders
    update the picture while they are dragged (continuous updates: 15-30 ms each).

    Parameters
    ----------
    surface : str or surfaces.Surface, default="quadratic bowl"
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
    surface : surfaces.Surface
    paths : dict of str to course.descent.DescentPath
        The last computed path of each optimizer shown.
    path : course.descent.DescentPath
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

        self.figure = OptimizerExplorerFigure(first, learning_rate, (LR_MIN, LR_MAX))
        self._start(self.figure.fig, dynamic=self.figure.dynamic)

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
        names = list(optimizers.OPTIMIZERS) if choice == ALL_THREE else [choice]
        self.paths = {
            name: surfaces.run_optimizer(self.surface, _optimizer(name, lr, momentum), start,
                                         steps, max_loss=self.max_loss)
            for name in names
        }
        self.path = next(iter(self.paths.values()))
        self.diverged = any(p.diverged for p in self.paths.values())
        self.diverged_at = self.path.diverged_at
        self.stability_limit = None
        if isinstance(self.surface, surfaces.QuadraticBowl) and choice != "Adam":
            beta = 0.0 if choice == "SGD" else momentum
            self.stability_limit = self.surface.stability_limit(beta)
        lines = [f"{name}: {p.describe(self.surface.minima)}" for name, p in self.paths.items()]
        self.message = "\n".join(lines)
        redraw_all, legend = self.figure.show(self.surface, self.paths, lr, steps,
                                              self.stability_limit, self.diverged)
        if redraw_all:
            self.view.invalidate()  # new contours
        if legend is not None:
            self.view.set_dynamic(self.figure.dynamic, on_top=[legend])
        # The sentences go above the figure only; the figure keeps its own labels.
        self.readout.value = "<br>".join(html.escape(line) for line in lines)
        self.view.redraw()


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
