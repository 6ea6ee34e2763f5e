"""Plots for the recurrent-network notebook: forecasts against the truth, recall scatter.

The predictions drawn come from models (Keras or numpy); these functions only draw.
"""

from __future__ import annotations

import numpy as np

from course.figures import (
    CYCLE_COLORS,
    CYCLE_MARKERS,
    OKABE_ITO,
    new_axes,
    plot_curves,
    styled_subplots,
)


def plot_forecasts(t, y_true, predictions, ax=None, *, title="One-step forecasts"):
    """Draw the true series as dots and each model's forecast as a line.

    Parameters
    ----------
    t : array_like of shape (n_points,)
    y_true : array_like of shape (n_points,) or (n_points, 1)
    predictions : dict of str to array_like of shape (n_points,) or (n_points, 1)
        Model name -> forecast.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
        The truth is labelled ``"truth"``, each forecast by its model's name.
    """
    t = np.asarray(t, dtype=float).ravel()
    y_true = np.asarray(y_true, dtype=float).ravel()
    if y_true.shape != t.shape:
        raise ValueError(
            f"y_true must have one value per t ({t.size}). Received: {y_true.size} values"
        )
    fig, ax = new_axes(ax, figsize=(9, 3.6))
    ax.plot(t, y_true, linestyle="", marker=".", color=OKABE_ITO["black"], alpha=0.6,
            label="truth")
    for name, values in predictions.items():
        if np.size(values) != t.size:
            raise ValueError(
                f"prediction {name!r} must have one value per t ({t.size}). "
                f"Received: {np.size(values)} values"
            )
    plot_curves(t, predictions, ax=ax, title=title, xlabel="time step", ylabel="value")
    # below the axes, so that it never hides the curves
    ax.legend(ncol=len(predictions) + 1, loc="upper center", bbox_to_anchor=(0.5, -0.18),
              fontsize=9)
    fig.tight_layout()
    return ax


def plot_recall(y_true, predictions, *, mse=None):
    """One scatter per model: predicted against true value (perfect memory is the diagonal).

    Parameters
    ----------
    y_true : array_like of shape (n_samples,) or (n_samples, 1)
    predictions : dict of str to array_like of shape (n_samples,) or (n_samples, 1)
    mse : dict of str to float, optional
        Shown in each panel's title.

    Returns
    -------
    fig : matplotlib Figure
        ``fig.axes[k]`` holds model ``k``'s points.
    """
    y_true = np.asarray(y_true, dtype=float).ravel()
    n = len(predictions)
    fig, axes = styled_subplots(1, n, figsize=(3.3 * n, 3.3), sharey=True, squeeze=False)
    for k, (ax, (name, values)) in enumerate(zip(axes[0], predictions.items())):
        values = np.asarray(values, dtype=float).ravel()
        if values.shape != y_true.shape:
            raise ValueError(
                f"prediction {name!r} must have one value per sample ({y_true.size}). "
                f"Received: {values.size} values"
            )
        ax.plot([-1, 1], [-1, 1], color=OKABE_ITO["black"], linestyle=":", marker="",
                linewidth=1, label="perfect recall")
        ax.plot(y_true, values, linestyle="", marker=CYCLE_MARKERS[k], color=CYCLE_COLORS[k],
                alpha=0.5, markersize=3, label=name)
        ax.set_xlabel("value to recall")
        title = name if mse is None else f"{name}: MSE {mse[name]:.3f}"
        ax.set_title(title, fontsize=10)
        ax.set_xlim(-1.1, 1.1)
        ax.set_ylim(-1.1, 1.1)
    axes[0, 0].set_ylabel("model's answer")
    fig.tight_layout()
    return fig


def plot_gradient_reach(reaches, ax=None):
    """Draw ``||dh_T / dx_t||`` against how many steps back ``x_t`` lies, on a log scale,
    each curve divided by its value at the last step.

    Parameters
    ----------
    reaches : dict of str to array_like of shape (n_steps,)
        Model name -> the reach at every step, first step first (``gradient_reach``).
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    reaches = {name: np.asarray(r, dtype=float).ravel() for name, r in reaches.items()}
    n_steps = len(next(iter(reaches.values())))
    back = np.arange(n_steps)[::-1]  # the first step lies n_steps - 1 steps back
    ax = plot_curves(back, {name: r / r[-1] for name, r in reaches.items()}, ax,
                     title="How far back does the gradient reach?",
                     xlabel="steps back from the last state",
                     ylabel="||dh_T / dx_t||, relative to the last step")
    ax.set_yscale("log")
    ax.legend()
    return ax
