"""The network-shape explorer of notebook 01: sliders for the layer sizes."""

from __future__ import annotations

import ipywidgets as ipw

from course.explorer import Explorer
from course.figures import new_axes
from course.network_drawing import check_layer_sizes, draw_network
from nnlib import activations
from nnlib.model import MLP


class NetworkExplorer(Explorer):
    """Sliders for the shape of a network; redraws its diagram and counts its parameters.

    Built by ``network_explorer``; see there for the parameters. The sliders update the
    diagram while they are dragged (continuous updates: ~40 ms per new diagram).

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
    drawing : course.network_drawing.NetworkDrawing
        What ``draw_network`` drew (neurons and arrows, with their counts).
    readout : ipywidgets.HTML
        The parameter count, layer by layer.
    """

    def __init__(self, layer_sizes=(1, 10, 5, 1), *, max_hidden=4, max_neurons=16,
                 activation="relu", show_weights=False, seed=0):
        sizes = check_layer_sizes(layer_sizes)
        for name, value, low in (("max_hidden", max_hidden, 1), ("max_neurons", max_neurons, 2)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}. Received: {name}={value!r}")
        if len(sizes) - 2 > max_hidden:
            raise ValueError(f"layer_sizes has {len(sizes) - 2} hidden layers, more than "
                             f"max_hidden={max_hidden}. Received: layer_sizes={sizes}")
        if max(sizes) > max_neurons:
            raise ValueError(f"every entry of layer_sizes must be <= max_neurons={max_neurons}. "
                             f"Received: layer_sizes={sizes}")
        self.activation = activations.get(activation).name
        self.seed = seed
        self.max_hidden = max_hidden

        def slider(value, low, high, description, css):
            s = ipw.IntSlider(value=value, min=low, max=high, description=description,
                            continuous_update=True, readout=True,
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
        self.controls["show_weights"] = ipw.Checkbox(value=bool(show_weights),
                                                   description="show initial weights",
                                                   indent=False)
        self.controls["show_weights"].add_class("network-weights-checkbox")
        self.readout = ipw.HTML()
        self.readout.add_class("network-params-readout")

        fig, self.ax = new_axes(figsize=(9.0, 4.8))
        self.fig = fig
        self._start(fig)

    def update(self):
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
        self.message = (f"{self.n_params} parameters for layer sizes {self.layer_sizes}: "
                        + " + ".join(f"({t})" for t in terms))
        self.readout.value = (
            f"<b>{self.n_params} parameters</b> for layer sizes {self.layer_sizes}: "
            + " &nbsp;+&nbsp; ".join(f"({t})" for t in terms)
        )

        self.ax.clear()  # the number of neurons and arrows changes: draw afresh
        show = self.controls["show_weights"].value
        draw_network(self.layer_sizes, model=self.model if show else None, ax=self.ax,
                     title=f"{self.n_params} trainable parameters")
        self.drawing = self.ax.network_drawing
        self.view.redraw()


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
