"""Notebook 03_learning_backprop: checks before a long run (``diagnostics``); loss plots
(``plots``); the descent explorers (``widgets``) and the live loss plot (``live_plot``); the
gradients, backprop and the training loop (``tasks``).
"""
