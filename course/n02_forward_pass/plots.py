"""Plots of activation functions and of what a layer's neurons output (notebook 02).

The values drawn come from ``nnlib.activations`` (or from a model's forward pass).
"""

from __future__ import annotations

import numpy as np

from course.figures import CYCLE_LINESTYLES, OKABE_ITO, new_axes
from nnlib import activations


def activation_curve(name, z):
    """Values of an activation and its derivative along ``z``, as ``plot_activation`` draws them.

    Parameters
    ----------
    name : str
        An activation name known to ``nnlib.activations.get`` (``"relu"``, ``"sigmoid"``,
        ``"tanh"``, ``"softmax"``, ``"linear"``).
    z : array_like of shape (n_points,)
        Pre-activation values.

    Returns
    -------
    f : ndarray of shape (n_points,)
        The activation at each ``z``.
    df : ndarray of shape (n_points,)
        Its derivative at each ``z``.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the valid ones).

    Notes
    -----
    Softmax maps a whole vector of scores to probabilities, so it has no curve of
    its own. Its 1-D view here is the first probability of the two scores ``[z, 0]``:
    ``f(z) = softmax([z, 0])_0 = e^z / (e^z + 1)``, whose derivative is the Jacobian
    entry ``J_00 = s_0 (1 - s_0)``. This is exactly the sigmoid: a sigmoid is a
    two-class softmax with one score fixed at 0.
    """
    act = activations.get(name)
    z = np.asarray(z, dtype=float)
    if z.ndim != 1:
        raise ValueError(f"z must be a 1-D array of points. Received: z with shape {z.shape}")
    if act.name == "softmax":
        pairs = np.column_stack([z, np.zeros_like(z)])  # scores [z, 0] for each point
        return act.fn(pairs)[:, 0], act.grad(pairs)[:, 0, 0]
    return act.fn(z), act.grad(z)


def plot_activation(name, ax=None, *, z=None, show_grad=True, title=None):
    """Plot an activation ``f(z)`` and its derivative ``f'(z)``, computed by nnlib.

    Parameters
    ----------
    name : str
        ``"linear"``, ``"relu"``, ``"sigmoid"``, ``"tanh"`` or ``"softmax"`` (shown
        as ``softmax([z, 0])_0``, see ``activation_curve``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    z : array_like of shape (n_points,), optional
        Where to evaluate; default ``np.linspace(-5, 5, 401)``.
    show_grad : bool, default=True
        Also draw the derivative (dashed).
    title : str, optional
        Default: the activation's name.

    Returns
    -------
    ax : matplotlib Axes
        The function's line is labelled ``"f(z)"``, the derivative's ``"f'(z)"``.

    Raises
    ------
    ValueError
        For an unknown activation name (the message lists the valid ones).
    """
    z = np.linspace(-5.0, 5.0, 401) if z is None else np.asarray(z, dtype=float)
    f, df = activation_curve(name, z)  # validates the name before any figure is made
    fig, ax = new_axes(ax)
    every = max(1, len(z) // 10)
    ax.axhline(0, color="#999999", linewidth=0.8, zorder=0)
    ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)
    ax.plot(z, f, color=OKABE_ITO["blue"], linestyle="-", marker="o", markevery=every,
            label="f(z)")
    if show_grad:
        ax.plot(z, df, color=OKABE_ITO["vermillion"], linestyle="--", marker="s",
                markevery=(every // 2, every), label="f'(z)")
    ax.set_xlabel("z")
    key = str(name).lower()
    ax.set_title(title or ("softmax([z, 0])[0]" if key == "softmax" else key))
    ax.legend(loc="upper left")
    return ax


def plot_neuron_outputs(x, A, ax=None, *, color=None, title=None, ylabel=None):
    """Draw what every neuron of one layer outputs as the single input ``x`` varies.

    Parameters
    ----------
    x : array_like of shape (n_samples,) or (n_samples, 1)
        The network's one input feature.
    A : array_like of shape (n_samples, n_neurons)
        The layer's outputs for those inputs: column ``j`` is neuron ``j``'s curve.
    ax : matplotlib Axes, optional
    color : str, optional
        One colour for the whole layer (e.g. ``LAYER_COLORS["hidden1"]``).
    title, ylabel : str, optional

    Returns
    -------
    ax : matplotlib Axes
        One line per neuron, in column order.
    """
    x = np.asarray(x, dtype=float).ravel()
    A = np.asarray(A, dtype=float)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2 or A.shape[0] != x.size:
        raise ValueError(
            f"A must have shape (n_samples, n_neurons) with n_samples = len(x) = {x.size}. "
            f"Received: A with shape {A.shape}"
        )
    fig, ax = new_axes(ax)
    color = color or OKABE_ITO["blue"]
    for j in range(A.shape[1]):
        ax.plot(x, A[:, j], color=color, marker="", linestyle=CYCLE_LINESTYLES[j % 4],
                linewidth=1.5, alpha=0.85)
    ax.set_xlabel("x")
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def plot_depth_profiles(profiles, *, axes=None):
    """Two panels for ``depth.depth_profile`` results: activation spread and gradient size.

    Parameters
    ----------
    profiles : dict of str to depth.DepthProfile
        One profile per kind of start, drawn in the course's colour cycle.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    fig : matplotlib Figure
        Left: standard deviation of each hidden layer's outputs; right: the size of the
        loss gradient of each layer's kernel (log scale: orders of magnitude apart).
    """
    from course.figures import CYCLE_COLORS, CYCLE_MARKERS, styled_subplots

    if not profiles:
        raise ValueError("profiles must name at least one depth profile. Received: {}")
    if axes is None:
        fig, axes = styled_subplots(1, 2, figsize=(11, 3.6))
    fig = axes[0].figure
    for k, (name, profile) in enumerate(profiles.items()):
        layers = np.arange(1, len(profile.activation_std) + 1)
        style = dict(color=CYCLE_COLORS[k % len(CYCLE_COLORS)],
                     marker=CYCLE_MARKERS[k % len(CYCLE_MARKERS)], label=name)
        axes[0].plot(layers, profile.activation_std, **style)
        axes[1].plot(layers, np.maximum(profile.gradient_norm, 1e-300), **style)
    axes[0].set(xlabel="hidden layer", ylabel="spread of its outputs (std)",
                title="forward: the signal layer by layer")
    axes[1].set(xlabel="hidden layer", ylabel="size of dL/dW (norm)", yscale="log",
                title="backward: the gradient of each kernel")
    axes[0].legend(fontsize=9)
    fig.tight_layout()
    return fig
