"""Answers of notebook 00's practice exercise (it has no build-it task)."""

ANSWERS = {
    "layer_params": 3 * 4 + 4,  # 12 weights + 4 biases = 16
}
