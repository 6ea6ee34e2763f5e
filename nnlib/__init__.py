"""nnlib: the small numpy library behind the course "How neural networks work".

``core`` holds the maths of a dense network, each formula once: ``activations``,
``losses``, ``penalties`` (L1/L2), ``initializers``, ``model`` (``MLP``: forward pass,
backpropagation, ``fit``), ``optimizers`` (``SGD``, ``Adam``, ``get``), ``batching``. It
imports nothing else from nnlib; ``nnlib.activations``, ``nnlib.MLP``, ... are its names.

The lessons, one idea each, call the core:

- ``depth``        all-equal starts stay symmetric; activations and gradients over depth
- ``surfaces``     2-D loss surfaces and ``run_optimizer`` (optimizers walking on them)
- ``regularization``  L1/L2 penalties, overfitting data, ``fit_regularized``
- ``tuning``       learning-rate range test, per-sample vs mini-batch vs full batch
- ``metrics``      accuracy, precision, recall, f1, confusion_matrix, rmse, r2
- ``thresholds``   decision thresholds, the precision-recall curve
- ``callbacks``    ``EarlyStopping`` (and ``chain``) for ``MLP.fit(callback=...)``
- ``search``       hyperparameter grid and random search over MLPs (``MLPTrainer``)
- ``data``         the article's data, toy classification sets, splitting, batching
- ``gradcheck``    finite-difference gradients, side-by-side gradient comparisons
- ``exercises``    ``Task`` and ``Exercise``: check / hint / grade / use
- ``tasks``        each notebook's exercises and build-it tasks (checkers, hints)
- ``diagnostics``  before a long run: loss at the start, tiny-batch overfit, update ratios
- ``conv``         2-D convolution, max pooling, classic filters (Keras Conv2D layout)
- ``recurrent``    SimpleRNN, LSTM and GRU cells unrolled over a sequence (Keras layout)
- ``attention``    scaled dot-product and multi-head attention, positional encoding
- ``sequences``    seeded sequence tasks: noisy periodic series, long-memory recall, reversal
- ``keras_models`` small Keras CNN/RNN/Transformer builders, multi-seed comparisons
                   (imports TensorFlow when used)
- ``plots``, ``widgets``  drawing and interactive controls (import matplotlib/ipywidgets)
- ``keras_bridge`` the Keras twin of an MLP (imports TensorFlow when used)
- ``comparison``   the article's MLP trained with nnlib, weight trajectories (notebook 07);
                   ``keras_compare`` is its Keras side (imports TensorFlow when used)
- ``playground``   chunked training, neuron maps and Keras code of the playground (08);
                   ``playground_config`` its settings and share string, ``features`` the
                   derived inputs (x1^2, x1*x2, sin x1, ...)
"""

from .core import (
    MLP,
    SGD,
    Adam,
    DivergenceWarning,
    History,
    activations,
    initializers,
    losses,
    optimizers,
    penalties,
)

__version__ = "0.1.0"

__all__ = [
    "MLP", "History", "DivergenceWarning", "SGD", "Adam", "course_seed", "env_check",
    "activations", "data", "exercises", "gradcheck", "initializers", "losses", "metrics",
    "optimizers", "penalties",
]

# Names defined in a module other than their own name: loaded on first use.
_LAZY_NAMES = {"course_seed": "envcheck", "env_check": "envcheck"}


def __getattr__(name):
    """Load every other module on first use: ``nnlib.surfaces``, ``nnlib.plots``, ...

    So ``import nnlib`` loads only the core: plots/widgets need matplotlib/ipywidgets,
    and keras_bridge, keras_compare and keras_models load TensorFlow (seconds).
    """
    import importlib
    import importlib.util

    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")
