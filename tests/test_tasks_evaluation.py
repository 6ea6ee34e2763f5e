"""Notebook 06's tasks (course/n06_training_evaluation/tasks.py): the solutions pass, every named mistake
is recognised, placeholders count as not attempted, and ``use`` falls back to nnlib."""

import importlib
import math
import re
import sys
import warnings

import numpy as np
import pytest

from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED
from course.n06_training_evaluation import tasks
from nnlib import callbacks, metrics

sys.path.insert(0, "teacher/solutions")
sol = importlib.import_module("06_training_evaluation")


def not_implemented(*args, **kwargs):
    raise NotImplementedError()


# ---------------------------------------------------------------- precision, recall, F1


def _counts(cm):
    (tn, fp), (fn, tp) = np.asarray(cm)
    return tn, fp, fn, tp


def prf_swapped(cm):
    p, r, f = sol.precision_recall_f1(cm)
    return r, p, f


def prf_transposed(cm):
    return sol.precision_recall_f1(np.asarray(cm).T)


def prf_class0(cm):
    tn, fp, fn, tp = _counts(cm)
    p, r = tn / (tn + fn), tn / (tn + fp)
    return p, r, 2 * p * r / (p + r)


def prf_mean(cm):
    p, r, _ = sol.precision_recall_f1(cm)
    return p, r, (p + r) / 2


def prf_geometric(cm):
    p, r, _ = sol.precision_recall_f1(cm)
    return p, r, math.sqrt(p * r)


def prf_divides(cm):  # numpy counts: a RuntimeWarning and NaN
    tn, fp, fn, tp = _counts(cm)
    p, r = tp / (tp + fp), tp / (tp + fn)
    return p, r, 2 * p * r / (p + r)


def prf_divides_int(cm):  # Python ints: ZeroDivisionError
    tn, fp, fn, tp = (int(v) for v in _counts(cm))
    p, r = tp / (tp + fp), tp / (tp + fn)
    return p, r, 2 * p * r / (p + r)


def prf_f1_divides(cm):  # precision and recall guarded, F1 not
    p, r, _ = sol.precision_recall_f1(cm)
    with np.errstate(all="ignore"):
        return p, r, np.float64(2 * p * r) / np.float64(p + r)


def prf_nan_to_one(cm):  # guarded, but 1 instead of 0 when nothing is predicted positive
    tn, fp, fn, tp = _counts(cm)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def prf_warns_but_finite(cm):  # divides by zero, then replaces the NaN
    tn, fp, fn, tp = _counts(cm)
    with np.errstate(divide="warn", invalid="warn"):
        p = np.nan_to_num(np.float64(tp) / (tp + fp))
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def test_precision_recall_f1_solution_is_correct():
    assert tasks.precision_recall_f1.check(sol.precision_recall_f1).status == CORRECT
    tasks.precision_recall_f1.grade(sol.precision_recall_f1)


def test_precision_recall_f1_reference_is_nnlib_metrics():
    y_true = np.array([0, 0, 0, 1, 1, 1, 1, 0, 1])
    y_pred = np.array([0, 1, 0, 1, 0, 1, 1, 0, 0])
    cm = metrics.confusion_matrix(y_true, y_pred)
    assert np.allclose(tasks._precision_recall_f1_reference(cm),
                       [metrics.precision(y_true, y_pred), metrics.recall(y_true, y_pred),
                        metrics.f1(y_true, y_pred)])


@pytest.mark.parametrize(("fn", "message"), [
    (prf_swapped, r"precision and recall are swapped"),
    (prf_transposed, r"swapped.*transposed"),
    (prf_class0, r"scores of class 0"),
    (prf_mean, r"harmonic mean.*not their average"),
    (prf_geometric, r"not the geometric mean"),
    (prf_divides, r"nothing is predicted positive.*your precision and f1 came out NaN"),
    (prf_divides_int, r"nothing is predicted positive.*ZeroDivisionError"),
    (prf_f1_divides, r"F1 formula divides 0 by 0.*your f1 came out NaN"),
    (prf_nan_to_one, r"nothing is predicted positive.*0 by convention"),
    (prf_warns_but_finite, r"divided by zero \(a division warning\)"),
    (lambda cm: (0.5, 0.5), r"return three numbers"),
], ids=["precision and recall swapped", "rows and columns swapped", "scores of class 0",
        "F1 the average", "F1 the geometric mean", "0/0 with numpy counts (NaN)",
        "0/0 with Python ints", "F1 divides 0 by 0", "precision 1 when nothing is predicted",
        "divides by zero, then nan_to_num", "two numbers returned"])
def test_precision_recall_f1_mistake_catalogue(fn, message):
    for feedback in (tasks.precision_recall_f1.check(fn), _grade_feedback(
            tasks.precision_recall_f1, fn)):
        assert feedback.status == INCORRECT
        assert re.search(message, feedback.message), feedback.message


