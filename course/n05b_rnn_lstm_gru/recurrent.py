"""Recurrent cells in numpy (forward pass only): SimpleRNN, LSTM and GRU, as Keras lays them out.

A sequence batch ``X`` has shape ``(n_samples, n_steps, n_features)`` (batch-first,
like Keras). Each cell takes the input at one step and the previous state and returns
the new state; ``rnn_forward`` unrolls a cell over the whole sequence.

Weights use Keras' layout, so ``rnn_forward("lstm", X, *keras_layer.get_weights())``
equals the Keras layer:

- ``SimpleRNN``: kernel ``(n_features, units)``, recurrent_kernel ``(units, units)``,
  bias ``(units,)``.
- ``LSTM``: the four gates side by side in the order input, forget, candidate, output
  (``i, f, c, o``): kernel ``(n_features, 4 units)``, recurrent_kernel
  ``(units, 4 units)``, bias ``(4 units,)``.
- ``GRU``: gates in the order update, reset, candidate (``z, r, h``): kernel
  ``(n_features, 3 units)``, recurrent_kernel ``(units, 3 units)``; with
  ``reset_after=True`` (Keras' default) bias has two rows ``(2, 3 units)``: one added
  to the input part, one to the recurrent part.
"""

from __future__ import annotations

import numpy as np

from nnlib.validation import as_float_array


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow


def simple_rnn_cell(x, h, kernel, recurrent_kernel, bias):
    """One step of a plain (Elman) RNN.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_features)
        Input at this step.
    h : ndarray of shape (n_samples, units)
        Previous hidden state.
    kernel : ndarray of shape (n_features, units)
    recurrent_kernel : ndarray of shape (units, units)
    bias : ndarray of shape (units,)

    Returns
    -------
    h_new : ndarray of shape (n_samples, units)

    Notes
    -----
    .. math:: h_t = \\tanh(x_t W + h_{t-1} U + b)
    """
    return np.tanh(x @ kernel + h @ recurrent_kernel + bias)


def simple_rnn_backward(dh_last, X, kernel, recurrent_kernel, bias):
    """Backpropagation through time of a plain RNN that starts from ``h_0 = 0``, given
    the gradient of the loss with respect to its last state only.

    Parameters
    ----------
    dh_last : ndarray of shape (n_samples, units)
        dL/dh_T.
    X : ndarray of shape (n_samples, n_steps, n_features)
    kernel, recurrent_kernel, bias : the cell's weights, as ``simple_rnn_cell``'s

    Returns
    -------
    dX : ndarray of X's shape
        dL/dx_t for every step: how much each input step still matters at the end.
    dkernel, drecurrent_kernel, dbias : ndarrays of the weights' shapes
        Summed over the steps, since every step uses the same weights.

    Notes
    -----
    Going back from ``t = T``: :math:`dz_t = dh_t \\odot (1 - h_t^2)`, then
    :math:`dW \\mathrel{+}= x_t^\\top dz_t`, :math:`dU \\mathrel{+}= h_{t-1}^\\top dz_t`,
    :math:`db \\mathrel{+}= \\sum dz_t`, :math:`dx_t = dz_t W^\\top` and
    :math:`dh_{t-1} = dz_t U^\\top`.
    """
    states = [np.zeros((X.shape[0], recurrent_kernel.shape[0]))]
    for t in range(X.shape[1]):
        states.append(simple_rnn_cell(X[:, t], states[-1], kernel, recurrent_kernel, bias))
    dX = np.zeros_like(X, dtype=float)
    dW, dU, db = np.zeros_like(kernel), np.zeros_like(recurrent_kernel), np.zeros_like(bias)
    dh = dh_last
    for t in range(X.shape[1] - 1, -1, -1):
        dz = dh * (1.0 - states[t + 1] ** 2)
        dW += X[:, t].T @ dz
        dU += states[t].T @ dz
        db += dz.sum(axis=0)
        dX[:, t] = dz @ kernel.T
        dh = dz @ recurrent_kernel.T
    return dX, dW, dU, db


