"""One setup with 10 → 10,000 staff: `quyche check` wall and CPU time (a fresh process) and peak memory.

    python benchmarks/staff.py [--sizes 10,1000,10000] [--reps 5] [--baseline DIR] [--stages]

Target: a 10,000-staff setup checked in ≤ 1 s. Runs are interleaved (this checkout, then the
baseline checkout when given, in turn); each figure is min and median over the repetitions.
`--stages` also times the stages of reading the largest setup in this process: PyYAML's C
loader alone (the floor the fast reader is measured against), the fast reader
(compliance.yaml_reader), Setup validation, to_facts, evaluation; and, per setup of an audit
of 1,000 generated setups, reading and validating against loading them with the C loader.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from common import ENV, QUYCHE, ROOT, cpu, generate, machine, run_measured


def _stages(setup: Path, as_of: date, reps: int) -> None:
    import gc

    import yaml

    from compliance.loading import EARLIEST, LATEST, Limits, parse_setup, read_yaml
    from compliance.regulations import bundled_program
    from compliance.setup import Setup, plain_data, to_facts
    from compliance.setup_fast import validated
    from compliance.yaml_reader import fast_load
    from engine import evaluate

    text = setup.read_text(encoding="utf-8")
    limits = Limits()
    gc.set_threshold(100_000, 50, 100)  # as the CLI does (compliance/cli.py)

    def best(fn: Callable[[], Any]) -> tuple[float, Any]:
        times, result = [], None
        for _ in range(reps):
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        return min(times), result

    program = bundled_program()
    floor, _ = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    c_path, _ = best(lambda: read_yaml(text, limits))
    fast, data = best(lambda: fast_load(text, limits.depth, limits.records, EARLIEST, LATEST))
    validate, _ = best(lambda: plain_data(Setup.model_validate(data)))
    quick, parsed = best(lambda: validated(data))
    assert parsed is not None, "the fast path was not taken"
    whole, _ = best(lambda: parse_setup(text, setup.name, limits))
    facts_time, facts = best(lambda: to_facts(parsed))
    evaluation, _ = best(lambda: evaluate(program, facts, as_of))
    print(f"\nIn process, {setup.name} ({len(text.encode()) / 1e6:.1f} MB), best of {reps}:")
    print("| stage | ms |\n|---|---:|")
    for name, seconds in (
        ("yaml.load(CSafeLoader) (the C-loader floor)", floor),
        ("C loader path (compose + construct + checks)", c_path),
        ("fast reader (yaml-rs + proof of PyYAML's data)", fast),
        ("Setup validation by pydantic (+ dump)", validate),
        ("Setup validation, fast path (setup_fast)", quick),
        ("parse_setup (fast reader + validation)", whole),
        ("to_facts", facts_time),
        ("engine.evaluate", evaluation),
    ):
        print(f"| {name} | {seconds * 1e3:,.1f} |")
    print(f"fast reader / C-loader floor: {fast / floor:.2f}×")


def _audit_reading(folder: Path, reps: int) -> None:
    """Per setup of an audit, in one process: reading and validating against the C-loader floor."""
    import gc

    import yaml

    from compliance.loading import EARLIEST, LATEST, Limits, parse_setup
    from compliance.yaml_reader import fast_load

    gc.set_threshold(100_000, 50, 100)
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.yaml"))]
    limits = Limits()
    fast = sum(fast_load(t, limits.depth, limits.records, EARLIEST, LATEST) is not None for t in texts)

    def per_setup(fn: Callable[[str], Any]) -> float:
        start = time.process_time()
        for text in texts:
            fn(text)
        return (time.process_time() - start) / len(texts)

    floors, ours = [], []
    for _ in range(reps):
        floors.append(per_setup(lambda t: yaml.load(t, Loader=yaml.CSafeLoader)))
        ours.append(per_setup(lambda t: parse_setup(t, "x.yaml", limits)))
    ratio = [o / f for o, f in zip(ours, floors, strict=True)]
    print(f"\nAudit reading, {len(texts):,} generated setups ({fast:,} read fast), CPU per setup, {reps} interleaved runs:")
    print(f"  yaml.load(CSafeLoader) (the floor): min {min(floors) * 1e3:.2f} ms, median {statistics.median(floors) * 1e3:.2f} ms")
    print(f"  parse_setup (read + validate):      min {min(ours) * 1e3:.2f} ms, median {statistics.median(ours) * 1e3:.2f} ms")
    print(f"  parse_setup / floor: min {min(ratio):.2f}×, median {statistics.median(ratio):.2f}×")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,1000,10000")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "quyche-bench")
    ap.add_argument("--baseline", type=Path, help="another quyche checkout (e.g. main before a change) to time side by side")
    ap.add_argument("--stages", action="store_true", help="also time the stages of reading the largest setup in this process")
    args = ap.parse_args()
    print(machine())
    checkouts = {"this": (ENV, ROOT)}
    if args.baseline:
        checkouts["baseline"] = (dict(ENV, PYTHONPATH=str(args.baseline)), args.baseline)
    print("| staff | checkout | wall min / median | CPU min / median | peak RSS |")
    print("|---:|---|---:|---:|---:|")
    largest = None
    for size in (int(s) for s in args.sizes.split(",")):
        folder = generate(args.base / f"staff-{size}", staff=size)
        setup = largest = next(folder.rglob("*.yaml"))
        command = [*QUYCHE, "check", str(setup), "--as-of", args.as_of]
        walls: dict[str, list[float]] = {name: [] for name in checkouts}
        cpus: dict[str, list[float]] = {name: [] for name in checkouts}
        peaks: dict[str, int] = {name: 0 for name in checkouts}
        for env, cwd in checkouts.values():
            cpu(command, cwd=cwd, env=env)  # warm the program cache and the page cache
        for _ in range(args.reps):
            for name, (env, cwd) in checkouts.items():
                seconds, code, peak, _largest = run_measured(command, cwd=cwd, env=env)
                assert code in (0, 1), f"check exit {code}"
                walls[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
                cpus[name].append(cpu(command, cwd=cwd, env=env))
        for name in checkouts:
            w, c = walls[name], cpus[name]
            print(
                f"| {size:,} | {name} | {min(w):.2f} / {statistics.median(w):.2f} s | {min(c):.2f} / {statistics.median(c):.2f} s"
                f" | {peaks[name] / 1024:.0f} MB |",
                flush=True,
            )
    if args.stages and largest is not None:
        _stages(largest, date.fromisoformat(args.as_of), args.reps)
        _audit_reading(generate(args.base / "setups-1000", n=1000), args.reps)


if __name__ == "__main__":
    main()
