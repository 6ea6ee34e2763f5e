"""Shared plotting style and the plots several notebooks use.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common kinds of colour blindness. Four of its colours are the article's layer
colours: orange for the input layer, sky blue for the first hidden layer, reddish
purple for the second, bluish green for the output.

Figures get an opaque white background (Jupyter's inline backend makes it
transparent by default, which puts black text on JupyterLab's dark theme), and
lines differ by marker and line style as well as colour.

This module only draws: every number it shows comes from nnlib's math modules.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# The article's figure: input, hidden 1, hidden 2, output.
LAYER_COLORS = {
    "input": OKABE_ITO["orange"],
    "hidden1": OKABE_ITO["sky_blue"],
    "hidden2": OKABE_ITO["reddish_purple"],
    "output": OKABE_ITO["bluish_green"],
}

# Line cycle: colour, marker and dash all change, so lines differ without colour too.
CYCLE_COLORS = [OKABE_ITO[k] for k in
                ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue")]
CYCLE_MARKERS = ["o", "s", "^", "D", "v", "P"]
CYCLE_LINESTYLES = ["-", "--", "-.", ":", "-", "--"]

STYLE = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#000000",
    "text.color": "#000000",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "font.size": 11,
    "lines.linewidth": 2.0,
    "lines.markersize": 5,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=CYCLE_COLORS) + cycler(marker=CYCLE_MARKERS)
    + cycler(linestyle=CYCLE_LINESTYLES),
}


def use_style():
    """Apply the course style to matplotlib (call once at the top of a notebook)."""
    mpl.rcParams.update(STYLE)


def new_axes(ax=None, **subplots_kw):
    """Return ``(fig, ax)``: the given axes and its figure, or a new styled figure."""
    if ax is not None:
        return ax.figure, ax
    with mpl.rc_context(STYLE):
        fig, ax = plt.subplots(**subplots_kw)
    return fig, ax


def plot_history(history, ax=None, *, title="Loss per epoch", log_scale=False):
    """Plot ``history["loss"]`` (and ``"val_loss"``) against the epoch.

    Parameters
    ----------
    history : dict-like
        What ``MLP.fit`` returns (or Keras' ``History.history``).
    ax : matplotlib Axes, optional
    log_scale : bool, default=False

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    n_points = len(history["loss"])
    every = max(1, n_points // 15)  # markers on a few points only
    for key, label, color, marker, style in (
        ("loss", "training loss", OKABE_ITO["blue"], "o", "-"),
        ("val_loss", "validation loss", OKABE_ITO["vermillion"], "s", "--"),
    ):
        values = history.get(key) if hasattr(history, "get") else None
        if values:
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, color=color, marker=marker, linestyle=style,
                    markevery=every, label=label)
    if getattr(history, "diverged", False):
        ax.text(0.5, 0.5, history.message, transform=ax.transAxes, ha="center", va="center",
                wrap=True, color=OKABE_ITO["vermillion"], fontsize=11,
                bbox={"facecolor": "white", "edgecolor": OKABE_ITO["vermillion"]})
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_fit(X, y, y_hat=None, ax=None, *, title=None, label_pred="model prediction"):
    """Scatter 1-D data and draw a model's predictions as a line.

    Parameters
    ----------
    X : array_like of shape (n_samples, 1)
    y : array_like of shape (n_samples, 1)
    y_hat : array_like of shape (n_samples, 1), optional
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    x = np.asarray(X, float).ravel()
    ax.scatter(x, np.asarray(y, float).ravel(), s=18, color=OKABE_ITO["blue"], marker="o",
               alpha=0.7, label="data")
    if y_hat is not None:
        order = np.argsort(x)
        ax.plot(x[order], np.asarray(y_hat, float).ravel()[order], color=OKABE_ITO["vermillion"],
                linestyle="-", marker="", label=label_pred)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


# ============================================================ notebook 01 (structure)

# Colours of the hidden layers after the article's two: further Okabe-Ito colours,
# repeated if a network has more hidden layers than this list.
EXTRA_HIDDEN_COLORS = [OKABE_ITO[k] for k in ("blue", "vermillion", "yellow")]

# Connections coloured by weight sign also differ by line style (readable without colour).
WEIGHT_SIGN_STYLE = {
    "positive": {"color": OKABE_ITO["blue"], "linestyle": "-"},
    "negative": {"color": OKABE_ITO["vermillion"], "linestyle": (0, (3, 2))},
}


def check_layer_sizes(layer_sizes, name="layer_sizes"):
    """Return ``layer_sizes`` as a list of ints, or raise an error naming ``name``.

    Parameters
    ----------
    layer_sizes : sequence of int, length >= 2
        Neurons per layer, input first, e.g. ``[1, 10, 5, 1]``.
    name : str, default="layer_sizes"
        The argument's name, used in error messages.

    Returns
    -------
    sizes : list of int

    Raises
    ------
    TypeError
        If it is not a sequence, or an entry is not an integer.
    ValueError
        If it has fewer than two entries or an entry is below 1.
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(
            f"{name} must be a list of layer sizes such as [1, 10, 5, 1]. "
            f"Received: {name}={layer_sizes!r}"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"{name} must list at least an input and an output size, e.g. [1, 10, 5, 1]. "
            f"Received: {name}={layer_sizes!r}"
        )
    for i, n in enumerate(sizes):
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"{name}[{i}] must be an integer. Received: {name}={layer_sizes!r}")
        if n < 1:
            raise ValueError(
                f"{name}[{i}] must be an integer >= 1 (every layer needs a neuron). "
                f"Received: {name}={layer_sizes!r}"
            )
    return [int(n) for n in sizes]


