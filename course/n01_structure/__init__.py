"""Notebook 01_structure: the network explorer (``widgets``); a dense layer and counting
parameters (``tasks``).
"""
