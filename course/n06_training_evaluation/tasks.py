"""Notebook 06's exercises: precision, recall and F1 from a confusion matrix, R^2, and an
early-stopping callback; two practice exercises (scores from counts, when early stopping
stops).

Each checker runs the student's code on fresh random inputs, compares it with
``nnlib.metrics`` or ``nnlib.callbacks.EarlyStopping``, and names the typical mistakes it
recognises. No message contains an expected number.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from course.exercises import Exercise, Task, call, compare_arrays
from nnlib import callbacks, metrics

# ---------------------------------------------------------------- precision, recall and F1


def _precision_recall_f1_reference(cm):
    """nnlib.metrics' precision, recall and F1 of class 1 for the 2 x 2 confusion matrix
    ``cm`` (rows: true class, columns: predicted class)."""
    counts = np.asarray(cm, dtype=int).ravel()  # TN, FP, FN, TP
    y_true = np.repeat([0, 0, 1, 1], counts)
    y_pred = np.repeat([0, 1, 0, 1], counts)
    return (metrics.precision(y_true, y_pred), metrics.recall(y_true, y_pred),
            metrics.f1(y_true, y_pred))


def _random_matrix(rng):
    """A 2 x 2 matrix of counts with FP != FN and TN != TP (so that a swap shows)."""
    while True:
        cm = rng.integers(1, 60, size=(2, 2))
        if cm[0, 1] != cm[1, 0] and cm[0, 0] != cm[1, 1]:
            return cm


def _triple(out):
    """The student's ``(precision, recall, f1)`` as a float array, or the reason it is not."""
    if not isinstance(out, (tuple, list, np.ndarray)) or len(out) != 3:
        return None, "return three numbers: (precision, recall, f1)."
    try:
        return np.array([float(v) for v in out]), None
    except (TypeError, ValueError):
        return None, "precision, recall and f1 should each be a number."


def _check_precision_recall_f1(fn, rng):
    for _ in range(3):
        cm = _random_matrix(rng)
        got, reason = _triple(call(fn, cm.copy()))
        if reason:
            return reason
        right = np.array(_precision_recall_f1_reference(cm))
        p, r, _ = right
        p0, r0, _ = _precision_recall_f1_reference(cm[::-1, ::-1])  # class 0 as the positive
        reason = compare_arrays(got, right, name=f"for the matrix {cm.tolist()}, the result",
                                mistakes=[
            ([r, p, right[2]], "precision and recall are swapped. Precision divides TP by "
                               "everything predicted positive (the column TP + FP), recall by "
                               "every true positive (the row TP + FN); rows are the true "
                               "class, so reading the matrix transposed swaps them too."),
            ([p0, r0, 2 * p0 * r0 / (p0 + r0)], "these are the scores of class 0; the positive "
                                                "class is class 1, the second row and column."),
            ([p, r, (p + r) / 2], "F1 is the harmonic mean of precision and recall, not their "
                                  "average: it is high only when both are."),
            ([p, r, math.sqrt(p * r)], "F1 is the harmonic mean of precision and recall, not "
                                       "the geometric mean."),
        ])
        if reason:
            return reason
    # Where a ratio has nothing to divide by, nnlib.metrics gives 0 and no warning.
    a, b, c = (int(v) for v in rng.integers(1, 40, size=3))
    for cm in ([[a, 0], [b, 0]], [[a, b], [0, 0]], [[a, b], [c, 0]]):
        cm = np.array(cm)
        where = f"for the matrix {cm.tolist()}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                out = call(fn, cm.copy())
            except ZeroDivisionError:
                return (f"{where}, {_why_zero(cm, (True, True, True))}, and your code raised "
                        "ZeroDivisionError. Return 0 for that score, as nnlib.metrics does.")
        got, reason = _triple(out)
        if reason:
            return reason
        bad = ~np.isfinite(got)
        if bad.any() or any(issubclass(w.category, RuntimeWarning) for w in caught):
            detail = (f"your {' and '.join(n for n, b_ in zip(_NAMES, bad) if b_)} came out "
                      "NaN or inf" if bad.any() else "a division warning")
            return (f"{where}, {_why_zero(cm, bad if bad.any() else (True, True, True))}: "
                    f"your code divided by zero ({detail}). Return 0 for that score without "
                    "dividing, as nnlib.metrics does.")
        reason = compare_arrays(got, _precision_recall_f1_reference(cm),
                                name=f"{where}, the result")
        if reason:
            return reason + f" ({_why_zero(cm, (True, True, True))}: 0 by convention.)"
    return None


