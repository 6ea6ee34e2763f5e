"""The training explorer of notebook 04c: a slider over the training step and a menu over
the four deep networks, showing every layer's activation spread and gradient size.

Nothing trains when the slider moves: ``deep.train`` recorded the statistics while the
networks trained (``record_every``), and the widget only picks a recording and hands it
to ``plots.DeepTrainingFigure``.
"""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer, stepped_limits

from .plots import DeepTrainingFigure


def _limits(arrays):
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    return stepped_limits(float(values.min()) / 1.5, float(values.max()) * 1.5, log=True)


class DeepTrainingExplorer(Explorer):
    """Step through the recorded training of several deep networks.

    Parameters
    ----------
    runs : dict of str to deep.Run
        One recorded run per network (``deep.train(..., record_every=k)``), all with the
        same recorded steps and depth.
    variant : str, optional
        The network shown first (default: the first of ``runs``).

    Attributes
    ----------
    controls : dict
        ``"variant"`` (a Dropdown) and ``"step"`` (an IntSlider over the recorded steps).
    run : deep.Run
        The run shown.
    step : int
        The step shown.
    message : str
        One sentence on what the picture shows.
    """

    def __init__(self, runs, *, variant=None):
        if not runs:
            raise ValueError("runs must hold at least one recorded run. Received: runs={}")
        steps = {tuple(run.recorded_steps) for run in runs.values()}
        if len(steps) != 1 or not next(iter(steps)):
            raise ValueError("every run must be recorded at the same steps (train them with "
                             "the same steps and record_every, without diverging).")
        variant = next(iter(runs)) if variant is None else variant
        if variant not in runs:
            raise ValueError(f"variant must be one of {list(runs)}. Received: variant={variant!r}")
        self.runs = runs
        self.recorded = list(next(iter(steps)))
        every = self.recorded[1] - self.recorded[0] if len(self.recorded) > 1 else 1
        style = {"description_width": "initial"}
        self.controls = {
            "variant": ipw.Dropdown(options=list(runs), value=variant, description="network",
                                    style=style),
            "step": ipw.IntSlider(value=0, min=0, max=self.recorded[-1], step=every,
                                  description="training step", style=style,
                                  continuous_update=True),
        }
        self.controls["variant"].add_class("variant-dropdown")
        self.controls["step"].add_class("step-slider")
        self.readout = ipw.HTML()
        self.readout.add_class("deep-readout")
        first = next(iter(runs.values()))
        self.figure = DeepTrainingFigure(
            first.activation_std.shape[1], self.recorded[-1],
            _limits([r.activation_std for r in runs.values()]),
            _limits([r.gradient_norm for r in runs.values()]),
            _limits([r.losses for r in runs.values()]))
        self._start(self.figure.fig, dynamic=self.figure.dynamic)

    def update(self):
        name = self.controls["variant"].value
        self.run = self.runs[name]
        wanted = int(self.controls["step"].value)
        index = int(np.argmin([abs(s - wanted) for s in self.recorded]))
        self.step = self.recorded[index]
        self.figure.show(name, self.run, index)
        act, grad = self.run.activation_std[index], self.run.gradient_norm[index]
        self.message = (f"{name}, step {self.step}: loss {self.run.losses[self.step]:.3f}; "
                        f"spread of the last layer's output {act[-1]:.2g} (first layer "
                        f"{act[0]:.2g}); gradient of the first layer's kernel {grad[0]:.2g} "
                        f"(last layer {grad[-1]:.2g})")
        self.readout.value = html.escape(self.message)
        self.view.redraw()


def deep_training_explorer(runs, *, variant=None) -> DeepTrainingExplorer:
    """Build the training explorer (see ``DeepTrainingExplorer``).

    Examples
    --------
    >>> explorer = deep_training_explorer(runs)         # doctest: +SKIP
    >>> explorer.controls["step"].value = 100           # doctest: +SKIP
    >>> explorer.controls["variant"].value = "He"       # doctest: +SKIP
    """
    return DeepTrainingExplorer(runs, variant=variant)
