"""Notebook 05a_mlp_cnn: convolution and pooling in numpy (``conv``); the Keras MLP and CNN
(``keras_models``); image plots (``plots``); ``conv2d`` and its backward pass (``tasks``).
"""