def _grade_feedback(task, *fns):
    """``grade`` as a Feedback-like object (its message, INCORRECT) or CORRECT."""
    class Result:
        pass
    result = Result()
    try:
        task.grade(*fns)
        result.status, result.message = CORRECT, ""
    except AssertionError as error:
        result.status, result.message = INCORRECT, str(error)
    return result


def test_precision_recall_f1_messages_hide_the_numbers():
    feedback = tasks.precision_recall_f1.check(lambda cm: (0.1, 0.2, 0.3))
    assert feedback.status == INCORRECT
    rng = np.random.default_rng(tasks.precision_recall_f1.seed)
    right = tasks._precision_recall_f1_reference(tasks._random_matrix(rng))
    assert not any(f"{v:.3f}"[:4] in feedback.message for v in right if 0 < v < 1)


def test_precision_recall_f1_not_attempted_and_use():
    assert tasks.precision_recall_f1.check(not_implemented).status == NOT_ATTEMPTED
    assert tasks.precision_recall_f1.check(lambda cm: ...).status == NOT_ATTEMPTED
    assert tasks.precision_recall_f1.use(prf_swapped, quiet=True) is \
        tasks._precision_recall_f1_reference
    assert tasks.precision_recall_f1.use(sol.precision_recall_f1, quiet=True) is \
        sol.precision_recall_f1


def test_the_solution_gives_zero_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sol.precision_recall_f1(np.array([[10, 0], [3, 0]])) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------- R^2


def r2_mean_of_predictions(y, y_hat):
    return 1 - np.sum((y - y_hat) ** 2) / np.sum((y - y_hat.mean()) ** 2)


def r2_spread_of_predictions(y, y_hat):
    return 1 - np.sum((y - y_hat) ** 2) / np.sum((y_hat - y_hat.mean()) ** 2)


def r2_no_one_minus(y, y_hat):
    return np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2)


def r2_upside_down(y, y_hat):
    return np.sum((y - y.mean()) ** 2) / np.sum((y - y_hat) ** 2)


def r2_correlation(y, y_hat):
    return np.corrcoef(y.ravel(), y_hat.ravel())[0, 1] ** 2


