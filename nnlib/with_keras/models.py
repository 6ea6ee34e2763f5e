"""Small Keras models for the architecture notebooks (05a-05c), and helpers to look inside them.

Keras is imported only inside the functions (through ``keras_bridge.import_keras``), so
``import nnlib`` stays free of TensorFlow. Seed Keras before building a model
(``keras.utils.set_random_seed(SEED)``) for repeatable weights and training.

Every builder returns a compiled ``keras.Model`` whose interesting layers have fixed
names, so the notebooks (and the numpy twins in ``conv``, ``recurrent``, ``attention``)
can find them: ``"conv1"``, ``"conv2"``, ``"rnn"``, ``"attention"``.
"""

from __future__ import annotations

import numpy as np

from ..core._validation import check_positive, check_positive_int
from .twin import import_keras

RNN_LAYERS = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def _adam(keras, learning_rate):
    return keras.optimizers.Adam(learning_rate=check_positive(learning_rate, "learning_rate"))


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
    model.compile(_adam(keras, learning_rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def build_cnn(input_shape, n_classes, *, filters=(8, 16), kernel_size=3, learning_rate=0.01):
    """A small CNN: ``Conv2D`` + ``MaxPooling2D`` blocks, then ``Flatten`` and ``Dense(softmax)``.

    Parameters
    ----------
    input_shape : tuple (height, width, channels)
    n_classes : int
    filters : tuple of int, default=(8, 16)
        Number of filters of each convolution (``"same"`` padding, ReLU), named
        ``"conv1"``, ``"conv2"``, ...; each is followed by a 2x2 max pooling.
    kernel_size : int, default=3
    learning_rate : float, default=0.01

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
    layers = [keras.Input(shape=tuple(input_shape))]
    for k, n_filters in enumerate(filters, start=1):
        layers.append(keras.layers.Conv2D(check_positive_int(n_filters, "filters"), kernel_size,
                                          padding="same", activation="relu", name=f"conv{k}"))
        layers.append(keras.layers.MaxPooling2D(2, name=f"pool{k}"))
    layers += [keras.layers.Flatten(name="flatten"),
               keras.layers.Dense(n_classes, activation="softmax", name="output")]
    model = keras.Sequential(layers, name="cnn")
    model.compile(_adam(keras, learning_rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def build_rnn_regressor(kind, n_steps, n_features=1, *, units=16, learning_rate=0.01):
    """A recurrent layer reading the sequence, then ``Dense(1)`` on its last state.

    Parameters
    ----------
    kind : {"simple_rnn", "lstm", "gru"}
    n_steps : int
        Sequence length.
    n_features : int, default=1
    units : int, default=16
    learning_rate : float, default=0.01

    Returns
    -------
    keras.Model
        Compiled with Adam and MSE; the recurrent layer is named ``"rnn"``.
    """
    keras = import_keras()
    if kind not in RNN_LAYERS:
        raise ValueError(f"kind must be one of {sorted(RNN_LAYERS)}. Received: kind={kind!r}")
    layer = getattr(keras.layers, RNN_LAYERS[kind])(check_positive_int(units, "units"),
                                                     name="rnn")
    model = keras.Sequential([
        keras.Input(shape=(check_positive_int(n_steps, "n_steps"),
                           check_positive_int(n_features, "n_features"))),
        layer,
        keras.layers.Dense(1, name="output"),
    ], name=kind)
    model.compile(_adam(keras, learning_rate), "mse")
    return model


def build_transformer(n_steps, n_symbols, *, d_model=32, num_heads=1, ff_dim=64,
                      learning_rate=0.005):
    """A one-block Transformer encoder that predicts a symbol at every position.

    Token embedding + sinusoidal positional encoding (``attention.positional_encoding``),
    then one block: self-attention (``"attention"``), residual + ``LayerNormalization``,
    a position-wise feed-forward network, residual + ``LayerNormalization``; finally a
    ``Dense(softmax)`` over the symbols at every position.

    Parameters
    ----------
    n_steps : int
    n_symbols : int
        Vocabulary size (symbols are the integers ``0 .. n_symbols - 1``).
    d_model : int, default=32
    num_heads : int, default=1
        Each head has ``key_dim = d_model // num_heads``.
    ff_dim : int, default=64
    learning_rate : float, default=0.005

    Returns
    -------
    keras.Model
        Input ``(n_steps,)`` integers, output ``(n_steps, n_symbols)`` probabilities;
        compiled with Adam, ``sparse_categorical_crossentropy`` and ``accuracy``
        (per position). Use ``attention_scores`` to read the attention weights.
    """
    from ..lessons.attention import positional_encoding

    keras = import_keras()
    n_steps = check_positive_int(n_steps, "n_steps")
    n_symbols = check_positive_int(n_symbols, "n_symbols", minimum=2)
    d_model = check_positive_int(d_model, "d_model")
    num_heads = check_positive_int(num_heads, "num_heads")
    if d_model % num_heads:
        raise ValueError(
            f"d_model must be a multiple of num_heads. Received: d_model={d_model}, "
            f"num_heads={num_heads}"
        )
    tokens = keras.Input(shape=(n_steps,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(n_symbols, d_model, name="embedding")(tokens)
    x = x + positional_encoding(n_steps, d_model).astype("float32")
    attended, _ = keras.layers.MultiHeadAttention(num_heads, d_model // num_heads,
                                                  name="attention")(
        x, x, return_attention_scores=True)
    x = keras.layers.LayerNormalization(name="norm1")(x + attended)
    ff = keras.layers.Dense(check_positive_int(ff_dim, "ff_dim"), activation="relu",
                            name="ff1")(x)
    x = keras.layers.LayerNormalization(name="norm2")(x + keras.layers.Dense(d_model,
                                                                              name="ff2")(ff))
    out = keras.layers.Dense(n_symbols, activation="softmax", name="output")(x)
    model = keras.Model(tokens, out, name="transformer")
    model.compile(_adam(keras, learning_rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


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


def attention_scores(model, X, *, layer_name="attention"):
    """Attention weights of a ``build_transformer`` model: ``(n_samples, heads, steps, steps)``.

    Row ``i`` of a head's matrix says how much output position ``i`` looked at each
    input position; every row sums to 1.
    """
    return layer_output(model, layer_name, X, index=1)


def compare_rnns(kinds, X, y, X_test, y_test, *, epochs=10, seeds=(0,), units=16,
                 batch_size=32, learning_rate=0.01):
    """Train a ``build_rnn_regressor`` for every kind and seed; return its test predictions and MSE.

    For each ``kind`` and each ``seed``: seed Keras (``keras.utils.set_random_seed(seed)``),
    build the model, fit it on ``(X, y)``, predict ``X_test`` and compute the test mean
    squared error. Training the same architecture from several seeds shows how much a
    result owes to luck.

    Parameters
    ----------
    kinds : iterable of {"simple_rnn", "lstm", "gru"}
    X : ndarray of shape (n_samples, n_steps, n_features)
    y : ndarray of shape (n_samples, 1)
    X_test : ndarray of shape (n_test, n_steps, n_features)
    y_test : ndarray of shape (n_test, 1)
    epochs : int, default=10
    seeds : iterable of int, default=(0,)
        One model per seed (and kind).
    units : int, default=16
    batch_size : int, default=32
    learning_rate : float, default=0.01

    Returns
    -------
    predictions : dict of str to ndarray of shape (n_seeds, n_test, 1)
        ``predictions[kind][k]``: the test predictions of the model trained with ``seeds[k]``.
    mse : dict of str to ndarray of shape (n_seeds,)
        Test MSE of each of those models.
    """
    keras = import_keras()
    kinds, seeds = list(kinds), [int(s) for s in seeds]
    if not kinds or not seeds:
        raise ValueError(
            f"kinds and seeds must not be empty. Received: kinds={kinds}, seeds={seeds}"
        )
    X, X_test = np.asarray(X, dtype=float), np.asarray(X_test, dtype=float)
    y, y_test = np.asarray(y, dtype=float), np.asarray(y_test, dtype=float)
    if X.ndim != 3 or X_test.shape[1:] != X.shape[1:]:
        raise ValueError(
            "X and X_test must be (n_samples, n_steps, n_features) with the same steps and "
            f"features. Received: X.shape={X.shape}, X_test.shape={X_test.shape}"
        )
    if y_test.shape != (len(X_test), 1):
        raise ValueError(
            f"y_test must have shape ({len(X_test)}, 1). Received: y_test.shape={y_test.shape}"
        )
    predictions, mse = {}, {}
    for kind in kinds:
        runs = []
        for seed in seeds:
            keras.utils.set_random_seed(seed)
            model = build_rnn_regressor(kind, X.shape[1], X.shape[2], units=units,
                                        learning_rate=learning_rate)
            model.fit(X, y, epochs=check_positive_int(epochs, "epochs"),
                      batch_size=check_positive_int(batch_size, "batch_size"), verbose=0)
            runs.append(np.asarray(model(X_test)))  # calling the model directly, like a layer
        predictions[kind] = np.stack(runs)
        mse[kind] = np.mean((predictions[kind] - y_test) ** 2, axis=(1, 2))
    return predictions, mse


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
