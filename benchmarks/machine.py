"""One line naming the machine a benchmark ran on: CPU model, cores, vector unit, date.

Timings differ several times between machines, so every figure is printed with this.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess


def cpu_model():
    """The CPU's model name ("AMD EPYC", "Apple M2", ...), or the architecture if unknown."""
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        info = ""
    for line in info.splitlines():
        if line.startswith("model name"):
            name = line.split(":", 1)[1].strip()
            flags = next((ln for ln in info.splitlines() if ln.startswith("flags")), "")
            isa = "AVX-512" if " avx512f" in flags else "AVX2" if " avx2" in flags else ""
            return f"{name}{', ' + isa if isa else ''}"
    if platform.system() == "Darwin":
        try:
            return subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"],
                                  capture_output=True, text=True, timeout=5).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine()


def describe():
    """'AMD EPYC, AVX-512; 2 cores; Linux x86_64; 2026-11-29'."""
    return (f"{cpu_model()}; {os.cpu_count()} cores; {platform.system()} {platform.machine()}; "
            f"{datetime.date.today().isoformat()}")


if __name__ == "__main__":
    print(describe())
