"""Notebook 06b's k_fold_indices task: the right function (the notebook's task cell with the
teacher's solution merged in) passes; each typical mistake, run as code, is named, and
only by its own message; wrong code is never correct; the course's own function is refused.
"""

import linecache
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import classroom  # noqa: E402

from course import student_library  # noqa: E402
from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED  # noqa: E402
from course.n06b_digits import digits, tasks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_TASK_CELL = next(c.source for c in nbformat.read(ROOT / "notebooks" / "06b_digits.ipynb",
                                                   as_version=4).cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "k_fold_indices")
RIGHT = classroom.merge_solutions(
    _TASK_CELL, (ROOT / "teacher" / "solutions" / "06b_digits.py").read_text())

SIZES = "    sizes = [n_samples // k + (1 if i < n_samples % k else 0) for i in range(k)]\n"
SHUFFLE = "    order = np.random.default_rng(seed).permutation(n_samples)\n"
RETURN = ("    return [(np.concatenate(folds[:i] + folds[i + 1:]), folds[i]) "
          "for i in range(k)]\n")


def _function(source, name="student_k_fold"):
    """The function a cell holding ``source`` defines (its source kept, as IPython keeps a
    cell's, so it can be saved in the student's library)."""
    filename = f"<{name}-{abs(hash(source))}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(source, filename, "exec"), namespace)
    return namespace["k_fold_indices"]


def _variant(old, new):
    assert old in RIGHT, old
    return RIGHT.replace(old, new)


MISTAKES = {  # the mistake as code, and words of the message that names it
    "remainder dropped": (_variant(SIZES, "    sizes = [n_samples // k] * k\n"),
                          "the remainder n_samples % k"),
    "remainder all in the last fold": (_variant(
        SIZES, "    sizes = [n_samples // k] * (k - 1) + [n_samples - (k - 1) * (n_samples // k)]\n"),
        "differ by at most 1"),
    "folds drawn independently (they overlap)": (_variant(
        "        folds.append(order[start:start + size])\n",
        "        folds.append(np.random.default_rng(seed + start).choice(n_samples, size, "
        "replace=False))\n"), "the folds overlap"),
    "no shuffle": (_variant(SHUFFLE, "    order = np.arange(n_samples)\n"), "not shuffled"),
    "validation left in training": (_variant(RETURN, "    return [(order, folds[i]) for i in range(k)]\n"),
                                    "also holds"),
    "seed ignored (a fresh generator each call)": (_variant(
        SHUFFLE, "    order = np.random.default_rng().permutation(n_samples)\n"),
        "two calls with the same seed give different folds"),
    "seed ignored (always the same)": (_variant(
        SHUFFLE, "    order = np.random.default_rng(0).permutation(n_samples)\n"),
        "the seed is ignored"),
    "pair the wrong way round": (_variant(
        RETURN, "    return [(folds[i], np.concatenate(folds[:i] + folds[i + 1:])) "
                "for i in range(k)]\n"), "validation fold first"),
    "shuffled inside fixed folds only": (_variant(
        "        folds.append(order[start:start + size])\n",
        "        folds.append(np.random.default_rng(seed).permutation(np.arange(start, start + "
        "size)))\n"), "whatever the seed"),
    "a mask instead of indices": (_variant(
        RETURN, "    return [(~np.isin(np.arange(n_samples), folds[i]), "
                "np.isin(np.arange(n_samples), folds[i])) for i in range(k)]\n"), "mask"),
    "a generator instead of a list": (_variant(
        RETURN, "    for i in range(k):\n"
                "        yield np.concatenate(folds[:i] + folds[i + 1:]), folds[i]\n"),
        "wrap it in list"),
    "training part missing a fold": (_variant(
        RETURN, "    return [(np.concatenate(folds[:i] + folds[i + 2:]), folds[i]) "
                "for i in range(k)]\n"), "misses"),
}

MESSAGES = {name: words for name, (_, words) in MISTAKES.items()}


def test_the_right_function_passes_check_and_grade():
    fn = _function(RIGHT)
    assert tasks.k_fold_indices.check(fn).status == CORRECT
    tasks.k_fold_indices.grade(fn)


