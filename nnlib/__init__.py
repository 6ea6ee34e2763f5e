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

from ._lazy import submodule_loader
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


# ``nnlib.<name>``: every other module, loaded on first use (plots and widgets need
# matplotlib and ipywidgets; keras_bridge, keras_compare and keras_models load TensorFlow).
__getattr__ = submodule_loader(__name__, {
    **{name: (module, name) for name, module in _LAZY_NAMES.items()}, **_MODULES})
