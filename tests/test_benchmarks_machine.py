"""benchmarks/machine.py: the line that names the machine beside every published timing."""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import machine  # noqa: E402


def test_describe_names_cpu_cores_and_date():
    line = machine.describe()
    assert machine.cpu_model() in line
    assert f"{os.cpu_count()} cores" in line
    assert datetime.date.today().isoformat() in line


def test_cpu_model_is_not_empty():
    assert machine.cpu_model().strip()
