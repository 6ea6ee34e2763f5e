"""Why the test set is touched once: the optimism of choosing a setting on the test set.

``simulate_test_reuse`` measures it by simulation over many random test sets.
"""

from __future__ import annotations

import numpy as np

from nnlib.validation import check_positive_int


def simulate_test_reuse(correct, chosen_by_validation, *, test_size, n_repeats=200, seed=None):
    """What reusing the test set for tuning does to the reported score, by simulation.

    ``correct[k, i]`` says whether setting ``k``'s model gets sample ``i`` of a large
    pool of new data right. Each repeat draws a test set of ``test_size`` samples from
    the pool; the rest of the pool stands for the future data the model will meet.
    Two ways of reporting a score are compared:

    - **reuse**: pick the setting with the best accuracy *on this test set* and report
      that accuracy (the test set was used for tuning);
    - **once**: take the setting chosen on the validation set
      (``chosen_by_validation``) and report its accuracy on this test set (the test set
      was touched once).

    Parameters
    ----------
    correct : array_like of bool, shape (n_settings, n_pool)
    chosen_by_validation : int
        Index of the setting picked on the validation set.
    test_size : int
        Samples per test set (< n_pool).
    n_repeats : int, default=200
    seed : int, numpy Generator or None

    Returns
    -------
    dict of str -> ndarray of shape (n_repeats,)
        ``reuse_reported``, ``reuse_true``, ``once_reported``, ``once_true``: the
        reported accuracy and the accuracy on the rest of the pool, per repeat. The
        mean of ``reuse_reported - reuse_true`` is the optimism of reusing the test set.

    Notes
    -----
    The maximum of many noisy estimates is, on average, above the true value of the
    one it picks: ``E[max_k acc_k(test)] >= E[acc_best(test)]``. A test score used for
    choosing is no longer an unbiased estimate.
    """
    correct = np.asarray(correct, dtype=bool)
    if correct.ndim != 2:
        raise ValueError(f"correct must be 2-D (n_settings, n_pool), got shape {correct.shape}.")
    n_settings, n_pool = correct.shape
    k_val = int(chosen_by_validation)
    if not 0 <= k_val < n_settings:
        raise ValueError(f"chosen_by_validation must be in [0, {n_settings}). "
                         f"Received: chosen_by_validation={chosen_by_validation!r}")
    test_size = check_positive_int(test_size, "test_size")
    if test_size >= n_pool:
        raise ValueError(f"test_size must be smaller than the pool ({n_pool}). "
                         f"Received: test_size={test_size}")
    n_repeats = check_positive_int(n_repeats, "n_repeats")
    rng = np.random.default_rng(seed)
    out = {key: np.empty(n_repeats) for key in
           ("reuse_reported", "reuse_true", "once_reported", "once_true")}
    for r in range(n_repeats):
        in_test = np.zeros(n_pool, dtype=bool)
        in_test[rng.choice(n_pool, size=test_size, replace=False)] = True
        test_acc = correct[:, in_test].mean(axis=1)
        future_acc = correct[:, ~in_test].mean(axis=1)
        k_test = int(np.argmax(test_acc))
        out["reuse_reported"][r], out["reuse_true"][r] = test_acc[k_test], future_acc[k_test]
        out["once_reported"][r], out["once_true"][r] = test_acc[k_val], future_acc[k_val]
    return out
