"""Answers of notebook 08's practice exercises (it has no build-it task)."""

ANSWERS = {
    "parameter_count": (2 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1),  # 105
    "config_line": "data=circles;seed=3;hidden=6;act=relu;lr=0.01",
}

WRITTEN = {
    "why_squared_features": r"""Without a hidden layer the output is a sigmoid of one weighted sum
of the inputs, so the boundary (output 0.5) is where that sum is zero. On $x_1$ and $x_2$
that set is a straight line, and no straight line separates a disc from the ring around it.
On $x_1^2$ and $x_2^2$ the boundary is $w_1 x_1^2 + w_2 x_2^2 = -b$: an ellipse when the
weights and $-b$ have the same sign, nearly a circle when the two weights are about equal,
and it can lie between the two rings. The right inputs do the job a hidden layer would
otherwise have to learn.""",
}
