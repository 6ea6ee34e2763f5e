"""Tests for nnlib/plots.py (headless: MPLBACKEND=Agg, no kernel)."""

import numpy as np
import pytest

from nnlib import plots

# ============================================================ shared / notebook 00


# ============================================================ notebook 01 (structure)


# ============================================================ notebook 02 (forward pass)


# ============================================================ notebook 03 (learning, backprop)
