"""Solution of notebook 06b's build-it task (merged into the teacher's notebook by
tools/classroom.py), the answers of its practice exercises and the model answer of its
written question."""

import numpy as np


def k_fold_indices(n_samples, k, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    sizes = [n_samples // k + (1 if i < n_samples % k else 0) for i in range(k)]
    folds, start = [], 0
    for size in sizes:
        folds.append(order[start:start + size])
        start += size
    return [(np.concatenate(folds[:i] + folds[i + 1:]), folds[i]) for i in range(k)]


ANSWERS = {
    "fold_sizes": [360, 359],
    "times_trained": 4,
}

WRITTEN = {
    "why_cross_validation": """The two models differ by only about a point of accuracy,
while the accuracy of one split moves by several points depending on which images land
in its validation part: in section 7 the single splits of one model spread over several
points, and the MLP's lead on a single split ranged from much less than its
cross-validated lead (even nothing) to much more. So one split's gap is mostly the luck of
the draw. Cross-validation validates on every sample once and averages five folds, so the
luck of single folds largely cancels: the four cross-validations agreed closely, and
their mean puts the MLP ahead.""",
}
