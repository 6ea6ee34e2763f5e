"""Notebook 03b's build-it task and exercises: a scalar ``Value`` with ``+``, ``*``, ``tanh``,
``relu`` and ``backward``.

The checker builds small expressions out of the student's class on fresh random numbers:
one product and sum, a value used twice, a neuron with tanh, ReLU on both sides of 0, a
value reached along two paths, and a random composite. It compares every gradient with
central differences of the student's own forward pass and with the course's ``Value``, and
names a mistake only when the student's gradients are exactly what that mistake gives
(each mistake is run as code here): gradients overwritten instead of accumulated, the nodes
visited without a topological order, the product's factors swapped, tanh's slope taken at
its input, ReLU letting every gradient through, the output's own gradient not set to 1.
"""

from __future__ import annotations

import math

import numpy as np

from course.exercises import Exercise, Task, compare_arrays

from .value import Value, topological_order

# ---------------------------------------------------------------- mistakes, as code


class _Overwrite(Value):
    def __add__(self, other):
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def backward():
            self.grad = out.grad
            other.grad = out.grad

        out._backward = backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__


class _NoOrder(Value):
    def backward(self):
        for node in topological_order(self):
            node.grad = 0.0
        self.grad = 1.0

        def visit(node):  # depth first from the output: a shared node passes on too early
            node._backward()
            for child in node.children:
                visit(child)

        visit(self)


class _SwappedProduct(Value):
    def __mul__(self, other):
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def backward():
            self.grad += self.data * out.grad
            other.grad += other.data * out.grad

        out._backward = backward
        return out

    __rmul__ = __mul__


class _TanhAtInput(Value):
    def tanh(self):
        out = type(self)(math.tanh(self.data), (self,), "tanh")

        def backward():
            self.grad += (1.0 - self.data**2) * out.grad

        out._backward = backward
        return out


class _ReluLetsAllThrough(Value):
    def relu(self):
        out = type(self)(max(self.data, 0.0), (self,), "relu")

        def backward():
            self.grad += out.grad

        out._backward = backward
        return out


class _RootNotOne(Value):
    def backward(self):
        for node in reversed(topological_order(self)):
            node.grad = 0.0
        for node in reversed(topological_order(self)):
            node._backward()


MISTAKES = [
    (_Overwrite, "a value used more than once gets only the last gradient: each operation "
                 "must add (+=) its part to its inputs' grad, not set it."),
    (_NoOrder, "a value reached along two paths passes its gradient on before both paths "
               "have added theirs: backward must visit each node once, after every node "
               "that uses it (a topological order of the graph, reversed)."),
    (_SwappedProduct, "in a product a * b, a's gradient is b times the output's gradient "
                      "(and b's is a times it); yours uses each factor's own value."),
    (_TanhAtInput, "tanh's slope is 1 - t**2 with t = tanh(x), the output; yours uses the "
                   "input x."),
    (_ReluLetsAllThrough, "ReLU passes the gradient only where its input is positive; "
                          "yours lets it through everywhere."),
    (_RootNotOne, "backward starts from the output's own gradient, d(out)/d(out) = 1; "
                  "yours stays 0, so every gradient is 0."),
]

# ---------------------------------------------------------------- the expressions


def _cases(rng):
    """``(name, inputs, build)``: ``build(values)`` makes the output from Values."""
    a, b, c = rng.uniform(-2, 2, size=3)
    positive, negative = rng.uniform(0.3, 2), -rng.uniform(0.3, 2)
    return [
        ("a * b + c", [a, b, c], lambda v: v[0] * v[1] + v[2]),
        ("x * x + x (x used twice)", [a], lambda v: v[0] * v[0] + v[0]),
        ("tanh(x * w + b)", [a, b, c], lambda v: (v[0] * v[1] + v[2]).tanh()),
        ("relu(x * w), once positive and once negative", [positive, 1.5, negative],
         lambda v: (v[0] * v[1]).relu() + (v[2] * v[1]).relu() * 3.0),
        ("z = a * b, then (z + c) * z (z reached along two paths)", [a, b, c],
         lambda v: (lambda z: (z + v[2]) * z)(v[0] * v[1])),
        ("a neuron: tanh(x1 * w1 + x2 * w2 + b) * 2 + relu(x1 * w2)",
         list(rng.uniform(-1.5, 1.5, size=5)),
         lambda v: (v[0] * v[1] + v[2] * v[3] + v[4]).tanh() * 2.0 + (v[0] * v[3]).relu()),
    ]


