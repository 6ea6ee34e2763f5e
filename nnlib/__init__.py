"""nnlib: the small numpy library behind the course "How neural networks work".

Modules, one idea each:

- ``activations``  relu, sigmoid, tanh, softmax, linear and their derivatives
- ``losses``       mse, binary and categorical cross-entropy and their gradients
- ``initializers`` glorot_uniform, zeros
- ``model``        ``MLP``: forward pass, backpropagation, ``fit``
- ``optimizers``   ``SGD`` (with momentum), ``Adam``
- ``metrics``      accuracy, precision, recall, f1, confusion_matrix, rmse, r2
- ``data``         the article's data, toy classification sets, splitting, batching
- ``gradcheck``    finite-difference gradients, side-by-side gradient comparisons
- ``exercises``    check / hint / solution for the notebooks' exercises
- ``plots``, ``widgets``  drawing and interactive controls (import matplotlib/ipywidgets)
- ``keras_bridge`` the Keras twin of an MLP (imports TensorFlow when used)
"""

from . import activations, data, exercises, gradcheck, initializers, losses, metrics, optimizers
from .envcheck import env_check
from .model import MLP, DivergenceWarning, History
from .optimizers import SGD, Adam

__version__ = "0.1.0"

# Imported on first use: plots/widgets need matplotlib/ipywidgets, keras_bridge loads
# TensorFlow (seconds). `nnlib.keras_bridge.to_keras(...)` works without importing it first.
_LAZY = ("plots", "widgets", "keras_bridge")


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")

__all__ = [
    "MLP", "History", "DivergenceWarning", "SGD", "Adam", "env_check",
    "activations", "data", "exercises", "gradcheck", "initializers", "losses", "metrics",
    "optimizers",
]
