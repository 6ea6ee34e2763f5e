"""Notebook 05d_language_model: a character-level language model of the course's own prose."""
