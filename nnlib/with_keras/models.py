"""Small Keras models for the architecture notebooks (05a-05c), and helpers to look inside them.

Training them over several seeds is in ``nnlib.with_keras.experiments``.

Keras is imported only inside the functions (through ``keras_bridge.import_keras``), so
``import nnlib`` stays free of TensorFlow. Seed Keras before building a model
(``keras.utils.set_random_seed(SEED)``) for repeatable weights and training.

Every builder returns a compiled ``keras.Model`` whose interesting layers have fixed
names, so the notebooks (and the numpy twins in ``conv``, ``recurrent``, ``attention``)
can find them: ``"conv1"``, ``"conv2"``, ``"rnn"``, ``"attention"``.
"""

from __future__ import annotations

import numpy as np

from ..core.validation import check_positive, check_positive_int
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
