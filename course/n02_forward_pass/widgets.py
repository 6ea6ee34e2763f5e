"""One neuron and softmax, live (notebook 02): ``neuron_explorer``, ``softmax_explorer``.

The numbers come from ``nnlib`` (the neuron is an ``MLP``, the probabilities
``activations.softmax``); the figures, and how they change, are ``plots.NeuronFigure``
and ``plots.SoftmaxFigure``.
"""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer, log_slider
from nnlib import activations
from nnlib.model import MLP
from nnlib.validation import as_float_array, check_in_range, check_positive_int

from .plots import NeuronFigure, SoftmaxFigure

NEURON_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")


class NeuronExplorer(Explorer):
    """One neuron with one input: ``a = f(w * x + b)`` drawn over ``x``, live.

    Built by ``neuron_explorer``. The neuron is an nnlib ``MLP([1, 1], [activation])``
    whose weight and bias follow the sliders, so the curve is nnlib's forward pass.
    The sliders update the picture while they are dragged (continuous updates).

    Attributes
    ----------
    controls : dict
        ``"w"`` and ``"b"`` (FloatSliders), ``"activation"`` (Dropdown).
    x : ndarray of shape (n_points,)
        The inputs the curve is drawn over.
    w, b : float
        The weight and bias of the last update.
    activation : str
        The activation name of the last update.
    a : ndarray of shape (n_points,)
        The neuron's output ``f(w * x + b)`` at each ``x`` (the drawn curve).
    output_range : (float, float)
        The lowest and highest output of the activation over every ``w`` and ``b`` of
        the sliders (the y axis spans it, the same for every setting).
    zero_point : (float, float) or None
        ``(x, a)`` where ``z = w * x + b`` crosses 0; None when ``w = 0``.
    figure : plots.NeuronFigure
        The figure and its artists.
    message : str
        The formula with the current numbers, and where ``z = w * x + b`` crosses 0.
    readout : ipywidgets.HTML
        ``message`` as shown under the sliders.
    """

    def __init__(self, activation="relu", w=1.0, b=0.0, *, x_range=(-5.0, 5.0),
                 w_range=(-3.0, 3.0), b_range=(-3.0, 3.0), n_points=201):
        act = activations.get(activation)  # unknown names: ValueError listing valid ones
        if act.name not in NEURON_ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(NEURON_ACTIVATIONS)} for a single neuron "
                f"(softmax of one score is always 1). Received: activation={activation!r}"
            )
        for value, name, (low, high) in ((w, "w", w_range), (b, "b", b_range)):
            if not low <= value <= high:
                raise ValueError(
                    f"{name} must be in [{low}, {high}] ({name}_range). Received: {name}={value!r}"
                )
        if not x_range[0] < x_range[1]:
            raise ValueError(f"x_range must be (low, high) with low < high. Received: {x_range!r}")
        n_points = check_positive_int(n_points, "n_points", minimum=2)

        self.x = np.linspace(float(x_range[0]), float(x_range[1]), n_points)
        self._z_max = max(abs(v) for v in w_range) * np.max(np.abs(self.x)) + max(
            abs(v) for v in b_range)
        slider = dict(step=0.05, readout=True, readout_format=".2f", continuous_update=True)
        self.controls = {
            "w": ipw.FloatSlider(value=w, min=w_range[0], max=w_range[1], description="weight w",
                               **slider),
            "b": ipw.FloatSlider(value=b, min=b_range[0], max=b_range[1], description="bias b",
                               **slider),
            "activation": ipw.Dropdown(options=list(NEURON_ACTIVATIONS), value=act.name,
                                     description="activation f"),
        }
        self.controls["w"].add_class("neuron-w-slider")
        self.controls["b"].add_class("neuron-b-slider")
        self.controls["activation"].add_class("neuron-activation-dropdown")
        self.readout = ipw.HTML()
        self.readout.add_class("neuron-message")

        self.figure = NeuronFigure(self.x)
        self._start(self.figure.fig, dynamic=self.figure.dynamic)

    def update(self):
        self.w = float(self.controls["w"].value)
        self.b = float(self.controls["b"].value)
        self.activation = self.controls["activation"].value
        neuron = MLP([1, 1], [self.activation], seed=0)
        neuron.set_weights([np.array([[self.w]]), np.array([self.b])])
        self.a = neuron.predict(self.x[:, None])[:, 0]
        fn = neuron.activations[0].fn
        # Same y-axis for every w and b of this activation, so changes are visible.
        ends = fn(np.array([-self._z_max, self._z_max]))
        self.output_range = (float(ends.min()), float(ends.max()))

        text = (f"a = {self.activation}({self.w:.2f}·x {'+' if self.b >= 0 else '−'} "
                f"{abs(self.b):.2f})")
        if self.w != 0:
            x0 = -self.b / self.w + 0.0  # + 0.0 turns -0.0 into 0.0 (no "x = -0.00")
            self.zero_point = (x0, float(fn(np.array([0.0]))[0]))
            where = f"z = w·x + b = 0 at x = {x0:.2f}"
            if not self.x[0] <= x0 <= self.x[-1]:
                where += " (outside the plot)"
        else:
            self.zero_point = None
            where = "w = 0: the output no longer depends on x"
        self.message = f"{text}; {where}"
        self.readout.value = f"<code>{text}</code>; {where}"
        self.figure.show(self.a, fn(self.x), self.output_range, self.zero_point, text)
        self.view.redraw()


