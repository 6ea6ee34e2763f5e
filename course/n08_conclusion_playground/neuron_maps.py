"""``NeuronMaps``: a network drawn as small heat maps, one per neuron (notebook 08).

TensorFlow Playground draws every neuron as a little picture of what it computes over
the input plane. ``NeuronMaps`` does the same with what ``playground.neuron_maps``
computed: one column per layer (the input features, the hidden layers, the output), one
small image per neuron, and one line per weight, styled like ``draw_network``'s arrows
(blue and solid if positive, vermillion and dashed if negative, wider for larger |w|).
For a 1-D input (the article's line) each neuron is a small curve instead.

Built once for a network's shape; ``update(maps, weights)`` changes the images' data
and the lines' styles in place (no new artists), for live training.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba

from course.figures import OKABE_ITO
from course.network_drawing import WEIGHT_SIGN_STYLE, shown_neurons

#: Low values blue, 0 (or 0.5 for a sigmoid) white, high values orange: the colours of
#: the playground's decision map, whose class 1 is orange.
MAP_CMAP = LinearSegmentedColormap.from_list(
    "nnlib_neuron_maps", [OKABE_ITO["blue"], "#ffffff", OKABE_ITO["orange"]])
_SIGN_RGBA = np.array([to_rgba(WEIGHT_SIGN_STYLE["negative"]["color"]),
                       to_rgba(WEIGHT_SIGN_STYLE["positive"]["color"])])
_DASHED = WEIGHT_SIGN_STYLE["negative"]["linestyle"]


def colour_range(activation, values):
    """The colour scale ``(vmin, vmax)`` of a neuron's map.

    ``tanh`` maps to (-1, 1) and ``sigmoid`` to (0, 1), their whole ranges, so a map
    keeps its meaning while the network trains; anything else (relu, linear, the input
    features) is scaled to its own largest ``|value|``, symmetric around 0 so that 0 is
    white.

    Parameters
    ----------
    activation : str or None
        The neuron's activation name; None for an input feature.
    values : ndarray
        The neuron's map (non-finite entries are ignored).

    Returns
    -------
    vmin, vmax : float
    """
    if activation == "tanh":
        return -1.0, 1.0
    if activation == "sigmoid":
        return 0.0, 1.0
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 0.0
    top = top if top > 1e-12 else 1.0
    return -top, top


class NeuronMaps:
    """Draw a network as columns of small heat maps (or curves), joined by weight lines.

    Parameters
    ----------
    ax : matplotlib Axes
        Drawn into (its axis is turned off; its data coordinates become pixels). Size it
        before: the tiles are laid out for the axes' size in the figure.
    maps : list of ndarray, one per layer, input first
        What ``playground.neuron_maps`` returns: ``maps[l]`` of shape
        (n_neurons, r2, r1) (a heat map each) or (n_neurons, r1) (a curve each).
    weights : list of ndarray of shape (n_l, n_{l+1})
        The kernels ``W_1, ..., W_L``.
    activations : list of str, one per layer after the input
        Names of the layers' activations (titles and colour scales).
    input_labels : list of str, optional
        One label per input neuron, written left of its map.
    max_neurons : int, default=10
        Layers with more neurons show the first and last ones and a "⋮" between.
    caption : str, optional
        Written under the columns (a line or two explaining the colours).
    fontsize : float, default=10

    Attributes
    ----------
    shown : list of ndarray of int
        Per layer, the indices of the neurons drawn.
    images : list of list of matplotlib AxesImage
        Per layer, one image per shown neuron (empty lists for curves).
    curves : list of list of matplotlib Line2D
        Per layer, one curve per shown neuron (empty lists for heat maps).
    lines : matplotlib LineCollection
        One segment per drawn weight, layer by layer, then by source and target neuron.
    frames : matplotlib PolyCollection
        The tiles' outlines.
    weights : ndarray of shape (n_lines,)
        The weight behind each line, as last drawn.
    dynamic : list of matplotlib Artist
        The artists ``update`` changes, in drawing order.
    """

    def __init__(self, ax, maps, weights, *, activations, input_labels=None, max_neurons=10,
                 caption=None, fontsize=10):
        if len(weights) != len(maps) - 1 or len(activations) != len(weights):
            raise ValueError(f"maps needs one entry per layer ({len(weights) + 1} for "
                             f"{len(weights)} kernels) and activations one per kernel. "
                             f"Received: {len(maps)} maps, {len(activations)} activations")
        self.ax = ax
        self.activations = [None, *activations]
        self.is_curve = np.ndim(maps[0]) == 2
        sizes = [len(m) for m in maps]
        self.shown = [shown_neurons(n, max_neurons) for n in sizes]
        ax.set_axis_off()
        width, height = _pixel_size(ax)
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        n_layers = len(maps)
        left = 6.5 * fontsize if input_labels is not None else 0.0  # room for the labels
        pitch_x = (width - left) / n_layers
        n_slots = max(len(s) + (len(s) < n) for s, n in zip(self.shown, sizes))
        n_caption = caption.count("\n") + 1 if caption else 0
        top, bottom = 3.4 * fontsize, (1.6 + 1.4 * n_caption) * fontsize
        pitch_y = (height - top - bottom) / n_slots
        self.tile = tile = float(min(0.55 * pitch_x, 0.82 * pitch_y, 72.0))
        centre_y = bottom + (height - top - bottom) / 2

        self.boxes = []  # per layer, (x0, y0) of each shown tile
        self.images, self.curves = [], []
        frames, texts = [], []
        for li, (m, show, n) in enumerate(zip(maps, self.shown, sizes)):
            x0 = left + (li + 0.5) * pitch_x - tile / 2
            n_used = len(show) + (len(show) < n)  # a truncated layer has a "⋮" slot
            slots = np.arange(len(show), dtype=float)
            if len(show) < n:
                head = (max_neurons + 1) // 2
                slots[head:] += 1
                texts.append(ax.text(x0 + tile / 2,
                                     centre_y + ((n_used - 1) / 2 - head) * pitch_y, "⋮",
                                     ha="center", va="center", fontsize=fontsize + 4))
            ys = centre_y + ((n_used - 1) / 2 - slots) * pitch_y - tile / 2
            self.boxes.append([(x0, y) for y in ys])
            layer_images, layer_curves = [], []
            for k, y0 in zip(show, ys):
                frames.append([(x0, y0), (x0 + tile, y0), (x0 + tile, y0 + tile),
                               (x0, y0 + tile)])
                data = np.asarray(m[k], dtype=float)
                if self.is_curve:
                    (curve,) = ax.plot([], [], color=OKABE_ITO["black"], linewidth=1.5,
                                       marker="", linestyle="-", zorder=3)
                    layer_curves.append(curve)
                else:
                    layer_images.append(ax.imshow(
                        np.zeros_like(data), extent=(x0, x0 + tile, y0, y0 + tile),
                        origin="lower", cmap=MAP_CMAP, interpolation="bilinear",
                        aspect="auto", zorder=2))
            self.images.append(layer_images)
            self.curves.append(layer_curves)
            title = "inputs" if li == 0 else ("output" if li == n_layers - 1 else
                                               f"hidden {li}")
            if li:
                title += f"\n{activations[li - 1]}"
            texts.append(ax.text(x0 + tile / 2, height - 0.3 * fontsize, title, ha="center",
                                 va="top", fontsize=fontsize))
            if len(show) < n:
                texts.append(ax.text(x0 + tile / 2, bottom - 1.4 * fontsize,
                                     f"{len(show)} of {n}",
                                     ha="center", va="bottom", fontsize=fontsize))
            if li == 0 and input_labels is not None:
                for k, (bx, by) in zip(show, self.boxes[0]):
                    texts.append(ax.text(bx - 0.4 * fontsize, by + tile / 2, input_labels[k],
                                         ha="right", va="center", fontsize=fontsize))
        if caption:
            texts.append(ax.text(0.5 * fontsize, 0.3 * fontsize, caption, ha="left",
                                 va="bottom", fontsize=fontsize, color="#333333"))
        ax.set_xlim(0, width)  # imshow changes the limits
        ax.set_ylim(0, height)
        self.texts = texts
        self.frames = PolyCollection(frames, facecolors="none", edgecolors="#999999",
                                     linewidths=0.6, zorder=4)
        ax.add_collection(self.frames)
        if self.is_curve:  # the middle of a box is 0 (0.5 for a sigmoid)
            ax.add_collection(LineCollection(
                [[(x, y + tile / 2), (x + tile, y + tile / 2)] for layer in self.boxes
                 for x, y in layer], colors="#bbbbbb", linewidths=0.6, zorder=0.5))
        segments = []
        for li in range(n_layers - 1):
            for sx, sy in self.boxes[li]:
                for tx, ty in self.boxes[li + 1]:
                    segments.append([(sx + tile, sy + tile / 2), (tx, ty + tile / 2)])
        self.lines = LineCollection(segments, zorder=1, capstyle="butt")
        ax.add_collection(self.lines)
        self.dynamic = [self.lines, *(im for layer in self.images for im in layer),
                        *(c for layer in self.curves for c in layer), self.frames]
        self.update(maps, weights)

    def update(self, maps, weights):
        """Show new maps (same shapes as at construction) and restyle the weight lines.

        Parameters
        ----------
        maps : list of ndarray
            As in the constructor.
        weights : list of ndarray
            The kernels, as in the constructor.
        """
        for li, (m, show) in enumerate(zip(maps, self.shown)):
            act = self.activations[li]
            for j, k in enumerate(show):
                data = np.asarray(m[k], dtype=float)
                lo, hi = colour_range(act, data)
                if self.is_curve:
                    x0, y0 = self.boxes[li][j]
                    t = np.linspace(0.0, 1.0, data.size)
                    y = np.clip((data - lo) / (hi - lo), -0.05, 1.05)
                    self.curves[li][j].set_data(x0 + self.tile * t, y0 + self.tile * y)
                else:
                    image = self.images[li][j]
                    image.set_data(data)
                    image.set_clim(lo, hi)
        w = np.concatenate([np.asarray(W)[np.ix_(self.shown[li], self.shown[li + 1])].ravel()
                            for li, W in enumerate(weights)])
        finite = np.abs(w[np.isfinite(w)])
        scale = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        positive = np.nan_to_num(w, nan=0.0) >= 0
        self.lines.set_color(_SIGN_RGBA[positive.astype(int)])
        self.lines.set_linewidth(0.4 + 2.6 * np.minimum(np.nan_to_num(np.abs(w), nan=0.0)
                                                        / scale, 1.0))
        self.lines.set_linestyle(["-" if p else _DASHED for p in positive])
        self.weights = w


def _pixel_size(ax):
    """Width and height of ``ax`` in pixels, from its position in the figure."""
    fig = ax.get_figure()
    pos = ax.get_position()
    width, height = fig.get_size_inches() * fig.dpi
    return pos.width * width, pos.height * height