def layer_colors(n_layers):
    """Colours of the layers of a network with ``n_layers`` layers (input and output included).

    Input orange, first hidden layer sky blue, second reddish purple (the article's
    figure), further hidden layers blue, vermillion, yellow (then repeating), output
    bluish green.

    Parameters
    ----------
    n_layers : int, >= 2

    Returns
    -------
    colors : list of str, length n_layers
    """
    if isinstance(n_layers, bool) or not isinstance(n_layers, (int, np.integer)) or n_layers < 2:
        raise ValueError(f"n_layers must be an integer >= 2. Received: n_layers={n_layers!r}")
    hidden = [LAYER_COLORS["hidden1"], LAYER_COLORS["hidden2"]]
    hidden += [EXTRA_HIDDEN_COLORS[i % len(EXTRA_HIDDEN_COLORS)] for i in range(n_layers - 4)]
    return [LAYER_COLORS["input"], *hidden[: n_layers - 2], LAYER_COLORS["output"]]


def _layer_name(index, n_layers):
    if index == 0:
        return "input"
    if index == n_layers - 1:
        return "output"
    return f"hidden {index}"


def shown_neurons(n, max_neurons=12):
    """Indices of the neurons drawn for a layer of ``n`` neurons.

    All of them if ``n <= max_neurons``; otherwise the first ``ceil(max_neurons / 2)``
    and the last ``floor(max_neurons / 2)``, with an ellipsis drawn in between.

    Returns
    -------
    indices : ndarray of int
    """
    if n <= max_neurons:
        return np.arange(n)
    head = (max_neurons + 1) // 2
    return np.concatenate([np.arange(head), np.arange(n - (max_neurons - head), n)])


class NetworkDrawing:
    """What ``draw_network`` drew, kept as ``ax.network_drawing`` for inspection.

    Attributes
    ----------
    layer_sizes : list of int
        The true sizes (not truncated).
    shown : list of ndarray of int
        Per layer, the indices of the neurons that were drawn.
    neurons : list of matplotlib PathCollection
        One scatter per layer; ``neurons[i].get_offsets()`` has one row per drawn neuron.
    connections : list of matplotlib FancyArrowPatch
        One arrow per drawn connection, layer by layer, then by source and target neuron.
    weights : ndarray of shape (n_connections,) or None
        The weight behind each arrow, when a model was given.
    ellipses : list of matplotlib Text
        The vertical dots of truncated layers.
    colors : list of str
        Colour of each layer.
    """

    def __init__(self, layer_sizes, shown, colors):
        self.layer_sizes = layer_sizes
        self.shown = shown
        self.colors = colors
        self.neurons = []
        self.connections = []
        self.weights = None
        self.ellipses = []

    @property
    def n_neurons(self) -> int:
        """Number of neurons drawn."""
        return int(sum(len(s) for s in self.shown))

    @property
    def n_connections(self) -> int:
        """Number of arrows drawn."""
        return len(self.connections)

    @property
    def truncated(self):
        """Per layer, whether some of its neurons were left out of the drawing."""
        return [len(s) < n for s, n in zip(self.shown, self.layer_sizes, strict=True)]


