"""The depth explorer of notebook 05e: a slider over the blocks of an untrained deep
stack and a menu over the networks (full block, no residual, no LayerNorm).

Nothing is computed when a control moves: ``block.depth_profiles`` ran every network
once, and the widget picks one stream and hands it to ``plots.DepthFigure``.
"""

from __future__ import annotations

import html
import numbers

import ipywidgets as ipw

from course.explorer import Explorer

from . import block
from .plots import DepthFigure


class DepthExplorer(Explorer):
    """Step through the blocks of untrained deep stacks, one network at a time.

    Parameters
    ----------
    profiles : dict of str to dict
        What ``block.depth_profiles`` returns: for each network, its ``"streams"`` (before
        the first block and after each), ``"spread"``, ``"size"`` and
        ``"largest_weight"``.
    sequence : int, default=0
        Which sequence of the batch the similarity picture shows.
    network : str, optional
        The network shown first (default: the first of ``profiles``).

    Attributes
    ----------
    controls : dict
        ``"network"`` (a Dropdown) and ``"depth"`` (an IntSlider from 0, the embeddings,
        to the last block).
    network : str
    depth : int
    similarity : ndarray of shape (n_steps, n_steps)
        What the picture shows: ``block.similarity`` of the chosen sequence.
    message : str
        One sentence on what the picture shows (the readout, without markup).
    """

    def __init__(self, profiles, *, sequence=0, network=None):
        if not profiles:
            raise ValueError("profiles must hold at least one network. Received: profiles={}")
        network = next(iter(profiles)) if network is None else network
        if network not in profiles:
            raise ValueError(f"network must be one of {list(profiles)}. Received: "
                             f"network={network!r}")
        first = next(iter(profiles.values()))
        n_sequences, n_steps, _ = first["streams"][0].shape
        if isinstance(sequence, bool) or not isinstance(sequence, numbers.Integral):
            raise TypeError(f"sequence must be an integer. Received: sequence={sequence!r}")
        if not 0 <= sequence < n_sequences:
            raise ValueError(f"sequence must lie in [0, {n_sequences}). Received: "
                             f"sequence={sequence!r}")
        self.profiles, self.sequence = profiles, int(sequence)
        depth = len(first["streams"]) - 1
        style = {"description_width": "initial"}
        self.controls = {
            "network": ipw.Dropdown(options=list(profiles), value=network,
                                    description="network", style=style),
            "depth": ipw.IntSlider(value=0, min=0, max=depth, description="after block",
                                   style=style, continuous_update=True),
        }
        self.controls["network"].add_class("network-dropdown")
        self.controls["depth"].add_class("depth-slider")
        self.readout = ipw.HTML()
        self.readout.add_class("depth-readout")
        self.figure = DepthFigure({name: p["spread"] for name, p in profiles.items()}, n_steps)
        self._start(self.figure.fig, dynamic=self.figure.dynamic)

    def update(self):
        self.network = self.controls["network"].value
        self.depth = int(self.controls["depth"].value)
        profile = self.profiles[self.network]
        self.similarity = block.similarity(profile["streams"][self.depth][self.sequence])
        spread, size = profile["spread"][self.depth], profile["size"][self.depth]
        self.figure.show(self.network, self.depth, self.similarity, spread, size)
        where = "the embeddings" if self.depth == 0 else f"after block {self.depth}"
        attention = ("" if self.depth == 0 else
                     f"; block {self.depth}'s attention gives its largest weight "
                     f"{profile['largest_weight'][self.depth - 1]:.2f} (median)")
        self.message = (f"{self.network}, {where}: positions {spread:.3g} apart, the stream's "
                        f"size {size:.3g}{attention}")
        self.readout.value = html.escape(self.message)
        self.view.redraw()


def depth_explorer(profiles, *, sequence=0, network=None) -> DepthExplorer:
    """Build the depth explorer (see ``DepthExplorer``).

    Examples
    --------
    >>> explorer = depth_explorer(profiles)                     # doctest: +SKIP
    >>> explorer.controls["network"].value = "no residual"      # doctest: +SKIP
    >>> explorer.controls["depth"].value = 8                    # doctest: +SKIP
    """
    return DepthExplorer(profiles, sequence=sequence, network=network)
