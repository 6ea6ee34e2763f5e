"""Drawing for the notebooks: the course style and one module per kind of plot.

Every number a plot shows comes from nnlib's math modules; these modules only draw.

- ``style``             Okabe-Ito palette, ``LAYER_COLORS``, line cycles, ``STYLE``,
                        ``use_style``, ``new_axes``, and the generic ``plot_history``,
                        ``plot_fit``, ``plot_curves``
- ``network``           ``draw_network`` and its helpers (notebook 01)
- ``activation_plots``  ``plot_activation``, ``activation_curve``, ``plot_neuron_outputs``
                        (notebook 02)
- ``loss_plots``        ``plot_loss_vs_prediction``, ``plot_loss_contour``, ``DescentPlot``,
                        ``plot_descent_path`` (notebook 03)

Notebooks use the names below as ``plots.draw_network(...)``, ``plots.OKABE_ITO``, ...
"""

from .activation_plots import activation_curve, plot_activation, plot_neuron_outputs
from .loss_plots import DescentPlot, plot_descent_path, plot_loss_contour, plot_loss_vs_prediction
from .network import (
    EXTRA_HIDDEN_COLORS,
    WEIGHT_SIGN_STYLE,
    NetworkDrawing,
    check_layer_sizes,
    draw_network,
    layer_colors,
    shown_neurons,
)
from .style import (
    CYCLE_COLORS,
    CYCLE_LINESTYLES,
    CYCLE_MARKERS,
    LAYER_COLORS,
    OKABE_ITO,
    STYLE,
    new_axes,
    plot_curves,
    plot_fit,
    plot_history,
    use_style,
)

__all__ = [
    # style
    "OKABE_ITO", "LAYER_COLORS", "CYCLE_COLORS", "CYCLE_MARKERS", "CYCLE_LINESTYLES", "STYLE",
    "use_style", "new_axes", "plot_history", "plot_fit", "plot_curves",
    # network
    "EXTRA_HIDDEN_COLORS", "WEIGHT_SIGN_STYLE", "check_layer_sizes", "layer_colors",
    "shown_neurons", "NetworkDrawing", "draw_network",
    # activation_plots
    "activation_curve", "plot_activation", "plot_neuron_outputs",
    # loss_plots
    "plot_loss_vs_prediction", "plot_loss_contour", "DescentPlot", "plot_descent_path",
]
