"""Notebook 00_start_here: counting parameters (``tasks``).
"""
