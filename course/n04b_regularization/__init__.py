"""Notebook 04b_regularization: overfitting data and ``fit_regularized`` (``regularization``);
weight plots (``plots``); the regularization explorer (``widgets``); the L2 gradient and
dropout (``tasks``).
"""
