"""Heatmaps for the Transformer notebook: attention weights and positional encodings.

The weights drawn come from ``attention`` or a Keras model
(``keras_models.attention_scores``); these functions only draw.
"""

from __future__ import annotations

import numpy as np

from course.figures import new_axes


def plot_attention(weights, ax=None, *, query_labels=None, key_labels=None,
                   title="Attention weights", annotate=True):
    """Draw an attention matrix: row ``i`` is how much query ``i`` looks at each key.

    Parameters
    ----------
    weights : array_like of shape (n_queries, n_keys)
        Rows sum to 1 (one head, one sample).
    ax : matplotlib Axes, optional
    query_labels, key_labels : list of str, optional
        Tick labels (e.g. the output and input tokens).
    title : str, default="Attention weights"
    annotate : bool, default=True
        Write each weight (rounded to 2 decimals) in its cell.

    Returns
    -------
    ax : matplotlib Axes
        ``ax.images[0]`` holds the matrix; the colour scale runs from 0 to 1.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(
            f"weights must be 2-D (n_queries, n_keys): pick one sample and one head. "
            f"Received: shape {weights.shape}"
        )
    fig, ax = new_axes(ax, figsize=(5.2, 4.4))
    image = ax.imshow(weights, cmap="Blues", vmin=0.0, vmax=1.0)
    ax.grid(False)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="weight")
    n_q, n_k = weights.shape
    ax.set_xticks(range(n_k))
    ax.set_yticks(range(n_q))
    if key_labels is not None:
        ax.set_xticklabels(key_labels)
    if query_labels is not None:
        ax.set_yticklabels(query_labels)
    ax.set_xlabel("key position (input)")
    ax.set_ylabel("query position (output)")
    if annotate:
        for i in range(n_q):
            for j in range(n_k):
                value = weights[i, j]
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if value > 0.6 else "black")
    ax.set_title(title)
    fig.tight_layout()
    return ax


def plot_positional_encoding(P, ax=None, *, title="Sinusoidal positional encoding"):
    """Draw a positional-encoding matrix (positions down, embedding columns across).

    Parameters
    ----------
    P : array_like of shape (n_steps, d_model)
        From ``attention.positional_encoding``.

    Returns
    -------
    ax : matplotlib Axes
    """
    P = np.asarray(P, dtype=float)
    if P.ndim != 2:
        raise ValueError(f"P must be 2-D (n_steps, d_model). Received: shape {P.shape}")
    fig, ax = new_axes(ax, figsize=(7, 3.6))
    image = ax.imshow(P, cmap="RdBu_r", vmin=-1.0, vmax=1.0, aspect="auto")
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="value")
    ax.set_xlabel("embedding column")
    ax.set_ylabel("position")
    ax.set_title(title)
    fig.tight_layout()
    return ax