def r2_mean_over_sum(y, y_hat):
    return 1 - np.mean((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2)


def test_r2_solution_is_correct():
    assert tasks.r2_score.check(sol.r2_score).status == CORRECT
    tasks.r2_score.grade(sol.r2_score)
    # an answer of shape (1,) (a sum over axis 0) is accepted too
    assert tasks.r2_score.check(
        lambda y, v: 1 - ((y - v) ** 2).sum(axis=0) / ((y - y.mean()) ** 2).sum(axis=0)
    ).status == CORRECT


@pytest.mark.parametrize(("fn", "message"), [
    (r2_mean_of_predictions, r"mean .* true values y, not of the predictions"),
    (r2_spread_of_predictions, r"not the spread of the predictions"),
    (r2_no_one_minus, r"R\^2 is 1 minus it"),
    (r2_upside_down, r"upside down"),
    (r2_correlation, r"squared correlation"),
    (r2_mean_over_sum, r"a mean and the bottom a sum"),
    (lambda y, y_hat: None, r"forget `return`"),
], ids=["mean of y_hat instead of y", "spread of the predictions", "no 1 -",
        "SST / SSE (upside down)", "squared correlation", "mean over sum", "no return"])
def test_r2_score_mistake_catalogue(fn, message):
    for feedback in (tasks.r2_score.check(fn), _grade_feedback(tasks.r2_score, fn)):
        assert feedback.status == INCORRECT
        assert re.search(message, feedback.message), feedback.message


def test_r2_not_attempted_and_use():
    assert tasks.r2_score.check(not_implemented).status == NOT_ATTEMPTED
    ref = tasks.r2_score.use(r2_no_one_minus, quiet=True)
    assert ref is tasks.r2_score._reference
    y, y_hat = np.array([[1.0], [2.0], [4.0]]), np.array([[1.5], [2.0], [3.0]])
    assert ref(y, y_hat) == metrics.r2(y, y_hat)


# ---------------------------------------------------------------- early stopping


def make_variant(*, limit=0, ties=False, last=False, reset=True, monitor="val_loss",
                 never=False, best_epoch=True):
    """The solution's callback with one typical mistake (limit: patience + limit)."""
    class Variant(sol.EarlyStopping):
        def __call__(self, epoch, logs):
            value = logs[monitor]
            better = value <= self.best if ties else value < self.best
            if better:
                if best_epoch:
                    self.best_epoch = epoch
                self.wait = 0 if reset else self.wait
            else:
                self.wait += 1
            if better or last:
                self.best = value
            return not never and not better and self.wait >= self.patience + limit
    return Variant


class StopsOnFirstRise(sol.EarlyStopping):
    def __call__(self, epoch, logs):
        previous = getattr(self, "previous", np.inf)
        self.previous = logs["val_loss"]
        if logs["val_loss"] < self.best:
            self.best, self.best_epoch = logs["val_loss"], epoch
        return logs["val_loss"] > previous


class BestIsTheLast(sol.EarlyStopping):
    """Right decisions, but ``best`` shows the latest loss."""

    def __call__(self, epoch, logs):
        self.best = getattr(self, "_best", np.inf)
        stop = super().__call__(epoch, logs)
        self._best, self.best = self.best, logs["val_loss"]
        return stop



def test_the_variant_factory_without_mistakes_is_correct():
    assert tasks.early_stopping.check(make_variant()).status == CORRECT


def test_early_stopping_solution_is_correct():
    assert tasks.early_stopping.check(sol.EarlyStopping).status == CORRECT
    tasks.early_stopping.grade(sol.EarlyStopping)
    # the checker's own reference, handed in as the student's, is a copy
    assert "calls nnlib's" in tasks.early_stopping.check(tasks._EarlyStoppingReference).message


@pytest.mark.parametrize(("cls", "message"), [
    (make_variant(limit=1), r"one epoch late"),
    (make_variant(limit=-1), r"one epoch early"),
    (StopsOnFirstRise, r"as soon as the loss rises once"),
    (make_variant(limit=1 - 10**6), r"first epoch that does not improve"),
    (make_variant(ties=True), r"strictly lower \(<, not <=\)"),
    (make_variant(last=True), r"previous epoch's instead of the best so far"),
    (make_variant(reset=False), r"must go back to 0"),
    (make_variant(monitor="loss"), r"never asked to stop.*logs\['val_loss'\]"),
    (make_variant(never=True), r"never asked to stop"),
    (make_variant(best_epoch=False), r"best_epoch is never set"),
    (BestIsTheLast, r"self.best is not the lowest"),
], ids=["one epoch late", "one epoch early", "stops on the first rise", "no patience",
        "ties count as better", "compared with the last epoch", "wait not reset",
        "monitors the training loss", "never stops", "best_epoch never set",
        "best is the latest loss"])
def test_early_stopping_mistake_catalogue(cls, message):
    for feedback in (tasks.early_stopping.check(cls), _grade_feedback(tasks.early_stopping,
                                                                       cls)):
        assert feedback.status == INCORRECT
        assert re.search(message, feedback.message), feedback.message


def test_early_stopping_generic_message_shows_the_curve_not_the_answer():
    class StopsAtEpoch7(sol.EarlyStopping):
        def __call__(self, epoch, logs):
            super().__call__(epoch, logs)
            return epoch == 7
    feedback = tasks.early_stopping.check(StopsAtEpoch7)
    assert feedback.status == INCORRECT
    assert re.search(r"patience=\d.*yours stopped after epoch 7, which is too (early|late)",
                     feedback.message), feedback.message


def test_early_stopping_not_attempted_and_use():
    class Placeholder(sol.EarlyStopping):
        def __call__(self, epoch, logs):
            raise NotImplementedError()
    assert tasks.early_stopping.check(Placeholder).status == NOT_ATTEMPTED
    assert "expected the class" in tasks.early_stopping.check(sol.EarlyStopping(3)).message
    assert tasks.early_stopping.use(make_variant(limit=1), quiet=True) is \
        tasks._EarlyStoppingReference
    assert tasks.early_stopping.use(sol.EarlyStopping, quiet=True) is sol.EarlyStopping


@pytest.mark.parametrize("seed", range(40))
def test_the_rule_behind_the_variants_is_nnlib_early_stopping(seed):
    for values, patience in tasks._curves(np.random.default_rng(seed)):
        early = callbacks.EarlyStopping(None, patience=patience, restore_best_weights=False)
        stop = next((e for e, v in enumerate(values, 1) if early(e, {"val_loss": v})), None)
        assert (stop, early.best_epoch) == tasks._rule(values, patience)
        assert stop == early.stopped_epoch


def test_the_curves_tell_every_mistake_apart_from_the_right_rule():
    for seed in (tasks.early_stopping.seed, tasks.early_stopping.seed + 1):
        curves = tasks._curves(np.random.default_rng(seed))
        right = [tasks._rule(v, p)[0] for v, p in curves]
        for rule, _ in tasks._variant_rules():
            assert [rule(v, p)[0] for v, p in curves] != right


# ---------------------------------------------------------------- practice exercises


@pytest.mark.parametrize(("name", "wrong"), [
    ("from_counts", [0.875, 0.778]), ("when_it_stops", [8, 5])])
def test_practice_exercises(name, wrong, assert_practice):
    assert_practice(getattr(tasks, name), sol.ANSWERS[name], wrong)


@pytest.mark.parametrize(("answer", "message"), [
    ([35 / 40, 35 / 45], "swapped"), ([50 / 55, 50 / 60], "class 0"), ([0.7, 0.8], "differ")])
def test_from_counts_mistakes(answer, message):
    assert message in tasks.from_counts.check(answer).message


@pytest.mark.parametrize(("answer", "message"), [
    ([5, 7], "not the\n?\\s?second"), ([5, 9], "not the\n?\\s?fourth"),
    ([3, 4], "first rise"), ([3, 6], "new best"), ([8, 5], "wrong order")])
def test_when_it_stops_mistakes(answer, message):
    assert re.search(message, tasks.when_it_stops.check(answer).message)
