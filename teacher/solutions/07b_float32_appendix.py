"""Answers of notebook 07b's practice exercise and the model answer of its written
question (it has no build-it task)."""

import numpy as np

ANSWERS = {
    "float32_rate": float(np.float32(0.001)),  # 0.0010000000474974513
}

WRITTEN = {
    "why_rounding_grows": """Adam's step size contains $\\sqrt{1 - \\beta_2^{\\,t}}$. For small $t$,
$\\beta_2^{\\,t}$ is close to 1, so $1 - \\beta_2^{\\,t}$ subtracts two numbers that agree in their
first few digits: those digits cancel, and what is left is small. An error in $\\beta_2$ of
about $10^{-8}$ (relative) is an absolute error of about $10^{-8}$ in $\\beta_2^{\\,t}$ too, but
relative to the small difference $1 - \\beta_2^{\\,t}$ (about $10^{-3}$ at the first step) it
is about a thousand times larger; the square root halves it. So every one of Keras' first
steps is a few parts in a million shorter than nnlib's.""",
}
