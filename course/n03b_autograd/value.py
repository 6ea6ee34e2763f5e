"""Autograd on scalars: every number remembers how it was made, and ``backward`` applies the
chain rule to the whole graph, each node once, in reverse topological order.

``Value`` is the course's version of what the student writes in notebook 03b (the reference
its check compares with); ``network_loss`` builds the mean squared error of a dense network
out of Values, so that its gradient can be set beside nnlib's backprop.
"""

from __future__ import annotations

import math

import numpy as np


class Value:
    """A scalar in a computation graph.

    Attributes
    ----------
    data : float
    grad : float
        d(output) / d(this value) after ``output.backward()``; 0 before.
    children : tuple of Value
        The values this one was computed from.
    op : str
        The operation that made it ("+", "*", "tanh", "relu"; "" for an input).
    """

    def __init__(self, data, children=(), op=""):
        self.data = float(data)
        self.grad = 0.0
        self.children = tuple(children)
        self.op = op
        self._backward = lambda: None

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other if isinstance(other, Value) else type(self)(-other))

    def tanh(self):
        t = math.tanh(self.data)
        out = type(self)(t, (self,), "tanh")

        def backward():
            self.grad += (1.0 - t * t) * out.grad

        out._backward = backward
        return out

    def relu(self):
        out = type(self)(max(self.data, 0.0), (self,), "relu")

        def backward():
            self.grad += (self.data > 0) * out.grad

        out._backward = backward
        return out

    def backward(self):
        """Fill ``grad`` of every value this one depends on: d(self) / d(value)."""
        for node in reversed(topological_order(self)):
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            node._backward()


def topological_order(root):
    """Every value ``root`` depends on, each after all of its children."""
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for child in node.children:
                visit(child)
            order.append(node)

    visit(root)
    return order


def network_loss(value_class, weights, activations, X, y):
    """The mean squared error of a dense network, computed with ``value_class`` scalars.

    Parameters
    ----------
    value_class : class
        ``Value`` or the student's: called on a number, with ``+``, ``*``, ``tanh``, ``relu``.
    weights : list of ndarray
        ``[W1, b1, W2, b2, ...]`` as ``MLP.get_weights`` gives them.
    activations : list of str
        "tanh", "relu" or "linear", one per layer.
    X : ndarray of shape (n, n_in)
    y : ndarray of shape (n, 1)

    Returns
    -------
    loss : Value
    params : list of nested lists of Value
        The weights as Values, in the shapes of ``weights``: after ``loss.backward()``
        their ``grad`` is the gradient.
    """
    params = [_as_values(value_class, w) for w in weights]
    total = None
    for x_row, target in zip(np.asarray(X, dtype=float), np.asarray(y, dtype=float)):
        a = [value_class(v) for v in x_row]
        for (W, b), act in zip(zip(params[0::2], params[1::2]), activations):
            z = [_weighted_sum(a, [row[j] for row in W], b[j]) for j in range(len(b))]
            a = [getattr(v, act)() if act != "linear" else v for v in z]
        for out, t in zip(a, target):
            error = out + value_class(-float(t))
            total = error * error if total is None else total + error * error
    return total * value_class(1.0 / np.asarray(y).size), params


def _weighted_sum(inputs, weights, bias):
    out = bias
    for x, w in zip(inputs, weights):
        out = out + x * w
    return out


def _as_values(value_class, array):
    array = np.asarray(array, dtype=float)
    if array.ndim == 1:
        return [value_class(v) for v in array]
    return [[value_class(v) for v in row] for row in array]


def grads_of(params):
    """The ``grad`` of every Value in ``params`` (as ``network_loss`` returns them), as arrays."""
    return [np.array([[v.grad for v in row] for row in p]) if isinstance(p[0], list)
            else np.array([v.grad for v in p]) for p in params]
