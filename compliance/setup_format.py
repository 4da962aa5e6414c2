"""The setup format as plain data: the models of compliance.setup described for compliance.setup_fast.

Generated from the models by `python -m compliance.setup_describe`: do not edit (tests/test_setup_fast.py checks it).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypedDict

__all__ = [
    "AllowanceData",
    "CentreData",
    "ComponentData",
    "FundingData",
    "LogEntryData",
    "MeetingData",
    "OperatorData",
    "SetupData",
    "StaffData",
    "TeamData",
    "TeamMemberData",
    "MODELS",
    "ROOT",
]


# The validated data as mypy sees them; at run time each is a plain dict (typed dicts cost start-up time).
if TYPE_CHECKING:

    class OperatorData(TypedDict):
        name: str
        duties: list[str] | None

    class CentreData(TypedDict):
        id: str
        name: str
        province: str | None
        jurisdiction: str | None
        level: Literal["province", "district", "commune"] | None
        unit_type: Literal["tỉnh", "huyện", "thị xã", "thành phố", "xã", "phường", "thị trấn", "đặc khu"] | None
        host_agency: str | None
        owner: str | None
        managed_by: str | None
        directed_by: str | None
        coordinating_units: list[str] | None
        seal: str | None
        premises: str | None
        public_service_unit: bool | None
        connected_to_provincial_ioc: bool | None
        dedicated_apparatus: bool | None
        physical_control_room: bool | None
        quota_increase: bool | None
        operating: bool | None
        operating_since: date | None
        records_since: date | None
        records_until: date | None
        pilot_extensions: list[str]
        governing_documents: list[str]
        support_list_approved_by: str | None
        contracted_provider: str | None
        regulation_submitted_by: str | None
        regulation_issued_by: str | None
        standing_body: str | None
        operator: OperatorData | None
        notes: str | None

    class AllowanceData(TypedDict):
        scheme: str
        amount: Decimal | None
        special: bool | None

    class StaffData(TypedDict):
        name: str
        position: str | None
        agency: str | None
        role: str | list[str] | None
        employment: Literal["cán bộ", "công chức", "viên chức", "công an", "hợp đồng"] | None
        concurrent: bool | None
        works_at_centre: bool | None
        full_time: bool | None
        qualifications: list[str] | None
        responsibilities: list[str] | None
        appointed_by: str | None
        mobilised: bool
        permitted_by: str | None
        supported: bool | None
        shift: int | None
        supplied_by: str | None
        allowances: list[AllowanceData] | None

    class FundingData(TypedDict):
        source: str
        purpose: str | None
        amount: Decimal | None
        basis: str | None

    class LogEntryData(TypedDict):
        obligation: str
        period: str
        filed: date | datetime | None
        to: list[str] | None
        cc: list[str] | None
        team: str | None
        note: str | None

    class MeetingData(TypedDict):
        obligation: str
        period: str
        held: date | datetime | None
        team: str | None
        note: str | None

    class ComponentData(TypedDict):
        name: str
        lead_agency: str | None
        cooperating: list[str] | None

    class TeamMemberData(TypedDict):
        name: str | None
        position: str
        team_role: Literal["Tổ trưởng", "Thư ký", "Thành viên"]
        concurrent: bool | None

    class TeamData(TypedDict):
        name: str
        members: list[TeamMemberData]

    class SetupData(TypedDict):
        centre: CentreData
        staff: list[StaffData] | None
        funding: list[FundingData] | None
        reports: list[LogEntryData] | None
        meetings: list[MeetingData] | None
        components: list[ComponentData] | None
        teams: list[TeamData] | None

else:
    OperatorData = dict
    CentreData = dict
    AllowanceData = dict
    StaffData = dict
    FundingData = dict
    LogEntryData = dict
    MeetingData = dict
    ComponentData = dict
    TeamMemberData = dict
    TeamData = dict
    SetupData = dict


# Each model: whether text is stripped, its fields in dump order (types accepted, conventions, default).
MODELS: dict[str, dict[str, Any]] = {
    "Operator": {
        "strip": True,
        "fields": {
            "name": {
                "types": ("str",),
                "reads": None,
            },
            "duties": {
                "types": (("list", ("str",)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
        },
    },
    "Centre": {
        "strip": True,
        "fields": {
            "id": {
                "types": ("str",),
                "reads": None,
            },
            "name": {
                "types": ("str",),
                "reads": None,
            },
            "province": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "jurisdiction": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "level": {
                "types": (("literal", ("province", "district", "commune")), "none"),
                "reads": {"enum": ("province", "district", "commune")},
                "default": None,
            },
            "unit_type": {
                "types": (("literal", ("tỉnh", "huyện", "thị xã", "thành phố", "xã", "phường", "thị trấn", "đặc khu")), "none"),
                "reads": {"enum": ("tỉnh", "huyện", "thị xã", "thành phố", "xã", "phường", "thị trấn", "đặc khu")},
                "default": None,
            },
            "host_agency": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "owner": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "managed_by": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "directed_by": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "coordinating_units": {
                "types": (("list", ("str",)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "seal": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "premises": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "public_service_unit": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "connected_to_provincial_ioc": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "dedicated_apparatus": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "physical_control_room": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "quota_increase": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "operating": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "operating_since": {
                "types": ("date", "none"),
                "reads": {"dated": True},
                "default": None,
            },
            "records_since": {
                "types": ("date", "none"),
                "reads": {"dated": True},
                "default": None,
            },
            "records_until": {
                "types": ("date", "none"),
                "reads": {"dated": True},
                "default": None,
            },
            "pilot_extensions": {
                "types": (("list", ("str",)),),
                "reads": {"listed": True},
                "factory": "list",
            },
            "governing_documents": {
                "types": (("list", ("str",)),),
                "reads": {"listed": True},
                "factory": "list",
            },
            "support_list_approved_by": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "contracted_provider": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "regulation_submitted_by": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "regulation_issued_by": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "standing_body": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "operator": {
                "types": (("model", "Operator"), "none"),
                "reads": {},
                "default": None,
            },
            "notes": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
        },
    },
    "Allowance": {
        "strip": True,
        "fields": {
            "scheme": {
                "types": ("str",),
                "reads": None,
            },
            "amount": {
                "types": ("decimal", "none"),
                "reads": {"amount": True},
                "default": None,
            },
            "special": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
        },
    },
    "Staff": {
        "strip": True,
        "fields": {
            "name": {
                "types": ("str",),
                "reads": None,
            },
            "position": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "agency": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "role": {
                "types": ("str", ("list", ("str",)), "none"),
                "reads": {"text": True, "listed": True},
                "default": None,
            },
            "employment": {
                "types": (("literal", ("cán bộ", "công chức", "viên chức", "công an", "hợp đồng")), "none"),
                "reads": {"enum": ("cán bộ", "công chức", "viên chức", "công an", "hợp đồng")},
                "default": None,
            },
            "concurrent": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "works_at_centre": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "full_time": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "qualifications": {
                "types": (("list", ("str",)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "responsibilities": {
                "types": (("list", ("str",)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "appointed_by": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "mobilised": {
                "types": ("bool",),
                "reads": {"boolean": True},
                "default": False,
            },
            "permitted_by": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "supported": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
            "shift": {
                "types": ("int", "none"),
                "reads": {},
                "default": None,
            },
            "supplied_by": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "allowances": {
                "types": (("list", (("model", "Allowance"),)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
        },
    },
    "Funding": {
        "strip": True,
        "fields": {
            "source": {
                "types": ("str",),
                "reads": None,
            },
            "purpose": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "amount": {
                "types": ("decimal", "none"),
                "reads": {"amount": True},
                "default": None,
            },
            "basis": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
        },
    },
    "LogEntry": {
        "strip": True,
        "fields": {
            "obligation": {
                "types": ("str",),
                "reads": None,
            },
            "period": {
                "types": ("str",),
                "reads": None,
            },
            "filed": {
                "types": ("date", "datetime", "none"),
                "reads": {"dated": True, "timed": True},
                "default": None,
            },
            "to": {
                "types": (("list", ("str",)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "cc": {
                "types": (("list", ("str",)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "team": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "note": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
        },
    },
    "Meeting": {
        "strip": True,
        "fields": {
            "obligation": {
                "types": ("str",),
                "reads": None,
            },
            "period": {
                "types": ("str",),
                "reads": None,
            },
            "held": {
                "types": ("date", "datetime", "none"),
                "reads": {"dated": True, "timed": True},
                "default": None,
            },
            "team": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "note": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
        },
    },
    "Component": {
        "strip": True,
        "fields": {
            "name": {
                "types": ("str",),
                "reads": None,
            },
            "lead_agency": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "cooperating": {
                "types": (("list", ("str",)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
        },
    },
    "TeamMember": {
        "strip": True,
        "fields": {
            "name": {
                "types": ("str", "none"),
                "reads": None,
                "default": None,
            },
            "position": {
                "types": ("str",),
                "reads": None,
            },
            "team_role": {
                "types": (("literal", ("Tổ trưởng", "Thư ký", "Thành viên")),),
                "reads": {"enum": ("Tổ trưởng", "Thư ký", "Thành viên")},
                "default": "Thành viên",
            },
            "concurrent": {
                "types": ("bool", "none"),
                "reads": {"boolean": True},
                "default": None,
            },
        },
    },
    "Team": {
        "strip": True,
        "fields": {
            "name": {
                "types": ("str",),
                "reads": None,
            },
            "members": {
                "types": (("list", (("model", "TeamMember"),)),),
                "reads": {"listed": True},
            },
        },
    },
    "Setup": {
        "strip": True,
        "fields": {
            "centre": {
                "types": (("model", "Centre"),),
                "reads": {},
            },
            "staff": {
                "types": (("list", (("model", "Staff"),)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "funding": {
                "types": (("list", (("model", "Funding"),)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "reports": {
                "types": (("list", (("model", "LogEntry"),)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "meetings": {
                "types": (("list", (("model", "Meeting"),)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "components": {
                "types": (("list", (("model", "Component"),)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
            "teams": {
                "types": (("list", (("model", "Team"),)), "none"),
                "reads": {"listed": True},
                "default": None,
            },
        },
    },
}
ROOT = "Setup"
