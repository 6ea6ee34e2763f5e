"""Notebook 08_conclusion_playground: the playground: training, settings, inputs and neuron
maps (``playground``, ``playground_config``, ``features``, ``neuron_maps``); the widget
(``widgets``, ``feature_checkboxes``); exercises (``tasks``).
"""