def lstm_cell(x, state, kernel, recurrent_kernel, bias):
    """One step of an LSTM (Keras gate order ``i, f, c, o``).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_features)
    state : tuple (h, c) of ndarrays of shape (n_samples, units)
        Previous hidden state and cell state.
    kernel : ndarray of shape (n_features, 4 * units)
    recurrent_kernel : ndarray of shape (units, 4 * units)
    bias : ndarray of shape (4 * units,)

    Returns
    -------
    (h_new, c_new) : tuple of ndarrays of shape (n_samples, units)

    Notes
    -----
    .. math::
        i_t = \\sigma(x_t W_i + h_{t-1} U_i + b_i), \\quad
        f_t = \\sigma(x_t W_f + h_{t-1} U_f + b_f), \\quad
        o_t = \\sigma(x_t W_o + h_{t-1} U_o + b_o)

        \\tilde c_t = \\tanh(x_t W_c + h_{t-1} U_c + b_c), \\quad
        c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t, \\quad
        h_t = o_t \\odot \\tanh(c_t)
    """
    h, c = state
    z = x @ kernel + h @ recurrent_kernel + bias
    zi, zf, zc, zo = np.split(z, 4, axis=-1)
    c_new = _sigmoid(zf) * c + _sigmoid(zi) * np.tanh(zc)
    h_new = _sigmoid(zo) * np.tanh(c_new)
    return h_new, c_new


def gru_cell(x, h, kernel, recurrent_kernel, bias, *, reset_after=True):
    """One step of a GRU (Keras gate order ``z, r, h``).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_features)
    h : ndarray of shape (n_samples, units)
    kernel : ndarray of shape (n_features, 3 * units)
    recurrent_kernel : ndarray of shape (units, 3 * units)
    bias : ndarray of shape (2, 3 * units) if ``reset_after`` else (3 * units,)
        With ``reset_after=True``: row 0 is added to ``x W``, row 1 to ``h U``.
    reset_after : bool, default=True
        Keras' default (and cuDNN's): the reset gate multiplies ``h U_h + b``, after
        the matrix product, instead of ``h`` before it.

    Returns
    -------
    h_new : ndarray of shape (n_samples, units)

    Notes
    -----
    With ``reset_after=True``:

    .. math::
        z_t = \\sigma(x_t W_z + b_z + h_{t-1} U_z + b'_z), \\quad
        r_t = \\sigma(x_t W_r + b_r + h_{t-1} U_r + b'_r)

        \\tilde h_t = \\tanh\\big(x_t W_h + b_h + r_t \\odot (h_{t-1} U_h + b'_h)\\big), \\quad
        h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t

    With ``reset_after=False`` the candidate is
    :math:`\\tanh(x_t W_h + (r_t \\odot h_{t-1}) U_h + b_h)`.
    Note Keras' convention: ``z`` close to 1 *keeps* the old state.
    """
    units = h.shape[-1]
    if reset_after:
        bias_x, bias_h = bias[0], bias[1]
    else:
        bias_x, bias_h = bias, np.zeros_like(bias)
    xz, xr, xh = np.split(x @ kernel + bias_x, 3, axis=-1)
    if reset_after:
        hz, hr, hh = np.split(h @ recurrent_kernel + bias_h, 3, axis=-1)
        z = _sigmoid(xz + hz)
        r = _sigmoid(xr + hr)
        candidate = np.tanh(xh + r * hh)
    else:
        hz, hr = np.split(h @ recurrent_kernel[:, : 2 * units], 2, axis=-1)
        z = _sigmoid(xz + hz)
        r = _sigmoid(xr + hr)
        candidate = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * units:])
    return z * h + (1.0 - z) * candidate


KINDS = {"simple_rnn": 1, "lstm": 4, "gru": 3}


def _check_weights(kind, n_features, kernel, recurrent_kernel, bias, reset_after):
    if kernel.ndim != 2 or kernel.shape[0] != n_features or kernel.shape[1] % KINDS[kind]:
        raise ValueError(
            f"kernel for {kind} must have shape (n_features={n_features}, "
            f"{KINDS[kind]} * units). Received: kernel with shape {kernel.shape}"
        )
    units = kernel.shape[1] // KINDS[kind]
    if recurrent_kernel.shape != (units, KINDS[kind] * units):
        raise ValueError(
            f"recurrent_kernel for {kind} with {units} units must have shape "
            f"{(units, KINDS[kind] * units)}. Received: shape {recurrent_kernel.shape}"
        )
    expected = (2, 3 * units) if kind == "gru" and reset_after else (KINDS[kind] * units,)
    if bias.shape != expected:
        extra = " (reset_after=True: one row for the input, one for the recurrent part)" \
            if kind == "gru" and reset_after else ""
        raise ValueError(
            f"bias for {kind} must have shape {expected}{extra}. "
            f"Received: bias with shape {bias.shape}"
        )
    return units


