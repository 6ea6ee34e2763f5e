"""Answers of notebook 07's practice exercises (it has no build-it task)."""

import numpy as np

ANSWERS = {
    "optimizer_steps": 200 * int(np.ceil(100 / 32)),  # 4 batches per epoch: 800
    "noise_floor": 0.1**2,  # the variance of the noise
}

WRITTEN = {
    "why_runs_drift_apart": """The mathematics is the same; three details of the runs differ.
Each library shuffles the batches with its own random generator, so the two see the samples
in a different order. Keras computes in float32 (about 7 digits), nnlib in float64 (about
16). And Keras stores the learning rate and the betas in float32, where 0.001, 0.9 and 0.999
are not exact. The small differences of the first steps grow over hundreds of steps. Section
3 removes all three (no shuffling, float64 on both sides, hyperparameters float32 holds
exactly), and then the weights agree to 11 digits or more.""",
}
