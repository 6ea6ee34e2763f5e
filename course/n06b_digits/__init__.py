"""Notebook 06b_digits: real data, the 8 x 8 handwritten digits (``digits``: the data, a
classifier made of the student's pieces, its runs next to nnlib's, cross-validation);
their weights and the confusion between digits drawn (``plots``); a slider over the
epochs of softmax regression (``widgets``); the student's ``k_fold_indices`` checked
(``tasks``).
"""