def rnn_forward(kind, X, kernel, recurrent_kernel, bias, *, initial_state=None,
                reset_after=True, return_sequences=False, return_state=False):
    """Unroll a recurrent cell over a batch of sequences, like the Keras layer.

    Parameters
    ----------
    kind : {"simple_rnn", "lstm", "gru"}
    X : array_like of shape (n_samples, n_steps, n_features)
    kernel, recurrent_kernel, bias : array_like
        Keras' weights, in ``layer.get_weights()`` order (shapes in the module docstring).
    initial_state : ndarray or tuple of ndarrays, optional
        ``h0`` of shape ``(n_samples, units)`` (for the LSTM, the pair ``(h0, c0)``);
        default zeros, as in Keras.
    reset_after : bool, default=True
        GRU only (see ``gru_cell``).
    return_sequences : bool, default=False
        Return the hidden state at every step instead of the last one.
    return_state : bool, default=False
        Also return the final state (``h``, or ``(h, c)`` for the LSTM).

    Returns
    -------
    H : ndarray of shape (n_samples, units), or (n_samples, n_steps, units)
        if ``return_sequences``.
    state : ndarray or tuple, only if ``return_state``

    Raises
    ------
    ValueError
        For an unknown ``kind``, an ``X`` that is not 3-D, or weights whose shapes do not
        fit ``X`` (the message gives the expected shape).

    Notes
    -----
    The same weights are used at every step: the state :math:`h_t` is the network's
    memory of :math:`x_1, \\dots, x_t`.
    """
    if kind not in KINDS:
        raise ValueError(
            f"kind must be one of {sorted(KINDS)}. Received: kind={kind!r}"
        )
    X = as_float_array(X, "X", ndim=3, layout="(n_samples, n_steps, n_features)")
    kernel = as_float_array(kernel, "kernel")
    recurrent_kernel = as_float_array(recurrent_kernel, "recurrent_kernel")
    bias = as_float_array(bias, "bias")
    units = _check_weights(kind, X.shape[2], kernel, recurrent_kernel, bias, reset_after)
    n = X.shape[0]
    if initial_state is None:
        h = np.zeros((n, units))
        c = np.zeros((n, units))
    elif kind == "lstm":
        h, c = (as_float_array(s, "initial_state") for s in initial_state)
    else:
        h = as_float_array(initial_state, "initial_state")
    if h.shape != (n, units):
        raise ValueError(
            f"initial_state must have shape {(n, units)}. Received: shape {h.shape}"
        )
    outputs = []
    for t in range(X.shape[1]):
        x = X[:, t, :]
        if kind == "simple_rnn":
            h = simple_rnn_cell(x, h, kernel, recurrent_kernel, bias)
        elif kind == "lstm":
            h, c = lstm_cell(x, (h, c), kernel, recurrent_kernel, bias)
        else:
            h = gru_cell(x, h, kernel, recurrent_kernel, bias, reset_after=reset_after)
        outputs.append(h)
    H = np.stack(outputs, axis=1) if return_sequences else h
    if return_state:
        return H, ((h, c) if kind == "lstm" else h)
    return H


def count_rnn_params(kind, n_features, units, *, reset_after=True):
    """Number of weights of a recurrent layer (the same as Keras' ``count_params``).

    ``g * (n_features * units + units * units + units)`` with ``g`` = 1, 4, 3 gates for
    SimpleRNN, LSTM and GRU, plus ``3 * units`` for the GRU's second bias row.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {sorted(KINDS)}. Received: kind={kind!r}")
    g = KINDS[kind]
    extra = 3 * units if kind == "gru" and reset_after else 0
    return g * (n_features * units + units * units + units) + extra
