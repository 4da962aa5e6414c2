"""`quyche audit` at scale: wall time, setups/s and peak memory, against the YAML-parsing floor.

    python benchmarks/audit_scale.py [--sizes 1000,10000,100000] [--jobs 2] [--baseline DIR] [--full]
    python benchmarks/audit_scale.py --stages 300     # where one audited setup's time goes, in process
    python benchmarks/audit_scale.py --memory 30000 [--trace]   # what a worker holds as it goes, in process

For each size, generated setups (../shared/bench/gen_setups.py, every bundled jurisdiction,
made once under $TMPDIR/quyche-bench) are audited into a JSON Lines report with --jobs N, and the
same files are merely loaded with PyYAML's C loader in the same number of processes (the floor:
an audit must at least read its files), in the same run; ``--baseline DIR`` also times another
checkout (e.g. /work/main) on the same files, right after. Peak memory is sampled from /proc for
the whole process tree (sum, and largest process). Targets: audit throughput ≥ 0.5× the floor's;
peak memory at 100,000 within 1.3× of 1,000. Reports are deleted once measured (at 100,000 they
take gigabytes) unless ``--keep``.

``--stages N`` instead checks N of the 1,000 generated setups (spread over every jurisdiction) in
this process, each once (as an audit sees them: memos warm only from the other centres), and
gives CPU ms per setup of each stage: the C-loader floor, reading (loading.parse_setup), facts,
deciding (engine.evaluate), explaining what the report writes (the verdicts' lazy explanation)
and encoding the report's JSON line.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from common import PY, ROOT, generate, machine, run_measured_cpu

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

CLI = "import sys; from compliance.cli import main; sys.argv[0] = 'quyche'; main()"  # the console script, from a checkout


def audit_command(folder: Path, report: Path, as_of: str, jobs: int, full: bool) -> list[str]:
    return [PY, "-c", CLI, "audit", str(folder), "--as-of", as_of, "--out", str(report), "-q", "--jobs", str(jobs), *(["--full"] if full else [])]


def measure_audit(checkout: Path, folder: Path, report: Path, as_of: str, jobs: int, full: bool, keep: bool) -> tuple[float, float, int, int, int]:
    """(wall s, CPU s, peak RSS sum kB, largest process kB, report bytes) of one audit run by ``checkout``."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    wall, code, rss_sum, rss_max, cpu = run_measured_cpu(audit_command(folder, report, as_of, jobs, full), cwd=checkout, env=env)
    assert code in (0, 1), f"audit by {checkout} exited {code}"
    size = report.stat().st_size
    if not keep:
        report.unlink()
    return wall, cpu, rss_sum, rss_max, size


