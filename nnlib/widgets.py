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
import numpy as np


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


class NetworkExplorer(Explorer):
    """Sliders for the shape of a network; redraws its diagram and counts its parameters.

    Built by ``network_explorer``; see there for the parameters.

    Attributes
    ----------
    controls : dict of ipywidgets
        ``"n_inputs"``, ``"n_hidden"``, ``"hidden_1"`` ... ``"hidden_<max_hidden>"``,
        ``"n_outputs"`` (IntSliders) and ``"show_weights"`` (Checkbox). Hidden-layer
        sliders beyond ``n_hidden`` are disabled.
    layer_sizes : list of int
        The shape currently drawn, input first.
    model : nnlib.MLP
        An MLP of that shape (hidden layers use ``activation``, the output is linear),
        built with ``seed``; its weights are drawn when ``show_weights`` is ticked.
    n_params : int
        ``model.count_params()``.
    layer_params : list of int
        Parameters per layer, ``n_in * n_out + n_out`` each (from the model's arrays).
    drawing : nnlib.plots.NetworkDrawing
        What ``draw_network`` drew (neurons and arrows, with their counts).
    readout : ipywidgets.HTML
        The parameter count, layer by layer.
    """

    def __init__(self, layer_sizes=(1, 10, 5, 1), *, max_hidden=4, max_neurons=16,
                 activation="relu", show_weights=False, seed=0):
        from . import activations as _activations
        from . import plots as _plots

        sizes = _plots.check_layer_sizes(layer_sizes)
        for name, value, low in (("max_hidden", max_hidden, 1), ("max_neurons", max_neurons, 2)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}. Received: {name}={value!r}")
        if len(sizes) - 2 > max_hidden:
            raise ValueError(f"layer_sizes has {len(sizes) - 2} hidden layers, more than "
                             f"max_hidden={max_hidden}. Received: layer_sizes={sizes}")
        if max(sizes) > max_neurons:
            raise ValueError(f"every entry of layer_sizes must be <= max_neurons={max_neurons}. "
                             f"Received: layer_sizes={sizes}")
        self.activation = _activations.get(activation).name
        self.seed = seed
        self.max_hidden = max_hidden

        def slider(value, low, high, description, css):
            s = W.IntSlider(value=value, min=low, max=high, description=description,
                            continuous_update=False, readout=True,
                            style={"description_width": "initial"})
            s.add_class(css)
            return s

        hidden = sizes[1:-1]
        spare = hidden[-1] if hidden else 4
        self.controls = {
            "n_inputs": slider(sizes[0], 1, max_neurons, "inputs", "network-inputs-slider"),
            "n_hidden": slider(len(hidden), 0, max_hidden, "hidden layers",
                               "network-hidden-layers-slider"),
        }
        for k in range(1, max_hidden + 1):
            value = hidden[k - 1] if k <= len(hidden) else spare
            self.controls[f"hidden_{k}"] = slider(value, 1, max_neurons, f"hidden {k}",
                                                  f"network-hidden-{k}-slider")
        self.controls["n_outputs"] = slider(sizes[-1], 1, max_neurons, "outputs",
                                            "network-outputs-slider")
        self.controls["show_weights"] = W.Checkbox(value=bool(show_weights),
                                                   description="show initial weights",
                                                   indent=False)
        self.controls["show_weights"].add_class("network-weights-checkbox")
        self.readout = W.HTML()
        self.readout.add_class("network-params-readout")

        fig, self.ax = _plots.new_axes(figsize=(9.0, 4.8))
        self.fig = fig
        self.view = FigureView(fig)
        self._wire()
        self.update()

    def update(self):
        from . import plots as _plots
        from .model import MLP

        n_hidden = self.controls["n_hidden"].value
        for k in range(1, self.max_hidden + 1):
            self.controls[f"hidden_{k}"].disabled = k > n_hidden
        self.layer_sizes = ([self.controls["n_inputs"].value]
                            + [self.controls[f"hidden_{k}"].value for k in range(1, n_hidden + 1)]
                            + [self.controls["n_outputs"].value])
        acts = [self.activation] * n_hidden + ["linear"]
        self.model = MLP(self.layer_sizes, acts, seed=self.seed)
        self.n_params = self.model.count_params()
        pairs = zip(self.model.weights, self.model.biases, strict=True)
        self.layer_params = [W_l.size + b_l.size for W_l, b_l in pairs]

        terms = [f"{n_in}·{n_out} + {n_out} = {p}" for n_in, n_out, p in
                 zip(self.layer_sizes[:-1], self.layer_sizes[1:], self.layer_params, strict=True)]
        self.readout.value = (
            f"<b>{self.n_params} parameters</b> for layer sizes {self.layer_sizes}: "
            + " &nbsp;+&nbsp; ".join(f"({t})" for t in terms)
        )

        self.ax.clear()  # the number of neurons and arrows changes: draw afresh
        show = self.controls["show_weights"].value
        _plots.draw_network(self.layer_sizes, model=self.model if show else None, ax=self.ax,
                            title=f"{self.n_params} trainable parameters")
        self.drawing = self.ax.network_drawing
        self.view.redraw()

    def layout(self):
        """Controls, then the parameter count, then the diagram."""
        return W.VBox([W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap")),
                       self.readout, self.view.output])


