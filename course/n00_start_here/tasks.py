"""Notebook 00's practice exercise: the parameters of one dense layer.

The expected number comes from nnlib (an ``MLP`` of that shape counts its own
parameters), so the notebook holds neither the answer nor the formula in code.
"""

from __future__ import annotations

from course.exercises import Exercise, compare_arrays
from nnlib.model import MLP

N_IN, N_OUT = 3, 4


def _layer_params_checker(answer):
    right = MLP([N_IN, N_OUT], ["linear"], seed=0).count_params()
    return compare_arrays(answer, right, name="the number of parameters", mistakes=[
        (N_IN * N_OUT, "those are the weights only; every output neuron also has a bias."),
        (N_IN * N_OUT + N_IN, "the biases belong to the output neurons, one each, not to "
                              "the inputs."),
        (N_IN + N_OUT, "that counts neurons, not parameters: every output neuron has a "
                       "weight for every input."),
        (N_IN * N_OUT + N_IN + N_OUT, "the inputs have no bias: only the output neurons "
                                      "do."),
    ])


layer_params = Exercise(
    "Parameters of a 3 -> 4 dense layer", _layer_params_checker,
    hints=["Every output neuron is connected to every input, with one weight per "
           "connection.",
           "On top of its weights, every output neuron has one bias of its own."],
)
