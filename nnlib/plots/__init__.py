"""Drawing for the notebooks: the course style and one module per kind of plot.

Every number a plot shows comes from nnlib's math modules; these modules only draw.

- ``style``             Okabe-Ito palette, ``LAYER_COLORS``, line cycles, ``STYLE``,
                        ``use_style``, ``new_axes``, and the generic ``plot_history``,
                        ``plot_fit``, ``plot_curves``
- ``network``           ``draw_network`` and its helpers (notebook 01), ``restyle_network``
                        (live weights, notebook 08)
- ``activation_plots``  ``plot_activation``, ``activation_curve``, ``plot_neuron_outputs``,
                        ``plot_depth_profiles`` (notebook 02)
- ``loss_plots``        ``plot_loss_vs_prediction``, ``plot_loss_contour``, ``DescentPlot``,
                        ``plot_layer_histograms``,
                        ``plot_descent_path`` (notebook 03)
- ``evaluation``        ``plot_confusion_matrix``, ``plot_residuals``, ``plot_learning_curves``,
                        ``TuningHeatmap``, ``plot_tuning_heatmap``, ``plot_search_comparison``,
                        ``plot_precision_recall``, ``plot_score_histograms`` (notebook 06)

- ``conv_plots``        ``plot_image_grid``, ``plot_filters``, ``plot_feature_maps``,
                        ``plot_misclassified`` (notebook 05a)
- ``sequence_plots``    ``plot_forecasts``, ``plot_recall`` (notebook 05b)
- ``attention_plots``   ``plot_attention``, ``plot_positional_encoding`` (notebook 05c)
- ``comparison_plots``  ``plot_fit_and_loss``, ``plot_weight_gaps``, ``plot_seed_spread``
                        (notebook 07)

Notebooks use the names below as ``plots.draw_network(...)``, ``plots.OKABE_ITO``, ...
"""

from .activation_plots import (
    activation_curve,
    plot_activation,
    plot_depth_profiles,
    plot_neuron_outputs,
)
from .attention_plots import plot_attention, plot_positional_encoding
from .comparison_plots import RUN_STYLES, plot_fit_and_loss, plot_seed_spread, plot_weight_gaps
from .conv_plots import (
    plot_feature_maps,
    plot_filters,
    plot_image_grid,
    plot_misclassified,
)
from .evaluation import (
    TuningHeatmap,
    plot_confusion_matrix,
    plot_learning_curves,
    plot_precision_recall,
    plot_residuals,
    plot_score_histograms,
    plot_search_comparison,
    plot_tuning_heatmap,
)
from .loss_plots import (
    DescentPlot,
    plot_descent_path,
    plot_layer_histograms,
    plot_loss_contour,
    plot_loss_vs_prediction,
)
from .network import (
    EXTRA_HIDDEN_COLORS,
    WEIGHT_SIGN_STYLE,
    Connections,
    NetworkDrawing,
    check_layer_sizes,
    draw_network,
    layer_colors,
    restyle_network,
    shown_neurons,
    weight_style,
)
from .optimizer_plots import (
    SurfacePlot,
    plot_batch_runs,
    plot_loss_per_step,
    plot_lr_range,
    plot_optimizer_paths,
)
from .regularization_plots import (
    MAGNITUDE_BINS,
    WEIGHT_BINS,
    magnitude_counts,
    plot_mse_curves,
    plot_weight_histograms,
    plot_weight_magnitudes,
    weight_counts,
)
from .sequence_plots import plot_forecasts, plot_recall
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
    "shown_neurons", "NetworkDrawing", "Connections", "draw_network", "weight_style",
    "restyle_network",
    # activation_plots
    "activation_curve", "plot_activation", "plot_depth_profiles", "plot_neuron_outputs",
    # conv_plots, sequence_plots, attention_plots (notebooks 05a-05c)
    "plot_image_grid", "plot_filters", "plot_feature_maps", "plot_misclassified",
    "plot_forecasts", "plot_recall", "plot_attention", "plot_positional_encoding",
    # comparison_plots (notebook 07)
    "RUN_STYLES", "plot_fit_and_loss", "plot_weight_gaps", "plot_seed_spread",
    # evaluation (notebook 06)
    "plot_confusion_matrix", "plot_residuals", "plot_learning_curves", "TuningHeatmap",
    "plot_tuning_heatmap", "plot_search_comparison", "plot_precision_recall",
    "plot_score_histograms",
    # loss_plots
    "plot_loss_vs_prediction", "plot_loss_contour", "DescentPlot", "plot_descent_path",
    "plot_layer_histograms",
    # optimizer_plots
    "SurfacePlot", "plot_optimizer_paths", "plot_loss_per_step", "plot_lr_range",
    "plot_batch_runs",
    # regularization_plots
    "WEIGHT_BINS", "weight_counts", "plot_weight_histograms",
    "MAGNITUDE_BINS", "magnitude_counts", "plot_weight_magnitudes", "plot_mse_curves",
]
