"""``draw_network``: the diagram of a fully connected network (notebook 01).

One column of neurons per layer, coloured like the article's figure, and one arrow
per connection, i.e. per entry of a kernel ``W`` of shape ``(n_in, n_out)``. Given a
model, the arrows show the sign and size of its weights.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.transforms import IdentityTransform

from .figures import LAYER_COLORS, OKABE_ITO, new_axes

# Colours of the hidden layers after the article's two: further Okabe-Ito colours,
# repeated if a network has more hidden layers than this list.
EXTRA_HIDDEN_COLORS = [OKABE_ITO[k] for k in ("blue", "vermillion", "yellow")]

# Connections coloured by weight sign also differ by line style (readable without colour).
WEIGHT_SIGN_STYLE = {
    "positive": {"color": OKABE_ITO["blue"], "linestyle": "-"},
    "negative": {"color": OKABE_ITO["vermillion"], "linestyle": (0, (3, 2))},
}
# Connections of a drawing without a model.
UNWEIGHTED_STYLE = {"color": "#666666", "linestyle": "-", "linewidth": 0.8, "alpha": 0.7}


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
    connections : Connections
        All drawn arrows as one artist, layer by layer, then by source and target
        neuron (``connections.ids``, ``connections.colors``, ...).
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
        self.connections = None
        self.weights = None
        self.ellipses = []

    @property
    def n_neurons(self) -> int:
        """Number of neurons drawn."""
        return int(sum(len(s) for s in self.shown))

    @property
    def n_connections(self) -> int:
        """Number of arrows drawn."""
        return 0 if self.connections is None else len(self.connections)

    @property
    def truncated(self):
        """Per layer, whether some of its neurons were left out of the drawing."""
        return [len(s) < n for s, n in zip(self.shown, self.layer_sizes, strict=True)]


class Connections(Artist):
    """All the arrows between neurons as one artist: a line and a filled head each.

    One artist instead of one patch per arrow: a network of a few hundred connections
    draws in a few ms (two collections), where patches took ~0.4 ms each to build and
    to draw. The arrows are straight and stop ``gap_a`` / ``gap_b`` points short of
    the neurons' centres, at their rims, whatever the figure's size.

    Parameters
    ----------
    starts, ends : array_like of shape (n_connections, 2)
        The neurons' centres, in data coordinates.
    ids : list of (int, int, int)
        ``(layer, i, j)`` per arrow: from neuron ``i`` of layer ``layer`` to neuron
        ``j`` of the next layer (indices of the full layers, not of the drawn ones).
    gap_a, gap_b : float
        In points.
    head_sizes : array_like of shape (n_connections,)
        Head length in points (its width is the same).
    styles : list of dict
        Per arrow ``color``, ``linestyle``, ``linewidth`` and optionally ``alpha``.

    Attributes
    ----------
    colors : ndarray of shape (n_connections, 4)
        RGBA per arrow.
    linestyles : list
    linewidths : ndarray of shape (n_connections,)
    """

    def __init__(self, starts, ends, ids, *, gap_a, gap_b, head_sizes, styles, zorder=2):
        super().__init__()
        self.starts = np.asarray(starts, float).reshape(-1, 2)
        self.ends = np.asarray(ends, float).reshape(-1, 2)
        self.ids = list(ids)
        self.gaps = (float(gap_a), float(gap_b))
        self.head_sizes = np.asarray(head_sizes, float)
        self.set_zorder(zorder)
        self.set_styles(styles)

    def __len__(self):
        return len(self.ids)

    def set_styles(self, styles):
        """New ``color``, ``linestyle``, ``linewidth`` (and ``alpha``) per arrow."""
        self.colors = np.array([to_rgba(st["color"], st.get("alpha")) for st in styles]
                               ).reshape(-1, 4)
        self.linestyles = [st["linestyle"] for st in styles]
        self.linewidths = np.array([st["linewidth"] for st in styles], float)
        self.stale = True

    def draw(self, renderer):
        if not self.get_visible() or not len(self):
            return
        to_display = self.axes.transData
        a, b = to_display.transform(self.starts), to_display.transform(self.ends)
        length = np.hypot(*(b - a).T)[:, None]
        unit = (b - a) / np.maximum(length, 1e-9)
        normal = unit[:, ::-1] * [-1.0, 1.0]
        ga, gb = (renderer.points_to_pixels(g) for g in self.gaps)
        head = renderer.points_to_pixels(self.head_sizes)[:, None]
        long_enough = (length > ga + gb + head)[:, 0]
        tip = b - gb * unit
        base = tip - head * unit
        segments = np.stack([a + ga * unit, base], axis=1)[long_enough]
        heads = np.stack([tip, base + 0.5 * head * normal, base - 0.5 * head * normal],
                         axis=1)[long_enough]
        colors = self.colors[long_enough]
        widths = self.linewidths[long_enough]
        styles = [st for st, ok in zip(self.linestyles, long_enough, strict=True) if ok]
        lines = LineCollection(segments, colors=colors, linewidths=widths, linestyles=styles,
                               transform=IdentityTransform(), capstyle="butt")
        tips = PolyCollection(heads, facecolors=colors, edgecolors="none",
                              transform=IdentityTransform())
        for collection in (lines, tips):
            collection.set_figure(self.figure)
            collection.draw(renderer)
        self.stale = False


def weight_style(w, scale):
    """Arrow style for weight ``w``: colour and dash by sign, width ``0.4 + 2.6 |w| / scale``."""
    style = dict(WEIGHT_SIGN_STYLE["positive" if w >= 0 else "negative"])
    style["linewidth"] = 0.4 + 2.6 * abs(w) / scale
    return style


def restyle_network(ax, model):
    """Recolour the arrows of ``draw_network(model=...)`` for ``model``'s current weights.

    Much cheaper than drawing again (no new artists), for live training plots.

    Parameters
    ----------
    ax : matplotlib Axes
        Drawn by ``draw_network`` (it has ``ax.network_drawing``) for a model of the same
        ``layer_sizes``.
    model : nnlib.MLP

    Returns
    -------
    NetworkDrawing
        ``ax.network_drawing`` with ``weights`` updated.
    """
    drawing = getattr(ax, "network_drawing", None)
    if drawing is None or list(model.layer_sizes) != list(drawing.layer_sizes):
        raise ValueError("restyle_network needs axes drawn by draw_network for a model with "
                         f"layer_sizes={list(model.layer_sizes)}. Received: axes with "
                         f"{None if drawing is None else drawing.layer_sizes}")
    shown = drawing.shown
    weights = np.concatenate([np.asarray(W)[np.ix_(shown[li], shown[li + 1])].ravel()
                              for li, W in enumerate(model.weights)])
    scale = float(np.max(np.abs(weights))) or 1.0
    drawing.connections.set_styles([weight_style(w, scale) for w in weights])
    drawing.weights = weights
    return drawing


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

    starts, ends, ids, heads, styles = [], [], [], [], []
    for li in range(n_layers - 1):
        # Smaller heads where many arrows meet, so they do not merge into a blob.
        head_size = 0.4 * float(np.clip(9 - 0.4 * len(shown[li]), 4, 7))
        for k, (i, j) in enumerate((i, j) for i in range(len(shown[li]))
                                   for j in range(len(shown[li + 1]))):
            starts.append((li, ys[li][i]))
            ends.append((li + 1, ys[li + 1][j]))
            ids.append((li, int(shown[li][i]), int(shown[li + 1][j])))
            heads.append(head_size)
            styles.append(UNWEIGHTED_STYLE if model is None
                          else weight_style(weights[li][k], scale))
    drawing.connections = Connections(starts, ends, ids, gap_a=radius, gap_b=radius + 0.5,
                                      head_sizes=heads, styles=styles)
    ax.add_artist(drawing.connections)  # not a patch: the limits are set below, by hand

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
        handles = [Line2D([], [], linewidth=2, label=f"{sign} weight", **style)
                   for sign, style in WEIGHT_SIGN_STYLE.items()]
        handles.append(Line2D([], [], color="none", label="width ∝ |weight|"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3,
                  handlelength=2.5, fontsize=9)
    ax.network_drawing = drawing
    return ax
