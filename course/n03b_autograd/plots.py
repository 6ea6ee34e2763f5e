"""The computational graph of a Value, drawn with every node's value and gradient."""

from __future__ import annotations

from course.figures import OKABE_ITO, new_axes


def _nodes_and_depths(root):
    """Every node ``root`` depends on, with its column: inputs left, ``root`` right."""
    depth, order = {}, []

    def visit(node):
        if id(node) in depth:
            return depth[id(node)]
        d = 1 + max((visit(c) for c in getattr(node, "children", getattr(node, "_prev", ()))),
                    default=-1)
        depth[id(node)] = d
        order.append(node)
        return d

    visit(root)
    return order, depth


def draw_graph(root, labels=None, *, ax=None, title=None):
    """Draw the graph behind ``root``: a box per value (its name, data and grad), an arrow
    from each value to the operation that uses it.

    Parameters
    ----------
    root : Value
        The course's or the student's (it needs ``data``, ``grad``, ``op`` and
        ``children`` or ``_prev``).
    labels : dict of Value to str, optional
        Names shown in the boxes of some values (e.g. ``{w: "w", x: "x"}``).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    labels = {id(v): name for v, name in (labels or {}).items()}
    order, depth = _nodes_and_depths(root)
    columns = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    width, height = max(columns) + 1, max(len(c) for c in columns.values())
    if ax is None:
        _, ax = new_axes(figsize=(min(2.3 * width + 1, 12), 1.2 * height + 1))
    place = {}
    for d, nodes in columns.items():
        for k, node in enumerate(nodes):
            place[id(node)] = (d, (len(nodes) - 1) / 2 - k)
    for node in order:
        x, y = place[id(node)]
        for child in getattr(node, "children", getattr(node, "_prev", ())):
            cx, cy = place[id(child)]
            ax.annotate("", xy=(x - 0.42, y), xytext=(cx + 0.42, cy),
                        arrowprops={"arrowstyle": "->", "color": OKABE_ITO["black"],
                                    "linewidth": 0.9})
        name = labels.get(id(node), getattr(node, "op", "") or "input")
        leaf = not getattr(node, "children", getattr(node, "_prev", ()))
        ax.text(x, y, f"{name}\ndata {node.data:.3g}\ngrad {node.grad:.3g}", ha="center",
                va="center", fontsize=8.5,
                bbox={"boxstyle": "round,pad=0.35", "linewidth": 1.0,
                      "facecolor": "#e8f1fa" if leaf else "white",
                      "edgecolor": OKABE_ITO["blue"] if leaf else OKABE_ITO["vermillion"]})
    ax.set_xlim(-0.6, width - 0.4)
    ax.set_ylim(-height / 2 - 0.1, height / 2 + 0.1)
    ax.axis("off")
    ax.set_title(title or "The graph: inputs (blue) on the left, the output on the right")
    return ax
