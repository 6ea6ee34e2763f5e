"""The article's experiment (notebook 07) on the Keras side.

TensorFlow is imported only when a function here is called, as in ``keras_bridge``.

- ``article_keras_model``: the article's ``Sequential`` written for Keras 3.
- ``keras_train_with_trajectory``: a float64 Keras ``fit`` without shuffling that keeps
  the weights after every epoch, to set beside ``comparison.train_with_trajectory``.
- ``tuned_keras_fit``: the same optimizer steps with far less per-epoch overhead
  (one ``tf.data`` pass and ``steps_per_execution``).
"""

from __future__ import annotations

import numpy as np

from course.keras_twin import floatx, import_keras

from .comparison import ARTICLE_ACTIVATIONS, ARTICLE_SIZES


def article_keras_model(seed=None, dtype=None):
    """The article's network in Keras 3: ``Input(1)``, Dense(10, relu), Dense(5, relu), Dense(1).

    Parameters
    ----------
    seed : int, optional
        Passed to ``keras.utils.set_random_seed`` before the layers are built (it also
        seeds the shuffling of a later ``fit``).
    dtype : str, optional
        Layer dtype, e.g. ``"float64"``; default: Keras' floatx (float32).

    Returns
    -------
    keras.Sequential
        Not compiled.
    """
    keras = import_keras()
    if seed is not None:
        keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=(ARTICLE_SIZES[0],), dtype=dtype)]
    for units, activation in zip(ARTICLE_SIZES[1:], ARTICLE_ACTIVATIONS):
        layers.append(keras.layers.Dense(units, activation=activation, dtype=dtype))
    return keras.Sequential(layers)


def keras_train_with_trajectory(keras_model, X, y, *, optimizer, epochs=200, batch_size=32):
    """Keras ``fit`` in float64, batches in order, keeping the weights after each epoch.

    Parameters
    ----------
    keras_model : keras.Model
        Built in float64 (e.g. ``keras_bridge.to_keras(mlp)``); compiled here with
        ``optimizer`` and the mean squared error.
    X, y : ndarray of shape (n_samples, 1)
    optimizer : keras optimizer
    epochs : int, default=200
    batch_size : int, default=32

    Returns
    -------
    losses : ndarray of shape (epochs,)
        Keras' reported loss per epoch (tracked by a float32 metric: about 7 digits).
    thetas : ndarray of shape (epochs + 1, n_params)
        Row 0: starting weights; row ``e``: weights after epoch ``e``, flattened in
        ``get_weights()`` order (the layout of ``nnlib.MLP.theta``).
    """
    keras = import_keras()

    def flat():
        return np.concatenate([w.ravel() for w in keras_model.get_weights()])

    thetas = [flat()]
    keep = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: thetas.append(flat()))
    keras_model.compile(optimizer=optimizer, loss="mse")
    with floatx("float64"):  # otherwise fit rounds X and y to float32 first
        history = keras_model.fit(X, y, epochs=epochs, batch_size=batch_size, shuffle=False,
                                  verbose=0, callbacks=[keep])
    return np.array(history.history["loss"]), np.array(thetas)


def tuned_keras_fit(keras_model, X, y, *, optimizer, epochs=200, batch_size=32, seed=0,
                    steps_per_execution=None):
    """The same optimizer steps as ``fit(X, y, epochs, batch_size)``, with little overhead.

    A ``fit`` call over ``epochs`` epochs pays Keras' per-epoch bookkeeping (callbacks,
    data adapter, logs) every epoch. Here all epochs' batches form one ``tf.data``
    pipeline (reshuffled each epoch, the last partial batch kept, as ``fit`` does),
    trained in a single Keras epoch; ``steps_per_execution`` runs many steps inside one
    compiled TensorFlow loop.

    Parameters
    ----------
    keras_model : keras.Model
        Compiled here with ``optimizer``, the mean squared error and ``steps_per_execution``.
    X, y : ndarray
    optimizer : keras optimizer
    epochs : int, default=200
    batch_size : int, default=32
    seed : int, default=0
        Seeds the shuffling.
    steps_per_execution : int, optional
        Default: the number of steps of one epoch.

    Returns
    -------
    keras.callbacks.History
        One entry: the mean loss over all steps.
    """
    import_keras()
    import tensorflow as tf

    dtype = keras_model.trainable_weights[0].dtype
    n = len(X)
    steps_per_epoch = -(-n // batch_size)
    data = (tf.data.Dataset.from_tensor_slices((np.asarray(X, dtype), np.asarray(y, dtype)))
            .shuffle(n, seed=seed, reshuffle_each_iteration=True)
            .batch(batch_size).repeat(epochs).prefetch(2))
    keras_model.compile(optimizer=optimizer, loss="mse",
                        steps_per_execution=steps_per_execution or steps_per_epoch)
    return keras_model.fit(data, epochs=1, steps_per_epoch=steps_per_epoch * epochs, shuffle=False,
                           verbose=0)