def network_explorer(layer_sizes=(1, 10, 5, 1), *, max_hidden=4, max_neurons=16,
                     activation="relu", show_weights=False, seed=0) -> NetworkExplorer:
    """Build the network-shape explorer of notebook 01.

    Parameters
    ----------
    layer_sizes : sequence of int, default=(1, 10, 5, 1)
        Starting shape, input first (the article's network by default).
    max_hidden : int, default=4
        Most hidden layers the slider allows.
    max_neurons : int, default=16
        Largest layer the sliders allow (layers above 12 are drawn truncated).
    activation : str, default="relu"
        Activation of the hidden layers of the MLP built for the count and the weights.
    show_weights : bool, default=False
        Start with connections coloured by the sign of the initial weights.
    seed : int, default=0
        Seed of the MLP's initial weights.

    Returns
    -------
    NetworkExplorer

    Raises
    ------
    ValueError
        If ``layer_sizes`` is empty, has an entry below 1, has more than ``max_hidden``
        hidden layers or an entry above ``max_neurons``.

    Notes
    -----
    The count shown is ``MLP.count_params()``, which equals
    ``sum(n_in * n_out + n_out)`` over consecutive layer sizes.
    """
    return NetworkExplorer(layer_sizes, max_hidden=max_hidden, max_neurons=max_neurons,
                           activation=activation, show_weights=show_weights, seed=seed)

# ============================================================ notebook 02 (forward pass)
NEURON_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")


