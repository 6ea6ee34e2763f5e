"""nnlib beside Keras: every module here imports TensorFlow, but only when a function runs.

- ``twin``      the Keras twin of an nnlib ``MLP`` with the same weights; ``import_keras``
- ``article``   the article's experiment (notebook 07) on the Keras side
- ``models``    small Keras CNN / RNN / Transformer builders for 05a-05c, a look inside
                them
- ``experiments``  the same models trained from several seeds

Also reachable under the names the notebooks use: ``nnlib.keras_bridge``,
``nnlib.keras_compare``, ``nnlib.keras_models`` and ``nnlib.keras_experiments``.
"""


from .._lazy import submodule_loader

__getattr__ = submodule_loader(__name__)
