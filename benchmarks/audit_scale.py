"""`quyche audit` at scale: wall time, setups/s and peak memory, against the YAML-parsing floor.

    python benchmarks/audit_scale.py [--sizes 1000,10000] [--jobs 2] [--reps 1]

For each size, generated setups (../shared/bench/gen_setups.py, every bundled jurisdiction)
are audited into a JSON Lines report with --jobs N, and the same files are merely loaded with
PyYAML's C loader in the same number of processes (the floor: an audit must at least read its
files). Peak memory is sampled from /proc for the whole process tree (sum, and largest process).
Targets: audit throughput ≥ 0.5× the floor's; peak memory at 100,000 within 1.3× of 1,000.
A size above 10,000 reuses the 10,000 files (hard links under other names).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from common import PY, QUYCHE, generate, machine, run_measured

FLOOR = r"""
import sys, yaml
from multiprocessing import Pool
from pathlib import Path

def load(path):
    with open(path, "rb") as handle:
        return len(yaml.load(handle, Loader=yaml.CSafeLoader) or ())

if __name__ == "__main__":
    files = sorted(str(p) for p in Path(sys.argv[1]).rglob("*.yaml"))
    jobs = int(sys.argv[2])
    if jobs == 1:
        for f in files:
            load(f)
    else:
        with Pool(jobs) as pool:
            for _ in pool.imap(load, files, chunksize=32):
                pass
"""


def folder_of(size: int, base: Path) -> Path:
    if size <= 10_000:
        return generate(base / f"setups-{size}", n=size)
    source = generate(base / "setups-10000", n=10_000)
    target = base / f"setups-{size}"
    if not target.exists():
        files = sorted(source.rglob("*.yaml"))
        for i in range(size):
            src = files[i % len(files)]
            dst = target / f"{i // 1000:04d}" / f"{i:06d}-{src.name}"
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.link(src, dst)
    return target


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "quyche-bench")
    args = ap.parse_args()
    print(machine())
    print(f"audit --jobs {args.jobs} --out report.jsonl, as of {args.as_of}; floor: yaml.CSafeLoader in {args.jobs} processes")
    print("| setups | audit wall | setups/s | floor wall | floor setups/s | audit/floor throughput | peak RSS sum | largest process |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = folder_of(size, args.base)
        report = args.base / f"report-{size}.jsonl"
        t_floor, _, _, _ = run_measured([PY, "-c", FLOOR, str(folder), str(args.jobs)])
        t_audit, code, rss_sum, rss_max = run_measured(
            [*QUYCHE, "audit", str(folder), "--as-of", args.as_of, "--out", str(report), "-q", "--jobs", str(args.jobs)]
        )
        assert code in (0, 1), f"audit exit {code}"
        print(
            f"| {size:,} | {t_audit:.1f} s | {size / t_audit:.0f} | {t_floor:.1f} s | {size / t_floor:.0f} | "
            f"{t_floor / t_audit:.2f}× | {rss_sum / 1024:.0f} MB | {rss_max / 1024:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
