"""Widget builders for the notebooks, one module per notebook topic.

Each builder returns a small object (an ``Explorer``) that holds its controls
(ipywidgets, in ``.controls``), draws into a matplotlib figure (``.fig``) and keeps
the results of its last update as attributes. A test sets ``.value`` on a control
and checks what was computed, without a browser or a kernel: ipywidgets calls
observers synchronously. Notebooks display the object by ending a cell with it.

The computation behind a widget lives in nnlib's math modules; the widget only
calls it and shows the result.

- ``base``     ``FigureView``, ``Explorer`` (what every widget builds on) and
               ``widget_check`` (notebook 00)
- ``network``  ``network_explorer``: the shape of a network (notebook 01)
- ``neuron``   ``neuron_explorer``, ``softmax_explorer`` (notebook 02)
- ``descent``  ``be_the_optimizer``, ``gradient_descent_explorer`` (notebook 03)
- ``live``     ``live_loss_plot``: the loss curve while ``MLP.fit`` trains (notebook 03)
- ``evaluation`` ``threshold_explorer``, ``tuning_heatmap_explorer`` (notebook 06)
- ``comparison`` ``learning_rate_explorer``: retrain the article's MLP live (notebook 07)
- ``playground`` ``playground``: build and train small networks live (notebook 08)
- ``optimizers``  ``optimizer_explorer``: optimizers on 2-D loss surfaces (notebook 04)
- ``regularization``  ``regularization_explorer``: L2, L1, dropout sliders (notebook 04)
"""

from .base import Explorer, FigureView, WidgetCheck, widget_check
from .comparison import LearningRateExplorer, learning_rate_explorer
from .descent import (
    GradientDescentExplorer,
    LineFitExplorer,
    be_the_optimizer,
    gradient_descent_explorer,
)
from .evaluation import (
    ThresholdExplorer,
    TuningHeatmapExplorer,
    threshold_explorer,
    tuning_heatmap_explorer,
)
from .live import LiveLossPlot, live_loss_plot
from .network import NetworkExplorer, network_explorer
from .neuron import (
    NEURON_ACTIVATIONS,
    NeuronExplorer,
    SoftmaxExplorer,
    neuron_explorer,
    softmax_explorer,
)
from .optimizers import OptimizerExplorer, optimizer_explorer
from .playground import Playground, playground
from .regularization import RegularizationExplorer, regularization_explorer

__all__ = [
    # base
    "FigureView", "Explorer", "WidgetCheck", "widget_check",
    # network
    "NetworkExplorer", "network_explorer",
    # neuron
    "NEURON_ACTIVATIONS", "NeuronExplorer", "neuron_explorer", "SoftmaxExplorer",
    "softmax_explorer",
    # descent
    "LineFitExplorer", "be_the_optimizer", "GradientDescentExplorer",
    "gradient_descent_explorer",
    # evaluation (notebook 06)
    "ThresholdExplorer", "threshold_explorer", "TuningHeatmapExplorer",
    "tuning_heatmap_explorer",
    # live
    "LiveLossPlot", "live_loss_plot",
    # comparison
    "LearningRateExplorer", "learning_rate_explorer",
    # playground
    "Playground", "playground",
    # optimizers
    "OptimizerExplorer", "optimizer_explorer",
    # regularization
    "RegularizationExplorer", "regularization_explorer",
]