_NAMES = ("precision", "recall", "f1")


def _why_zero(cm, which):
    """Why the scores flagged in ``which`` have nothing to divide by for ``cm``."""
    (_, fp), (fn, tp) = cm
    reasons = [
        "nothing is predicted positive (TP + FP = 0), so precision has nothing to divide by"
        if tp + fp == 0 else None,
        "there is no true positive to find (TP + FN = 0), so recall has nothing to divide by"
        if tp + fn == 0 else None,
        "TP = 0 makes precision and recall both 0, so the F1 formula divides 0 by 0"
        if tp == 0 else None,
    ]
    chosen = [r for r, flag in zip(reasons, which) if flag and r]
    return "; ".join(chosen or [r for r in reasons if r])


precision_recall_f1 = Task(
    "precision_recall_f1", _check_precision_recall_f1, _precision_recall_f1_reference,
    hints=["Name the four cells first. Rows are the true class and columns the predicted "
           "class, so TP is where true 1 meets predicted 1; FP is predicted 1 but truly 0.",
           "precision = TP / (TP + FP), recall = TP / (TP + FN), and F1 = 2 P R / (P + R).",
           "Test each denominator before dividing: when it is 0 the score is 0."],
    seed=601,
    forbidden={"metrics.precision": metrics.precision, "metrics.recall": metrics.recall,
               "metrics.f1": metrics.f1, "metrics.confusion_matrix": metrics.confusion_matrix},
)

# ---------------------------------------------------------------- R^2


