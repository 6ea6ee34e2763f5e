"""Notebook 06_training_evaluation: grid and random search (``search``, ``trainer``,
``search_result``, ``selection_bias``); plots (``plots``); the threshold and tuning
explorers (``widgets``); precision, recall, F1, R^2 and early stopping (``tasks``).
"""
