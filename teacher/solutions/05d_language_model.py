"""Solution of notebook 05d's build-it task (merged into the teacher's notebook by
tools/classroom.py; the body replaces the placeholder of the same name), the answers of
its practice exercises and the model answer of its written question."""

import numpy as np


def embedding_backward(d_emb, indices, vocab_size):
    dE = np.zeros((vocab_size, d_emb.shape[-1]))
    np.add.at(dE, indices, d_emb)  # unbuffered: a repeated index adds every time
    return dE


ANSWERS = {
    "uniform_loss": float(np.log(27)),
    "repeated_token": [[2.0], [0.0], [4.0]],
}

WRITTEN = {
    "why_smoothing": """The bigram's probability of a pair is its count in the training text
divided by the count of the first character. A pair that never occurs in the training text
gets probability 0. On the training text that never matters: every pair there was counted,
so every probability is above 0. The validation text is new prose, and sooner or later it
holds a pair the training text never showed; its loss is -ln 0, infinite, and so is the
mean over the whole text, whatever the other pairs score. Adding one to every count gives
every pair a small probability, so an unseen pair costs a large but finite loss: the model
admits it has not seen everything.""",
}
