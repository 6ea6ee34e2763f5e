"""The text of notebook 05d: the course's own prose, as tokens.

The corpus is the prose of the course's notebooks: the markdown cells of every ``.ipynb``
file, each cell one *document*. A snapshot ships with the course, ``course_prose.txt``
beside this file, one document a line (``course_prose`` reads it), so the notebook trains
on the same text wherever it runs: in a clone, on a hub, or in an nbgrader folder that
holds one notebook. ``write_course_prose`` makes it again from a folder of notebooks. The
text is lower-cased and written in a small fixed alphabet (``ALPHABET``): letters,
space and a little punctuation; markdown's marks are taken out, and every other
character (digits, maths) is written as ``RARE``, a run of them as one. Each document
ends with ``END``, the newline, which also pads the context at its start: the model
learns where a paragraph begins and ends.

Nothing here depends on the exact text: the claims of notebook 05d were also checked on
other prose (tests/claims/test_05d_language_model.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

END = "\n"
RARE = "#"
ALPHABET = END + " abcdefghijklmnopqrstuvwxyz.,'-:()" + RARE
"""Every token, in index order: ``END`` is 0."""

_TO_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}


def clean(text):
    """Markdown prose as plain text in ``ALPHABET`` (without ``END``).

    Lower-cased; maths between dollar signs becomes one ``RARE``, a link its words;
    the marks of emphasis, code and headings go, and ``_`` becomes a space; all
    whitespace becomes one space; any other character outside the alphabet is
    ``RARE``, and a run of them one ``RARE``.

    >>> clean("## The *loss* of $f(x)$ at [step](03.ipynb) 12!")
    'the loss of # at step #'
    """
    text = str(text).lower()
    text = re.sub(r"(?m)^\s*#+\s*", "", text)  # headings
    text = re.sub(r"\$\$.+?\$\$|\$[^$]+\$", RARE, text, flags=re.S)  # maths
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and pictures
    text = re.sub(r"[*`]", "", text).replace("_", " ")
    text = re.sub(r"\s+", " ", text).strip()
    kept = "".join(ch if ch in _TO_INDEX and ch != END else RARE for ch in text)
    return re.sub(re.escape(RARE) + "+", RARE, kept)


PROSE = Path(__file__).with_name("course_prose.txt")
"""The snapshot of the course's prose: one cleaned document a line."""


def course_prose():
    """The course's prose as shipped (``PROSE``): a list of cleaned documents."""
    return PROSE.read_text(encoding="utf-8").splitlines()


def write_course_prose(folder, path=PROSE):
    """Write the prose of the notebooks in ``folder`` to ``path``, one document a line, and
    return how many documents it wrote. From the course's folder, in Python:
    ``text.write_course_prose("notebooks")``.
    """
    documents = notebook_prose(folder)
    Path(path).write_text("".join(d + END for d in documents), encoding="utf-8")
    return len(documents)


def notebook_prose_of(path):
    """The markdown cells of one notebook, cleaned, one string each (empty ones left out)."""
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    documents = []
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            cleaned = clean("".join(source) if isinstance(source, list) else source)
            if cleaned:
                documents.append(cleaned)
    return documents


def notebook_prose(folder):
    """The markdown cells of every notebook in ``folder``, cleaned, one string each.

    Parameters
    ----------
    folder : str or Path
        A folder of ``.ipynb`` files.

    Returns
    -------
    list of str
        The documents, in file order then cell order; empty cells are left out.

    Raises
    ------
    ValueError
        If the folder holds no notebook with prose.
    """
    folder = Path(folder)
    documents = [d for path in sorted(folder.glob("*.ipynb")) for d in notebook_prose_of(path)]
    if not documents:
        raise ValueError(f"no notebook with markdown cells in {str(folder)!r}")
    return documents


def encode(text):
    """The token indices of ``text`` (characters of ``ALPHABET``), as an int array."""
    try:
        return np.array([_TO_INDEX[ch] for ch in text], dtype=np.int64)
    except KeyError as exc:
        raise ValueError(f"text must use only the characters of ALPHABET; it holds "
                         f"{exc.args[0]!r} (clean it first)") from None


def decode(indices):
    """The text of token indices: the inverse of ``encode``."""
    indices = np.asarray(indices)
    if indices.size and (indices.min() < 0 or indices.max() >= len(ALPHABET)):
        raise ValueError(f"token indices must lie in [0, {len(ALPHABET)}); received "
                         f"values from {indices.min()} to {indices.max()}")
    return "".join(ALPHABET[i] for i in indices.ravel())


def split_documents(documents, *, validation_share=0.1, seed=None):
    """Shuffle whole documents and keep ``validation_share`` of them for validation.

    A paragraph is never cut in two: the validation text is prose the model never saw.

    Returns
    -------
    (train, validation) : two lists of str
    """
    if not 0 < validation_share < 1:
        raise ValueError(f"validation_share must lie in (0, 1). Received: "
                         f"validation_share={validation_share!r}")
    if len(documents) < 2:
        raise ValueError(f"need at least 2 documents to split, received {len(documents)}")
    order = np.random.default_rng(seed).permutation(len(documents))
    n_validation = max(1, int(round(validation_share * len(documents))))
    validation = [documents[i] for i in sorted(order[:n_validation])]
    train = [documents[i] for i in sorted(order[n_validation:])]
    return train, validation


def contexts(documents, block_size):
    """Every (context, next token) pair of the documents.

    Each document is read with ``block_size`` tokens ``END`` before it and one after
    it: the first context is all ``END``, and the last target is ``END``.

    Parameters
    ----------
    documents : list of str
    block_size : int
        How many tokens the model sees before the one it predicts (>= 1).

    Returns
    -------
    X : ndarray of shape (n_pairs, block_size), int
    y : ndarray of shape (n_pairs,), int
        ``n_pairs`` is the number of characters plus one per document.
    """
    if int(block_size) != block_size or block_size < 1:
        raise ValueError(f"block_size must be a positive integer. Received: "
                         f"block_size={block_size!r}")
    pad = np.zeros(block_size, dtype=np.int64)
    X, y = [], []
    for document in documents:
        tokens = np.concatenate([pad, encode(document), [0]])
        windows = np.lib.stride_tricks.sliding_window_view(tokens[:-1], block_size)
        X.append(windows)
        y.append(tokens[block_size:])
    return np.concatenate(X), np.concatenate(y)
