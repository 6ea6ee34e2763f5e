"""Notebook 04c_deep_networks: a deep, narrow ReLU network with Glorot's or He's start,
LayerNorm and residual connections, clipping and schedules, trained while it records every
layer (``deep``); its figures (``plots``); the training explorer (``widgets``); LayerNorm's
backward pass and the exercises (``tasks``).
"""
