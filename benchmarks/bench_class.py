"""A class on the course's hub: how many students one machine serves.

Starts a JupyterHub of its own (hub/jupyterhub_config.py, on 127.0.0.1 ports it picks, state
in a temporary folder) and, for N = 1, 5, 10, 20 and 40 students at once:

- every student logs in (a token from the hub), starts a server and opens a kernel in it
  through the hub's proxy;
- half of them run notebook 04a's optimizer explorer and drag its learning-rate slider the
  way a browser does (bursts of 10 messages a second for 2 s, then about 8 s of reading); the
  other half run notebook 08's playground, start its training and move its learning rate
  about every 5 s while it trains;
- for every slider message: the time until the kernel sends the new picture.

It prints, for each N: the p50 and p95 latency of both lessons, the peak memory of a
student's kernel, the memory of the whole hub (hub, proxy, servers, kernels) and its CPU
use during the drags; then the first N whose p95 goes over 300 ms. Every wait is bounded;
only loopback addresses are used.

    make bench-class                       # N = 1, 5, 10, 20, 40 (about 15 minutes)
    python benchmarks/bench_class.py 1 5   # other class sizes
    python benchmarks/bench_class.py --lesson 04a 4 8   # everyone on one lesson
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hub"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402  (benchmarks/machine.py)
from client import Hub, Student  # noqa: E402  (hub/client.py)

SIZES = (1, 5, 10, 20, 40)
BUDGET_MS = 300.0
DRAG_SECONDS, BURSTS = 2.0, 3  # a burst: 2 s of dragging at 10 messages a second
PAUSE_SECONDS = 8.0
SETUP = {
    "04a": ("import matplotlib\nmatplotlib.use('Agg')\n"
            "from course.n04a_optimizers import widgets\n"
            "explorer = widgets.optimizer_explorer(steps=100)\ndisplay(explorer)"),
    "08": ("import matplotlib\nmatplotlib.use('Agg')\n"
           "from course.n08_conclusion_playground import widgets\n"
           "playground = widgets.playground(max_epochs=10**6)  # trains all session\n"
           "display(playground)"),
}


def memory_of(hub):
    """``(RSS of every kernel process, RSS of everything)`` under the hub, in bytes; a
    process that ends while it is read is left out."""
    kernels, total = [], 0
    for process in hub.processes():
        try:
            rss = process.memory_info().rss
            if "ipykernel_launcher" in " ".join(process.cmdline()):
                kernels.append(rss)
            total += rss
        except psutil.Error:
            continue
    return kernels, total


async def student_session(student, lesson, rng):
    """One student's lesson: returns the latencies (seconds) of their slider messages."""
    await student.run(SETUP[lesson])
    image = student.find_widget("ImageModel")
    if lesson == "04a":
        slider = student.find_widget("FloatLogSliderModel", description="learning rate")
        latencies = []
        for _ in range(BURSTS):
            values = np.round(10 ** rng.uniform(-3, -0.5, size=int(10 * DRAG_SECONDS)), 5)
            latencies += await student.drag(slider, [float(v) for v in values], image,
                                            timeout=300)
            await asyncio.sleep(PAUSE_SECONDS * rng.uniform(0.7, 1.3))
        return latencies
    slider = student.find_widget("SelectionSliderModel", description="learning rate")
    start = student.find_widget("ButtonModel", description="Start")
    student.click(start)
    latencies = []
    for _ in range(BURSTS * 2):
        await asyncio.sleep(5.0 * rng.uniform(0.7, 1.3))
        index = int(rng.integers(2, 6))
        latencies += await student.drag(slider, [index], image, key="index", timeout=300)
    return latencies


async def one_class(hub, n, seed=0, lesson=None):
    students = [Student(hub.base, hub.token, f"student{n:02d}x{k:02d}") for k in range(n)]
    start = time.perf_counter()
    await asyncio.gather(*(s.log_in_and_start() for s in students))
    await asyncio.gather(*(s.open_kernel() for s in students))
    ready = time.perf_counter() - start
    lessons = [lesson or ("04a" if k % 2 == 0 else "08") for k in range(n)]
    rngs = [np.random.default_rng([seed, n, k]) for k in range(n)]
    psutil.cpu_percent()  # starts the CPU measurement
    peak_kernel, peak_total = 0, 0

    async def sample_memory():
        nonlocal peak_kernel, peak_total
        while True:
            kernels, total = memory_of(hub)
            peak_kernel, peak_total = max([peak_kernel, *kernels]), max(peak_total, total)
            await asyncio.sleep(1.0)

    sampler = asyncio.ensure_future(sample_memory())
    results = await asyncio.gather(*(student_session(s, lesson, rng)
                                     for s, lesson, rng in zip(students, lessons, rngs)))
    cpu = psutil.cpu_percent()
    sampler.cancel()
    await asyncio.gather(*(s.stop() for s in students))
    by_lesson = {lesson: [] for lesson in SETUP}
    for lesson, latencies in zip(lessons, results):
        by_lesson[lesson] += latencies
    return {"n": n, "ready_s": ready, "cpu_percent": cpu, "kernel_mb": peak_kernel / 2**20,
            "total_mb": peak_total / 2**20,
            **{f"{lesson}_ms": 1000 * np.percentile(v, [50, 95]) if v else (np.nan, np.nan)
               for lesson, v in by_lesson.items()}}


async def main(sizes, lesson=None):
    print(f"machine: {machine.describe()}")
    print(f"{'N':>3} {'04a p50':>8} {'04a p95':>8} {'08 p50':>7} {'08 p95':>7} "
          f"{'kernel MB':>9} {'hub MB':>7} {'CPU %':>6} {'ready s':>8}")
    keep = os.environ.get("BENCH_CLASS_KEEP")  # a folder: keep the hub's log and state there
    with (contextlib.nullcontext(keep) if keep else tempfile.TemporaryDirectory()) as folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        hub = Hub(Path(folder))
        try:
            await hub.wait()
            over = None
            for n in sizes:
                try:
                    row = await one_class(hub, n, lesson=lesson)
                except Exception as error:  # e.g. a server or kernel not started in time
                    print(f"{n:>3} failed: {type(error).__name__}: {error}"[:200], flush=True)
                    over = over or n
                    break
                p95 = np.nanmax([row["04a_ms"][1], row["08_ms"][1]])
                print(f"{n:>3} {row['04a_ms'][0]:>8.0f} {row['04a_ms'][1]:>8.0f} "
                      f"{row['08_ms'][0]:>7.0f} {row['08_ms'][1]:>7.0f} "
                      f"{row['kernel_mb']:>9.0f} {row['total_mb']:>7.0f} "
                      f"{row['cpu_percent']:>6.0f} {row['ready_s']:>8.1f}", flush=True)
                if over is None and p95 > BUDGET_MS:
                    over = n
            print(f"first N with a p95 over {BUDGET_MS:.0f} ms: {over or 'none up to ' + str(n)}")
        finally:
            hub.stop()


if __name__ == "__main__":
    # python benchmarks/bench_class.py [--lesson 04a|08] [N ...]: one lesson for everyone
    args = sys.argv[1:]
    only = args.pop(args.index("--lesson") + 1) if "--lesson" in args else None
    sizes = [int(a) for a in args if a.isdigit()]
    asyncio.run(main(sizes or SIZES, only))
