"""06b_digits: what makes each of its checks hold for any COURSE_SEED (see sweeping.py).

Seed s is what the notebook computes with COURSE_SEED=s, with nnlib's stand-ins for the
student's pieces and the course's ``k_fold_indices`` (a student's pieces pass checks that
compare them with these; the notebook checks that their runs equal nnlib's). The data
are read once and kept, so a seed costs only its trainings.
"""

import numpy as np
from sweeping import Bounded, Exact, OverRuns, Swept, n_seeds, sweep  # noqa: F401

from course import student_library
from course.n06b_digits import digits
from nnlib import metrics

CHECKS = {
    # cell 4
    'X.shape == (1797, 64) and X.min() == 0.0 and (X.max() == 1.0)': Exact(
        "the data shipped with scikit-learn: grey levels 0 to 16, divided by 16"),
    # cell 4
    'np.all(np.abs(np.bincount(y_test) - 0.2 * np.bincount(y)) <= 0.5)': Exact(
        "stratified_split rounds 20% of each digit to the nearest count"),
    # cell 4
    'not set(train_idx) & set(test_idx) and len(train_idx) + len(test_idx) == len(X)': Exact(
        "stratified_split cuts each digit's shuffled indices in two"),
    # cell 7
    'loss_gap < 1e-10 and weight_gap < 1e-10': Swept("test_the_pieces_train_as_nnlib"),
    # cell 7
    'softmax_accuracy[0] < 0.3 and softmax_accuracy[-1] > 0.9': Swept(
        "test_the_pieces_train_as_nnlib"),
    # cell 10
    'epoch_widget.accuracy == softmax_accuracy[1]': Exact(
        "the widget looks up the accuracy of the weights kept after that epoch"),
    # cell 13
    'np.array_equal(matches, np.arange(10))': Swept("test_the_pieces_train_as_nnlib"),
    # cell 16
    'mlp_loss_gap < 1e-10 and mlp_weight_gap < 1e-10': Swept("test_the_pieces_train_as_nnlib"),
    # cell 16
    'mlp_accuracy[-1] > 0.9': Swept("test_the_pieces_train_as_nnlib"),
    # cell 19
    'np.isclose(np.trace(C) / C.sum(), np.mean(predicted == y_test))': Exact(
        "the diagonal counts the right answers"),
    # cell 19
    'C.sum() == len(y_test) and np.array_equal(C.sum(axis=1), np.bincount(y_test))': Exact(
        "each test image is counted once, in the row of its digit"),
    # cell 26
    'np.array_equal(np.sort(np.concatenate([val for _, val in folds])), '
    'np.arange(len(X_train)))': Exact(
        "a k_fold_indices that passes its check puts every sample in one fold (the course's "
        "stands in otherwise)"),
    # cell 29
    'np.ptp(scores) > 1.5 * np.ptp(scores.mean(axis=1))': Swept("test_cross_validation"),
    # cell 32
    'cv_gap > 0': Swept("test_cross_validation"),
    # cell 32
    'gaps.min() < 0.7 * cv_gap and gaps.max() > 1.3 * cv_gap': Swept("test_cross_validation"),
}

PIECES = ("dense_forward", "relu", "relu_grad", "softmax_cross_entropy", "dense_backward",
          "train", "Adam")


def _stand_ins():
    return student_library.Pieces(**{name: student_library.stand_in(name) for name in PIECES},
                                  whose={})


def _split(seed):
    X, y = digits.load_digits()
    train, test = digits.stratified_split(y, test_size=0.2, seed=seed)
    return X[train], y[train], X[test], y[test]


def _gaps(run, twin):
    return (max(abs(a - b) for a, b in zip(run.losses, twin.losses)),
            max(float(np.max(np.abs(a - b))) for a, b in zip(run.weights, twin.weights)))


def measure_pieces(seed):
    """Cells 6-19 with COURSE_SEED=seed."""
    X_train, y_train, X_test, y_test = _split(seed)
    mine = _stand_ins()
    out = {}
    for key, name in (("softmax", "softmax regression"), ("mlp", "MLP 64-32-10")):
        run = digits.run_with_pieces(mine, digits.RECIPES[name], X_train, y_train, seed=seed)
        twin = digits.run_with_nnlib(digits.RECIPES[name], X_train, y_train, seed=seed)
        loss_gap, weight_gap = _gaps(run, twin)
        accuracy = run.accuracies(X_test, y_test)
        out[f"{key}_gap"] = max(loss_gap, weight_gap)
        out[f"{key}_before"], out[f"{key}_after"] = accuracy[0], accuracy[-1]
        if key == "softmax":
            matches = digits.template_matches(run.weights, X_train, y_train)
            out["templates_matched"] = int(np.sum(matches == np.arange(10)))
        else:
            predicted = digits.Classifier(run.weights, mine).predict(X_test)
            C = metrics.confusion_matrix(y_test, predicted, labels=list(range(10)))
            out["most_confused"] = digits.confused_pairs(C, top=1)[0][2]
    return out


def test_the_pieces_train_as_nnlib():
    sweep(measure_pieces, {
        "softmax regression on the pieces equals nnlib's run (loss and weights < 1e-10)": (
            "softmax_gap", lambda v: v < 1e-10),
        "softmax regression: before training under 0.3": ("softmax_before", lambda v: v < 0.3),
        "softmax regression: after training over 0.9": ("softmax_after", lambda v: v > 0.9),
        "each weight picture is most like its own digit's mean image (all 10)": (
            "templates_matched", lambda v: v == 10),
        "the MLP on the pieces equals nnlib's run (loss and weights < 1e-10)": (
            "mlp_gap", lambda v: v < 1e-10),
        "the MLP: after training over 0.9": ("mlp_after", lambda v: v > 0.9),
        "(shown, not checked) the most confused pair's count": ("most_confused",
                                                               lambda v: True),
    })


def measure_cv(seed):
    """Cells 28-32 with COURSE_SEED=seed: four runs of 5-fold cross-validation of the
    training set, both recipes on the same folds."""
    X_train, y_train, _, _ = _split(seed)
    cv = digits.repeated_cv(digits.k_fold_indices, X_train, y_train, k=5, repeats=4,
                            seed=seed)
    gaps = cv["MLP 64-32-10"] - cv["softmax regression"]
    cv_gap = gaps.mean()
    ratios = [np.ptp(s) / max(np.ptp(s.mean(axis=1)), 1e-12) for s in cv.values()]
    return {
        "spread_ratio": min(ratios),
        "single_spread": min(np.ptp(s) for s in cv.values()),
        "cv_gap": cv_gap,
        "low_gap_ratio": gaps.min() / cv_gap,
        "high_gap_ratio": gaps.max() / cv_gap,
        "splits_level_or_behind": int(np.sum(gaps <= 0)),
    }


def test_cross_validation():
    sweep(measure_cv, {
        "single splits spread over more than 1.5 times the range of the cross-validations "
        "(both models)": ("spread_ratio", lambda v: v > 1.5),
        "(shown) the narrower range of single splits": ("single_spread", lambda v: True),
        "cross-validation puts the MLP ahead": ("cv_gap", lambda v: v > 0),
        "the smallest single-split gap is under 0.7 times the CV gap": (
            "low_gap_ratio", lambda v: v < 0.7),
        "the largest single-split gap is over 1.3 times the CV gap": (
            "high_gap_ratio", lambda v: v > 1.3),
        "(shown) splits where the MLP is level or behind": ("splits_level_or_behind",
                                                            lambda v: True),
    })
