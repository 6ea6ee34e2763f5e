"""nnlib: the small numpy library behind the course "How neural networks work".

Floors, each calling only those below it:

- ``core``        the maths of a dense network, each formula once: ``activations``,
                  ``losses``, ``penalties``, ``initializers``, ``model`` (``MLP``),
                  ``optimizers``, ``batching``; numpy only, nothing else from nnlib
- beside it       ``data``, ``metrics``, ``thresholds``, ``callbacks``, ``gradcheck``,
                  ``exercises`` and ``tasks`` (the build-it tasks), ``envcheck``
- ``lessons``     what each notebook computes beyond the core (descent, surfaces,
                  regularization, search, comparison, playground, ...)
- ``with_keras``  the Keras side (``twin``, ``article``, ``models``); loads TensorFlow
                  only when used
- ``plots``, ``widgets``  drawing and interactive controls

``import nnlib`` loads the core only; every other module loads on first use, also under
the short names the notebooks use (``nnlib.surfaces``, ``nnlib.keras_bridge``, ...).
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
# Modules that live in a subpackage, under the short names the notebooks use.
_MODULES = {
    **{name: f"lessons.{name}" for name in (
        "descent", "surfaces", "regularization", "rate_and_batch", "search", "trainer",
        "search_result", "selection_bias", "comparison", "playground", "playground_config",
        "features", "depth", "diagnostics", "conv", "recurrent", "attention", "sequences")},
    "tuning": "lessons.rate_and_batch",
    "keras_bridge": "with_keras.twin",
    "keras_compare": "with_keras.article",
    "keras_models": "with_keras.models",
    "keras_experiments": "with_keras.experiments",
}


def __getattr__(name):
    """Load every other module on first use: ``nnlib.lessons.surfaces``, ``nnlib.plots``, ...

    So ``import nnlib`` loads only the core: plots/widgets need matplotlib/ipywidgets,
    and keras_bridge, keras_compare and keras_models load TensorFlow (seconds).
    """
    import importlib
    import importlib.util

    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    if name in _MODULES:
        return importlib.import_module(f".{_MODULES[name]}", __name__)
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")
