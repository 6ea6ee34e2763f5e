"""Notebook 06b's build-it task and exercises: ``k_fold_indices``, the folds of k-fold
cross-validation; how large the folds of the digits are; how often a sample trains.

The checker calls the student's function for several sizes (some a multiple of k, some
not) and seeds, and checks what cross-validation needs: k pairs ``(train_idx,
val_idx)``; every sample in exactly one validation fold; the folds' sizes within 1 of
each other; each fold's training part the rest of the samples; the order shuffled, the
same for the same seed and different for another. A mistake is named only when the
student's folds show exactly what it does (each is run as code in the tests): the
remainder dropped (its samples never validated), the whole remainder in one fold,
folds drawn independently (they overlap), the samples not shuffled, the validation
samples left in training, the seed ignored, the pair returned the wrong way round.
"""

from __future__ import annotations

import inspect

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays

from .digits import k_fold_indices as _reference

# (n_samples, k): divisible and not, a remainder of 1 and of k - 1, k = 2
_SIZES = [(23, 5), (20, 4), (10, 3), (29, 5), (7, 2)]


def _as_indices(value, what):
    """``value`` as a 1-D array of int, or the reason it is not one."""
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 (the student's return value may be anything)
        return None, f"{what} should be an array of indices, got {type(value).__name__}."
    if array.ndim != 1:
        return None, f"{what} should be a 1-D array of indices; it has shape {array.shape}."
    if array.size and array.dtype.kind not in "iu":
        if array.dtype.kind == "b":
            return None, (f"{what} is an array of True/False (a mask); return the indices "
                          "themselves (np.flatnonzero turns a mask into indices).")
        return None, f"{what} should hold integer indices, not {array.dtype} values."
    return array.astype(int), None


def _folds(fn, n, k, seed):
    """The student's folds as ``[(train, val), ...]`` of int arrays, or the reason not."""
    out = call(fn, n, k, seed)
    if out is None:
        return None, "your function returned None; did you forget `return`?"
    if not isinstance(out, (list, tuple)):
        # a generator passes once, then cannot be indexed or used twice: the notebook needs
        # folds[0] and len(folds)
        return None, (f"return a list of k pairs (train_idx, val_idx); yours returns a "
                      f"{type(out).__name__}" + (" (wrap it in list(...), or build the list "
                      "and return it)" if inspect.isgenerator(out) else "") + ".")
    pairs = list(out)
    if len(pairs) != k:
        return None, (f"for n_samples={n}, k={k} your function returned {len(pairs)} pairs; "
                      f"k-fold cross-validation has k = {k} of them, one per fold.")
    folds = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            return None, f"item {i} is not a pair (train_idx, val_idx)."
        train, reason = _as_indices(pair[0], f"train_idx of fold {i}")
        if reason:
            return None, reason
        val, reason = _as_indices(pair[1], f"val_idx of fold {i}")
        if reason:
            return None, reason
        for name, idx in (("train_idx", train), ("val_idx", val)):
            if idx.size and (idx.min() < 0 or idx.max() >= n):
                return None, (f"{name} of fold {i} holds indices outside 0 .. {n - 1} "
                              f"(n_samples={n}).")
        folds.append((train, val))
    return folds, None


def _fold_reason(folds, n, k):
    """What is wrong with one call's folds (sizes and coverage), or None."""
    where = f"for n_samples={n}, k={k}"
    vals = [val for _, val in folds]
    trains = [train for train, _ in folds]
    sizes = [len(v) for v in vals]
    if all(len(t) < len(v) for t, v in folds) and sum(len(t) for t in trains) == n:
        return (f"{where}, each pair holds the validation fold first: return (train_idx, "
                "val_idx), the training part (the other folds) first.")
    counts = np.bincount(np.concatenate(vals), minlength=n) if n else np.zeros(0, int)
    never = int(np.sum(counts == 0))
    if np.any(counts > 1):
        twice = int(np.sum(counts > 1))
        return (f"{where}, {twice} samples are in more than one validation fold (and "
                f"{never} in none): the folds overlap. Shuffle once, then cut the one "
                "shuffled order into k consecutive pieces.")
    if never:
        if sizes == [n // k] * k:
            return (f"{where}, {never} samples are never validated: every fold has n_samples "
                    f"// k = {n // k} samples and the remainder n_samples % k = {n % k} is "
                    "dropped. Give the first n_samples % k folds one sample more.")
        return (f"{where}, {never} samples are in no validation fold: together the folds "
                "must hold every sample once.")
    if max(sizes) - min(sizes) > 1:
        return (f"{where}, the folds have {sorted(sizes)} samples: their sizes may differ "
                "by at most 1. Spread the remainder over the first n_samples % k folds "
                "instead of putting it all in one.")
    for i, (train, val) in enumerate(folds):
        inside = int(np.sum(np.isin(val, train)))
        if inside:
            return (f"{where}, the training part of fold {i} also holds {inside} of its "
                    "validation samples: the model would be scored on samples it trained "
                    "on. Train on the other folds only.")
        if len(np.unique(train)) != len(train):
            return f"{where}, the training part of fold {i} holds some samples twice."
        if len(train) + len(val) != n:
            return (f"{where}, fold {i}'s training part misses "
                    f"{n - len(train) - len(val)} samples of the other folds: train on "
                    "every sample outside the validation fold.")
    return None


def _unshuffled(folds):
    """Whether every validation fold is a run of consecutive indices in order."""
    return all(np.array_equal(val, np.arange(val[0], val[0] + len(val)))
               for _, val in folds if len(val))


def _same(a, b):
    return all(np.array_equal(x, y) for pa, pb in zip(a, b) for x, y in zip(pa, pb))


def _check_k_fold(fn, rng):
    sizes = list(_SIZES)
    sizes.append((int(rng.integers(30, 60)), int(rng.integers(3, 7))))
    seeds = [int(s) for s in rng.integers(1 << 30, size=len(sizes))]
    for (n, k), seed in zip(sizes, seeds):
        folds, reason = _folds(fn, n, k, seed)
        if reason:
            return reason
        reason = _fold_reason(folds, n, k)
        if reason:
            return reason
    n, k, seed = 40, 4, seeds[0]
    first, reason = _folds(fn, n, k, seed)
    if reason:
        return reason
    if _unshuffled(first):
        return ("the samples are not shuffled: each validation fold is a run of consecutive "
                "indices. Data sets are often sorted (the digits of one class together), "
                "and then a fold would hold only a few classes. Shuffle the indices with "
                "np.random.default_rng(seed) first.")
    again, reason = _folds(fn, n, k, seed)
    if reason:
        return reason
    if not _same(first, again):
        return ("two calls with the same seed give different folds: make the generator "
                "from the seed, np.random.default_rng(seed), so the split can be repeated.")
    other_seeds = [seed + 1, seed + 2, seed + 3]
    others = [_folds(fn, n, k, s) for s in other_seeds]
    for _, reason in others:
        if reason:
            return reason
    if all(_same(first, folds) for folds, _ in others):
        return ("every seed gives the same folds: the seed is ignored. Shuffle with "
                "np.random.default_rng(seed).")
    # the shuffle reaches every sample: over 40 seeds each sample lands in several folds
    n, k = 12, 3
    where = np.zeros((n, k), dtype=int)
    for s in range(40):
        folds, reason = _folds(fn, n, k, seed + 10 + s)
        if reason:
            return reason
        for i, (_, val) in enumerate(folds):
            where[val, i] += 1
    if np.any(np.count_nonzero(where, axis=1) == 1):
        return ("some samples land in the same fold whatever the seed: shuffle all the "
                "indices, then cut the shuffled order into folds.")
    return None


k_fold_indices = Task(
    "k_fold_indices", _check_k_fold, _reference,
    hints=["Shuffle the indices 0 .. n_samples - 1 once, with a generator made from the "
           "seed; then cut the shuffled order into k consecutive pieces, the folds.",
           "n_samples // k samples per fold leaves n_samples % k over: give one more to "
           "each of the first n_samples % k folds, so every sample is in exactly one fold "
           "and the sizes differ by at most 1.",
           "For fold i: val_idx is the fold itself; train_idx joins all the other folds "
           "(np.concatenate of the list without fold i)."],
    seed=306,
    owner="the course's",
)

# ---------------------------------------------------------------- practice: numbers


def _fold_sizes_checker(answer):
    return compare_arrays(answer, [360, 359], name="[largest, smallest]", mistakes=[
        ([359, 359], "1797 = 5 x 359 + 2: those 2 samples are not dropped, two folds get one "
                     "more."),
        ([361, 359], "that puts the whole remainder in one fold; it is spread over two "
                     "folds, one sample each."),
        ([359, 360], "largest first: [largest, smallest]."),
    ])


fold_sizes = Exercise(
    "1. The folds of the digits", _fold_sizes_checker,
    hints=["Divide 1797 by 5: the whole part is the size of every fold, the remainder says "
           "how many folds get one sample more.",
           "1797 = 5 x 359 + 2."],
)


def _times_trained_checker(answer):
    return compare_arrays(answer, 4, name="your answer", mistakes=[
        (5, "in the round where its own fold is validated, a sample is not trained on."),
        (1, "once is how often a sample is validated; it trains in every other round."),
    ])


times_trained = Exercise(
    "2. How often a sample trains", _times_trained_checker,
    hints=["5-fold cross-validation trains 5 networks, one per fold held out.",
           "A sample is held out in exactly one of the 5 rounds."],
)
