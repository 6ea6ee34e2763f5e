"""Notebook 03b_autograd: a scalar autograd engine (``value``: the course's ``Value``, its
graph and a network of Values); the graph drawn with each node's gradient (``plots``); the
student's ``Value`` checked against finite differences and nnlib's backprop (``tasks``).
"""
