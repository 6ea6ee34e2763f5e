"""The lessons' logic: what each notebook computes beyond the core, calling the core.

One idea per module (the notebook in brackets):

- ``depth``          symmetric starts; activations and gradients over depth (02, 03)
- ``descent``        gradient descent on a line and on a 1-D quadratic (03)
- ``diagnostics``    before a long run: loss at the start, tiny-batch overfit, update ratios (03)
- ``surfaces``       2-D loss surfaces and optimizers walking on them (04)
- ``regularization`` overfitting data, near-zero weights, ``fit_regularized`` (04)
- ``conv``, ``recurrent``, ``attention``, ``sequences``  the architectures in numpy (05)
- ``rate_and_batch`` choosing the learning rate (range test) and the batch size (04;
                     also ``nnlib.tuning``, its former name)
- ``search``         grid and random search; ``trainer`` (``MLPTrainer``),
                     ``search_result`` (``SearchResult``), ``selection_bias`` (06)
- ``comparison``     the article's MLP trained with nnlib, weight trajectories (07)
- ``playground``     chunked training, neuron maps, Keras code (08); ``playground_config``
                     its settings and share string, ``features`` the derived inputs

Each is also reachable as ``nnlib.<name>`` (e.g. ``nnlib.surfaces``), loaded on first use.
"""


from .._lazy import submodule_loader

__getattr__ = submodule_loader(__name__)
