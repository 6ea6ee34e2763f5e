"""Notebook 07_mlp_tensorflow_comparison and 07b_float32_appendix: the article's model and its
trajectories (``comparison``) and the Keras side (``keras_article``); plots (``plots``); the
learning-rate explorer (``widgets``); exercises (``tasks``).
"""
