"""Every widget of the course carries descriptive labels and shows its values as text."""

import ipywidgets as ipw
import numpy as np
import pytest

from course import explorer
from course.n01_structure import widgets as structure_widgets
from course.n02_forward_pass import widgets as forward_widgets
from course.n03_learning_backprop import widgets as backprop_widgets
from course.n04a_optimizers import widgets as optimizers_widgets
from course.n04b_regularization import widgets as regularization_widgets
from course.n06_training_evaluation import search
from course.n06_training_evaluation import widgets as evaluation_widgets
from course.n07_mlp_tensorflow_comparison import widgets as comparison_widgets
from course.n08_conclusion_playground import widgets as playground_widgets
from nnlib.data import make_linear

X, Y = make_linear(seed=0)


def _tuning_result():
    def bowl(setting):
        return {"val_loss": (np.log10(setting["learning_rate"]) + 2) ** 2 + setting["n_layers"]}

    return search.grid_search(bowl, search.grid(learning_rate=[0.1, 0.01], n_layers=[1, 2]))


BUILDERS = {
    "network_explorer": lambda: structure_widgets.network_explorer(),
    "neuron_explorer": lambda: forward_widgets.neuron_explorer(),
    "softmax_explorer": lambda: forward_widgets.softmax_explorer(),
    "be_the_optimizer": lambda: backprop_widgets.be_the_optimizer(X, Y, show_gradient=True),
    "gradient_descent_explorer": lambda: backprop_widgets.gradient_descent_explorer(),
    "optimizer_explorer": lambda: optimizers_widgets.optimizer_explorer(),
    "regularization_explorer": lambda: regularization_widgets.regularization_explorer(epochs=20),
    "threshold_explorer": lambda: evaluation_widgets.threshold_explorer(
        np.array([0, 1, 0, 1, 1]), np.array([0.1, 0.8, 0.4, 0.35, 0.9])),
    "tuning_heatmap_explorer": lambda: evaluation_widgets.tuning_heatmap_explorer(_tuning_result()),
    "learning_rate_explorer": lambda: comparison_widgets.learning_rate_explorer(X, Y, epochs=5),
    "playground": lambda: playground_widgets.playground(),
}

VALUE_SHOWN_AS_TEXT = (ipw.IntSlider, ipw.FloatSlider, ipw.FloatLogSlider, ipw.IntRangeSlider,
                       ipw.FloatRangeSlider)


@pytest.mark.parametrize("name", BUILDERS)
def test_controls_have_labels_and_readouts(name):
    explorer = BUILDERS[name]()
    assert explorer.controls, name
    for key, control in explorer.controls.items():
        if isinstance(control, ipw.DOMWidget) and hasattr(control, "description"):
            label = control.description or getattr(control, "tooltip", "")
            assert len(label.strip()) >= 2, f"{name}: control {key!r} has no label"
        if isinstance(control, VALUE_SHOWN_AS_TEXT):
            assert control.readout, f"{name}: slider {key!r} hides its value"
    assert explorer.view.last_png is not None  # its figure was drawn


@pytest.mark.parametrize("name", BUILDERS)
def test_figure_is_shown_at_its_own_size_within_the_output_width(name):
    """No stretching by the browser: the image's CSS width is the PNG's pixel width, and
    the figure fits JupyterLab's output area (so text keeps the size it was drawn at)."""
    import io

    import PIL.Image

    view = BUILDERS[name]().view
    width = PIL.Image.open(io.BytesIO(view.last_png)).width
    assert view.widget.layout.width == f"{width}px"
    assert view.widget.layout.align_self == "flex-start"
    assert width <= explorer.FigureView.MAX_WIDTH_PX
