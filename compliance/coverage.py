"""Example setups → rule coverage: which provisions the examples exercise, in which outcomes.

A reviewer's question before trusting an encoding: has each rule been seen both satisfied and
violated on a realistic setup? Every setup is checked at each date its ``# expect: exit N as of
DATE`` lines declare (the examples' convention), or at one given date; the result counts, per
rule and obligation of every encoded document, how often each status came out, and lists the
provisions that no setup ever violates or ever satisfies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from compliance.catalogue import Lang, both, text
from compliance.loading import SetupError, load_setup
from compliance.setup_facts import to_facts
from engine import Program, Status, ast, evaluate
from engine.message import Message, msg

__all__ = ["EXPECT", "expectations", "Coverage", "coverage", "to_text"]

EXPECT = re.compile(r"^#\s*expect:\s*exit\s+(\d)\s+as\s+of\s+(\d{4}-\d{2}-\d{2})\s*$")


def expectations(path: Path) -> list[tuple[int, str]]:
    """The (exit code, as-of date) pairs a setup file declares in its `# expect:` lines."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line.strip())
        if match:
            found.append((int(match.group(1)), match.group(2)))
    return found


@dataclass
class Coverage:
    runs: list[tuple[str, str]] = field(default_factory=list)  # (setup, as_of)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # rule id → status → count
    errors: list[Message] = field(default_factory=list)  # each in the reader's language when rendered

    def never(self, status: Status) -> list[str]:
        return sorted(rule for rule, seen in self.counts.items() if not seen.get(status.value))

    def as_dict(self) -> dict[str, Any]:
        return {
            "runs": [{"setup": s, "as_of": d} for s, d in self.runs],
            "rules": self.counts,
            "never_violated": self.never(Status.VIOLATED),
            "never_satisfied": self.never(Status.SATISFIED),
            "errors": [both(e) for e in self.errors],
        }


def coverage(program: Program, directory: Path, as_of: date | None = None) -> Coverage:
    """Check every setup under ``directory`` at its declared dates (or ``as_of``) and count outcomes."""
    result = Coverage()
    for doc in program.documents.values():
        if doc.status == "cited":
            continue
        items: list[ast.Rule | ast.Obligation] = [*program.rules.values(), *program.obligations.values()]
        for item in items:
            if item.document == doc.id:
                result.counts.setdefault(item.id, {s.value: 0 for s in Status})
    for path in sorted(p for p in directory.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")):
        name = str(path.relative_to(directory))
        dates = [as_of] if as_of else sorted({date.fromisoformat(d) for _, d in expectations(path)})
        if not dates:
            result.errors.append(msg("coverage.no_dates", setup=name))
            continue
        try:
            facts = to_facts(load_setup(path))
        except SetupError as err:
            problems = tuple(msg("coverage.at_line", line=str(p.line), problem=p.message) for p in err.details)
            result.errors.append(msg("coverage.invalid_setup", setup=name, problems=problems))
            continue
        for when in dates:
            result.runs.append((name, when.isoformat()))
            for verdict in evaluate(program, facts, when).verdicts:
                if verdict.id in result.counts:
                    result.counts[verdict.id][verdict.status.value] += 1
    return result


def to_text(result: Coverage, lang: Lang = "vi") -> str:
    """A table a reviewer reads: one line per provision, then the ones never seen violated."""

    def say(key: str, **args: object) -> str:
        return text(msg(f"coverage.{key}", **args), lang)  # type: ignore[arg-type]

    head = (say("rule"), say("satisfied"), say("violated"), say("unknown"), say("not_applicable"))
    widths = [max(len(h), 4) for h in head[1:]]
    lines = [say("runs", checks=len(result.runs), setups=len({s for s, _ in result.runs})), ""]
    lines.append(f"{head[0]:58} " + " ".join(f"{h:>{w}}" for h, w in zip(head[1:], widths, strict=True)))
    for rule in sorted(result.counts):
        c = result.counts[rule]
        counts = (c["satisfied"], c["violated"], c["unknown"], c["not_applicable"])
        lines.append(f"{rule:58} " + " ".join(f"{n:>{w}}" for n, w in zip(counts, widths, strict=True)))
    total = len(result.counts)
    for status, key in ((Status.VIOLATED, "never_violated"), (Status.SATISFIED, "never_satisfied")):
        missing = result.never(status)
        lines += ["", say(key, count=len(missing), total=total)]
        lines += [f"  {rule}" for rule in missing]
    lines += [say("error", error=e) for e in result.errors]
    return "\n".join(lines) + "\n"
