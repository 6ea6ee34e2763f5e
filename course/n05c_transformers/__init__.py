"""Notebook 05c_transformers: attention in numpy (``attention``); the reversal task
(``sequences``); the Keras Transformer (``keras_models``); plots (``plots``); masked
attention (``tasks``).
"""
