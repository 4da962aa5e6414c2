"""Cold start: `quyche check examples/dong-thap/cao-lanh.yaml` in a fresh process against `python -c pass`.

    python benchmarks/cold.py [--reps 15]

Interleaved; ratio per repetition (target ≤ 14×). The program cache is warmed first (a cold
check after installation builds it once). Also shows what the imports alone cost.

Python's bytecode is cached as an installed package has it (pip compiles on install), in a
private folder (PYTHONPYCACHEPREFIX), so that a PYTHONDONTWRITEBYTECODE in the environment does not
make every run compile every module from source, and no checkout is written to; ``--source``
measures that slower case instead.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from common import ENV, PY, QUYCHE, ROOT, cpu, interleaved, machine, ratios, summary, wall

EXAMPLE = str(ROOT / "examples" / "dong-thap" / "cao-lanh.yaml")


_FLOOR = "import argparse, yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--baseline", type=Path, help="another quyche checkout (e.g. an earlier commit) to time side by side")
    ap.add_argument("--source", action="store_true", help="no bytecode cache: every module compiled from source in every run")
    args = ap.parse_args()
    check = [*QUYCHE, "check", EXAMPLE, "--as-of", args.as_of]
    env = {k: v for k, v in ENV.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    pycache = tempfile.mkdtemp(prefix="quyche-bench-pyc-")
    env.update({"PYTHONDONTWRITEBYTECODE": "1"} if args.source else {"PYTHONPYCACHEPREFIX": pycache})
    # (command, environment, folder): `python -c` puts its working folder first on sys.path.
    commands = {
        "python -c pass": ([PY, "-c", "pass"], env, ROOT),
        "import compliance.cli": ([PY, "-c", "import compliance.cli"], env, ROOT),
        "quyche check": (check, env, ROOT),
        # What a check cannot do without, before evaluating anything: Python, the command line's
        # parser (argparse: compliance/command_line.py) and YAML. The setup's validation is not in
        # it: a valid setup need not pay for pydantic (issue 10).
        "floor: argparse+yaml": ([PY, "-c", _FLOOR], env, ROOT),
    }
    if args.baseline:
        commands["baseline check"] = (check, dict(env, PYTHONPATH=str(args.baseline)), args.baseline)
    print("bytecode: " + ("none (compiled from source in every run)" if args.source else "cached, as installed"))
    try:
        _measure(commands, args.reps)
    finally:
        shutil.rmtree(pycache, ignore_errors=True)


def _measure(commands: dict[str, tuple[list[str], dict[str, str], Path]], reps: int) -> None:
    print(machine())
    for measure, label in ((wall, "wall"), (cpu, "CPU (user + system)")):
        variants = {name: (lambda c=c, e=e, d=d, m=measure: m(c, cwd=d, env=e)) for name, (c, e, d) in commands.items()}
        for fn in variants.values():
            fn()  # warm the program caches and the page cache
        times = interleaved(variants, reps)
        print(f"{label}, {reps} interleaved repetitions:")
        for name, t in times.items():
            print(f"  {name:24s} {summary(t, ' ms', 1e3)}")
        for name in ("quyche check", "import compliance.cli", "baseline check", "floor: argparse+yaml"):
            if name in times:
                print(f"  {name} / python -c pass: {summary(ratios(times, name, 'python -c pass'), '×')}")


if __name__ == "__main__":
    main()