def _run_case(cls, inputs, build):
    """``(output's data, [each input's grad])`` with values of class ``cls``."""
    values = [cls(x) for x in inputs]
    out = build(values)
    out.backward()
    return float(out.data), [float(v.grad) for v in values]


def _forward(cls, inputs, build):
    return float(build([cls(x) for x in inputs]).data)


def _check_value(cls, rng):
    if not isinstance(cls, type):
        return "pass the class itself, Value, not an instance of it."
    for name, inputs, build in _cases(rng):
        data, grads = _run_case(cls, inputs, build)
        expected_data, expected = _run_case(Value, inputs, build)
        if not math.isclose(data, expected_data, rel_tol=1e-9, abs_tol=1e-12):
            return (f"for {name}, your forward pass gives a different output: check what "
                    "+, * (with a Value or a number), tanh and relu compute.")
        # finite differences of the student's own forward pass: an independent reference
        h = 1e-6
        numeric = []
        for k in range(len(inputs)):
            up, down = list(inputs), list(inputs)
            up[k] += h
            down[k] -= h
            numeric.append((_forward(cls, up, build) - _forward(cls, down, build)) / (2 * h))
        if np.allclose(grads, expected, rtol=1e-9, atol=1e-12):
            if not np.allclose(grads, numeric, rtol=1e-4, atol=1e-6):  # pragma: no cover
                return f"for {name}, the gradients disagree with finite differences."
            continue
        mistakes = [(_run_case(wrong, inputs, build)[1], message)
                    for wrong, message in MISTAKES]
        reason = compare_arrays(np.array(grads), np.array(expected), rtol=1e-9, atol=1e-12,
                                name=f"for {name}, your gradients", mistakes=[
                                    (np.array(g), m) for g, m in mistakes])
        if reason:
            far = not np.allclose(grads, numeric, rtol=1e-4, atol=1e-6)
            return reason + (" They also differ from finite differences of your own forward "
                             "pass." if far else "")
    return None


value = Task(
    "Value", _check_value, Value,
    hints=["Each operation makes a new Value that remembers its inputs and a small function "
           "that, given the output's grad, adds each input's share: the local derivative "
           "times the output's grad.",
           "For out = a * b: a.grad += b.data * out.grad and b.grad += a.data * out.grad. "
           "For out = tanh(a): a.grad += (1 - out.data**2) * out.grad. Always +=: a value "
           "used twice gets both shares.",
           "backward: list the nodes so that each comes after its children (a depth-first "
           "walk that appends a node after visiting its children), set the output's grad to "
           "1, then call every node's local function in the reversed order."],
    seed=303,
    owner="the course's",
)

# ---------------------------------------------------------------- practice: numbers


def _shared_checker(answer):
    x, y = 2.0, 3.0
    right = y + 1.0
    return compare_arrays(answer, right, name="dL/dx", mistakes=[
        (y, "that is only the product's share; x also reaches L directly, through '+ x', "
            "which adds 1."),
        (1.0, "that is only the direct share; the product x * y adds y."),
        (x * y + x, "that is L itself, not its derivative."),
    ])


shared_input = Exercise(
    "1. A value used twice", _shared_checker,
    hints=["L = x * y + x reaches x along two paths: through the product and directly.",
           "Add the two shares: d(x * y)/dx = y and d(x)/dx = 1."],
)


def _calls_checker(answer):
    return compare_arrays(answer, 1, name="your answer", mistakes=[
        (2, "in a topological order each node comes once: its function runs once, after "
            "every node that uses it has added its share."),
    ])


calls_per_node = Exercise(
    "2. How often each node's backward runs", _calls_checker,
    hints=["backward walks the list of nodes once, in reversed topological order.",
           "A node that is used twice is still one node in that list."],
)
