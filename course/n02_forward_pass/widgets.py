"""One neuron and softmax, live (notebook 02): ``neuron_explorer``, ``softmax_explorer``."""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np

from course.explorer import Explorer, log_slider, stepped_limits
from course.figures import OKABE_ITO, new_axes
from nnlib import activations
from nnlib.model import MLP
from nnlib.validation import as_float_array, check_in_range, check_positive_int

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

        fig, ax = new_axes(figsize=(6.4, 3.8), layout="constrained")
        self.ax = ax
        ax.axhline(0, color="#999999", linewidth=0.8, zorder=0)
        ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)
        (self.reference_line,) = ax.plot(self.x, self.x, color="#888888", linestyle=":",
                                         marker="", linewidth=1.5, label="f(x), i.e. w = 1, b = 0")
        (self.line,) = ax.plot(self.x, self.x, color=OKABE_ITO["blue"], linestyle="-",
                               marker="o", markevery=max(1, n_points // 10),
                               label="a = f(w·x + b)")
        (self.zero_marker,) = ax.plot([], [], color=OKABE_ITO["vermillion"],
                                      linestyle="", marker="D", markersize=7,
                                      label="z = 0 (x = -b/w)")
        ax.set_xlim(self.x[0], self.x[-1])
        ax.set_xlabel("input x")
        ax.set_ylabel("output a")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=9)
        self._start(fig, dynamic=[self.reference_line, self.line, self.zero_marker, ax.title])

    def update(self):
        self.w = float(self.controls["w"].value)
        self.b = float(self.controls["b"].value)
        self.activation = self.controls["activation"].value
        neuron = MLP([1, 1], [self.activation], seed=0)
        neuron.set_weights([np.array([[self.w]]), np.array([self.b])])
        self.a = neuron.predict(self.x[:, None])[:, 0]
        fn = neuron.activations[0].fn

        self.line.set_data(self.x, self.a)
        self.reference_line.set_data(self.x, fn(self.x))
        # Same y-axis for every w and b of this activation, so changes are visible.
        ends = fn(np.array([-self._z_max, self._z_max]))
        low, high = min(0.0, float(ends.min())), max(0.0, float(ends.max()))
        pad = 0.08 * (high - low)
        self.ax.set_ylim(low - pad, high + pad)

        text = (f"a = {self.activation}({self.w:.2f}·x {'+' if self.b >= 0 else '−'} "
                f"{abs(self.b):.2f})")
        if self.w != 0:
            x0 = -self.b / self.w + 0.0  # + 0.0 turns -0.0 into 0.0 (no "x = -0.00")
            self.zero_marker.set_data([x0], fn(np.array([0.0])))
            where = f"z = w·x + b = 0 at x = {x0:.2f}"
            if not self.x[0] <= x0 <= self.x[-1]:
                where += " (outside the plot)"
        else:
            self.zero_marker.set_data([], [])
            where = "w = 0: the output no longer depends on x"
        self.message = f"{text}; {where}"
        self.readout.value = f"<code>{text}</code>; {where}"
        self.ax.set_title(f"one neuron: {text}", fontsize=11)
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
    probs : ndarray of shape (n_classes,)
        ``nnlib.activations.softmax(logits / temperature)``: the bar heights.
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

        fig, (ax_z, ax_p) = new_axes(ncols=2, figsize=(9.0, 3.4), layout="constrained")
        self.ax_scores, self.ax_probs = ax_z, ax_p
        pos = np.arange(self.logits.size)
        self.score_bars = ax_z.bar(pos, self.logits, color=OKABE_ITO["sky_blue"],
                                   edgecolor="#333333", hatch="//")
        self.prob_bars = ax_p.bar(pos, np.zeros_like(self.logits),
                                  color=OKABE_ITO["bluish_green"], edgecolor="#333333")
        self.prob_texts = [ax_p.text(i, 0, "", ha="center", va="bottom", fontsize=9)
                           for i in pos]
        uniform = 1 / self.logits.size
        uniform_line = ax_p.axhline(uniform, color=OKABE_ITO["vermillion"], linestyle="--",
                                    linewidth=1.2, label=f"uniform (1/{self.logits.size})")
        zero_line = ax_z.axhline(0, color="#999999", linewidth=0.8)
        for ax in (ax_z, ax_p):
            ax.set_xticks(pos, self.labels)
            ax.grid(axis="x", visible=False)
            ax.set_axisbelow(True)  # grid lines under the bars
        ax_p.set_ylim(0, 1.1)
        ax_p.set_ylabel("probability")
        ax_p.set_title("probabilities softmax(z / T)", fontsize=11)
        ax_p.legend(loc="upper right", fontsize=9)
        ax_z.set_ylabel("score z / T")
        # The figure is laid out once, at the first draw: the label stands where the
        # widest tick labels ("−0.02", for a large T) leave it room.
        ax_z.yaxis.set_label_coords(-0.16, 0.5)
        # the two lines lie over the bars: redrawn with them
        self._start(fig, dynamic=[*self.score_bars, *self.prob_bars, *self.prob_texts,
                                  ax_z.title, zero_line, uniform_line])

    def update(self):
        self.temperature = float(self.controls["temperature"].value)
        scores = self.logits / self.temperature
        self.probs = activations.softmax(scores)
        for bar, s in zip(self.score_bars, scores, strict=True):
            bar.set_height(s)
        low, high = min(0.0, scores.min()), max(0.0, scores.max())
        pad = 0.12 * (high - low)
        # in steps (1, 2, 5 x 10^k): most updates redraw only the bars
        self.ax_scores.set_ylim(*stepped_limits(low - pad, high + pad,
                                                current=self.ax_scores.get_ylim()))
        self.ax_scores.set_title(f"scores z / T  (T = {self.temperature:.2f})", fontsize=11)
        for bar, text, p in zip(self.prob_bars, self.prob_texts, self.probs, strict=True):
            bar.set_height(p)
            text.set_y(p + 0.01)
            text.set_text(f"{p:.2f}")
        top = int(np.argmax(self.probs))
        self.message = (
            f"T = {self.temperature:.2f}: the most likely is {self.labels[top]} with "
            f"p = {self.probs[top]:.3f}; the probabilities sum to {self.probs.sum():.6f}."
        )
        self.readout.value = html.escape(self.message).replace(
            html.escape(self.labels[top]), f"<b>{html.escape(self.labels[top])}</b>", 1)
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
