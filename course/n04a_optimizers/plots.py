"""Plots of optimizers at work (notebook 04): paths on 2-D loss surfaces, the loss per
step, the learning-rate range test and the batch-size comparison.

The numbers come from ``surfaces`` and ``rate_and_batch``; this module
only draws.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from course.explorer import boxed_legend, stepped_limits
from course.figures import CYCLE_COLORS, CYCLE_LINESTYLES, CYCLE_MARKERS, OKABE_ITO, new_axes

LOSS_FLOOR = 1e-12
"""Losses (above the minimum) below this are drawn at it: the bottom of the loss plot."""

PATH_STYLES = [
    {"color": OKABE_ITO["vermillion"], "marker": "o", "linestyle": "-"},
    {"color": OKABE_ITO["blue"], "marker": "s", "linestyle": "--"},
    {"color": OKABE_ITO["reddish_purple"], "marker": "^", "linestyle": "-."},
]
"""Colour, marker and dash of the first, second and third path."""


class SurfacePlot:
    """Contours of a 2-D surface with up to three optimizer paths drawn on them.

    Build once; ``set_surface`` redraws the contours (only when the surface changes),
    ``show`` moves the paths.

    Parameters
    ----------
    surface : surfaces.Surface
    ax : matplotlib Axes, optional
    n_paths : int, default=3
    grid_points : int, default=121
        Grid points per axis for the contours.

    Attributes
    ----------
    path_lines : list of Line2D
        One per path, in the styles of ``PATH_STYLES``.
    start : Line2D
        The starting point (a black square).
    text : matplotlib Text
        How the run ended; red when a path diverged.
    dynamic : list of matplotlib Artist
        The artists ``show`` changes and those drawn over them (a widget redraws only
        these, see ``course.explorer.FigureView``).
    """

    def __init__(self, surface, ax=None, *, n_paths=3, grid_points=121):
        fig, ax = new_axes(ax)
        self.ax = ax
        self.grid_points = grid_points
        self.surface = None
        self._contours = None
        self.path_lines = []
        for k in range(n_paths):
            style = PATH_STYLES[k % len(PATH_STYLES)]
            (line,) = ax.plot([], [], linewidth=1.3, markersize=3.5, alpha=0.9, zorder=3,
                              **style)
            self.path_lines.append(line)
        (self.minima,) = ax.plot([], [], color=OKABE_ITO["black"], marker="*", linestyle="",
                                 markersize=13, zorder=4, label="minimum")
        (self.start,) = ax.plot([], [], color=OKABE_ITO["black"], marker="s", linestyle="",
                                markersize=8, zorder=4, label="start")
        self.text = ax.text(0.5, 0.02, "", transform=ax.transAxes, ha="center", va="bottom",
                            fontsize=9.5, zorder=5,
                            bbox={"facecolor": "white", "edgecolor": "#999999", "alpha": 0.92})
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.grid(False)
        # what ``show`` changes, with what lies on top of it (for a widget's quick redraw)
        self.dynamic = [*self.path_lines, self.minima, self.start, self.text]
        self.set_surface(surface)

    def set_surface(self, surface):
        """Draw the contours of ``surface`` (log-spaced above its minimum value)."""
        if surface is self.surface:
            return self
        if self._contours is not None:
            self._contours.remove()
        self.surface = surface
        xs, ys, values = surface.grid(self.grid_points)
        shifted = values - surface.min_value
        high = float(shifted.max())
        levels = np.geomspace(max(high * 1e-4, 1e-3), high, 14)
        self._contours = self.ax.contour(xs, ys, shifted, levels=levels, cmap="viridis",
                                         linewidths=0.9, zorder=1)
        self.minima.set_data(surface.minima[:, 0], surface.minima[:, 1])
        self.ax.set_xlim(*surface.xlim)
        self.ax.set_ylim(*surface.ylim)
        self.ax.set_title(surface.formula, fontsize=11)
        return self

    def show(self, paths, labels=None, message="", diverged=False):
        """Draw ``paths`` (``course.descent.DescentPath``), hiding unused path lines."""
        labels = labels or [None] * len(paths)
        for k, line in enumerate(self.path_lines):
            if k < len(paths):
                pts = np.asarray(paths[k].points, float)
                line.set_data(pts[:, 0], pts[:, 1])
                line.set_label(labels[k])
                line.set_visible(True)
                line.set_markevery(max(1, len(pts) // 60))
            else:
                line.set_data([], [])
                line.set_visible(False)
        if paths:
            first = np.asarray(paths[0].points, float)[0]
            self.start.set_data([first[0]], [first[1]])
        self.text.set_text(message)
        self.text.set_visible(bool(message))  # no empty box
        color = OKABE_ITO["vermillion"] if diverged else OKABE_ITO["black"]
        self.text.set_color(color)
        self.text.get_bbox_patch().set_edgecolor(color if diverged else "#999999")
        return self


def plot_optimizer_paths(surface, paths, ax=None, *, title=None, xlim=None, ylim=None,
                         marker_every=None):
    """Static version of ``SurfacePlot``: contours and several labelled paths.

    Parameters
    ----------
    surface : surfaces.Surface
    paths : dict of str to course.descent.DescentPath
        Legend label -> path (at most three).
    ax : matplotlib Axes, optional
    title : str, optional
    xlim, ylim : pair of float, optional
        Zoom into this window (default: the surface's ``xlim`` and ``ylim``).
    marker_every : int, optional
        Put a marker every ``marker_every`` steps, so that the spacing of the markers
        shows each optimizer's speed (default: about 60 markers per path).

    Returns
    -------
    ax : matplotlib Axes
    """
    if marker_every is not None and (isinstance(marker_every, bool) or
                                     not isinstance(marker_every, (int, np.integer)) or
                                     marker_every < 1):
        raise ValueError(f"marker_every must be a positive integer. "
                         f"Received: marker_every={marker_every!r}")
    plot = SurfacePlot(surface, ax, n_paths=max(1, len(paths)))
    plot.show(list(paths.values()), list(paths.keys()))
    if marker_every is not None:
        for line in plot.path_lines[:len(paths)]:
            line.set_markevery(int(marker_every))
            line.set_markersize(5)
    if xlim is not None:
        plot.ax.set_xlim(*xlim)
    if ylim is not None:
        plot.ax.set_ylim(*ylim)
    plot.ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=8.5)
    if title:
        plot.ax.set_title(title)
    return plot.ax


def plot_loss_per_step(paths, ax=None, *, min_value=0.0, title="Loss after each step"):
    """The loss (minus the surface's minimum) along each path, on a log scale.

    Parameters
    ----------
    paths : dict of str to course.descent.DescentPath
    ax : matplotlib Axes, optional
    min_value : float, default=0.0
        Subtracted from the loss so that the minimum sits at the bottom of the log axis.

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    for k, (label, path) in enumerate(paths.items()):
        loss = np.clip(np.asarray(path.loss, float) - min_value, 1e-12, 1e12)
        ax.plot(np.arange(len(loss)), loss, label=label, markersize=3.5,
                markevery=max(1, len(loss) // 20), **PATH_STYLES[k % len(PATH_STYLES)])
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss − minimum")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_lr_range(result, ax=None, *, title="Learning-rate range test"):
    """The loss against the learning rate (log axis) from ``rate_and_batch.lr_range_test``.

    Draws the raw and smoothed loss and marks ``result.suggested_rate``.

    Returns
    -------
    ax : matplotlib Axes
    """
    fig, ax = new_axes(ax)
    ax.plot(result.learning_rates, result.loss, color=OKABE_ITO["sky_blue"], marker="",
            linestyle="-", linewidth=1.0, alpha=0.7, label="loss of each mini-batch")
    ax.plot(result.learning_rates, result.smoothed, color=OKABE_ITO["blue"], marker="o",
            markevery=max(1, len(result.smoothed) // 15), linestyle="-", label="smoothed")
    ax.axvline(result.suggested_rate, color=OKABE_ITO["vermillion"], linestyle="--",
               marker="", label=f"suggested rate ≈ {result.suggested_rate:.2g}")
    ax.set_xscale("log")
    finite = result.smoothed[np.isfinite(result.smoothed)]
    if finite.size:
        ax.set_ylim(0, 1.6 * float(finite.max()))
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("training loss")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_batch_runs(runs, axes=None, *, labels=None):
    """Loss curves and time per epoch of ``rate_and_batch.compare_batch_sizes`` runs.

    Parameters
    ----------
    runs : list of rate_and_batch.BatchRun
    axes : pair of matplotlib Axes, optional
        Left: training loss against samples seen; right: time per epoch (bars).
    labels : list of str, optional
        Default ``"batch size b"``.

    Returns
    -------
    axes : pair of matplotlib Axes
    """
    if axes is None:
        fig, axes = new_axes(ncols=2, figsize=(11, 4.0), gridspec_kw={"width_ratios": [3, 2]})
    ax_loss, ax_time = axes
    labels = labels or [f"batch size {r.batch_size}" for r in runs]
    for k, (run, label) in enumerate(zip(runs, labels)):
        i = k % len(CYCLE_COLORS)
        ax_loss.plot(run.samples_seen, run.loss, color=CYCLE_COLORS[i], marker=CYCLE_MARKERS[i],
                     linestyle=CYCLE_LINESTYLES[i], linewidth=1.2, markersize=4,
                     markevery=max(1, len(run.loss) // 12), label=label)
    ax_loss.set_xlabel("samples used (epochs × n)")
    ax_loss.set_ylabel("training loss (all samples)")
    ax_loss.set_title("Loss after every update")
    ax_loss.legend()
    ms = [1e3 * float(np.median(r.epoch_seconds)) for r in runs]
    ax_time.bar(range(len(runs)), ms, color=[CYCLE_COLORS[k % len(CYCLE_COLORS)]
                                              for k in range(len(runs))],
                edgecolor="black", hatch=None)
    for k, (value, run) in enumerate(zip(ms, runs)):
        n_up = run.updates_per_epoch
        ax_time.text(k, value, f"{value:.2g} ms\n{n_up} update{'s' if n_up != 1 else ''}",
                     ha="center", va="bottom", fontsize=9)
    ax_time.set_xticks(range(len(runs)), [label.replace(" (", "\n(") for label in labels],
                       fontsize=9)
    ax_time.set_ylim(0, 1.3 * max(ms) if max(ms) > 0 else 1)
    ax_time.set_ylabel("time per epoch (ms)")
    ax_time.set_title("Time per epoch (median)")
    ax_time.grid(axis="x", visible=False)
    return axes


def power_label(value, _position=None):
    """Tick label of a log axis as plain text: 1e-4, 0.01, 1, 100, 2e12.

    Typeset powers of ten (matplotlib's default, mathtext) cost a third of a redraw.
    """
    if 1e-3 <= value <= 1e3:
        return f"{value:g}"
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


class OptimizerExplorerFigure:
    """The figure of ``widgets.optimizer_explorer``: surface, loss curves, rate strip.

    Top left, a ``SurfacePlot`` (contours and paths); top right, the loss after each
    step on a log axis, one line per optimizer; below, a strip with the learning rate
    on a log axis, the divergence threshold and the rates above it shaded.

    Parameters
    ----------
    surface : surfaces.Surface
    learning_rate : float
        Where the strip's marker starts.
    lr_range : (float, float)
        The strip's axis.

    Attributes
    ----------
    fig : matplotlib Figure
    ax_surface, ax_loss, ax_lr : matplotlib Axes
    surface_plot : SurfacePlot
    loss_lines : list of 3 Line2D
    loss_text, lr_text : matplotlib Text
    limit_span : matplotlib Polygon
    limit_line, lr_marker : matplotlib Line2D
    dynamic : list of matplotlib Artist
        What an update of the widget changes (``FigureView.set_dynamic``).
    """

    def __init__(self, surface, learning_rate, lr_range):
        fig, axes = new_axes(nrows=2, ncols=2, figsize=(9.6, 5.2),
                             gridspec_kw={"height_ratios": [5, 1.1], "width_ratios": [1, 1]})
        self.ax_surface, self.ax_loss = axes[0]
        gs = axes[1, 0].get_gridspec()
        axes[1, 0].remove()
        axes[1, 1].remove()
        self.ax_lr = fig.add_subplot(gs[1, :])
        self.surface_plot = SurfacePlot(surface, self.ax_surface)
        self.loss_lines = []
        for k in range(3):
            (line,) = self.ax_loss.plot([], [], linewidth=1.3, markersize=3.5,
                                        **PATH_STYLES[k])
            self.loss_lines.append(line)
        self.ax_loss.set_yscale("log")
        # Few ticks, no minor ones: ticks are most of the drawing time of a log axis.
        self.ax_loss.yaxis.set_major_locator(LogLocator(numticks=7))
        self.ax_loss.yaxis.set_minor_locator(NullLocator())
        # Plain-text labels (1e-4, 2e12): typeset powers of ten (mathtext) cost a third of
        # every redraw.
        self.ax_loss.yaxis.set_major_formatter(FuncFormatter(power_label))
        self.ax_loss.set_xlabel("step")
        self.ax_loss.set_ylabel("loss − minimum (log scale)")
        self.ax_loss.set_title("Loss after each step")
        self.ax_loss.set_ylim(1e-12, 1e4)  # the widest tick labels, for the layout below
        self.loss_text = self.ax_loss.text(0.98, 0.97, "", transform=self.ax_loss.transAxes,
                                           ha="right", va="top", fontsize=9.5,
                                           bbox={"facecolor": "white", "edgecolor": "#999999",
                                                 "alpha": 0.92})
        # The learning-rate strip: where the current rate sits against the threshold.
        ax = self.ax_lr
        ax.set_xscale("log")
        ax.set_xlim(*lr_range)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.grid(axis="y", visible=False)
        # added outside the course style's context: hide the frame here, not by rcParams
        ax.spines[["left", "top", "right"]].set_visible(False)
        ax.set_xlabel("learning rate (log scale)")
        self.limit_span = ax.axvspan(1.0, lr_range[1], color=OKABE_ITO["vermillion"], alpha=0.15,
                                     linewidth=0)
        (self.limit_line,) = ax.plot([1.0, 1.0], [0, 1], color=OKABE_ITO["vermillion"],
                                     linestyle="--", marker="", linewidth=1.5)
        (self.lr_marker,) = ax.plot([learning_rate], [0.3], color=OKABE_ITO["black"],
                                    marker="v", markersize=12, linestyle="")
        self.lr_text = ax.text(0.005, 0.93, "", transform=ax.transAxes, ha="left", va="top",
                               fontsize=9.5)
        fig.tight_layout()
        self.fig = fig
        self.lr_range = lr_range
        self.dynamic = [*self.surface_plot.dynamic, *self.loss_lines, self.loss_text,
                        self.limit_span, self.limit_line, self.lr_marker, self.lr_text]
        self._legend_labels = None
        self._loss_tops = {}

    def loss_limits(self, surface):
        """``(LOSS_FLOOR, top)``: ``top`` a 1-2-5 value above the loss anywhere on the window,
        the same for every learning rate on this surface, so curves can be compared from one
        setting to the next (a diverging loss leaves the plot through the top)."""
        if surface.name not in self._loss_tops:
            _, _, values = surface.grid(61)
            self._loss_tops[surface.name] = stepped_limits(
                LOSS_FLOOR, 3 * float(np.max(values) - surface.min_value), log=True)[1]
        return LOSS_FLOOR, self._loss_tops[surface.name]

    def show(self, surface, paths, learning_rate, steps, stability_limit, diverged):
        """Draw the paths of one setting.

        Parameters
        ----------
        surface : surfaces.Surface
        paths : dict of str to descent.DescentPath
            One path per optimizer shown (at most three), by name.
        learning_rate : float
        steps : int
            The steps asked for (the loss axis' width).
        stability_limit : float or None
            The divergence threshold to mark on the learning-rate strip (the bowl, SGD).
        diverged : bool

        Returns
        -------
        redraw_all : bool
            True when the surface changed: the contours are new, draw everything again.
        legend : matplotlib Legend or None
            The loss plot's new legend when the optimizers shown changed, else None.
        """
        labels = list(paths)
        redraw_all = surface is not self.surface_plot.surface
        if redraw_all:
            self.surface_plot.set_surface(surface)
        self.surface_plot.show(list(paths.values()), labels, "", diverged)
        self.ax_surface.set_title(f"{surface.formula}   (■ start, ★ minimum)", fontsize=10.5)
        for k, line in enumerate(self.loss_lines):
            if k < len(labels):
                loss = np.clip(paths[labels[k]].loss - surface.min_value, LOSS_FLOOR, None)
                line.set_data(np.arange(len(loss)), loss)
                line.set_label(labels[k])
                line.set_markevery(max(1, len(loss) // 20))
            else:
                line.set_data([], [])
            line.set_visible(k < len(labels))
        self.ax_loss.set_xlim(0, max(steps, 1))
        self.ax_loss.set_ylim(*self.loss_limits(surface))
        legend = None
        if labels != self._legend_labels:  # a new legend only when the optimizers change
            legend = boxed_legend(self.ax_loss, handles=self.loss_lines[:len(labels)],
                                  loc="lower left", fontsize=8.5)
            self._legend_labels = labels
        self.loss_text.set_text("diverged: the loss blew up" if diverged else "")
        self.loss_text.set_color(OKABE_ITO["vermillion"])
        self.loss_text.set_visible(diverged)
        self._show_rate(surface, learning_rate, stability_limit, labels)
        return redraw_all, legend

    def _show_rate(self, surface, lr, limit, labels):
        """The learning-rate strip: the rate's marker, the threshold and a sentence."""
        self.lr_marker.set_data([lr], [0.3])
        visible = limit is not None
        self.limit_line.set_visible(visible)
        self.limit_span.set_visible(visible)
        if visible:
            self.limit_line.set_data([limit, limit], [0, 1])
            self.limit_span.set_x(limit)
            self.limit_span.set_width(self.lr_range[1] - limit)
            what = "2/L" if labels == ["SGD"] else "2(1+β)/L"
            side = ">" if lr > limit else "<"
            self.lr_text.set_text(f"learning rate {lr:.3g} {side} {what} = {limit:.3g} "
                                  f"(L = {surface.largest_curvature:g}, the largest "
                                  "curvature): shaded rates diverge")
        elif hasattr(surface, "largest_curvature"):
            self.lr_text.set_text(f"learning rate {lr:.3g}: Adam's steps are about the "
                                  "learning rate in size, so there is no 2/L limit")
        else:
            self.lr_text.set_text(f"learning rate {lr:.3g}: no single threshold here, the "
                                  "curvature changes from place to place")


def plot_convergence_map(learning_rates, momenta, rates, ax=None, *, marks=None,
                         title="Rate of convergence per step"):
    """Distill's map: the per-step convergence factor of SGD with momentum over
    (learning rate, momentum), from ``QuadraticBowl.convergence_rate``.

    Dark is fast; factors of 1 or more (the run does not converge) are left white, and the
    contour lines mark 0.6, 0.8, 0.9 and 0.99.

    Parameters
    ----------
    learning_rates : array_like of shape (n_rates,)
    momenta : array_like of shape (n_momenta,)
    rates : array_like of shape (n_momenta, n_rates)
    ax : matplotlib Axes, optional
    marks : dict of str to (learning_rate, momentum), optional
        Settings to mark, with their legend labels.

    Returns
    -------
    ax : matplotlib Axes
    """
    learning_rates = np.asarray(learning_rates, dtype=float)
    momenta = np.asarray(momenta, dtype=float)
    rates = np.asarray(rates, dtype=float)
    if rates.shape != (momenta.size, learning_rates.size):
        raise ValueError(f"rates must have shape (n_momenta, n_rates) = "
                         f"({momenta.size}, {learning_rates.size}). Received: {rates.shape}.")
    fig, ax = new_axes(ax)
    shown = np.ma.masked_where(rates >= 1.0, rates)
    mesh = ax.pcolormesh(learning_rates, momenta, shown, cmap="viridis", vmin=rates.min(),
                         vmax=1.0, shading="auto")
    fig.colorbar(mesh, ax=ax, label="distance kept per step")
    lines = ax.contour(learning_rates, momenta, rates, levels=[0.6, 0.8, 0.9, 0.99],
                       colors="white", linewidths=0.8)
    ax.clabel(lines, fmt="%.2f", fontsize=8)
    for k, (label, (lr, beta)) in enumerate((marks or {}).items()):
        ax.plot(lr, beta, linestyle="none", marker=CYCLE_MARKERS[k % len(CYCLE_MARKERS)],
                markersize=9, markeredgecolor="black", color=CYCLE_COLORS[k % len(CYCLE_COLORS)],
                label=label)
    if marks:
        boxed_legend(ax, loc="upper right")
    ax.set_xlabel("learning rate α")
    ax.set_ylabel("momentum β")
    ax.set_title(title)
    return ax
