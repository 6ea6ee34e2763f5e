"""Notebook 08's practice exercises (course/n08_conclusion_playground/tasks.py): the answers pass, wrong ones
and typical mistakes are named, placeholders count as not attempted."""

import importlib
import re
import sys

import pytest

from course.exercises import INCORRECT
from course.n08_conclusion_playground import tasks
from course.n08_conclusion_playground.playground import build_model
from course.n08_conclusion_playground.playground_config import PlaygroundConfig

sys.path.insert(0, "teacher/solutions")
sol = importlib.import_module("08_conclusion_playground")


@pytest.mark.parametrize(("name", "wrong"), [
    ("parameter_count", 104), ("config_line", "data=circles;seed=3;hidden=6;act=relu;lr=0.1")])
def test_answers_pass_and_wrong_ones_do_not(name, wrong, assert_practice):
    assert_practice(getattr(tasks, name), sol.ANSWERS[name], wrong)


def test_the_count_is_the_playgrounds_default_network():
    config = PlaygroundConfig()
    assert config.hidden == (8, 8)
    assert build_model(config).count_params() == sol.ANSWERS["parameter_count"]
    assert PlaygroundConfig.from_string(sol.ANSWERS["config_line"]) == tasks.TARGET


@pytest.mark.parametrize(("answer", "message"), [
    (88, r"weights only"), (107, r"inputs have no biases"), (96, r"output layer"),
    (17, r"biases only")])
def test_parameter_count_mistakes(answer, message):
    feedback = tasks.parameter_count.check(answer)
    assert feedback.status == INCORRECT
    assert re.search(message, feedback.message), feedback.message


def test_config_line_names_the_wrong_setting():
    feedback = tasks.config_line.check("data=circles;seed=3;hidden=6;act=tanh;lr=0.01")
    assert feedback.status == INCORRECT and "act" in feedback.message
