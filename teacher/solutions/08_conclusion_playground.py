"""Answers of notebook 08's practice exercises (it has no build-it task)."""

ANSWERS = {
    "parameter_count": (2 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1),  # 105
    "config_line": "data=circles;seed=3;hidden=6;act=relu;lr=0.01",
}
