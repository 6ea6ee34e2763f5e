"""Notebook 07's practice exercises: the number of optimizer steps, the noise floor, and
the float32 value Keras uses for a learning rate of 0.001.

The expected values are computed here from nnlib (never written in the notebook), and the
checkers name the typical wrong answers.
"""

from __future__ import annotations

import inspect

import numpy as np

from course.exercises import Exercise, compare_arrays
from nnlib.data import batch_indices, make_linear

N_SAMPLES, EPOCHS, BATCH_SIZE = 100, 200, 32


def _steps_checker(answer):
    per_epoch = len(list(batch_indices(N_SAMPLES, BATCH_SIZE, shuffle=False)))
    return compare_arrays(answer, EPOCHS * per_epoch, rtol=0, atol=0,
                          name="the number of steps", mistakes=[
        (EPOCHS * (N_SAMPLES // BATCH_SIZE), "the last, smaller batch of each epoch is a "
                                             "step too."),
        (EPOCHS * N_SAMPLES / BATCH_SIZE, "100 / 32 is not a whole number of batches: count "
                                          "the batches, the last one being smaller."),
        (per_epoch, "that is one epoch; the training runs 200 of them."),
        (EPOCHS * N_SAMPLES, "that counts one step per sample; a step takes a whole batch."),
    ])


optimizer_steps = Exercise(
    "optimizer steps", _steps_checker,
    hints=["Count the batches of one epoch: 32 + 32 + 32 + what is left.",
           "One step per batch, the same batches count in every one of the 200 epochs."],
)

# the standard deviation of the noise of the article's data (make_linear's default, 0.1)
_NOISE = inspect.signature(make_linear).parameters["noise"].default


def _noise_checker(answer):
    # The expected MSE of the true line is the variance of the noise; a value measured on
    # the 100 points (e.g. 0.0093) is accepted too, within 10%.
    return compare_arrays(answer, _NOISE ** 2, rtol=0.1, name="the noise floor", mistakes=[
        (_NOISE, "that is the standard deviation of the noise; the MSE squares the errors, "
                 "so it is in squared units."),
        (2 * _NOISE ** 2, "the MSE of the true line is the mean of the squared noise, with "
                          "no factor 2."),
        (0.0, "even the true line is off by the noise at every point, so its MSE is not 0."),
    ])


noise_floor = Exercise(
    "noise floor", _noise_checker,
    hints=["The true line misses each point by exactly that point's noise; the MSE of the "
           "true line is the mean of the squared noise.",
           "For Gaussian noise of standard deviation sigma, that mean is about sigma^2."],
)


def _float32_checker(answer):
    stored = float(np.float32(0.001))
    return compare_arrays(answer, stored, rtol=1e-12, atol=0,
                          name="the float32 learning rate", mistakes=[
        (0.001, "that is the number written in the code; float32 cannot hold 0.001 exactly, "
                "so it keeps the nearest number it can."),
        (float(np.float16(0.001)), "that is float16 (half precision); Keras uses float32."),
    ])


float32_rate = Exercise(
    "learning rate in float32", _float32_checker,
    hints=["numpy can convert 0.001 to float32 (np.float32) and back to a Python float.",
           "Print the result with 13 or more decimals to see it differs from 0.001."],
)