class NeuronExplorer(Explorer):
    """One neuron with one input: ``a = f(w * x + b)`` drawn over ``x``, live.

    Built by ``neuron_explorer``. The neuron is an nnlib ``MLP([1, 1], [activation])``
    whose weight and bias follow the sliders, so the curve is nnlib's forward pass.

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
    message : ipywidgets.HTML
        The formula with the current numbers, and where ``z = w * x + b`` crosses 0.
    """

    def __init__(self, activation="relu", w=1.0, b=0.0, *, x_range=(-5.0, 5.0),
                 w_range=(-3.0, 3.0), b_range=(-3.0, 3.0), n_points=201):
        from . import activations as _activations
        from ._validation import check_positive_int

        act = _activations.get(activation)  # unknown names: ValueError listing valid ones
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
            "w": W.FloatSlider(value=w, min=w_range[0], max=w_range[1], description="weight w",
                               **slider),
            "b": W.FloatSlider(value=b, min=b_range[0], max=b_range[1], description="bias b",
                               **slider),
            "activation": W.Dropdown(options=list(NEURON_ACTIVATIONS), value=act.name,
                                     description="activation f"),
        }
        self.controls["w"].add_class("neuron-w-slider")
        self.controls["b"].add_class("neuron-b-slider")
        self.controls["activation"].add_class("neuron-activation-dropdown")
        self.message = W.HTML()
        self.message.add_class("neuron-message")

        from . import plots

        fig, ax = plots.new_axes(figsize=(6.4, 3.8), layout="constrained")
        self.ax = ax
        ax.axhline(0, color="#999999", linewidth=0.8, zorder=0)
        ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)
        (self.reference_line,) = ax.plot(self.x, self.x, color="#888888", linestyle=":",
                                         marker="", linewidth=1.5, label="f(x), i.e. w = 1, b = 0")
        (self.line,) = ax.plot(self.x, self.x, color=plots.OKABE_ITO["blue"], linestyle="-",
                               marker="o", markevery=max(1, n_points // 10),
                               label="a = f(w·x + b)")
        (self.zero_marker,) = ax.plot([], [], color=plots.OKABE_ITO["vermillion"],
                                      linestyle="", marker="D", markersize=7,
                                      label="z = 0 (x = -b/w)")
        ax.set_xlim(self.x[0], self.x[-1])
        ax.set_xlabel("input x")
        ax.set_ylabel("output a")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=9)
        self.view = FigureView(fig)
        self._wire()
        self.update()

    def update(self):
        from .model import MLP

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
            x0 = -self.b / self.w
            self.zero_marker.set_data([x0], fn(np.array([0.0])))
            where = f"z = w·x + b = 0 at x = {x0:.2f}"
            if not self.x[0] <= x0 <= self.x[-1]:
                where += " (outside the plot)"
        else:
            self.zero_marker.set_data([], [])
            where = "w = 0: the output no longer depends on x"
        self.message.value = f"<code>{text}</code>; {where}"
        self.ax.set_title(f"one neuron: {text}", fontsize=11)
        self.view.redraw()

    def layout(self):
        box = super().layout()
        box.children = (box.children[0], self.message, box.children[1])
        return box


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
    towards uniform.

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
    message : ipywidgets.HTML
    """

    T_MIN, T_MAX = 0.1, 100.0

    def __init__(self, logits=(2.0, 1.0, 0.1, -1.0), temperature=1.0, *, labels=None):
        from ._validation import as_float_array, check_in_range

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
            "temperature": W.FloatLogSlider(
                value=temperature, base=10, min=np.log10(self.T_MIN), max=np.log10(self.T_MAX),
                step=0.02, description="temperature T", readout=True, readout_format=".2f",
                continuous_update=True, style={"description_width": "initial"},
            ),
        }
        self.controls["temperature"].add_class("softmax-temperature-slider")
        self.message = W.HTML()
        self.message.add_class("softmax-message")

        from . import plots

        fig, (ax_z, ax_p) = plots.new_axes(ncols=2, figsize=(9.0, 3.4), layout="constrained")
        self.ax_scores, self.ax_probs = ax_z, ax_p
        pos = np.arange(self.logits.size)
        self.score_bars = ax_z.bar(pos, self.logits, color=plots.OKABE_ITO["sky_blue"],
                                   edgecolor="#333333", hatch="//")
        self.prob_bars = ax_p.bar(pos, np.zeros_like(self.logits),
                                  color=plots.OKABE_ITO["bluish_green"], edgecolor="#333333")
        self.prob_texts = [ax_p.text(i, 0, "", ha="center", va="bottom", fontsize=9)
                           for i in pos]
        uniform = 1 / self.logits.size
        ax_p.axhline(uniform, color=plots.OKABE_ITO["vermillion"], linestyle="--", linewidth=1.2,
                     label=f"uniform (1/{self.logits.size})")
        ax_z.axhline(0, color="#999999", linewidth=0.8)
        for ax in (ax_z, ax_p):
            ax.set_xticks(pos, self.labels)
            ax.grid(axis="x", visible=False)
        ax_p.set_ylim(0, 1.1)
        ax_p.set_ylabel("probability")
        ax_p.legend(loc="upper right", fontsize=9)
        ax_z.set_ylabel("score z / T")
        self.view = FigureView(fig)
        self._wire()
        self.update()

    def update(self):
        from . import activations as _activations

        self.temperature = float(self.controls["temperature"].value)
        scores = self.logits / self.temperature
        self.probs = _activations.softmax(scores)
        for bar, s in zip(self.score_bars, scores, strict=True):
            bar.set_height(s)
        low, high = min(0.0, scores.min()), max(0.0, scores.max())
        pad = 0.12 * (high - low)
        self.ax_scores.set_ylim(low - pad, high + pad)
        self.ax_scores.set_title(f"scores z / T  (T = {self.temperature:.2f})", fontsize=11)
        for bar, text, p in zip(self.prob_bars, self.prob_texts, self.probs, strict=True):
            bar.set_height(p)
            text.set_y(p + 0.01)
            text.set_text(f"{p:.2f}")
        self.ax_probs.set_title("probabilities softmax(z / T)", fontsize=11)
        top = int(np.argmax(self.probs))
        self.message.value = (
            f"T = {self.temperature:.2f}: the most likely is <b>{self.labels[top]}</b> with "
            f"p = {self.probs[top]:.3f}; the probabilities sum to {self.probs.sum():.6f}."
        )
        self.view.redraw()

    def layout(self):
        box = super().layout()
        box.children = (box.children[0], self.message, box.children[1])
        return box


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


# ============================================================ notebook 03 (learning, backprop)
# (widget builders for 03_learning_backprop.ipynb go here)

import math as _math  # noqa: E402
import textwrap as _textwrap  # noqa: E402

import numpy as _np  # noqa: E402
from matplotlib.ticker import MaxNLocator as _MaxNLocator  # noqa: E402

from . import descent as _descent  # noqa: E402
from . import plots as _plots  # noqa: E402


class LineFitExplorer(Explorer):
    """The "be the optimizer" widget: sliders for the slope ``w`` and intercept ``b``.

    The line ``y_hat = w x + b`` is drawn over the data and its MSE is shown live.
    With ``show_gradient=True`` a second panel shows the contour lines of the MSE over
    ``(w, b)``, the current point, and the arrow ``-arrow_learning_rate * gradient``:
    the step gradient descent would take from here (downhill).

    Parameters
    ----------
    X : array_like of shape (n_samples, 1)
    y : array_like of shape (n_samples, 1)
    w, b : float, default=0.0
        Starting slider values.
    show_gradient : bool, default=False
    arrow_learning_rate : float, default=0.25
        Scale of the arrow: it is one gradient-descent step with this learning rate.
    w_range, b_range : (float, float), default=(-2.0, 6.0) and (-3.0, 5.0)
        Slider ranges (and the extent of the contour plot).

    Attributes
    ----------
    w, b : float
        The current slider values.
    y_hat : ndarray of shape (n_samples, 1)
    mse : float
        ``nnlib.descent.line_mse(w, b, X, y)``.
    best_mse : float
        The lowest MSE reached so far.
    grad : (float, float)
        ``(dL/dw, dL/db)`` from ``nnlib.descent.line_mse_grad``.
    arrow : (float, float)
        The arrow's components ``-arrow_learning_rate * grad`` (drawn only with
        ``show_gradient``).
    readout : ipywidgets.HTML
        The MSE (and gradient) as text.
    """

    def __init__(self, X, y, *, w=0.0, b=0.0, show_gradient=False, arrow_learning_rate=0.25,
                 w_range=(-2.0, 6.0), b_range=(-3.0, 5.0)):
        self.X = _np.asarray(X, float)
        self.y = _np.asarray(y, float)
        _descent.line_mse(w, b, self.X, self.y)  # validates X and y early
        self.show_gradient = bool(show_gradient)
        self.arrow_learning_rate = float(arrow_learning_rate)
        style = {"description_width": "initial"}
        self.controls = {
            "w": W.FloatSlider(value=w, min=w_range[0], max=w_range[1], step=0.05,
                               description="w (slope)", readout_format=".2f", style=style,
                               continuous_update=True),
            "b": W.FloatSlider(value=b, min=b_range[0], max=b_range[1], step=0.05,
                               description="b (intercept)", readout_format=".2f", style=style,
                               continuous_update=True),
        }
        self.controls["w"].add_class("w-slider")
        self.controls["b"].add_class("b-slider")
        self.readout = W.HTML()
        self.readout.add_class("mse-readout")
        self.best_mse = _math.inf

        n_panels = 2 if self.show_gradient else 1
        fig, axes = _plots.new_axes(ncols=n_panels, figsize=(5.6 * n_panels, 4.4))
        axes = _np.atleast_1d(axes)
        self.ax_fit = axes[0]
        _plots.plot_fit(self.X, self.y, ax=self.ax_fit, title="Your line through the data")
        x_line = _np.array([[self.X.min()], [self.X.max()]])
        self._x_line = x_line
        (self.line,) = self.ax_fit.plot(x_line.ravel(), x_line.ravel(),
                                        color=_plots.OKABE_ITO["vermillion"], linestyle="-",
                                        marker="", label=r"$\hat y = w x + b$")
        self.ax_fit.legend(loc="upper left")
        y_all = self.y.ravel()
        pad = 0.5 * (y_all.max() - y_all.min())
        self.ax_fit.set_ylim(y_all.min() - pad, y_all.max() + pad)
        self.mse_text = self.ax_fit.text(0.97, 0.04, "", transform=self.ax_fit.transAxes,
                                         ha="right", va="bottom", fontsize=11,
                                         bbox={"facecolor": "white", "edgecolor": "#999999"})
        if self.show_gradient:
            self.ax_loss = axes[1]
            w_grid = _np.linspace(*w_range, 121)
            b_grid = _np.linspace(*b_range, 121)
            self.loss_grid = _descent.line_mse_grid(w_grid, b_grid, self.X, self.y)
            _plots.plot_loss_contour(w_grid, b_grid, self.loss_grid, ax=self.ax_loss,
                                     title="MSE over (w, b); arrow = one step downhill")
            (self.point,) = self.ax_loss.plot([w], [b], color=_plots.OKABE_ITO["black"],
                                              marker="o", markersize=8, linestyle="")
            self.quiver = self.ax_loss.quiver([w], [b], [0.0], [0.0], angles="xy",
                                              scale_units="xy", scale=1,
                                              color=_plots.OKABE_ITO["vermillion"], width=0.012,
                                              zorder=3)
            self.ax_loss.set_xlim(*w_range)
            self.ax_loss.set_ylim(*b_range)
        fig.tight_layout()
        self.view = FigureView(fig)
        self._wire()
        self.update()

    def update(self):
        self.w = float(self.controls["w"].value)
        self.b = float(self.controls["b"].value)
        self.y_hat = _descent.line_predict(self.w, self.b, self.X)
        self.mse = _descent.line_mse(self.w, self.b, self.X, self.y)
        self.best_mse = min(self.best_mse, self.mse)
        self.grad = _descent.line_mse_grad(self.w, self.b, self.X, self.y)
        self.arrow = (-self.arrow_learning_rate * self.grad[0],
                      -self.arrow_learning_rate * self.grad[1])
        self.line.set_data(self._x_line.ravel(),
                           _descent.line_predict(self.w, self.b, self._x_line).ravel())
        self.mse_text.set_text(f"MSE = {self.mse:.4f}")
        text = (f"MSE = <b>{self.mse:.4f}</b> &nbsp; (lowest so far: {self.best_mse:.4f})")
        if self.show_gradient:
            self.point.set_data([self.w], [self.b])
            self.quiver.set_offsets([[self.w, self.b]])
            self.quiver.set_UVC([self.arrow[0]], [self.arrow[1]])
            text += (f"<br>gradient: ∂L/∂w = {self.grad[0]:+.3f}, ∂L/∂b = {self.grad[1]:+.3f}"
                     f" &nbsp; → downhill: {_direction('w', self.grad[0])}, "
                     f"{_direction('b', self.grad[1])}")
        self.readout.value = text
        self.view.redraw()

    def layout(self):
        return W.VBox([W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap")),
                       self.readout, self.view.output])


def _direction(name, derivative):
    if abs(derivative) < 5e-4:
        return f"{name} is fine"
    return f"{'decrease' if derivative > 0 else 'increase'} {name}"


def be_the_optimizer(X, y, *, w=0.0, b=0.0, show_gradient=False, **kwargs) -> LineFitExplorer:
    """Build the "be the optimizer" widget (see ``LineFitExplorer`` for all options).

    Examples
    --------
    >>> from nnlib import descent
    >>> from nnlib.data import make_linear
    >>> X, y = make_linear(seed=0)
    >>> explorer = be_the_optimizer(X, y, show_gradient=True)
    >>> explorer.controls["w"].value = 2.0
    >>> explorer.grad == descent.line_mse_grad(2.0, 0.0, X, y)
    True
    """
    return LineFitExplorer(X, y, w=w, b=b, show_gradient=show_gradient, **kwargs)


class GradientDescentExplorer(Explorer):
    """Gradient descent on a one-parameter quadratic loss, with a learning-rate slider.

    The left panel shows the loss curve and the path of ``w`` on it; the right panel
    shows ``w`` after each step. A text on the plot says how the descent behaves:
    creeping, converging, oscillating, growing, or "diverged at step k".

    Parameters
    ----------
    problem : nnlib.descent.Quadratic1D, optional
        The loss; default ``Quadratic1D()``, i.e. ``L(w) = (w - 3)^2`` with ``L'' = 2``.
    w0 : float, default=-1.0
        The start (slider "start w0").
    learning_rate : float, default=0.05
        Starting value of the log-scale learning-rate slider (1e-3 up to about three
        times the stability limit ``2 / L''``).
    steps : int, default=20
        Starting value of the steps slider.
    max_steps : int, default=100
    w_range : (float, float), optional
        The ``w`` shown; default 5 on each side of the minimum.
    max_loss : float, default=1e6
        Passed to ``nnlib.descent.gradient_descent_1d``: above it the descent is
        declared diverged.

    Attributes
    ----------
    path : nnlib.descent.DescentPath
        The last computed path (``path.w``, ``path.loss``).
    diverged : bool
    diverged_at : int or None
        The step at which the loss passed ``max_loss``.
    message : str
        The text shown on the plot.
    """

    def __init__(self, problem=None, *, w0=-1.0, learning_rate=0.05, steps=20, max_steps=100,
                 w_range=None, max_loss=1e6):
        self.problem = problem if problem is not None else _descent.Quadratic1D()
        self.max_loss = float(max_loss)
        limit = self.problem.stability_limit
        if w_range is None:
            w_range = (self.problem.minimum - 5.0, self.problem.minimum + 5.0)
        style = {"description_width": "initial"}
        top = _math.log10(3.0 * limit)
        self.controls = {
            "lr": W.FloatLogSlider(value=learning_rate, base=10, min=-3, max=top, step=0.01,
                                   description="learning rate", readout_format=".3g",
                                   style=style, continuous_update=True),
            "steps": W.IntSlider(value=steps, min=1, max=max_steps, description="steps",
                                 style=style, continuous_update=True),
            "w0": W.FloatSlider(value=w0, min=w_range[0], max=w_range[1], step=0.1,
                                description="start w0", readout_format=".1f", style=style,
                                continuous_update=True),
        }
        for key, css in (("lr", "lr-slider"), ("steps", "steps-slider"), ("w0", "w0-slider")):
            self.controls[key].add_class(css)

        fig, (ax_curve, ax_steps) = _plots.new_axes(
            ncols=2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [3, 2]})
        self.plot = _plots.DescentPlot(self.problem, ax_curve, w_range=w_range)
        ax_curve.set_title(f"{_quadratic_label(self.problem)};  2/L'' = {limit:.3g}")
        ax_steps.axhline(self.problem.minimum, color=_plots.OKABE_ITO["black"],
                         linestyle=":", marker="", linewidth=1.2, label="minimum w*")
        (self.w_line,) = ax_steps.plot([], [], color=_plots.OKABE_ITO["vermillion"],
                                       linestyle="-", marker="o", markersize=4, linewidth=1.0,
                                       label="w after step k")
        ax_steps.set_xlim(0, max_steps)
        ax_steps.set_ylim(*w_range)
        ax_steps.xaxis.set_major_locator(_MaxNLocator(integer=True))
        ax_steps.set_xlabel("step k")
        ax_steps.set_ylabel("w")
        ax_steps.set_title("w step by step")
        ax_steps.legend(loc="lower right", fontsize=9)
        self.ax_steps = ax_steps
        fig.tight_layout()
        self.view = FigureView(fig)
        self._wire()
        self.update()

    def update(self):
        lr = float(self.controls["lr"].value)
        steps = int(self.controls["steps"].value)
        w0 = float(self.controls["w0"].value)
        p = self.problem
        self.path = _descent.gradient_descent_1d(p, p.grad, w0, lr, steps,
                                                 max_loss=self.max_loss)
        self.diverged = self.path.diverged
        self.diverged_at = self.path.diverged_at
        self.message = _describe_descent(p, lr, self.path)
        self.plot.show(self.path, self.message)
        self.ax_steps.set_xlim(0, max(steps, 1))
        self.w_line.set_data(_np.arange(len(self.path.w)), self.path.w)
        self.view.redraw()


def _quadratic_label(problem):
    """``"L(w) = (w − 3)²"``, ``"L(w) = 0.34(w − 2.1)² + 1.02"``: the title of the curve."""
    a = "" if problem.a == 1 else f"{problem.a:.3g}"
    m = problem.minimum
    inner = "w" if m == 0 else (f"w − {m:.3g}" if m > 0 else f"w + {-m:.3g}")
    offset = "" if problem.offset == 0 else f" {'+' if problem.offset > 0 else '−'} " \
        f"{abs(problem.offset):.3g}"
    return f"L(w) = {a}({inner})²{offset}"


def _describe_descent(problem, lr, path):
    """The sentence shown on the plot: the path's ending plus why, from ``L''``."""
    limit = problem.stability_limit
    factor = problem.step_factor(lr)
    if path.diverged:
        why = f"learning rate {lr:.3g} > 2/L'' = {limit:.3g}"
        return f"{path.message}\n{why}"
    if _math.isclose(abs(factor), 1.0, rel_tol=1e-9) and factor < 0:
        how = "bounces between two points forever (learning rate = 2/L'')"
    elif abs(factor) > 1:
        how = (f"unstable: learning rate > 2/L'' = {limit:.3g}, the distance to the "
               f"minimum grows ×{abs(factor):.3g} per step")
    elif factor < 0:
        how = f"oscillates around the minimum, the distance shrinks ×{abs(factor):.3g} per step"
    elif factor == 0:
        how = "lands on the minimum in one step (learning rate = 1/L'')"
    elif factor > 0.95:
        how = f"crawls: the distance to the minimum shrinks only ×{factor:.3g} per step"
    else:
        how = f"converges from one side, the distance shrinks ×{factor:.3g} per step"
    return f"{how}\n{path.message}"