def _check_r2(fn, rng):
    n = int(rng.integers(8, 15))
    y = rng.normal(loc=3.0, size=(n, 1))
    for y_hat in (y + 0.3 * rng.normal(size=(n, 1)),        # a good model: R^2 near 1
                  rng.normal(loc=2.0, size=(n, 1))):        # a bad one: R^2 below 0
        got = call(fn, y.copy(), y_hat.copy())
        if got is None:
            return "your function returned None; did you forget `return`?"
        if np.size(got) == 1 and not isinstance(got, (str, bytes)):
            got = float(np.ravel(got)[0])
        right = metrics.r2(y, y_hat)
        ss_res = np.sum((y - y_hat) ** 2)
        reason = compare_arrays(got, right, name="R^2", mistakes=[
            (1 - ss_res / np.sum((y - y_hat.mean()) ** 2),
             "the mean in the denominator is that of the true values y, not of the "
             "predictions."),
            (1 - ss_res / np.sum((y_hat - y_hat.mean()) ** 2),
             "the denominator measures the spread of the true values y around their mean, "
             "not the spread of the predictions."),
            (ss_res / np.sum((y - y.mean()) ** 2),
             "that is the ratio of the two sums alone; R^2 is 1 minus it."),
            (np.sum((y - y.mean()) ** 2) / ss_res,
             "the ratio is upside down: the squared errors of the model go on top."),
            (np.corrcoef(y.ravel(), y_hat.ravel())[0, 1] ** 2,
             "that is the squared correlation, which equals R^2 only for a least-squares line "
             "fitted to the same data; use the two sums of squares."),
            (1 - np.mean((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2),
             "the top is a mean and the bottom a sum: use sums for both (or means for both)."),
        ])
        if reason:
            return reason
    return None


r2_score = Task(
    "r2_score", _check_r2, lambda y, y_hat: metrics.r2(y, y_hat),
    hints=["R^2 compares two sums of squares: the model's squared errors, and those of a "
           "model that always predicts the mean of the true values.",
           "R^2 = 1 - sum (y - y_hat)^2 / sum (y - mean(y))^2."],
    seed=602,
    forbidden={"metrics.r2": metrics.r2},
)

# ---------------------------------------------------------------- early stopping


class _EarlyStoppingReference(callbacks.EarlyStopping):
    """``nnlib.callbacks.EarlyStopping`` with the notebook's signature ``(patience)``."""

    def __init__(self, patience):
        super().__init__(None, monitor="val_loss", patience=patience,
                         restore_best_weights=False)


def _rule(values, patience, *, limit=None, ties=False, last=False, reset=True):
    """``(stop_epoch or None, best_epoch)`` of early stopping on ``values``, with a mistake.

    limit: stop when the wait reaches it (the patience when None); ties: ``<=`` counts as an
    improvement; last: compare with the previous epoch's value instead of the best so far;
    reset: the wait goes back to 0 on an improvement.
    """
    limit = patience if limit is None else limit
    best, best_epoch, wait = math.inf, None, 0
    for epoch, value in enumerate(values, 1):
        better = value <= best if ties else value < best
        if better:
            best_epoch, wait = epoch, (0 if reset else wait)
        else:
            wait += 1
        if better or last:
            best = value
        if not better and wait >= limit:
            return epoch, best_epoch
    return None, best_epoch


def _first_rise(values):
    """``(stop_epoch or None, best_epoch)`` when stopping at the first rise of the loss."""
    for epoch in range(2, len(values) + 1):
        if values[epoch - 1] > values[epoch - 2]:
            return epoch, int(np.argmin(values[:epoch])) + 1
    return None, int(np.argmin(values)) + 1


def _curves(rng):
    """Random validation curves that go down, wander and turn up (with ties: two decimals),
    each with a patience; drawn until every named mistake changes at least one outcome."""
    curves = []
    variants = _variant_rules()
    for _ in range(60):
        n = int(rng.integers(14, 26))
        steps = np.concatenate([rng.integers(-4, 2, size=n // 2),
                                rng.integers(-2, 4, size=n - n // 2)])
        values = np.round(1.0 + 0.01 * np.cumsum(steps), 2)
        patience = int(rng.integers(2, 5))
        curves.append((values.tolist(), patience))
        right = [_rule(v, p) for v, p in curves]
        seen = [any(rule(v, p)[0] != r[0] for (v, p), r in zip(curves, right))
                for rule, _ in variants]
        if len(curves) >= 4 and all(seen):
            break
    return curves


def _variant_rules():
    return [
        (lambda v, p: (None, _rule(v, p)[1]),
         "your callback never asked to stop: return True once the validation loss "
         "(logs['val_loss']) has not improved for `patience` epochs in a row."),
        (lambda v, p: _rule(v, p, limit=1),
         "it stops at the first epoch that does not improve; wait for `patience` such "
         "epochs in a row before stopping."),
        (lambda v, p: _first_rise(v),
         "it stops as soon as the loss rises once; wait until `patience` epochs in a row "
         "bring no new best."),
        (lambda v, p: _rule(v, p, limit=p + 1),
         "it stops one epoch late: stop when the count of epochs without improvement "
         "reaches `patience`, not when it goes past it."),
        (lambda v, p: _rule(v, p, limit=p - 1),
         "it stops one epoch early: stop when the count of epochs without improvement "
         "reaches `patience` (count the epoch that does not improve before comparing)."),
        (lambda v, p: _rule(v, p, ties=True),
         "a loss equal to the best so far counts as an improvement in yours: an epoch "
         "improves only if its loss is strictly lower (<, not <=)."),
        (lambda v, p: _rule(v, p, last=True),
         "it compares each loss with the previous epoch's instead of the best so far: "
         "update `best` only when the loss improves."),
        (lambda v, p: _rule(v, p, reset=False),
         "the count of epochs without improvement must go back to 0 whenever the loss "
         "improves."),
    ]


def _run_callback(cls, values, patience, train_losses):
    """Run the student's callback on one curve: ``(stop_epoch or None, callback)``."""
    cb = cls(patience)
    for epoch, (value, loss) in enumerate(zip(values, train_losses), 1):
        if call(cb, epoch, {"loss": loss, "val_loss": value}):
            return epoch, cb
    return None, cb


def _check_early_stopping(cls, rng):
    if not isinstance(cls, type):
        return f"expected the class EarlyStopping, got {type(cls).__name__}."
    curves = _curves(rng)
    got, right = [], []
    for values, patience in curves:
        train_losses = [0.9 / (1 + 0.2 * t) for t in range(len(values))]  # keeps falling
        stop, cb = _run_callback(cls, values, patience, train_losses)
        reference = _EarlyStoppingReference(patience)
        ref_stop = next((epoch for epoch, value in enumerate(values, 1)
                         if reference(epoch, {"val_loss": value})), None)
        right.append((ref_stop, reference.best_epoch))
        got.append((stop, getattr(cb, "best_epoch", None), getattr(cb, "best", None),
                    reference.best))
    if [g[0] for g in got] != [r[0] for r in right]:
        for rule, message in _variant_rules():
            if all(g[0] == rule(v, p)[0] for g, (v, p) in zip(got, curves)):
                return message
        (values, patience), (stop, *_), (ref_stop, _) = next(
            (c, g, r) for c, g, r in zip(curves, got, right) if g[0] != r[0])
        late = stop is None or (ref_stop is not None and stop > ref_stop)
        when = "never stopped" if stop is None else f"stopped after epoch {stop}"
        return (f"with patience={patience} and the validation losses {values} (epochs from "
                f"1), yours {when}, which is too {'late' if late else 'early'}.")
    for (values, patience), (_, best_epoch, best, ref_best), (_, ref_best_epoch) in zip(
            curves, got, right):
        if best_epoch != ref_best_epoch:
            if best_epoch is None:
                return "it stops at the right epoch, but self.best_epoch is never set."
            if _rule(values, patience, ties=True)[1] == best_epoch:
                return ("it stops at the right epoch, but best_epoch moves to a later epoch "
                        "whose loss only equals the best: an improvement must be strictly "
                        "lower.")
            return (f"it stops at the right epoch, but self.best_epoch is not the epoch of the "
                    f"lowest validation loss (patience={patience}, losses {values}).")
        try:
            best_ok = best is not None and math.isclose(float(best), ref_best)
        except (TypeError, ValueError):
            best_ok = False
        if not best_ok:
            return ("it stops at the right epoch, but self.best is not the lowest validation "
                    "loss seen so far.")
    return None


early_stopping = Task(
    "EarlyStopping", _check_early_stopping, _EarlyStoppingReference,
    hints=["After each epoch, compare the validation loss with the best one so far. If it is "
           "lower, remember it and its epoch and start counting again from 0; if not, count "
           "one more epoch without improvement.",
           "An improvement is strictly lower than the best so far (a tie is not one). Stop "
           "(return True) as soon as the count of epochs without improvement reaches the "
           "patience; otherwise return False.",
           "Epochs count from 1, as fit passes them; best_epoch is the epoch of the lowest "
           "loss."],
    seed=603,
    # _rule builds the mistakes: with its defaults it is the right rule
    forbidden={"callbacks.EarlyStopping": callbacks.EarlyStopping, "tasks._rule": _rule},
)

# ---------------------------------------------------------------- practice: numbers

_COUNTS = np.array([[50, 10], [5, 35]])


def _counts_checker(answer):
    p, r, _ = _precision_recall_f1_reference(_COUNTS)
    p0, r0, _ = _precision_recall_f1_reference(_COUNTS[::-1, ::-1])
    return compare_arrays(answer, [p, r], atol=1e-3, name="[precision, recall]", mistakes=[
        ([r, p], "precision and recall are swapped: precision divides by what was predicted "
                 "positive (a column), recall by what truly is positive (a row)."),
        ([p0, r0], "those are the scores of class 0; class 1 is the positive class."),
    ])


from_counts = Exercise(
    "1. Precision and recall from a confusion matrix", _counts_checker,
    hints=["TP is the bottom-right cell (true 1, predicted 1); FP is above it (true 0, "
           "predicted 1); FN is left of it (true 1, predicted 0).",
           "precision = TP / (TP + FP), recall = TP / (TP + FN); three decimals are enough."],
)

_VAL_LOSSES = [0.90, 0.70, 0.62, 0.65, 0.61, 0.63, 0.64, 0.66, 0.70, 0.75]


def _stop_checker(answer):
    early = _EarlyStoppingReference(patience=3)
    for epoch, value in enumerate(_VAL_LOSSES, 1):
        if early(epoch, {"val_loss": value}):
            break
    best, stopped = early.best_epoch, early.stopped_epoch
    first_rise = next(e for e in range(2, len(_VAL_LOSSES) + 1)
                      if _VAL_LOSSES[e - 1] > _VAL_LOSSES[e - 2])
    return compare_arrays(answer, [best, stopped], name="[best_epoch, stopped_epoch]",
                          mistakes=[
        ([stopped, best], "the two are in the wrong order: [best_epoch, stopped_epoch]."),
        ([best, stopped - 1], "it stops after the third epoch without improvement, not the "
                              "second."),
        ([best, stopped + 1], "it stops after the third epoch without improvement, not the "
                              "fourth."),
        ([first_rise - 1, first_rise], "the first rise is not the end: patience=3 waits for "
                                       "three epochs in a row without a new best."),
        ([first_rise - 1, first_rise + 2], "the loss falls below the best again later; that "
                                           "epoch is a new best and the count starts over."),
    ])


when_it_stops = Exercise(
    "2. When does early stopping stop?", _stop_checker,
    hints=["Go epoch by epoch: an epoch improves if its loss is below the best so far.",
           "Count the epochs without improvement since the best one; stop when the count "
           "reaches 3."],
)
