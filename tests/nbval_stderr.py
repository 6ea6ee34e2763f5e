"""A pytest plugin for the notebook runs (``make notebooks``): a cell that writes to stderr
fails, as it would show a red box in JupyterLab (nbval itself ignores stderr).

Loaded with ``-p nbval_stderr`` and this folder on ``PYTHONPATH``. ipykernel forwards what
C code writes to stderr (TensorFlow's logs) into the cell, as in JupyterLab, except under
pytest (it looks for ``PYTEST_CURRENT_TEST``): so the kernel starts without that variable.
"""

import os

import pytest


def pytest_configure(config):
    """Start nbval's kernels without ``PYTEST_CURRENT_TEST`` in their environment."""
    from nbval import kernel

    start = kernel.start_new_kernel
    if getattr(start, "without_pytest_variable", False):
        return

    def start_new_kernel(*args, **kwargs):
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        return start(*args, env=env, **kwargs)

    start_new_kernel.without_pytest_variable = True
    kernel.start_new_kernel = start_new_kernel


def stderr_of(outputs):
    """The text a cell wrote to stderr, from nbval's record of its outputs."""
    return "".join(out.get("text", "") for out in outputs or ()
                   if out.get("output_type") == "stream" and out.get("name") == "stderr")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed:
        return
    text = stderr_of(getattr(item, "test_outputs", None))
    if text:
        report.outcome = "failed"
        report.longrepr = ("the cell wrote to stderr (a red box in JupyterLab):\n"
                           + text[:2000])
