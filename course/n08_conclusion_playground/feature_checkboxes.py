"""``FeatureCheckboxes``: one checkbox per input feature, used as one control.

The playground (notebook 08) lets a student switch input features on and off
(``features``); this row of checkboxes reads and sets them as one tuple
``value``, and ``disabled`` locks them all, like any other configuration control.
"""

from __future__ import annotations

import ipywidgets as ipw
import traitlets

from . import features as feat


class FeatureCheckboxes(ipw.HBox):
    """One checkbox per input feature, read and set together as ``value``.

    Parameters
    ----------
    names : sequence of str, default=all of ``features.FEATURES``

    Attributes
    ----------
    value : tuple of str
        The ticked features, in the order of ``FEATURES``; setting it ticks the boxes.
    disabled : bool
        Disables every box.
    boxes : dict of str -> ipywidgets.Checkbox
    """

    value = traitlets.Tuple()
    disabled = traitlets.Bool(False)

    def __init__(self, names=tuple(feat.FEATURES), **kwargs):
        self.boxes = {name: ipw.Checkbox(description=feat.FEATURE_LABELS[name], indent=False,
                                         layout=ipw.Layout(width="auto", margin="0 12px 0 0"))
                      for name in names}
        self._syncing = False
        super().__init__(children=[ipw.Label("input features:"), *self.boxes.values()],
                         **kwargs)
        for box in self.boxes.values():
            box.observe(self._from_boxes, names="value")

    def _from_boxes(self, change):
        if not self._syncing:
            self.value = tuple(n for n, box in self.boxes.items() if box.value)

    @traitlets.observe("value")
    def _to_boxes(self, change):
        self._syncing = True
        try:
            for name, box in self.boxes.items():
                box.value = name in change.new
        finally:
            self._syncing = False

    @traitlets.observe("disabled")
    def _disable(self, change):
        for box in self.boxes.values():
            box.disabled = change.new
