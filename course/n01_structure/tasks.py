"""Notebook 01's build-it task and exercises: a dense layer's linear step, the shape of a
kernel, the parameters of a network.

``dense_forward``'s checker calls the student's function on fresh random inputs, compares
it with a one-layer nnlib ``MLP`` holding the same weights, and names the typical
mistakes: the weights transposed or the product in the wrong order, the bias forgotten or
added along the wrong axis, an activation applied although only the linear step is asked
for, the inputs changed in place.
"""

from __future__ import annotations

import re

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays
from nnlib import activations
from nnlib.model import MLP

# ---------------------------------------------------------------- a dense layer, forwards


def _dense_forward_reference(X, W, b):
    """nnlib's linear step ``Z = X @ W + b``: a one-layer linear ``MLP`` holding W and b."""
    W = np.asarray(W, dtype=float)
    layer = MLP(list(W.shape), ["linear"], seed=0)
    layer.set_weights([W, np.asarray(b, dtype=float)])
    return layer.forward(np.asarray(X, dtype=float))


def _shape_reason(exc, X, W, b):
    """What a ValueError raised inside the student's layer most likely means."""
    text = str(exc)
    shapes = f"X has shape {X.shape}, W {W.shape} and b {b.shape}"
    if "matmul" in text or "aligned" in text:
        return (f"the matrix product failed ({text}). Here {shapes}: the samples are the rows "
                "of X and W has one row per input, so X comes first and neither needs "
                "transposing.")
    if "broadcast" in text:
        found = re.search(r"shapes \(([\d,\s]*)\)", text)
        first = tuple(int(v) for v in found.group(1).split(",") if v.strip()) if found else ()
        if X.shape[0] == W.shape[1] and first == (W.shape[0], X.shape[1]):
            return (f"adding the bias failed ({text}): the product before it has the shape "
                    f"of W @ X, {first}. Here {shapes}: the layer computes X @ W, one row per "
                    "sample and one column per neuron.")
        return (f"adding the bias failed ({text}). Here {shapes}: b holds one bias per "
                "neuron, that is per column of X @ W, and is added to every row.")
    return f"running it raised ValueError: {text}"


_ACTIVATED = ("your Z went through {}: dense_forward is only the linear step; the "
              "activation is applied after it, as a separate step.")


def _drop_none(mistakes):
    return [(value, message) for value, message in mistakes if value is not None]


def _check_dense_forward(fn, rng):
    # The first case is square in (samples, neurons), so a bias added along the wrong
    # axis or a transposed result runs without error and can be named; the second is
    # square in (inputs, neurons), so a transposed W runs too; in the others every shape
    # mistake shows.
    for n, n_in, n_out in [(4, 3, 4), (3, 4, 4), (5, 3, 2), (1, 2, 3)]:
        X = rng.normal(size=(n, n_in))
        W = rng.normal(size=(n_in, n_out))
        b = rng.normal(size=n_out)
        originals = (X.copy(), W.copy(), b.copy())
        try:
            got = call(fn, X, W, b)
        except ValueError as exc:
            return _shape_reason(exc, X, W, b)
        if got is None:
            return "your function returned None; did you forget `return`?"
        if any(not np.array_equal(a, o) for a, o in zip((X, W, b), originals)):
            return ("your function changed one of its inputs X, W or b; compute Z as a new "
                    "array and leave them as they were.")
        right = _dense_forward_reference(X, W, b)
        shape = np.shape(got)
        if shape != right.shape and shape == (n_out, n):
            return (f"for X of shape {X.shape} and W of shape {W.shape}, your result has shape "
                    f"{shape}: one row per neuron. Z keeps the samples in its rows, one "
                    "column per neuron: X comes first in the product.")
        no_bias = X @ W
        reason = compare_arrays(got, right, name=f"for X {X.shape}, W {W.shape}, your Z",
                                mistakes=_drop_none([
            (no_bias, "the bias b is missing: every neuron adds its own bias to its "
                      "weighted sum."),
            (no_bias + b[:, None] if n == n_out else None,
             "the bias is added along the wrong axis: b[j] belongs to neuron j, which is "
             "column j of Z, so it is added to every row, not to row j."),
            (right.T, "it is transposed: Z has one row per sample and one column per "
                      "neuron."),
            (no_bias - b, "the bias is subtracted; it is added."),
            (activations.relu(right), _ACTIVATED.format("ReLU")),
            (activations.sigmoid(right), _ACTIVATED.format("the sigmoid")),
            (np.tanh(right), _ACTIVATED.format("tanh")),
            (X @ W.T + b if n_in == n_out else None,
             "W is used transposed: W[i, j] is the weight from input i to neuron j, so "
             "column j of W holds neuron j's weights, and X is multiplied by W itself."),
        ]))
        if reason:
            return reason
    return None


dense_forward = Task(
    "dense_forward", _check_dense_forward, _dense_forward_reference,
    hints=["Every neuron takes the weighted sum of its inputs and adds its bias; a layer "
           "does that for all its neurons and all the samples at once.",
           "X is (n_samples, n_in) and W is (n_in, n_out): their matrix product is "
           "(n_samples, n_out), entry [n, j] being neuron j's weighted sum for sample n.",
           "Z = X W + b, with b (one entry per neuron) added to every row. No activation "
           "here."],
    seed=101,
    forbidden={"MLP.forward": MLP.forward, "MLP.predict": MLP.predict},
)

# ---------------------------------------------------------------- practice: numbers


def _kernel_shape_checker(answer):
    right = MLP([4, 8, 3], ["relu", "linear"], seed=0).weights[1].shape
    return compare_arrays(answer, right, name="your answer", mistakes=[
        (right[::-1], "that is (n_out, n_in); nnlib and Keras store a kernel as "
                      "(n_in, n_out), one row per input and one column per neuron."),
        ((4, 8), "that is the kernel of the hidden layer, W1; the output layer reads the "
                 "hidden layer's outputs."),
    ])


kernel_shape = Exercise(
    "1. Shape of a kernel", _kernel_shape_checker,
    hints=["The output layer's inputs are the outputs of the layer before it.",
           "A kernel has shape (n_in, n_out): one row per input, one column per neuron."],
)


def _network_params_checker(answer):
    sizes = [4, 8, 8, 3]
    right = MLP(sizes, ["relu", "relu", "linear"], seed=0).count_params()
    pairs = list(zip(sizes[:-1], sizes[1:]))
    weights = sum(a * b for a, b in pairs)
    return compare_arrays(answer, right, name="the number of parameters", mistakes=[
        (weights, "those are the weights only; every neuron after the input layer also has "
                  "a bias."),
        (sum(a * b + a for a, b in pairs), "each layer has one bias per neuron it computes "
                                          "(n_out), not one per input."),
        (right + sizes[0], "the input layer has no biases: it only passes the data on."),
        (sum(sizes), "that counts neurons, not parameters."),
        (int(np.prod(sizes)), "the layers' counts are added, not multiplied: work out each "
                              "layer on its own, then sum."),
    ])


network_params = Exercise(
    "2. Parameters of [4, 8, 8, 3]", _network_params_checker,
    hints=["The network has three dense layers: 4 -> 8, 8 -> 8 and 8 -> 3.",
           "A layer from n_in to n_out neurons has n_in * n_out weights and n_out biases; "
           "add up the three layers."],
)
