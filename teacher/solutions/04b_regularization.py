"""Solutions of notebook 04b's build-it tasks (merged into the teacher's notebook by
tools/classroom.py; each function's body replaces the placeholder of the same name) and the
model answer of its written question."""


def dropout_forward(A, rate, rng):
    keep = 1 - rate
    mask = (rng.random(A.shape) < keep) / keep
    return A * mask, mask


def dropout_backward(dout, mask):
    return dout * mask


def l2_penalty_grad(weights, l2):
    return [2 * l2 * W for W in weights]


WRITTEN = {
    "why_l1_zeros_weights": """
The gradient of each penalty is its pull towards 0. For L2 the pull is $2 \\lambda_2 W$,
proportional to the weight: as a weight gets smaller the pull gets weaker, so weights shrink
(the large ones most) but never reach 0, and a weight that helps the fit even a little can
stay well away from 0. For L1 the pull is $\\lambda_1 \\operatorname{sign}(W)$, the same size
however small the weight is. A weight whose gradient from the data loss cannot balance that
constant pull keeps being pushed until it reaches 0, so only the few connections the fit
really needs survive. (With Adam the others jitter around 0 instead of sitting exactly on it.)
""",
}