def gradient_descent_explorer(problem=None, *, w0=-1.0, learning_rate=0.05, steps=20,
                              **kwargs) -> GradientDescentExplorer:
    """Build the 1-D gradient-descent widget (see ``GradientDescentExplorer``).

    Examples
    --------
    >>> explorer = gradient_descent_explorer()          # L(w) = (w - 3)^2
    >>> explorer.controls["lr"].value = 1.5             # above 2/L'' = 1
    >>> explorer.diverged, explorer.diverged_at
    (True, 8)
    """
    return GradientDescentExplorer(problem, w0=w0, learning_rate=learning_rate, steps=steps,
                                   **kwargs)


class LiveLossPlot:
    """A loss curve that redraws while ``MLP.fit`` trains: pass it as ``callback``.

    Each call ``live(epoch, logs)`` appends ``logs["loss"]`` (and ``logs["val_loss"]``
    if present) to the lines; every ``every`` epochs the figure is redrawn in the
    notebook. ``finish(history)`` draws the last epochs and, if training diverged,
    writes ``history.message`` on the plot.

    Parameters
    ----------
    every : int, default=5
        Redraw every this many epochs (drawing costs more than an epoch of a small net).
    log_scale : bool, default=True
    title : str, default="Training loss, live"

    Attributes
    ----------
    epochs : list of int
    history : dict of str -> list of float
        ``"loss"`` and ``"val_loss"`` as received.
    lines : dict of str -> matplotlib Line2D
    n_redraws : int
        How many times the figure was drawn.
    message : str
        The text shown on the plot after ``finish`` (empty before).

    Examples
    --------
    >>> live = live_loss_plot(every=10)
    >>> history = model.fit(X, y, epochs=100, callback=live)   # doctest: +SKIP
    >>> live.finish(history)                                   # doctest: +SKIP
    """

    def __init__(self, *, every=5, log_scale=True, title="Training loss, live"):
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an integer >= 1. Received: every={every!r}")
        self.every = every
        self.epochs = []
        self.history = {"loss": [], "val_loss": []}
        self.n_redraws = 0
        self.message = ""
        fig, ax = _plots.new_axes(figsize=(6.4, 3.6))
        self.ax = ax
        self.lines = {
            "loss": ax.plot([], [], color=_plots.OKABE_ITO["blue"], linestyle="-", marker="",
                            label="training loss")[0],
            "val_loss": ax.plot([], [], color=_plots.OKABE_ITO["vermillion"], linestyle="--",
                                marker="", label="validation loss")[0],
        }
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.set_title(title)
        self.text = ax.text(0.03, 0.95, "", transform=ax.transAxes, ha="left", va="top",
                            color=_plots.OKABE_ITO["vermillion"], fontsize=10)
        fig.tight_layout()
        self.view = FigureView(fig)
        self.fig = fig

    def __call__(self, epoch, logs):
        """The ``MLP.fit`` callback: record ``logs``, redraw every ``every`` epochs.

        Returns
        -------
        bool
            Always False (never asks training to stop).
        """
        self.epochs.append(int(epoch))
        for key, line in self.lines.items():
            if key in logs:
                self.history[key].append(float(logs[key]))
                n = len(self.history[key])
                line.set_data(self.epochs[-n:], self.history[key])
        if epoch % self.every == 0:
            self._redraw()
        return False

    def finish(self, history=None):
        """Draw every recorded epoch; show ``history.message`` if training diverged."""
        if history is not None and getattr(history, "diverged", False):
            self.message = history.message
            self.text.set_text(_textwrap.fill(self.message, 48))
            self.text.set_bbox({"facecolor": "white", "edgecolor": _plots.OKABE_ITO["vermillion"]})
        self._redraw()
        return self

    def _redraw(self):
        shown = [line for line in self.lines.values() if len(line.get_xdata())]
        if shown:
            self.ax.relim()
            self.ax.autoscale_view()
            if self.ax.get_yscale() == "log":
                self._set_log_limits(shown)
            self.ax.legend(handles=shown, loc="upper right")
        self.view.redraw()
        self.n_redraws += 1

    def _set_log_limits(self, shown):
        # A diverging run reaches losses near 1e300, where matplotlib's automatic
        # margins and log ticks overflow. Show losses up to 1e200 at most; a curve that
        # leaves the top has diverged, and the message says so.
        values = _np.concatenate([_np.asarray(line.get_ydata(), float) for line in shown])
        values = values[_np.isfinite(values) & (values > 0)]
        if values.size:
            low = min(_np.log10(values.min()), 190.0)
            high = min(_np.log10(values.max()), 200.0)
            pad = 0.05 * (high - low) + 0.1
            self.ax.set_ylim(10 ** (low - pad), 10 ** (high + pad))

    def _repr_mimebundle_(self, **kwargs):
        self.view.redraw()
        return self.view.output._repr_mimebundle_(**kwargs)


def live_loss_plot(*, every=5, log_scale=True, title="Training loss, live") -> LiveLossPlot:
    """Build a live loss curve to pass as ``MLP.fit(..., callback=live)``."""
    return LiveLossPlot(every=every, log_scale=log_scale, title=title)
