"""hub/values.yaml, Zero to JupyterHub's settings for a class larger than one server: it
cannot be deployed here (no Kubernetes), so its structure is checked against the keys of the
chart's schema it uses, and its sizes against the measured ones in the README."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VALUES = yaml.safe_load((ROOT / "hub" / "values.yaml").read_text())
# The chart's keys this file uses (zero-to-jupyterhub-k8s, jupyterhub/schema.yaml, 4.x).
KNOWN = {
    "singleuser": {"image", "defaultUrl", "memory", "cpu", "extraEnv", "storage",
                   "lifecycleHooks"},
    "hub": {"config"},
    "cull": {"enabled", "timeout", "every"},
    "scheduling": {"userScheduler"},
}


def _megabytes(text):
    number, unit = re.fullmatch(r"([\d.]+)([MG])", str(text)).groups()
    return float(number) * (1024 if unit == "G" else 1)


def test_values_use_only_keys_the_chart_knows():
    assert set(VALUES) <= set(KNOWN)
    for section, keys in VALUES.items():
        assert set(keys) <= KNOWN[section], (section, set(keys) - KNOWN[section])
    user = VALUES["singleuser"]
    assert set(user["memory"]) == {"guarantee", "limit"} and set(user["cpu"]) == {
        "guarantee", "limit"}
    assert user["image"]["name"] and user["image"]["tag"]
    assert VALUES["cull"]["enabled"] is True and VALUES["cull"]["timeout"] > 0


def test_memory_requests_are_the_measured_peaks():
    """The guarantee covers a student's server and kernel in the lessons without TensorFlow;
    the limit covers the heaviest notebook (README, "A class on a JupyterHub")."""
    readme = (ROOT / "README.md").read_text()
    guarantee = re.search(r"memory guarantee of (\d+) MB", readme)
    limit = re.search(r"memory limit of (\d+) MB", readme)
    memory = VALUES["singleuser"]["memory"]
    assert guarantee and _megabytes(memory["guarantee"]) == float(guarantee.group(1))
    assert limit and _megabytes(memory["limit"]) == float(limit.group(1))
    assert _megabytes(memory["guarantee"]) < _megabytes(memory["limit"])
