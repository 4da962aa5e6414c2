"""Cold start: `quyche check examples/dong-thap/cao-lanh.yaml` in a fresh process against `python -c pass`.

    python benchmarks/cold.py [--reps 15]

Interleaved; ratio per repetition (target ≤ 14×). The program cache is warmed first (a cold
check after installation builds it once). Also shows what the imports alone cost.
"""

from __future__ import annotations

import argparse

from common import PY, QUYCHE, ROOT, interleaved, machine, ratios, summary, wall

EXAMPLE = str(ROOT / "examples" / "dong-thap" / "cao-lanh.yaml")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--as-of", default="2024-06-30")
    args = ap.parse_args()
    check = [*QUYCHE, "check", EXAMPLE, "--as-of", args.as_of]
    wall(check)  # warm the program cache and the page cache
    times = interleaved(
        {
            "python -c pass": lambda: wall([PY, "-c", "pass"]),
            "import compliance.cli": lambda: wall([PY, "-c", "import compliance.cli"]),
            "quyche check": lambda: wall(check),
        },
        args.reps,
    )
    print(machine())
    for name, t in times.items():
        print(f"  {name:24s} {summary(t, ' ms', 1e3)}")
    print(f"  check / python -c pass   {summary(ratios(times, 'quyche check', 'python -c pass'), '×')}")
    print(f"  imports / python -c pass {summary(ratios(times, 'import compliance.cli', 'python -c pass'), '×')}")


if __name__ == "__main__":
    main()