def draw_network(layer_sizes=None, *, model=None, ax=None, max_neurons=12, title=None,
                 legend=True):
    """Draw a fully connected network: one column of neurons per layer, arrows between them.

    Parameters
    ----------
    layer_sizes : sequence of int, length >= 2, optional
        Neurons per layer, input first, e.g. ``[1, 10, 5, 1]``. May be left out when
        ``model`` is given (its ``layer_sizes`` are used).
    model : nnlib.MLP, optional
        If given, each arrow shows the weight ``W_l[i, j]`` it stands for: blue and
        solid if positive, vermillion and dashed if negative, wider for larger ``|w|``
        (width proportional to ``|w| / max|w|`` over the drawn arrows).
    ax : matplotlib Axes, optional
        Where to draw; a new figure if None.
    max_neurons : int, default=12
        Layers with more neurons show the first and last ones and a vertical ellipsis,
        with the true size written under the layer.
    title : str, optional
    legend : bool, default=True
        With a model: a legend explaining line colour, style and width.

    Returns
    -------
    ax : matplotlib Axes
        ``ax.network_drawing`` is a ``NetworkDrawing`` holding the artists (neurons per
        layer, one arrow per connection) and their counts.

    Raises
    ------
    ValueError
        If ``layer_sizes`` is empty, has fewer than two entries or an entry below 1, if
        it does not match ``model.layer_sizes``, or if ``max_neurons < 2``.

    Notes
    -----
    Colours: input orange, first hidden layer sky blue, second reddish purple, output
    bluish green (see ``layer_colors``). A layer of ``n_in`` neurons feeding one of
    ``n_out`` neurons has ``n_in * n_out`` connections, one per entry of its kernel
    ``W`` of shape ``(n_in, n_out)``.
    """
    if layer_sizes is None and model is None:
        raise ValueError("draw_network needs layer_sizes or model. Received: neither.")
    if model is not None:
        if not hasattr(model, "weights") or not hasattr(model, "layer_sizes"):
            raise TypeError(f"model must be an nnlib.MLP. Received: model of type "
                            f"{type(model).__name__}")
        if layer_sizes is None:
            layer_sizes = model.layer_sizes
    sizes = check_layer_sizes(layer_sizes)
    if model is not None and list(model.layer_sizes) != sizes:
        raise ValueError(f"layer_sizes must match model.layer_sizes={model.layer_sizes}. "
                         f"Received: layer_sizes={sizes}")
    if isinstance(max_neurons, bool) or not isinstance(max_neurons, (int, np.integer)) \
            or max_neurons < 2:
        raise ValueError(f"max_neurons must be an integer >= 2. Received: "
                         f"max_neurons={max_neurons!r}")

    fig, ax = new_axes(ax, figsize=(1.8 * len(sizes) + 1.5, 4.5))
    n_layers = len(sizes)
    colors = layer_colors(n_layers)
    shown = [shown_neurons(n, max_neurons) for n in sizes]
    drawing = NetworkDrawing(sizes, shown, colors)

    # Vertical slots: a truncated layer needs one more slot, for the ellipsis.
    n_slots = max(len(s) + (len(s) < n) for s, n in zip(shown, sizes, strict=True))
    ax_height_pt = ax.get_window_extent().height * 72 / fig.dpi
    diameter = float(np.clip(0.55 * ax_height_pt / (n_slots + 1.5), 5, 22))
    radius = diameter / 2

    def positions(li):
        s, n = shown[li], sizes[li]
        slots = np.arange(len(s), dtype=float)
        if len(s) < n:  # leave a gap after the head for the ellipsis
            slots[(max_neurons + 1) // 2:] += 1
        n_used = len(s) + (len(s) < n)
        return (n_used - 1) / 2 - slots  # centred, first neuron on top

    ys = [positions(li) for li in range(n_layers)]

    for li in range(n_layers):
        drawing.neurons.append(ax.scatter(
            np.full(len(ys[li]), float(li)), ys[li], s=diameter ** 2, color=colors[li],
            edgecolors="black", linewidths=0.8, zorder=3, marker="o",
            gid=f"neurons-layer-{li}", label=_layer_name(li, n_layers)))
        if len(shown[li]) < sizes[li]:
            head = (max_neurons + 1) // 2
            y_gap = (ys[li][head - 1] + ys[li][head]) / 2
            drawing.ellipses.append(ax.text(li, y_gap, "⋮", ha="center", va="center",
                                            fontsize=16, fontweight="bold", zorder=3,
                                            gid=f"ellipsis-layer-{li}"))

    weights = []
    if model is not None:
        for li in range(n_layers - 1):
            W = np.asarray(model.weights[li])
            weights.append(W[np.ix_(shown[li], shown[li + 1])].ravel())
        all_w = np.concatenate(weights)
        scale = float(np.max(np.abs(all_w))) or 1.0
        drawing.weights = all_w

    for li in range(n_layers - 1):
        # Smaller heads where many arrows meet, so they do not merge into a blob.
        head_size = float(np.clip(9 - 0.4 * len(shown[li]), 4, 7))
        for k, (i, j) in enumerate((i, j) for i in range(len(shown[li]))
                                   for j in range(len(shown[li + 1]))):
            if model is None:
                style = {"color": "#666666", "linestyle": "-", "linewidth": 0.8,
                         "alpha": 0.7}
            else:
                w = weights[li][k]
                style = dict(WEIGHT_SIGN_STYLE["positive" if w >= 0 else "negative"])
                style["linewidth"] = 0.4 + 2.6 * abs(w) / scale
            arrow = mpl.patches.FancyArrowPatch(
                (li, ys[li][i]), (li + 1, ys[li + 1][j]), arrowstyle="-|>",
                mutation_scale=head_size, shrinkA=radius, shrinkB=radius + 0.5, zorder=2,
                gid=f"connection-{li}-{shown[li][i]}-{shown[li + 1][j]}", **style)
            ax.add_patch(arrow)
            drawing.connections.append(arrow)

    top = (n_slots - 1) / 2
    acts = [a.name for a in model.activations] if model is not None else None
    for li, n in enumerate(sizes):
        name = _layer_name(li, n_layers)
        if acts is not None and li > 0:
            name += f"\n({acts[li - 1]})"
        ax.text(li, top + 0.9, name, ha="center", va="bottom", fontsize=10)
        size = f"{n} neuron" + ("s" if n > 1 else "")
        if len(shown[li]) < n:
            size += f"\n({len(shown[li])} drawn)"
        ax.text(li, -top - 0.9, size, ha="center", va="top", fontsize=9)

    ax.set_xlim(-0.6, n_layers - 0.4)
    ax.set_ylim(-top - 2.3, top + 2.8)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if model is not None and legend:
        handles = [mpl.lines.Line2D([], [], linewidth=2, label=f"{sign} weight", **style)
                   for sign, style in WEIGHT_SIGN_STYLE.items()]
        handles.append(mpl.lines.Line2D([], [], color="none", label="width ∝ |weight|"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3,
                  handlelength=2.5, fontsize=9)
    ax.network_drawing = drawing
    return ax

# ============================================================ notebook 02 (forward pass)
def activation_curve(name, z):
    """Values of an activation and its derivative along ``z``, as ``plot_activation`` draws them.

    Parameters
    ----------
    name : str
        An activation name known to ``nnlib.activations.get`` (``"relu"``, ``"sigmoid"``,
        ``"tanh"``, ``"softmax"``, ``"linear"``).
    z : array_like of shape (n_points,)
        Pre-activation values.

    Returns
    -------
    f : ndarray of shape (n_points,)
        The activation at each ``z``.
    df : ndarray of shape (n_points,)
        Its derivative at each ``z``.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the valid ones).

    Notes
    -----
    Softmax maps a whole vector of scores to probabilities, so it has no curve of
    its own. Its 1-D view here is the first probability of the two scores ``[z, 0]``:
    ``f(z) = softmax([z, 0])_0 = e^z / (e^z + 1)``, whose derivative is the Jacobian
    entry ``J_00 = s_0 (1 - s_0)``. This is exactly the sigmoid: a sigmoid is a
    two-class softmax with one score fixed at 0.
    """
    from . import activations as _activations

    act = _activations.get(name)
    z = np.asarray(z, dtype=float)
    if z.ndim != 1:
        raise ValueError(f"z must be a 1-D array of points. Received: z with shape {z.shape}")
    if act.name == "softmax":
        pairs = np.column_stack([z, np.zeros_like(z)])  # scores [z, 0] for each point
        return act.fn(pairs)[:, 0], act.grad(pairs)[:, 0, 0]
    return act.fn(z), act.grad(z)


def plot_activation(name, ax=None, *, z=None, show_grad=True, title=None):
    """Plot an activation ``f(z)`` and its derivative ``f'(z)``, computed by nnlib.

    Parameters
    ----------
    name : str
        ``"linear"``, ``"relu"``, ``"sigmoid"``, ``"tanh"`` or ``"softmax"`` (shown
        as ``softmax([z, 0])_0``, see ``activation_curve``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    z : array_like of shape (n_points,), optional
        Where to evaluate; default ``np.linspace(-5, 5, 401)``.
    show_grad : bool, default=True
        Also draw the derivative (dashed).
    title : str, optional
        Default: the activation's name.

    Returns
    -------
    ax : matplotlib Axes
        The function's line is labelled ``"f(z)"``, the derivative's ``"f'(z)"``.

    Raises
    ------
    ValueError
        For an unknown activation name (the message lists the valid ones).
    """
    z = np.linspace(-5.0, 5.0, 401) if z is None else np.asarray(z, dtype=float)
    f, df = activation_curve(name, z)  # validates the name before any figure is made
    fig, ax = new_axes(ax)
    every = max(1, len(z) // 10)
    ax.axhline(0, color="#999999", linewidth=0.8, zorder=0)
    ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)
    ax.plot(z, f, color=OKABE_ITO["blue"], linestyle="-", marker="o", markevery=every,
            label="f(z)")
    if show_grad:
        ax.plot(z, df, color=OKABE_ITO["vermillion"], linestyle="--", marker="s",
                markevery=(every // 2, every), label="f'(z)")
    ax.set_xlabel("z")
    key = str(name).lower()
    ax.set_title(title or ("softmax([z, 0])[0]" if key == "softmax" else key))
    ax.legend(loc="upper left")
    return ax


def plot_curves(x, curves, ax=None, *, title=None, xlabel="x", ylabel=None):
    """Draw several labelled curves over the same ``x``, each with its own colour, marker and dash.

    Parameters
    ----------
    x : array_like of shape (n_points,)
    curves : dict of str to array_like of shape (n_points,) or (n_points, 1)
        Legend label -> values.
    ax : matplotlib Axes, optional
    title, xlabel, ylabel : str, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    x = np.asarray(x, dtype=float).ravel()
    fig, ax = new_axes(ax)
    every = max(1, len(x) // 12)
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float).ravel()
        if values.shape != x.shape:
            raise ValueError(
                f"curve {label!r} must have one value per x ({x.size}). "
                f"Received: {values.size} values."
            )
        k = i % len(CYCLE_COLORS)
        ax.plot(x, values, color=CYCLE_COLORS[k], marker=CYCLE_MARKERS[k],
                linestyle=CYCLE_LINESTYLES[k], markevery=(i * every // 3, every), label=label)
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def plot_neuron_outputs(x, A, ax=None, *, color=None, title=None, ylabel=None):
    """Draw what every neuron of one layer outputs as the single input ``x`` varies.

    Parameters
    ----------
    x : array_like of shape (n_samples,) or (n_samples, 1)
        The network's one input feature.
    A : array_like of shape (n_samples, n_neurons)
        The layer's outputs for those inputs: column ``j`` is neuron ``j``'s curve.
    ax : matplotlib Axes, optional
    color : str, optional
        One colour for the whole layer (e.g. ``LAYER_COLORS["hidden1"]``).
    title, ylabel : str, optional

    Returns
    -------
    ax : matplotlib Axes
        One line per neuron, in column order.
    """
    x = np.asarray(x, dtype=float).ravel()
    A = np.asarray(A, dtype=float)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2 or A.shape[0] != x.size:
        raise ValueError(
            f"A must have shape (n_samples, n_neurons) with n_samples = len(x) = {x.size}. "
            f"Received: A with shape {A.shape}"
        )
    fig, ax = new_axes(ax)
    color = color or OKABE_ITO["blue"]
    for j in range(A.shape[1]):
        ax.plot(x, A[:, j], color=color, marker="", linestyle=CYCLE_LINESTYLES[j % 4],
                linewidth=1.5, alpha=0.85)
    ax.set_xlabel("x")
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


# ============================================================ notebook 03 (learning, backprop)
# (plots for 03_learning_backprop.ipynb go here)


def plot_loss_vs_prediction(target=1.0, ax=None, *, n_points=199, y_max=5.0):
    """MSE and binary cross-entropy of a single prediction ``y_hat`` in (0, 1).

    Parameters
    ----------
    target : {0.0, 1.0}, default=1.0
        The true label ``y``.
    ax : matplotlib Axes, optional
    n_points : int, default=199
        Predictions evenly spaced strictly between 0 and 1.
    y_max : float, default=5.0
        Upper limit of the y axis (cross-entropy grows without bound towards the
        wrong end).

    Returns
    -------
    ax : matplotlib Axes
        Its two lines (MSE first) hold the values from ``nnlib.losses``.
    """
    from . import losses

    if target not in (0, 1):
        raise ValueError(f"target must be 0 or 1. Received: target={target!r}")
    fig, ax = new_axes(ax)
    p = np.linspace(0.0, 1.0, n_points + 2)[1:-1]
    y = [[float(target)]]
    mse = [losses.mse(y, [[v]]) for v in p]
    bce = [losses.binary_cross_entropy(y, [[v]]) for v in p]
    every = max(1, n_points // 12)
    ax.plot(p, mse, color=OKABE_ITO["blue"], linestyle="-", marker="o", markevery=every,
            label=r"MSE $(y - \hat y)^2$")
    ax.plot(p, bce, color=OKABE_ITO["vermillion"], linestyle="--", marker="s", markevery=every,
            label=r"cross-entropy $-\log \hat y$" if target == 1 else
            r"cross-entropy $-\log (1 - \hat y)$")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, y_max)
    ax.set_xlabel(r"prediction $\hat y$")
    ax.set_ylabel("loss")
    ax.set_title(f"Loss of one prediction when the true label is y = {target:g}")
    ax.legend()
    return ax


def plot_loss_contour(w_values, b_values, loss_grid, ax=None, *, levels=12, title=None):
    """Contour lines of a loss over the plane of two parameters ``(w, b)``.

    Parameters
    ----------
    w_values : array_like of shape (n_w,)
    b_values : array_like of shape (n_b,)
    loss_grid : array_like of shape (n_b, n_w)
        E.g. ``nnlib.descent.line_mse_grid(w_values, b_values, X, y)``.
    ax : matplotlib Axes, optional
    levels : int, default=12
        Number of contour lines, spaced evenly on a log scale (so the bottom of the
        bowl gets lines too).
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    grid = np.asarray(loss_grid, float)
    low, high = float(grid.min()), float(grid.max())
    low = max(low, high * 1e-6, np.finfo(float).tiny)
    values = np.geomspace(low * 1.05, high, levels) if high > low * 1.05 else levels
    cs = ax.contour(w_values, b_values, grid, levels=values, cmap="viridis", linewidths=1.2)
    ax.clabel(cs, cs.levels[::2], fmt="%.2g", fontsize=8)
    ax.set_aspect("equal")
    ax.set_xlabel("w (slope)")
    ax.set_ylabel("b (intercept)")
    ax.grid(False)
    ax.set_title(title or "MSE over (w, b)")
    return ax


class DescentPlot:
    """A one-parameter loss curve with a gradient-descent path drawn on it.

    Build once, then call ``show(path)`` for each new path: only the artists change.

    Parameters
    ----------
    problem : callable ``problem(w)``
        The loss, e.g. ``nnlib.descent.Quadratic1D()``; called on an array of ``w``.
    ax : matplotlib Axes, optional
    w_range : (float, float), optional
        The ``w`` shown; default: 5 on each side of ``problem.minimum`` (or of 0).

    Attributes
    ----------
    curve, path_line, start, end : matplotlib Line2D
    text : matplotlib Text
        How the descent ended (``path.message``); red when it diverged.
    """

    def __init__(self, problem, ax=None, *, w_range=None):
        fig, ax = new_axes(ax)
        if w_range is None:
            centre = float(getattr(problem, "minimum", 0.0))
            w_range = (centre - 5.0, centre + 5.0)
        self.ax = ax
        ws = np.linspace(*w_range, 301)
        losses = np.asarray(problem(ws), float)
        (self.curve,) = ax.plot(ws, losses, color=OKABE_ITO["black"], linestyle="-", marker="",
                                linewidth=1.5, label="loss L(w)")
        (self.path_line,) = ax.plot([], [], color=OKABE_ITO["vermillion"], linestyle="-",
                                    linewidth=1.0, marker="o", markersize=5, alpha=0.85,
                                    label="gradient descent")
        (self.start,) = ax.plot([], [], color=OKABE_ITO["blue"], linestyle="", marker="s",
                                markersize=9, label="start")
        (self.end,) = ax.plot([], [], color=OKABE_ITO["bluish_green"], linestyle="", marker="*",
                              markersize=14, label="last step")
        span = float(losses.max() - losses.min())
        ax.set_xlim(*w_range)
        ax.set_ylim(float(losses.min()) - 0.05 * span, float(losses.max()) + 0.25 * span)
        self.text = ax.text(0.5, 0.97, "", transform=ax.transAxes, ha="center", va="top",
                            fontsize=10, bbox={"facecolor": "white", "edgecolor": "#999999",
                                               "alpha": 0.9})
        ax.set_xlabel("w")
        ax.set_ylabel("L(w)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, fontsize=9)

    def show(self, path, message=None):
        """Draw a ``nnlib.descent.DescentPath`` (or anything with ``w`` and ``loss``)."""
        w, loss = np.asarray(path.w, float), np.asarray(path.loss, float)
        self.path_line.set_data(w, loss)
        self.start.set_data(w[:1], loss[:1])
        self.end.set_data(w[-1:], loss[-1:])
        diverged = bool(getattr(path, "diverged", False))
        self.text.set_text(message if message is not None else getattr(path, "message", ""))
        self.text.set_color(OKABE_ITO["vermillion"] if diverged else OKABE_ITO["black"])
        self.text.get_bbox_patch().set_edgecolor(
            OKABE_ITO["vermillion"] if diverged else "#999999")
        return self


def plot_descent_path(problem, path, ax=None, *, w_range=None, title=None):
    """Static version of ``DescentPlot``: the loss curve and one descent path.

    Parameters
    ----------
    problem : callable ``problem(w)``
    path : nnlib.descent.DescentPath
    ax : matplotlib Axes, optional
    w_range : (float, float), optional
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    plot = DescentPlot(problem, ax, w_range=w_range).show(path)
    if title:
        plot.ax.set_title(title)
    return plot.ax
