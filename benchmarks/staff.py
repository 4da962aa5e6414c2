"""One setup with 10 → 10,000 staff: `quyche check` wall time (a fresh process) and peak memory.

    python benchmarks/staff.py [--sizes 10,100,1000,10000]

Target: a 10,000-staff setup checked in ≤ 1 s.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import QUYCHE, generate, machine, run_measured


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "quyche-bench")
    args = ap.parse_args()
    print(machine())
    print("| staff | check wall | peak RSS |")
    print("|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = generate(args.base / f"staff-{size}", staff=size)
        setup = next(folder.rglob("*.yaml"))
        best = min((run_measured([*QUYCHE, "check", str(setup), "--as-of", args.as_of]) for _ in range(3)), key=lambda r: r[0])
        assert best[1] in (0, 1), f"check exit {best[1]}"
        print(f"| {size:,} | {best[0]:.2f} s | {best[2] / 1024:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
