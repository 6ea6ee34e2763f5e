"""Notebook 02_forward_pass: activations over depth (``depth``); activation and neuron plots
(``plots``); the neuron and softmax explorers (``widgets``); ReLU, sigmoid, softmax by hand
(``tasks``).
"""