def stages(folder: Path, n: int, as_of: str) -> None:
    import gc
    import time
    from datetime import date

    import yaml

    from compliance import audit as auditing
    from compliance.findings import AUDIT_EVIDENCE, needs_attention, shown_evidence
    from compliance.loading import parse_setup
    from compliance.regulations import bundled_program
    from compliance.setup_facts import to_facts
    from engine import evaluate

    gc.set_threshold(100_000, 50, 100)  # as the CLI does
    program, when = bundled_program(), date.fromisoformat(as_of)
    files = list(auditing.iter_setups(folder))
    files = files[:: max(1, len(files) // n)][:n]
    names = ["floor: C loader", "read: parse_setup", "facts", "decide: evaluate", "explain", "encode"]
    spent = dict.fromkeys(names, 0.0)
    clock = time.process_time
    for file in files:
        t0 = clock()
        data = file.path.read_bytes()
        yaml.load(data, Loader=yaml.CSafeLoader)
        t1 = clock()
        setup = parse_setup(file.path.read_bytes().decode("utf-8"), file.name)
        t2 = clock()
        facts = to_facts(setup)
        t3 = clock()
        evaluation = evaluate(program, facts, when)
        t4 = clock()
        for v in evaluation.verdicts:  # what the report reads of the verdicts it explains
            if needs_attention(v):
                _ = (v.message, v.expected, v.actual, shown_evidence(v, AUDIT_EVIDENCE), v.fix, v.parameters)
        t5 = clock()
        auditing._entry_json(program, auditing._Checked(file.name, setup, facts, evaluation, False, False))
        t6 = clock()
        for name, (a, b) in zip(names, [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6)], strict=True):
            spent[name] += b - a
    audit = sum(v for k, v in spent.items() if k != names[0])
    print(machine())
    print(f"{len(files)} setups, each once, in one process (CPU ms per setup)")
    print("| " + " | ".join(names) + " | audit (read … encode) | audit ÷ floor |")
    print("|" + "---:|" * (len(names) + 2))
    cells = [f"{spent[k] / len(files) * 1000:.2f}" for k in names]
    print("| " + " | ".join(cells) + f" | {audit / len(files) * 1000:.2f} | {audit / spent[names[0]]:.1f}× |")


def memory(folder: Path, n: int, as_of: str, trace: bool) -> None:
    """A worker's loop (gc frozen after loading, the CLI's thresholds) over ``n`` setups in this
    process: RSS and the objects the collector sees, by type, at checkpoints; with ``trace``, the
    lines that allocated what is still held at the end since the first checkpoint (tracemalloc)."""
    import collections
    import gc
    import tracemalloc
    from datetime import date

    from compliance import audit as auditing
    from compliance.regulations import bundled_program

    def rss_mb() -> float:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

    program, when = bundled_program(), date.fromisoformat(as_of)
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    checkpoints = sorted({min(n, c) for c in (500, 1000, n // 10, n // 3, n)} - {0})
    files = auditing.iter_setups(folder)
    before: collections.Counter[str] | None = None
    first: tracemalloc.Snapshot | None = None
    print(machine())
    print(f"{n} setups in one process, each once (a worker's loop); RSS and objects at checkpoints")
    for i in range(1, n + 1):
        file = next(files, None)
        if file is None:
            files = auditing.iter_setups(folder)
            file = next(files)
        checked = auditing._check(program, file, when, "vi", False, False)
        if isinstance(checked, auditing._Checked):
            auditing._entry_json(program, checked)
        if i in checkpoints:
            gc.collect()
            counts = collections.Counter(type(o).__name__ for o in gc.get_objects())
            grew = "" if before is None else ", ".join(f"{k} {v:+,}" for k, v in (counts - before).most_common(6))
            print(f"{i:>7,}: RSS {rss_mb():.0f} MB, {sum(counts.values()):,} objects{'; grew: ' + grew if grew else ''}", flush=True)
            before = counts
            if trace and first is None:
                tracemalloc.start(4)
                first = tracemalloc.take_snapshot()
    if first is not None:
        print("still held at the end, allocated since the first checkpoint (tracemalloc):")
        for stat in tracemalloc.take_snapshot().compare_to(first, "traceback")[:12]:
            print(
                f"  {stat.size_diff / 1024:+,.0f} kB in {stat.count_diff:+,} blocks: "
                + " ← ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in stat.traceback)
            )


def _suffix(only: str | None) -> str:
    return f"-{only}" if only else ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "quyche-bench")
    ap.add_argument("--baseline", type=Path, help="another checkout to time on the same files (before)")
    ap.add_argument("--full", action="store_true", help="audit with --full (every finding explained)")
    ap.add_argument("--keep", action="store_true", help="keep the reports (report-<size>[-baseline].jsonl)")
    ap.add_argument("--stages", type=int, metavar="N", help="instead: the stages of N audited setups, in process")
    ap.add_argument("--memory", type=int, metavar="N", help="instead: RSS and objects over N setups of the 100,000 in one process (a worker's loop)")
    ap.add_argument("--trace", action="store_true", help="with --memory: what the held memory was allocated by (tracemalloc; slow)")
    ap.add_argument("--only", help="setups of one example folder only (e.g. dong-thap, the issue's 'Đồng Tháp setup'); default: every example")
    args = ap.parse_args()
    if args.memory:
        memory(generate(args.base / f"setups-100000{_suffix(args.only)}", n=100_000, only=args.only), args.memory, args.as_of, args.trace)
        return
    if args.stages:
        stages(generate(args.base / f"setups-1000{_suffix(args.only)}", n=1000, only=args.only), args.stages, args.as_of)
        return
    print(machine())
    kind = f"{args.only} setups" if args.only else "setups of every example"
    command = f"audit --jobs {args.jobs} --out report.jsonl{' --full' if args.full else ''}"
    print(f"{kind}; {command}, as of {args.as_of}; floor: yaml.CSafeLoader in {args.jobs} processes")
    columns = ["setups", "checkout", "audit wall", "setups/s", "floor wall", "floor setups/s", "audit ÷ floor throughput"]
    columns += ["CPU per setup: audit / floor (ratio)", "peak RSS sum (÷ first size)", "largest process", "report"]
    print("| " + " | ".join(columns) + " |")
    print("|---:|---|" + "---:|" * (len(columns) - 2))
    checkouts = [("this", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    first_rss: dict[str, int] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        folder = generate(args.base / f"setups-{size}{_suffix(args.only)}", n=size, only=args.only)
        t_floor, _, _, _, cpu_floor = run_measured_cpu([PY, "-c", FLOOR, str(folder), str(args.jobs)])
        for label, checkout in checkouts:
            report = args.base / f"report-{size}-{label}.jsonl"
            full = args.full and label == "this"  # a baseline before --full writes every finding in full anyway
            wall, cpu, rss_sum, rss_max, nbytes = measure_audit(checkout, folder, report, args.as_of, args.jobs, full, args.keep)
            first_rss.setdefault(label, rss_sum)
            cells = [f"{size:,}", label, f"{wall:.1f} s", f"{size / wall:.0f}", f"{t_floor:.1f} s", f"{size / t_floor:.0f}", f"{t_floor / wall:.2f}×"]
            cells += [f"{cpu / size * 1000:.2f} / {cpu_floor / size * 1000:.2f} ms ({cpu_floor / cpu:.2f}×)"]
            cells += [f"{rss_sum / 1024:.0f} MB ({rss_sum / first_rss[label]:.2f}×)", f"{rss_max / 1024:.0f} MB", f"{nbytes / 1e6:,.0f} MB"]
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
