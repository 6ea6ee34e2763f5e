"""05d_language_model: what makes each of its checks hold for any COURSE_SEED (see sweeping.py).

The notebook's text is the prose of the course's notebooks, read when it runs, and the
notebooks change. So the sweep runs on the notebooks as they are now, and a second test
runs the same checks on other prose: each half of the notebooks alone, the README, and
the docstrings of nnlib.
"""

import ast
import re

import numpy as np
import pytest
from sweeping import ROOT, Exact, Swept, sweep

from course.n05d_language_model import bigram, mlp, text, widgets

CHECKS = {
    # cell 4
    "set(''.join(documents)) <= set(text.ALPHABET)": Exact(
        "text.clean writes every character outside the alphabet as RARE"),
    # cell 4
    'text.decode(text.encode(example)) == example': Exact("decode inverts encode"),
    # cell 7
    'bigram_val < np.log(VOCAB_SIZE)': Swept("test_the_notebooks_claims"),
    # cell 10
    'abs(init_loss - np.log(VOCAB_SIZE)) < 0.05': Swept("test_the_notebooks_claims"),
    # cell 10
    'loud_loss > 2 * np.log(VOCAB_SIZE)': Swept("test_the_notebooks_claims"),
    # cell 19
    'mlp_val < bigram_val': Swept("test_the_notebooks_claims"),
    # cell 22
    'np.allclose(losses, twin_losses, rtol=1e-09, atol=0)': Exact(
        "the same float64 operations in the same order: the course's embedding_backward "
        "stands in for a missing one, and a right one adds the same numbers (the teacher's, "
        "a loop and a one-hot product: tests/test_tasks_language_model.py)"),
    # cell 22
    'gap < 1e-09': Exact("as the line above"),
    # cell 26
    'entropies[0] < entropies[1] < entropies[2]': Exact(
        "the entropy of softmax(z / T) grows with T wherever the logits are not all equal: "
        "dH/dT = Var_p(z) / T**3 > 0"),
}

SIZES = {"embedding_dim": 8, "hidden": 64}
TRAINING = {"steps": 2000, "batch_size": 64, "learning_rate": 0.01}
BLOCK_SIZE = 6


def measure(seed, documents=None):
    """Cells 3-26 with COURSE_SEED=seed (the course's embedding_backward stands in for the
    student's: a right one passes its check and trains the same model)."""
    documents = text.course_prose() if documents is None else documents
    vocab = len(text.ALPHABET)
    train_docs, val_docs = text.split_documents(documents, validation_share=0.1, seed=seed)
    X1, y1 = text.contexts(train_docs, 1)
    X1_val, y1_val = text.contexts(val_docs, 1)
    P = bigram.bigram_probabilities(bigram.bigram_counts(X1, y1, vocab), smoothing=1.0)
    bigram_val = bigram.negative_log_likelihood(P, X1_val, y1_val)
    X, y = text.contexts(train_docs, BLOCK_SIZE)
    X_val, y_val = text.contexts(val_docs, BLOCK_SIZE)
    params = mlp.init_params(vocab, BLOCK_SIZE, **SIZES, output_scale=0.01, seed=seed)
    init_loss = mlp.negative_log_likelihood(params, X_val, y_val)
    loud = mlp.init_params(vocab, BLOCK_SIZE, **SIZES, output_scale=1.0, seed=seed)
    loud_loss = mlp.negative_log_likelihood(loud, X_val, y_val)
    mlp.train(params, X, y, **TRAINING, seed=seed)
    mlp_val = mlp.negative_log_likelihood(params, X_val, y_val)
    _, _, context = widgets.prompt_context("the network ", BLOCK_SIZE)
    entropies = [widgets.entropy(mlp.next_probabilities(params, context, T))
                 for T in (0.5, 1.0, 2.0)]
    return {
        "ln_V_minus_bigram": np.log(vocab) - bigram_val,
        "init_gap": abs(init_loss - np.log(vocab)),
        "loud_over_ln_V": loud_loss / np.log(vocab),
        "bigram_minus_mlp": bigram_val - mlp_val,
        "entropy_steps": min(entropies[1] - entropies[0], entropies[2] - entropies[1]),
    }


CLAIMS = {
    "the bigram's validation NLL is below ln V": ("ln_V_minus_bigram", lambda v: v > 0),
    "the loss at the start is within 0.05 of ln V": ("init_gap", lambda v: v < 0.05),
    "with output weights of scale 1 it is above 2 ln V": ("loud_over_ln_V", lambda v: v > 2),
    "the MLP's validation NLL is below the bigram's": ("bigram_minus_mlp", lambda v: v > 0),
    "the entropy grows from T = 0.5 to 1 to 2": ("entropy_steps", lambda v: v > 0),
}


def test_the_notebooks_claims():
    sweep(measure, CLAIMS)


def _paragraphs(markdown):
    return [t for t in (text.clean(p) for p in re.split(r"\n\s*\n", markdown)) if t]


def _other_prose():
    """Prose that is not the notebooks as they are now."""
    names = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb"))
    half = len(names) // 2
    by_notebook = {p: text.notebook_prose_of(p) for p in names}
    docstrings = []
    for path in sorted((ROOT / "nnlib").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)):
                doc = ast.get_docstring(node)
                if doc:
                    docstrings += _paragraphs(doc)
    return {
        "the first half of the notebooks": [d for p in names[:half] for d in by_notebook[p]],
        "the second half of the notebooks": [d for p in names[half:] for d in by_notebook[p]],
        "the README": _paragraphs((ROOT / "README.md").read_text()),
        "the docstrings of nnlib": docstrings,
    }


@pytest.mark.parametrize("corpus", ["the first half of the notebooks",
                                    "the second half of the notebooks", "the README",
                                    "the docstrings of nnlib"])
def test_the_claims_hold_for_other_prose(corpus):
    documents = _other_prose()[corpus]
    assert sum(map(len, documents)) > 20_000, corpus  # prose, not a few lines
    sweep(lambda seed: measure(seed, documents), CLAIMS, seeds=range(2))
