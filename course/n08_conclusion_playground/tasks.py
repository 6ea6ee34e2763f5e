"""Notebook 08's practice exercises: counting the parameters of the playground's default
network, and writing a configuration line.

The expected values are computed here with nnlib (never written in the notebook).
"""

from __future__ import annotations

from course.exercises import Exercise, compare_arrays
from nnlib.model import MLP

from .playground_config import PlaygroundConfig, config_text_checker

SIZES = [2, 8, 8, 1]


def _params_checker(answer):
    model = MLP(SIZES, ["relu", "relu", "sigmoid"], seed=0)
    pairs = list(zip(SIZES[:-1], SIZES[1:]))
    weights = sum(a * b for a, b in pairs)
    biases = sum(b for _, b in pairs)
    return compare_arrays(answer, model.count_params(), rtol=0, atol=0,
                          name="the number of parameters", mistakes=[
        (weights, "those are the weights only; every neuron after the input also has a "
                  "bias."),
        (weights + sum(SIZES), "the inputs have no biases: only the neurons of the hidden "
                               "layers and the output have one."),
        (sum(a * b + b for a, b in pairs[:-1]), "the output layer's weights and bias count "
                                                "too."),
        (biases, "those are the biases only; add the weights, n_in * n_out per layer."),
    ])


parameter_count = Exercise(
    "parameters of [2, 8, 8, 1]", _params_checker,
    hints=["A dense layer from n_in to n_out neurons has n_in * n_out weights and n_out "
           "biases.",
           "Three layers: 2 to 8, 8 to 8 and 8 to 1. Add up the weights and biases of each."],
)

TARGET = PlaygroundConfig(dataset="circles", seed=3, hidden=(6,), activation="relu",
                          learning_rate=0.01)

config_line = Exercise(
    "configuration text", config_text_checker(TARGET),
    hints=["Start from PlaygroundConfig().to_string() and change the keys data, seed, "
           "hidden, act and lr.",
           "Keys you leave out keep their defaults, so a line with only those five keys "
           "separated by ';' is enough."],
)
