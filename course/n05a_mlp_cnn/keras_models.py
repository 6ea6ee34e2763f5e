"""The Keras models of notebook 05a: an MLP and a small CNN on the 8x8 digits.

- ``build_mlp_classifier`` and ``build_cnn``: compiled models whose layers have fixed names
  (``"conv1"``, ``"conv2"``), so the numpy twins in ``conv`` can find them.
- ``accuracy_over_seeds``: any builder trained and evaluated from several seeds.

TensorFlow is imported only when a function here is called (``keras_twin.import_keras``).
Seed Keras before building a model (``keras.utils.set_random_seed(SEED)``).
"""

from __future__ import annotations

import numpy as np

from course.keras_twin import import_keras, keras_adam
from nnlib.validation import check_positive_int


def build_mlp_classifier(input_shape, n_classes, *, hidden=(64,), learning_rate=0.01):
    """An MLP on flattened inputs: ``Flatten``, ``Dense(relu)`` layers, ``Dense(softmax)``.

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one sample, e.g. ``(8, 8, 1)`` for a digit image.
    n_classes : int
    hidden : tuple of int, default=(64,)
        Units of each hidden layer.
    learning_rate : float, default=0.01
        Adam's learning rate.

    Returns
    -------
    keras.Model
        Compiled with Adam and ``sparse_categorical_crossentropy`` (integer labels),
        metric ``accuracy``.
    """
    keras = import_keras()
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    layers = [keras.Input(shape=tuple(input_shape)), keras.layers.Flatten(name="flatten")]
    for k, units in enumerate(hidden, start=1):
        layers.append(keras.layers.Dense(check_positive_int(units, "hidden"), activation="relu",
                                         name=f"dense{k}"))
    layers.append(keras.layers.Dense(n_classes, activation="softmax", name="output"))
    model = keras.Sequential(layers, name="mlp")
    model.compile(keras_adam(keras, learning_rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def build_cnn(input_shape, n_classes, *, filters=(8, 16), kernel_size=3, padding="same",
              learning_rate=0.01, dtype=None):
    """A small CNN: ``Conv2D`` + ``MaxPooling2D`` blocks, then ``Flatten`` and ``Dense(softmax)``.

    Parameters
    ----------
    input_shape : tuple (height, width, channels)
    n_classes : int
    filters : tuple of int, default=(8, 16)
        Number of filters of each convolution (ReLU), named ``"conv1"``, ``"conv2"``, ...;
        each is followed by a 2x2 max pooling.
    kernel_size : int, default=3
    padding : {"same", "valid"}, default="same"
        The convolutions' padding.
    learning_rate : float, default=0.01
    dtype : str, optional
        The layers' dtype, e.g. ``"float64"`` to compare with numpy. Default: Keras'
        (float32).

    Returns
    -------
    keras.Model
        Compiled like ``build_mlp_classifier``.
    """
    keras = import_keras()
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    if len(tuple(input_shape)) != 3:
        raise ValueError(
            f"input_shape must be (height, width, channels). Received: input_shape={input_shape}"
        )
    if padding not in ("same", "valid"):
        raise ValueError(f"padding must be 'same' or 'valid'. Received: padding={padding!r}")
    layers = [keras.Input(shape=tuple(input_shape), dtype=dtype)]
    size = min(input_shape[:2])
    for k, n_filters in enumerate(filters, start=1):
        size = size - kernel_size + 1 if padding == "valid" else size
        if size < 2:
            raise ValueError(
                f"images of {input_shape[0]}x{input_shape[1]} are too small for {len(filters)} "
                f"convolutions with padding={padding!r}, each followed by 2x2 pooling: the "
                f"maps of conv{k} would be {max(size, 0)} wide. Received: filters={filters!r}")
        size //= 2
        layers.append(keras.layers.Conv2D(check_positive_int(n_filters, "filters"), kernel_size,
                                          padding=padding, activation="relu", name=f"conv{k}",
                                          dtype=dtype))
        layers.append(keras.layers.MaxPooling2D(2, name=f"pool{k}", dtype=dtype))
    layers += [keras.layers.Flatten(name="flatten", dtype=dtype),
               keras.layers.Dense(n_classes, activation="softmax", name="output", dtype=dtype)]
    model = keras.Sequential(layers, name="cnn")
    model.compile(keras_adam(keras, learning_rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def accuracy_over_seeds(build, X_train, y_train, X_test, y_test, *, seeds=(0, 1, 2), epochs=30,
                        batch_size=32):
    """Test accuracy of a classifier trained once per seed: how much of a result is luck.

    For each seed: seed Keras, call ``build()`` for a fresh compiled model, seed Keras again
    (as the notebooks do before ``fit``), fit it, and evaluate it on the test set.

    Parameters
    ----------
    build : callable
        ``build()`` returns a compiled classifier with metric ``accuracy``, e.g.
        ``lambda: build_cnn((8, 8, 1), 10)``.
    X_train, y_train, X_test, y_test : ndarray
        Training and test data (integer labels).
    seeds : iterable of int, default=(0, 1, 2)
    epochs : int, default=30
    batch_size : int, default=32

    Returns
    -------
    ndarray of shape (n_seeds,)
        The test accuracy of the model trained with each seed.
    """
    keras = import_keras()
    if not callable(build):
        raise TypeError(f"build must be a callable returning a model. Received: {build!r}")
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError(f"seeds must not be empty. Received: seeds={seeds}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    accuracies = []
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        model = build()
        keras.utils.set_random_seed(seed)
        model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
        accuracies.append(float(model.evaluate(X_test, y_test, verbose=0)[1]))
    return np.array(accuracies)
