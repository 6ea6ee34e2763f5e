"""nnlib: the small numpy library behind the course "How neural networks work".

A dense network, each formula once, numpy only:

- ``activations``  relu, sigmoid, tanh, softmax, linear and their derivatives
- ``losses``       mse, binary and categorical cross-entropy and their gradients
- ``penalties``    L1 and L2 on the kernels and their gradients
- ``initializers`` Glorot uniform, He uniform
- ``model``        ``MLP``: forward pass, backprop by hand, ``fit``
- ``optimizers``   ``SGD`` (with momentum) and ``Adam``
- ``data``         data sets, splits, one-hot labels and the mini-batches of an epoch
- ``metrics``, ``thresholds``  scores; the precision-recall curve
- ``gradcheck``, ``callbacks``  finite differences; early stopping
- ``validation``   the argument checks every part shares

The course's own machinery (each notebook's computations, figures, widgets and task
checkers) lives in the ``course`` package, one folder per notebook.
"""

from . import (
    activations,
    callbacks,
    data,
    gradcheck,
    initializers,
    losses,
    metrics,
    optimizers,
    penalties,
    thresholds,
    validation,
)
from .model import MLP, DivergenceWarning, History
from .optimizers import SGD, Adam

__version__ = "0.1.0"

__all__ = [
    "MLP", "History", "DivergenceWarning", "SGD", "Adam", "activations",
    "callbacks", "data", "gradcheck", "initializers", "losses", "metrics", "optimizers",
    "penalties", "thresholds", "validation",
]