def neuron_explorer(activation="relu", w=1.0, b=0.0, **kwargs) -> NeuronExplorer:
    """Build the one-neuron widget: sliders for ``w`` and ``b``, a dropdown for ``f``.

    Parameters
    ----------
    activation : str, default="relu"
        One of ``"linear"``, ``"relu"``, ``"sigmoid"``, ``"tanh"``.
    w, b : float, default=1.0, 0.0
        Starting weight and bias, within ``w_range`` / ``b_range``.
    **kwargs
        ``x_range=(-5.0, 5.0)``, ``w_range=(-3.0, 3.0)``, ``b_range=(-3.0, 3.0)``,
        ``n_points=201``.

    Returns
    -------
    NeuronExplorer
        Its attribute ``a`` holds the curve ``f(w * x + b)`` over ``x``.

    Raises
    ------
    ValueError
        For an unknown activation (the message lists the valid ones), for softmax, or
        for ``w``/``b`` outside their slider range.
    """
    return NeuronExplorer(activation, w, b, **kwargs)


class SoftmaxExplorer(Explorer):
    """Bar charts of the scores ``z / T`` and the probabilities ``softmax(z / T)``.

    Built by ``softmax_explorer``. A temperature slider (log scale, from ``0.1`` to
    ``100``, so ``T <= 0`` cannot be chosen) rescales the scores: a small ``T``
    sharpens the distribution towards the largest score, a large ``T`` flattens it
    towards uniform. The slider updates the picture while it is dragged (continuous
    updates).

    Attributes
    ----------
    controls : dict
        ``"temperature"`` (FloatLogSlider).
    logits : ndarray of shape (n_classes,)
    labels : list of str
    temperature : float
        The temperature of the last update.
    scores : ndarray of shape (n_classes,)
        ``logits / temperature``: the left bars' heights.
    probs : ndarray of shape (n_classes,)
        ``nnlib.activations.softmax(logits / temperature)``: the bar heights.
    figure : plots.SoftmaxFigure
        The figure and its artists.
    message : str
        The most likely class and the sum of the probabilities.
    readout : ipywidgets.HTML
        ``message`` as shown under the slider.
    """

    T_MIN, T_MAX = 0.1, 100.0

    def __init__(self, logits=(2.0, 1.0, 0.1, -1.0), temperature=1.0, *, labels=None):
        self.logits = as_float_array(logits, "logits", ndim=1)
        if self.logits.size < 2:
            raise ValueError(
                f"logits must hold at least 2 scores. Received: logits with shape "
                f"{self.logits.shape}"
            )
        check_in_range(temperature, "temperature", self.T_MIN, self.T_MAX, high_inclusive=True)
        if labels is None:
            labels = [f"class {i}" for i in range(self.logits.size)]
        self.labels = [str(label) for label in labels]
        if len(self.labels) != self.logits.size:
            raise ValueError(
                f"labels must have one entry per logit ({self.logits.size}). "
                f"Received: {len(self.labels)} labels"
            )
        self.controls = {
            "temperature": log_slider(
                temperature, np.log10(self.T_MIN), np.log10(self.T_MAX), 0.02,
                description="temperature T", readout=True, readout_format=".2f",
                continuous_update=True, style={"description_width": "initial"},
            ),
        }
        self.controls["temperature"].add_class("softmax-temperature-slider")
        self.readout = ipw.HTML()
        self.readout.add_class("softmax-message")

        self.figure = SoftmaxFigure(self.logits, self.labels)
        self._start(self.figure.fig, dynamic=self.figure.dynamic)

    def update(self):
        self.temperature = float(self.controls["temperature"].value)
        self.scores = self.logits / self.temperature
        self.probs = activations.softmax(self.scores)
        top = int(np.argmax(self.probs))
        self.message = (
            f"T = {self.temperature:.2f}: the most likely is {self.labels[top]} with "
            f"p = {self.probs[top]:.3f}; the probabilities sum to {self.probs.sum():.6f}."
        )
        self.readout.value = html.escape(self.message).replace(
            html.escape(self.labels[top]), f"<b>{html.escape(self.labels[top])}</b>", 1)
        self.figure.show(self.scores, self.probs, self.temperature)
        self.view.redraw()


def softmax_explorer(logits=(2.0, 1.0, 0.1, -1.0), temperature=1.0, *,
                     labels=None) -> SoftmaxExplorer:
    """Build the softmax-temperature widget.

    Parameters
    ----------
    logits : array_like of shape (n_classes,), default=(2.0, 1.0, 0.1, -1.0)
        The scores, at least 2.
    temperature : float, default=1.0
        Starting temperature, in [0.1, 100] (the slider's range).
    labels : list of str, optional
        One name per class; default ``"class 0"``, ``"class 1"``, ...

    Returns
    -------
    SoftmaxExplorer
        Its attribute ``probs`` holds ``softmax(logits / temperature)``.

    Raises
    ------
    ValueError
        If ``temperature`` is outside [0.1, 100] (so ``T <= 0`` is refused), if
        ``logits`` is not 1-D with at least 2 finite scores, or labels do not match.
    """
    return SoftmaxExplorer(logits, temperature, labels=labels)
