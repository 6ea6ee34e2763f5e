"""Notebook 07's practice exercises (course/n07_mlp_tensorflow_comparison/tasks.py): the answers pass, wrong ones and
typical mistakes are named, placeholders count as not attempted."""

import importlib
import re
import sys

import numpy as np
import pytest

from course.exercises import CORRECT, INCORRECT
from course.n07_mlp_tensorflow_comparison import tasks

sys.path.insert(0, "teacher/solutions")
sol = importlib.import_module("07_mlp_tensorflow_comparison")
appendix = importlib.import_module("07b_float32_appendix")


@pytest.mark.parametrize(("name", "wrong"), [
    ("optimizer_steps", 801), ("noise_floor", 0.05), ("float32_rate", 0.00100001)])
def test_answers_pass_and_wrong_ones_do_not(name, wrong, assert_practice):
    answers = {**sol.ANSWERS, **appendix.ANSWERS}  # 07 and its appendix, 07b
    assert_practice(getattr(tasks, name), answers[name], wrong)


def test_the_answers_are_what_nnlib_and_keras_use():
    assert sol.ANSWERS["optimizer_steps"] == 800
    assert tasks.noise_floor.check(0.0093).status == CORRECT  # a measured floor
    assert tasks.float32_rate.check(0.0010000000474974513).status == CORRECT


@pytest.mark.parametrize(("name", "answer", "message"), [
    ("optimizer_steps", 600, r"last, smaller batch"),
    ("optimizer_steps", 625, r"not a whole number"),
    ("optimizer_steps", 4, r"one epoch"),
    ("optimizer_steps", 20000, r"one step per sample"),
    ("noise_floor", 0.1, r"standard deviation"),
    ("noise_floor", 0.02, r"no factor 2"),
    ("noise_floor", 0, r"not 0"),
    ("float32_rate", 0.001, r"cannot hold 0.001 exactly"),
    ("float32_rate", float(np.float16(0.001)), r"float16"),
])
def test_typical_mistakes_are_named(name, answer, message):
    feedback = getattr(tasks, name).check(answer)
    assert feedback.status == INCORRECT
    assert re.search(message, feedback.message), feedback.message