def test_other_right_ways_pass():
    """np.array_split and a loop over a shuffled order are as right as the solution."""
    split = ("import numpy as np\n"
             "def k_fold_indices(n_samples, k, seed):\n"
             "    folds = np.array_split(np.random.default_rng(seed).permutation(n_samples), k)\n"
             "    return [(np.concatenate([f for j, f in enumerate(folds) if j != i]), f)\n"
             "            for i, f in enumerate(folds)]\n")
    fn = _function(split)
    assert tasks.k_fold_indices.check(fn).status == CORRECT
    tasks.k_fold_indices.grade(fn)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_named_by_its_own_message(mistake):
    source, words = MISTAKES[mistake]
    feedback = tasks.k_fold_indices.check(_function(source))
    assert feedback.status == INCORRECT and words in feedback.message, feedback.message
    others = [w for name, w in MESSAGES.items() if name != mistake and w not in words]
    assert not any(w in feedback.message for w in others), feedback.message
    with pytest.raises(AssertionError):
        tasks.k_fold_indices.grade(_function(source))


@pytest.mark.parametrize("wrong", [
    "def k_fold_indices(n_samples, k, seed):\n    return []\n",
    "def k_fold_indices(n_samples, k, seed):\n    return None\n",
    "def k_fold_indices(n_samples, k, seed):\n"
    "    idx = np.arange(n_samples)\n    return [(idx, idx)] * k\n",
    "def k_fold_indices(n_samples, k, seed):\n"
    "    folds = np.array_split(np.random.default_rng(seed).permutation(n_samples + 1), k)\n"
    "    return [(np.concatenate(folds[:i] + folds[i + 1:]), f) for i, f in enumerate(folds)]\n",
    "def k_fold_indices(n_samples, k, seed):\n"
    "    folds = np.array_split(np.random.default_rng(seed).permutation(n_samples), k)\n"
    "    return [(np.concatenate(folds[:i] + folds[i + 1:]).astype(float), f)\n"
    "            for i, f in enumerate(folds)]\n",
    "def k_fold_indices(n_samples, k, seed):\n"
    "    folds = np.array_split(np.random.default_rng(seed).permutation(n_samples), k + 1)\n"
    "    return [(np.concatenate(folds[:i] + folds[i + 1:]), f) for i, f in enumerate(folds)]\n",
])
def test_wrong_code_is_never_correct(wrong):
    feedback = tasks.k_fold_indices.check(_function(wrong))
    assert feedback.status == INCORRECT, feedback.message


def test_the_placeholder_is_not_attempted_and_the_course_function_is_refused():
    assert tasks.k_fold_indices.check(_function(_TASK_CELL)).status == NOT_ATTEMPTED
    assert tasks.k_fold_indices.check(digits.k_fold_indices).status == INCORRECT
    cheat = _function("from course.n06b_digits.digits import k_fold_indices as _kf\n"
                      "def k_fold_indices(n_samples, k, seed):\n"
                      "    return _kf(n_samples, k, seed)\n")
    feedback = tasks.k_fold_indices.check(cheat)
    assert feedback.status == INCORRECT and "calls" in feedback.message


def test_use_goes_on_with_the_students_function_and_saves_it(capsys):
    fn = _function(RIGHT)
    assert tasks.k_fold_indices.use(fn) is fn
    assert "Using your k_fold_indices" in capsys.readouterr().out
    loaded = student_library.load("k_fold_indices")
    assert loaded.whose["k_fold_indices"] == "yours"
    folds = loaded.k_fold_indices(1437, 5, 0)
    assert sorted(len(v) for _, v in folds) == [287, 287, 287, 288, 288]
    # the course's stands in for a wrong one
    wrong = _function(MISTAKES["no shuffle"][0])
    assert tasks.k_fold_indices.use(wrong) is digits.k_fold_indices


def test_exercises():
    assert tasks.fold_sizes.check([360, 359]).status == CORRECT
    assert "not dropped" in tasks.fold_sizes.check([359, 359]).message
    assert "whole remainder" in tasks.fold_sizes.check([361, 359]).message
    assert tasks.times_trained.check(4).status == CORRECT
    assert "not trained on" in tasks.times_trained.check(5).message
    assert tasks.times_trained.check(1).status == INCORRECT
