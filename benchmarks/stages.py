"""Stages of a check, in process, run on demand (never in the test suite): `python benchmarks/stages.py`.

Measures, in one run and side by side so the ratios survive a noisy machine:
- cold start of `quyche check` on a bundled example (a fresh process each time), against a
  bare `python -c pass` and an `import engine, compliance` baseline;
- the stages in-process: building the Lark parser, parsing + checking all regulations,
  evaluating one setup, building the graph;
- evaluation throughput on a large synthetic setup (staff lists of growing size) and peak memory.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
QUYCHE = str(Path(PY).parent / "quyche")
EXAMPLE = str(ROOT / "examples" / "dong-thap" / "cao-lanh.yaml")


def _median_ms(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _time_ms(fn, runs: int = 5) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(runs: int = 7) -> None:
    bare = _median_ms([PY, "-c", "pass"], runs)
    imports = _median_ms([PY, "-c", "import engine, compliance.cli"], runs)
    check = _median_ms([QUYCHE, "check", EXAMPLE, "--as-of", "2024-06-30"], runs)
    print(
        f"cold start (median of {runs}): python -c pass {bare:.0f} ms | imports {imports:.0f} ms | "
        f"quyche check {check:.0f} ms  (check/bare = {check / bare:.1f}x, check/imports = {check / imports:.2f}x)"
    )

    from compliance import load_setup, to_facts, vocabulary
    from compliance.regulations import load_regulations
    from engine import build_graph, evaluate, load_program, parser

    def build_parser() -> None:
        parser._parser.cache_clear()
        parser._parser()

    t_parser = _time_ms(build_parser)
    t_load = _time_ms(lambda: load_program(ROOT / "regulations", vocabulary()))
    program = load_regulations()
    facts = to_facts(load_setup(EXAMPLE))
    t_eval = _time_ms(lambda: evaluate(program, facts, date(2024, 6, 30)), runs=20)
    t_graph = _time_ms(lambda: build_graph(program))
    print(
        f"in-process (median): build parser {t_parser:.1f} ms | parse+check regulations {t_load:.1f} ms "
        f"({len(program.rules)} rules, {len(program.obligations)} obligations) | evaluate one setup {t_eval:.2f} ms | "
        f"graph {t_graph:.1f} ms"
    )

    base = facts["staff"]
    print("evaluation vs staff size (same rules):")
    reference = None
    for size in (10, 100, 1000, 10000):
        big = dict(facts, staff=[dict(base[i % len(base)], _ref=f"staff[{i}]") for i in range(size)])
        t = _time_ms(lambda big=big: evaluate(program, big, date(2024, 6, 30)), runs=3)
        reference = reference or t / size
        tracemalloc.start()
        evaluate(program, big, date(2024, 6, 30))
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(f"  {size:>6} staff: {t:8.1f} ms  ({t / size / reference:.2f}x per-record cost of 10)  peak {peak:.1f} MB")


if __name__ == "__main__":
    main()
