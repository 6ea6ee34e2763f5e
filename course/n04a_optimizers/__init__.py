"""Notebook 04a_optimizers: 2-D loss surfaces (``surfaces``); the learning-rate range test and
batch sizes (``rate_and_batch``); optimizer plots (``plots``); the optimizer explorer
(``widgets``); momentum and Adam (``tasks``).
"""
