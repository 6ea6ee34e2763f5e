"""How much memory does a student's kernel need for each notebook? (peak resident memory)

Each notebook runs top to bottom in a fresh kernel, as a student runs it (tasks not done,
nnlib's stand-ins in their place); a thread samples the kernel process' resident memory
(RSS) every 50 ms and keeps the peak, and notes whether TensorFlow was loaded. A hub
sizes its per-user memory limit from the largest notebook a class opens.

Run: .venv/bin/python benchmarks/bench_memory.py [notebook stems ...]
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import machine  # noqa: E402  (benchmarks/machine.py)
import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def peak_memory(path, interval=0.05):
    """``(peak RSS in MB, seconds, TensorFlow loaded)`` of a fresh kernel running ``path``."""
    nb = nbformat.read(path, as_version=4)
    probe = nbformat.v4.new_code_cell("import sys; print('tensorflow' in sys.modules)")
    nb.cells.append(probe)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    peak, done = [0.0], threading.Event()

    def sample(process):
        while not done.is_set():
            try:
                rss = process.memory_info().rss + sum(
                    child.memory_info().rss for child in process.children(recursive=True))
            except psutil.Error:
                break
            peak[0] = max(peak[0], rss / 2**20)
            time.sleep(interval)

    start = time.perf_counter()
    with client.setup_kernel():
        process = psutil.Process(client.km.provisioner.process.pid)
        watcher = threading.Thread(target=sample, args=(process,), daemon=True)
        watcher.start()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        done.set()
        watcher.join()
    outputs = nb.cells[-1].outputs
    loaded = bool(outputs) and "True" in outputs[0].get("text", "")
    return peak[0], time.perf_counter() - start, loaded


def main(stems):
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # a fresh student: nothing in their library yet
    os.environ["NNLIB_MY_NETWORK"] = str(Path(tempfile.mkdtemp()) / "my_network.py")
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if stems:
        paths = [p for p in paths if any(p.stem.startswith(s) for s in stems)]
    print(f"machine: {machine.describe()}")
    print(f"{'notebook':32} {'peak MB':>8} {'seconds':>8}  TensorFlow")
    for path in paths:
        mb, seconds, loaded = peak_memory(path)
        print(f"{path.stem:32} {mb:8.0f} {seconds:8.1f}  {'yes' if loaded else 'no'}")


if __name__ == "__main__":
    main(sys.argv[1:])
