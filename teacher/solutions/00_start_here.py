"""Answers of notebook 00's practice exercise (it has no build-it task)."""

ANSWERS = {
    "layer_params": 3 * 4 + 4,  # 12 weights + 4 biases = 16
}

WRITTEN = {
    "why_runs_differ": """
Each run starts from different random weights (and sees the batches in a different order), and
training only walks downhill from where it starts. So each run follows its own path and stops
in its own place: most runs end close to the noise floor, the error that the noise in the data
leaves, but now and then a start is unlucky. Some ReLU neurons then switch off for every input
("dead" neurons), the network has less to fit with, and its error stays higher. The code and
the data are the same; only the random start differs.
""",
}
