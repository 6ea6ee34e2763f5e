"""The core: the maths of a dense network, each formula written once (numpy only).

Every other part of nnlib (the lessons, the plots, the widgets) calls these modules,
and they import nothing outside this package:

- ``activations``  relu, sigmoid, tanh, softmax, linear and their derivatives
- ``losses``       mse, binary and categorical cross-entropy and their gradients
- ``penalties``    L1 and L2 on the kernels and their gradients
- ``initializers`` glorot_uniform, zeros
- ``model``        ``MLP``: forward pass, backpropagation, ``fit``
- ``optimizers``   ``SGD`` (with momentum), ``Adam``, and ``get`` (by name)
- ``batching``     the mini-batches of an epoch
"""

from . import activations, batching, initializers, losses, optimizers, penalties
from .model import MLP, DivergenceWarning, History
from .optimizers import SGD, Adam

__all__ = ["activations", "batching", "initializers", "losses", "optimizers", "penalties",
           "MLP", "DivergenceWarning", "History", "SGD", "Adam"]
