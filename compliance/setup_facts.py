"""A validated setup (plain data, compliance.setup_format.SetupData) → the facts the engine evaluates.

Every fact is optional: a fact the setup does not give is *unknown* to the engine, never false.
The setup's own data are never changed (the command that checks it names its records after).
"""

from __future__ import annotations

from typing import Any

from compliance.setup_format import MODELS, AllowanceData, SetupData, StaffData
from compliance.units import units_today
from engine import Vocabulary
from engine.facts import LABEL, PATHS, REF
from engine.names import contains_words

__all__ = ["special_support", "to_facts", "vocabulary"]

# The support of Nghị quyết 14/2021/NQ-HĐND is itself a special support regime: its draft (Tờ
# trình, Mục IV.3) speaks of "những người thuộc diện hỗ trợ chính sách này nhưng đã được hưởng
# chế độ hỗ trợ đặc thù khác" — another special regime besides this one. A scheme whose own name
# says "đặc thù" is one too. Any other scheme is special only when the setup says so (else unknown).
_SPECIAL_SCHEMES = ("14/2021/NQ-HĐND", "hỗ trợ đặc thù", "phụ cấp đặc thù", "chế độ đặc thù")


def special_support(allowance: AllowanceData) -> bool | None:
    """Whether the allowance is a special support regime: as written, else known from its scheme's name."""
    if allowance["special"] is not None:
        return allowance["special"]
    return True if any(contains_words(allowance["scheme"], s) for s in _SPECIAL_SCHEMES) else None


def _label(staff: StaffData) -> str:
    return f"{staff['name']} ({staff['position']})" if staff["position"] else staff["name"]


def to_facts(setup: SetupData) -> dict[str, Any]:
    """The setup as engine facts; a list the setup leaves out stays absent (unknown)."""
    centre: dict[str, Any] = dict(setup["centre"])
    operator = centre.pop("operator", None)
    centre["operator"] = operator["name"] if operator else None
    centre["operator_duties"] = operator["duties"] if operator else None
    facts: dict[str, Any] = {
        "centre": centre,
        PATHS: {"centre.operator": "centre.operator.name", "centre.operator_duties": "centre.operator.duties", "members": "teams"},
    }
    if setup["staff"] is not None:
        special: dict[tuple[str, bool | None], bool | None] = {}  # the same scheme, named once per setup
        staff = facts["staff"] = []
        for i, person in enumerate(setup["staff"]):
            row: dict[str, Any] = dict(person)
            row[REF] = f"staff[{i}]"
            row[LABEL] = _label(person)
            allowances = person["allowances"]
            if allowances is None:
                row.pop("allowances")
            else:  # the user need not type `special` for a scheme known to be one
                items = []
                for allowance in allowances:
                    known = (allowance["scheme"], allowance["special"])
                    if known not in special:
                        special[known] = special_support(allowance)
                    items.append(dict(allowance, special=special[known]))
                row["allowances"] = items
            staff.append(row)
    for name in ("funding", "reports", "components"):
        records: list[Any] | None = setup[name]
        if records is not None:
            facts[name] = [dict(row, **{REF: f"{name}[{i}]"}) for i, row in enumerate(records)]
    if setup["meetings"] is not None:
        facts["meetings"] = [dict(row, filed=row["held"], **{REF: f"meetings[{i}]"}) for i, row in enumerate(setup["meetings"])]
    if setup["teams"] is not None:
        members = []
        for t, team in enumerate(setup["teams"]):
            for m, member in enumerate(team["members"]):
                members.append(
                    dict(
                        member,
                        team=team["name"],
                        **{REF: f"teams[{t}].members[{m}]", LABEL: f"{team['name']}: {member['position']}"},
                        # "Tổ trưởng Tổ 1": the role as the law names it, so `role … held by` works per team.
                        role=[member["team_role"], f"{member['team_role']} {team['name']}"],
                    )
                )
        facts["members"] = members
    # Today's provinces and the jurisdiction's namesakes, for the reorganisation findings (information only).
    facts["units_today"] = units_today(setup["centre"]["jurisdiction"], setup["centre"]["province"])
    return facts


def _fields(model: str) -> frozenset[str]:
    return frozenset(MODELS[model]["fields"])


def vocabulary() -> Vocabulary:
    """The collections and fields rules may name, derived from the models (through their description)."""
    return Vocabulary(
        centre=_fields("Centre") | {"operator_duties"},
        collections={
            "staff": _fields("Staff"),
            "funding": _fields("Funding"),
            "reports": _fields("LogEntry"),
            "meetings": _fields("Meeting") | {"filed"},
            "components": _fields("Component"),
            "members": _fields("TeamMember") | {"team", "role"},
        },
        nested={"allowances": _fields("Allowance")},
    )
