"""Per-setup evaluation in one process: quyche against the hand-written checker of the same rules.

    python benchmarks/evaluation.py [-n 200] [--reps 7]

`quyche.evaluate` decides every verdict (statuses and severities: what the plain checker returns);
explanations are built when first read, measured separately as `quyche.evaluate+explain`.
The same generated Đồng Tháp setups (../shared/bench/gen_setups.py --only dong-thap --json) for
every variant, interleaved, ratios per repetition (target ≤ 2× qd953_plain). zen-engine and
regopy join when installed (`pip install zen-engine regopy`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from common import SHARED_BENCH, generate, interleaved, machine, ratios, summary

sys.path.insert(0, str(SHARED_BENCH))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--setups", type=Path, default=Path(tempfile.gettempdir()) / "quyche-bench" / "dong-thap-json")
    args = ap.parse_args()
    as_of = date.fromisoformat(args.as_of)

    import qd953_plain

    from compliance import load_regulations, report, to_facts
    from compliance.setup import validate
    from engine import evaluate

    folder = generate(args.setups, n=args.n, only="dong-thap", as_json=True)
    data = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("*.json"))[: args.n]]
    program = load_regulations()
    facts = [to_facts(validate(d)) for d in data]

    def per_setup(fn: Callable[[], object]) -> Callable[[], float]:
        def timed() -> float:
            start = time.perf_counter()
            fn()
            return (time.perf_counter() - start) / len(data)

        return timed

    variants = {
        "quyche.evaluate": per_setup(lambda: [evaluate(program, f, as_of) for f in facts]),
        # Every verdict's explanation read (what `quyche check` shows): built lazily, so evaluate alone does not pay for it.
        "quyche.evaluate+explain": per_setup(lambda: [[v.message for v in evaluate(program, f, as_of).verdicts] for f in facts]),
        "quyche.dict→report": per_setup(lambda: [report(program, evaluate(program, to_facts(validate(d)), as_of), "x") for d in data]),
        "plain": per_setup(lambda: [qd953_plain.check(d, as_of) for d in data]),
    }
    try:
        import qd953_zen

        zen = qd953_zen.Checker()
        variants["zen"] = per_setup(lambda: [zen.check(d, as_of) for d in data])
    except ImportError:
        pass
    try:
        import qd953_rego

        rego = qd953_rego.Checker(bundle=True)
        variants["rego.bundle"] = per_setup(lambda: [rego.check(d, as_of) for d in data])
    except ImportError:
        pass
    for fn in variants.values():
        fn()  # warm-up: memoised text keys, first-call costs
    times = interleaved(variants, args.reps)
    print(machine())
    print(f"{len(data)} Đồng Tháp setups as of {as_of}, {args.reps} repetitions; per setup:")
    for name, t in times.items():
        print(f"  {name:20s} {summary(t, ' ms', 1e3)}")
    for a in ("quyche.evaluate", "quyche.evaluate+explain", "quyche.dict→report"):
        for b in ("plain", "zen", "rego.bundle"):
            if b in times:
                print(f"  {a} / {b}: {summary(ratios(times, a, b), '×')}")


if __name__ == "__main__":
    main()
