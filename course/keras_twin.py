"""Build the Keras twin of an nnlib ``MLP``, holding the same weights.

nnlib stores kernels as ``(n_in, n_out)`` like Keras' ``Dense``, so weights move
across untransposed: ``keras_model.set_weights(mlp.get_weights())`` and
``mlp.set_weights(keras_model.get_weights())``.

TensorFlow is imported only when a function here is called (it takes seconds),
so the rest of nnlib stays quick to import.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np

from nnlib.validation import check_positive

KERAS_LOSSES = {
    "mse": "mean_squared_error",
    "binary_cross_entropy": "binary_crossentropy",
    "categorical_cross_entropy": "categorical_crossentropy",
}


def import_keras():
    """Import Keras 3 on the TensorFlow backend, quietly; return the ``keras`` module.

    TensorFlow's ops run deterministically (``enable_op_determinism``): with
    ``keras.utils.set_random_seed(SEED)`` a notebook gives the same numbers on every
    run on one machine. Other CPUs may still round differently (oneDNN picks kernels
    by instruction set), so the notebooks' claims about trained Keras models hold
    across seeds with a margin rather than to the last digit (``make robust``).
    Set ``TF_ENABLE_ONEDNN_OPTS=1`` before the first import to use oneDNN's kernels.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # level 2 still logs an ERROR line
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # Eigen's kernels (not oneDNN's)
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    if int(keras.__version__.split(".")[0]) < 3:
        raise ImportError(f"The course needs Keras 3, found Keras {keras.__version__}.")
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    return keras


@contextlib.contextmanager
def floatx(dtype="float64"):
    """Within this block, Keras' default float type is ``dtype``.

    Keras' ``fit``/``predict`` cast numpy inputs to ``keras.config.floatx()``
    (float32 by default) before the first layer sees them, so even a float64 model
    trains on float32-rounded data. For an exact comparison with nnlib in float64::

        with keras_bridge.floatx("float64"):
            keras_model.fit(X, y, ...)
    """
    keras = import_keras()
    previous = keras.config.floatx()
    keras.config.set_floatx(dtype)
    try:
        yield
    finally:
        keras.config.set_floatx(previous)


def to_keras(mlp, *, dtype=None, copy_weights=True):
    """A ``keras.Sequential`` with the same layers, activations and (by default) weights.

    Parameters
    ----------
    mlp : nnlib.MLP
    dtype : str, optional
        Keras dtype of the layers; default: the MLP's (``"float64"`` for exact comparisons).
    copy_weights : bool, default=True

    Returns
    -------
    keras.Sequential
        Input, then one ``Dense`` per layer (no dropout layers: use it for inference
        and gradient comparisons, or add ``Dropout`` yourself).
    """
    keras = import_keras()
    dtype = dtype or np.dtype(mlp.dtype).name
    layers = [keras.Input(shape=(mlp.layer_sizes[0],), dtype=dtype)]
    for n_out, act in zip(mlp.layer_sizes[1:], mlp.activations):
        layers.append(keras.layers.Dense(n_out, activation=act.name, dtype=dtype))
    model = keras.Sequential(layers)
    if copy_weights:
        model.set_weights(mlp.get_weights())
    return model


def from_keras(model, *, seed=None):
    """An nnlib ``MLP`` copying a Keras ``Sequential`` of ``Dense`` layers and its weights."""
    from nnlib.model import MLP

    dense = [layer for layer in model.layers if layer.__class__.__name__ == "Dense"]
    if len(dense) != len([w for w in model.get_weights()]) // 2:
        raise ValueError("from_keras supports Sequential models made of Dense layers only.")
    sizes = [dense[0].kernel.shape[0]] + [layer.units for layer in dense]
    acts = [layer.activation.__name__ for layer in dense]
    mlp = MLP(sizes, acts, seed=seed, dtype=np.dtype(dense[0].dtype))
    mlp.set_weights(model.get_weights())
    return mlp


def keras_loss_and_grads(keras_model, X, y, loss="mse", *, l1=0.0, l2=0.0):
    """Loss and gradients of a Keras model computed by TensorFlow (``tf.GradientTape``).

    The reference that nnlib's backpropagation is checked against.

    Parameters
    ----------
    keras_model : keras.Model
    X, y : ndarray
    loss : str, default="mse"
        An nnlib loss name (translated to Keras' loss).
    l1, l2 : float, default=0.0
        Kernel penalties ``l1 * sum|W| + l2 * sum W**2``, added as nnlib does.

    Returns
    -------
    loss_value : float
    grads : list of ndarray
        In ``keras_model.trainable_weights`` order: ``[dW1, db1, dW2, db2, ...]``.
    """
    keras = import_keras()
    import tensorflow as tf

    from nnlib import losses as _losses

    name = _losses.get(loss).name
    loss_fn = keras.losses.get(KERAS_LOSSES[name])
    dtype = keras_model.trainable_weights[0].dtype
    X = tf.constant(np.asarray(X), dtype=dtype)
    y = np.asarray(y)
    if y.ndim == 1:
        y = y[:, None]
    y = tf.constant(y, dtype=dtype)
    with tf.GradientTape() as tape:
        value = tf.reduce_mean(loss_fn(y, keras_model(X, training=False)))
        for w in keras_model.trainable_weights:
            if len(w.shape) == 2:
                if l1:
                    value += l1 * tf.reduce_sum(tf.abs(w))
                if l2:
                    value += l2 * tf.reduce_sum(tf.square(w))
    grads = tape.gradient(value, keras_model.trainable_weights)
    return float(value.numpy()), [g.numpy() for g in grads]


def keras_adam(keras, learning_rate):
    """Keras' Adam with a checked learning rate (for the small models of 05a-05c)."""
    return keras.optimizers.Adam(learning_rate=check_positive(learning_rate, "learning_rate"))


def layer_output(model, layer_name, X, *, index=None):
    """What the layer ``layer_name`` outputs when ``model`` reads ``X`` (e.g. feature maps).

    Parameters
    ----------
    model : keras.Model
        A functional or Sequential model (already built).
    layer_name : str
    X : ndarray
        A batch of inputs.
    index : int, optional
        For layers with several outputs, which one (e.g. 1: attention scores).

    Returns
    -------
    ndarray
        The layer's output for every sample of ``X``.
    """
    keras = import_keras()
    try:
        layer = model.get_layer(layer_name)
    except ValueError:
        names = [layer.name for layer in model.layers]
        raise ValueError(
            f"model has no layer named {layer_name!r}. Its layers are: {names}"
        ) from None
    output = layer.output if index is None else layer.output[index]
    probe = keras.Model(model.inputs, output)
    return np.asarray(probe.predict(X, verbose=0))
