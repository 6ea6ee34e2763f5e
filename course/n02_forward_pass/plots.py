"""Plots of activation functions and of what a layer's neurons output (notebook 02),
and the figures of its widgets (``NeuronFigure``, ``SoftmaxFigure``).

The values drawn come from ``nnlib.activations`` (or from a model's forward pass);
this module only draws.
"""

from __future__ import annotations

import numpy as np

from course.explorer import stepped_limits
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


class NeuronFigure:
    """The figure of ``widgets.neuron_explorer``: one neuron's output ``a = f(w x + b)``.

    The curve ``a`` over ``x``, the activation itself (``f(x)``, dotted) for reference,
    and a diamond where ``z = w x + b`` crosses 0. ``show`` changes only these and the
    title (``dynamic``); the rest is drawn once.

    Parameters
    ----------
    x : ndarray of shape (n_points,)
        The inputs the curves are drawn over (sorted).

    Attributes
    ----------
    fig : matplotlib Figure
    ax : matplotlib Axes
    reference_line, line, zero_marker : matplotlib Line2D
        ``f(x)``, ``a`` and the point where ``z = 0``.
    dynamic : list of matplotlib Artist
        What ``show`` changes (``FigureView.set_dynamic``).
    """

    def __init__(self, x):
        self.x = x
        fig, ax = new_axes(figsize=(6.4, 3.8), layout="constrained")
        self.ax = ax
        ax.axhline(0, color="#999999", linewidth=0.8, zorder=0)
        ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)
        (self.reference_line,) = ax.plot(x, x, color="#888888", linestyle=":", marker="",
                                         linewidth=1.5, label="f(x), i.e. w = 1, b = 0")
        (self.line,) = ax.plot(x, x, color=OKABE_ITO["blue"], linestyle="-", marker="o",
                               markevery=max(1, len(x) // 10), label="a = f(w·x + b)")
        (self.zero_marker,) = ax.plot([], [], color=OKABE_ITO["vermillion"],
                                      linestyle="", marker="D", markersize=7,
                                      label="z = 0 (x = -b/w)")
        ax.set_xlim(x[0], x[-1])
        ax.set_xlabel("input x")
        ax.set_ylabel("output a")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=9)
        self.fig = fig
        self.dynamic = [self.reference_line, self.line, self.zero_marker, ax.title]

    def show(self, a, reference, output_range, zero, formula):
        """Draw one neuron.

        Parameters
        ----------
        a : ndarray of shape (n_points,)
            The neuron's output at each ``x``.
        reference : ndarray of shape (n_points,)
            The activation ``f(x)``.
        output_range : (float, float)
            The lowest and highest output the activation reaches for any weight and bias
            of the sliders: the y axis spans it and 0 (plus a margin), the same for every
            ``w`` and ``b``, so that changes are visible.
        zero : (float, float) or None
            ``(x, a)`` where ``z = 0``; None when there is no such point (``w = 0``).
        formula : str
            E.g. ``"a = relu(1.00·x + 0.00)"``, written in the title.

        Returns
        -------
        self
        """
        self.line.set_data(self.x, a)
        self.reference_line.set_data(self.x, reference)
        low, high = min(0.0, output_range[0]), max(0.0, output_range[1])
        pad = 0.08 * (high - low)
        self.ax.set_ylim(low - pad, high + pad)
        if zero is None:
            self.zero_marker.set_data([], [])
        else:
            self.zero_marker.set_data([zero[0]], [zero[1]])
        self.ax.set_title(f"one neuron: {formula}", fontsize=11)
        return self


class SoftmaxFigure:
    """The figure of ``widgets.softmax_explorer``: scores and probabilities as bars.

    Left: the scores ``z / T``, with a zero line; right: the probabilities
    ``softmax(z / T)``, each written above its bar, and the uniform ``1 / n`` dashed.
    ``show`` changes the bars, the texts and the left title (``dynamic``).

    Parameters
    ----------
    logits : ndarray of shape (n_classes,)
        The scores (the left bars' first heights).
    labels : list of str
        One name per class, under the bars.

    Attributes
    ----------
    fig : matplotlib Figure
    ax_scores, ax_probs : matplotlib Axes
    score_bars, prob_bars : matplotlib BarContainer
    prob_texts : list of matplotlib Text
        The probabilities written above the bars.
    dynamic : list of matplotlib Artist
        What ``show`` changes, with the two lines that lie over the bars
        (``FigureView.set_dynamic``).
    """

    def __init__(self, logits, labels):
        fig, (ax_z, ax_p) = new_axes(ncols=2, figsize=(9.0, 3.4), layout="constrained")
        self.ax_scores, self.ax_probs = ax_z, ax_p
        pos = np.arange(logits.size)
        self.score_bars = ax_z.bar(pos, logits, color=OKABE_ITO["sky_blue"],
                                   edgecolor="#333333", hatch="//")
        self.prob_bars = ax_p.bar(pos, np.zeros_like(logits),
                                  color=OKABE_ITO["bluish_green"], edgecolor="#333333")
        self.prob_texts = [ax_p.text(i, 0, "", ha="center", va="bottom", fontsize=9)
                           for i in pos]
        uniform = 1 / logits.size
        uniform_line = ax_p.axhline(uniform, color=OKABE_ITO["vermillion"], linestyle="--",
                                    linewidth=1.2, label=f"uniform (1/{logits.size})")
        zero_line = ax_z.axhline(0, color="#999999", linewidth=0.8)
        for ax in (ax_z, ax_p):
            ax.set_xticks(pos, labels)
            ax.grid(axis="x", visible=False)
            ax.set_axisbelow(True)  # grid lines under the bars
        ax_p.set_ylim(0, 1.1)
        ax_p.set_ylabel("probability")
        ax_p.set_title("probabilities softmax(z / T)", fontsize=11)
        ax_p.legend(loc="upper right", fontsize=9)
        ax_z.set_ylabel("score z / T")
        # The figure is laid out once, at the first draw: the label stands where the
        # widest tick labels ("−0.02", for a large T) leave it room.
        ax_z.yaxis.set_label_coords(-0.16, 0.5)
        self.fig = fig
        # the two lines lie over the bars: redrawn with them
        self.dynamic = [*self.score_bars, *self.prob_bars, *self.prob_texts, ax_z.title,
                        zero_line, uniform_line]

    def show(self, scores, probs, temperature):
        """Draw the scores and probabilities at one temperature.

        Parameters
        ----------
        scores : ndarray of shape (n_classes,)
            ``z / T``.
        probs : ndarray of shape (n_classes,)
            ``softmax(z / T)``.
        temperature : float
            Written in the left title.

        Returns
        -------
        self
        """
        for bar, s in zip(self.score_bars, scores, strict=True):
            bar.set_height(s)
        low, high = min(0.0, scores.min()), max(0.0, scores.max())
        pad = 0.12 * (high - low)
        # in steps (1, 2, 5 x 10^k): most updates redraw only the bars
        self.ax_scores.set_ylim(*stepped_limits(low - pad, high + pad,
                                                current=self.ax_scores.get_ylim()))
        self.ax_scores.set_title(f"scores z / T  (T = {temperature:.2f})", fontsize=11)
        for bar, text, p in zip(self.prob_bars, self.prob_texts, probs, strict=True):
            bar.set_height(p)
            text.set_y(p + 0.01)
            text.set_text(f"{p:.2f}")
        return self
