"""Notebook 03b's Value task: a right class passes; each typical mistake is named only when
the student's gradients are exactly what it gives; a copy of the course's Value is refused."""

import sys
from pathlib import Path

import matplotlib
import nbformat

matplotlib.use("Agg")

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import classroom  # noqa: E402

from course.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED  # noqa: E402
from course.n03b_autograd import plots, tasks, value  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_TASK_CELL = next(c.source for c in nbformat.read(ROOT / "notebooks" / "03b_autograd.ipynb",
                                                   as_version=4).cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "value")
# The notebook's task cell with the teacher's solution merged in: what a right student writes.
RIGHT = classroom.merge_solutions(
    _TASK_CELL, (ROOT / "teacher" / "solutions" / "03b_autograd.py").read_text())


def _class(source, name="student_value"):
    namespace = {}
    exec(compile(source, f"<{name}>", "exec"), namespace)  # as a notebook cell would
    return namespace["Value"]


SUM = "            self.grad += out.grad\n            other.grad += out.grad\n"
PRODUCT = ("            self.grad += other.data * out.grad\n"
           "            other.grad += self.data * out.grad\n")
MISTAKES = {  # (the source, words of the message that names it)
    "= instead of +=": (RIGHT.replace(SUM, SUM.replace("+=", "=")).replace(
        PRODUCT, PRODUCT.replace("+=", "=")), "add (+=)"),
    "factors swapped": (RIGHT.replace(PRODUCT, PRODUCT.replace("other.data *", "SELF").replace(
        "self.data *", "other.data *").replace("SELF", "self.data *")),
        "each factor's own value"),
    "tanh at its input": (RIGHT.replace("(1 - t * t)", "(1 - self.data**2)"), "uses the input x"),
    "relu lets all through": (RIGHT.replace("(self.data > 0) * out.grad", "out.grad"),
                              "lets it through everywhere"),
    "root not 1": (RIGHT.replace("        self.grad = 1.0\n", ""), "stays 0"),
}


def test_a_right_value_passes_check_and_grade():
    cls = _class(RIGHT)
    assert tasks.value.check(cls).status == CORRECT
    tasks.value.grade(cls)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_named(mistake):
    source, words = MISTAKES[mistake]
    assert source != RIGHT
    feedback = tasks.value.check(_class(source))
    assert feedback.status == INCORRECT and words in feedback.message, feedback.message


def test_no_topological_order_is_caught():
    source = RIGHT.replace("""        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()""", """        self.grad = 1.0
        def go(node):
            node._backward()
            for child in node._prev:
                go(child)
        go(self)""")
    assert source != RIGHT
    feedback = tasks.value.check(_class(source))
    assert feedback.status == INCORRECT and "two paths" in feedback.message


def test_the_placeholder_is_not_attempted_and_the_course_value_is_refused():
    skeleton = _class(RIGHT.replace("    def backward(self):\n",
                                    "    def backward(self):\n        raise NotImplementedError()\n"))
    assert tasks.value.check(skeleton).status == NOT_ATTEMPTED
    assert tasks.value.check(value.Value).status == INCORRECT  # the course's own class
    copy = _class("from course.n03b_autograd.value import Value as _V\n"
                  "class Value(_V):\n    pass\n")
    assert tasks.value.check(copy).status == INCORRECT


def test_the_graph_shows_every_node_with_its_gradient():
    a, b = value.Value(2.0), value.Value(-3.0)
    out = (a * b + 1.0).tanh()
    out.backward()
    ax = plots.draw_graph(out, {a: "a", b: "b"})
    texts = [t.get_text() for t in ax.texts if t.get_text()]  # the arrows have no text
    assert len(texts) == len(value.topological_order(out)) == 6
    assert any(t.startswith("a\n") and f"grad {a.grad:.3g}" in t for t in texts)


def test_exercises():
    assert tasks.shared_input.check(4.0).status == CORRECT
    assert "only the product" in tasks.shared_input.check(3.0).message
    assert tasks.calls_per_node.check(1).status == CORRECT
    assert tasks.calls_per_node.check(2).status == INCORRECT
