"""Solution of notebook 03b's build-it task (merged into the teacher's notebook by
tools/classroom.py; each method's body replaces the placeholder of the same name), the
answers of its practice exercises and the model answer of its written question."""

import math


class Value:
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,))

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,))

        def _backward():
            self.grad += (self.data > 0) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


ANSWERS = {
    "shared_input": 4.0,
    "calls_per_node": 1,
}

WRITTEN = {
    "why_topological_order": """A node passes its gradient on by multiplying what it has
received so far. If a value z is used by two later nodes, its gradient is the sum of the two
shares they send back. Followed depth-first from the output, the walk may reach z through the
first path and pass z's gradient on to z's inputs while the second share has not arrived yet:
z's inputs then get a gradient that is too small, and when the second share arrives z passes
on again, counting the first share twice. A topological order, reversed, runs a node only
after every node that uses it has run, so each node has its whole gradient before it passes
it on, and each runs exactly once.""",
}
