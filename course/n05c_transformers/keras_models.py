"""The Keras model of notebook 05c: a one-block Transformer on the reversal task.

- ``build_transformer``: embeddings, positional encoding, one attention block (its
  attention layer named ``"attention"``) and a per-position softmax.
- ``attention_scores``: the attention weights the trained layer computes.

TensorFlow is imported only when a function here is called (``keras_twin.import_keras``).
"""

from __future__ import annotations

from course.keras_twin import import_keras, keras_adam, layer_output
from nnlib.validation import check_positive_int

from .attention import positional_encoding


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
    model.compile(keras_adam(keras, learning_rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def attention_scores(model, X, *, layer_name="attention"):
    """Attention weights of a ``build_transformer`` model: ``(n_samples, heads, steps, steps)``.

    Row ``i`` of a head's matrix says how much output position ``i`` looked at each
    input position; every row sums to 1.
    """
    return layer_output(model, layer_name, X, index=1)
