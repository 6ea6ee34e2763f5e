"""Answers of notebook 07's practice exercises (it has no build-it task)."""

import numpy as np

ANSWERS = {
    "optimizer_steps": 200 * int(np.ceil(100 / 32)),  # 4 batches per epoch: 800
    "noise_floor": 0.1**2,  # the variance of the noise
    "float32_rate": float(np.float32(0.001)),  # 0.0010000000474974513
}
