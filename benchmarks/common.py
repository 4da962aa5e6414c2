"""What every benchmark here shares: where things are, timing, interleaving, peak memory.

Benchmarks run on demand (`python benchmarks/<name>.py`), never in the test suite. Ratios are
taken within one repetition of interleaved runs, so a machine whose speed drifts (other jobs on a
shared machine) still gives honest ratios; each figure is reported as min and median.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_BENCH = ROOT.parent / "shared" / "bench"  # gen_setups.py, qd953_plain.py … (see its README)
PY = sys.executable
QUYCHE = [PY, "-c", "import sys; from compliance.cli import main; sys.argv[0] = 'quyche'; main()"]  # the console script, from this checkout
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
sys.path.insert(0, str(ROOT))


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    system = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu})"
    return f"{when}; {system}; Python {platform.python_version()}; load average {load:.1f} at start"


def wall(command: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV, cwd=cwd, check=False)
    return time.perf_counter() - start


def cpu(command: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    """User + system CPU seconds of one run: less disturbed than wall time on a busy machine."""
    proc = subprocess.Popen(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV, cwd=cwd)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped by wait4
    return usage.ru_utime + usage.ru_stime


def interleaved(variants: dict[str, Callable[[], float]], reps: int) -> dict[str, list[float]]:
    """Each repetition runs every variant once, in a rotated order; returns the times per variant."""
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            times[name].append(variants[name]())
    return times


def ratios(times: dict[str, list[float]], a: str, b: str) -> list[float]:
    return [x / y for x, y in zip(times[a], times[b], strict=True)]


def summary(values: list[float], unit: str = "", scale: float = 1.0) -> str:
    return f"min {min(values) * scale:,.2f}{unit}, median {statistics.median(values) * scale:,.2f}{unit}"


def tree_rss_kb(pid: int) -> tuple[int, int]:
    """(sum, largest) resident set size of ``pid`` and all its descendants, in kB (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(open(f"/proc/{entry}/stat", encoding="utf-8").read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    tree, grew = {pid}, True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grew = True
    sizes = []
    for p in tree:
        try:
            sizes += [int(line.split()[1]) for line in open(f"/proc/{p}/status", encoding="utf-8") if line.startswith("VmRSS")]
        except OSError:
            pass
    return sum(sizes), max(sizes, default=0)


def run_measured(command: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> tuple[float, int, int, int]:
    """(wall seconds, exit code, peak summed RSS kB of the process tree, peak RSS kB of its largest process)."""
    wall, code, peak_sum, peak_max, _ = run_measured_cpu(command, cwd, env)
    return wall, code, peak_sum, peak_max


def run_measured_cpu(command: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> tuple[float, int, int, int, float]:
    """run_measured and the CPU seconds (user + system) of the whole process tree: on a shared
    machine wall time grows with the others' load, CPU time much less."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV, cwd=cwd)
    peak_sum = peak_max = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:  # reaped: its usage counts the children it waited for (the workers)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return time.perf_counter() - start, proc.returncode, peak_sum, peak_max, usage.ru_utime + usage.ru_stime
        total, largest = tree_rss_kb(proc.pid)
        peak_sum, peak_max = max(peak_sum, total), max(peak_max, largest)
        time.sleep(0.05)


def generate(out: Path, n: int | None = None, staff: int | None = None, only: str | None = None, as_json: bool = False) -> Path:
    """Generated setups (../shared/bench/gen_setups.py), made once and reused (made in a
    ``.part`` folder renamed when complete, so an interrupted run is never taken for a set)."""
    if out.exists() and any(out.rglob("*.yaml")):
        return out
    part = out.with_name(out.name + ".part")
    if part.exists():
        shutil.rmtree(part)
    command = [PY, str(SHARED_BENCH / "gen_setups.py"), "--examples", str(ROOT / "examples"), "--out", str(part)]
    command += ["-n", str(n)] if n is not None else []
    command += ["--staff", str(staff)] if staff is not None else []
    command += ["--only", only] if only else []
    command += ["--json"] if as_json else []
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    part.rename(out)
    return out
