"""Centre setups: what a smart operations centre is, who staffs it, who pays, what it filed.

A setup is a YAML file validated by these pydantic models (unknown fields are errors, so a
typo never silently becomes a missing fact). Every fact is optional: a fact the setup does
not give is *unknown* to the engine, never false. ``to_facts`` turns a setup into the plain
data the engine evaluates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

from compliance.conventions import read_as
from compliance.units import units_today
from engine import Vocabulary, nfc
from engine.facts import LABEL, PATHS, REF
from engine.names import contains_words

__all__ = [
    "Allowance",
    "Centre",
    "Component",
    "Funding",
    "LogEntry",
    "Meeting",
    "Operator",
    "Setup",
    "Staff",
    "Team",
    "TeamMember",
    "special_support",
    "to_facts",
    "vocabulary",
]

Employment = Literal["cán bộ", "công chức", "viên chức", "công an", "hợp đồng"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _read_conventions(cls, data: Any) -> Any:
        """Store every string in NFC, so that "hoà" typed either way compares equal later;
        read Vietnamese conventions (Có/Không, 20/06/2024, "Công chức") as each field's type.

        One call per record, each field read by a function worked out once per field (a setup
        may list 10,000 staff); unknown fields are left for pydantic to report."""
        if not isinstance(data, dict):
            return data
        readers = _READERS.get(cls)
        if readers is None:
            readers = _READERS[cls] = {name: _reader(cls, name) for name in cls.model_fields}
        return {k: readers[k](v) if k in readers else v for k, v in data.items()}


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc(v) if isinstance(v, str) else v for v in value]
    return value


def _reader(model: type[BaseModel], name: str) -> Callable[[Any], Any]:
    """How one field reads its raw value."""
    annotation = model.model_fields[name].annotation
    if annotation is None:
        return _normalised
    if annotation is str or (get_origin(annotation) in (Union, UnionType) and set(get_args(annotation)) <= {str, type(None)}):
        return _normalised  # text: the conventions leave it as it is
    known: dict[str, Any] = {}  # "Có" → True, "20/06/2024" → a date, … once per spelling

    def read(value: Any) -> Any:
        value = _normalised(value)
        if type(value) is not str:
            return read_as(annotation, name, value)
        if value in known:
            return known[value]
        result = read_as(annotation, name, value)
        if not isinstance(result, list) and len(known) < 4096:
            known[value] = result
        return result

    return read


# model → its fields' readers, by name.
_READERS: dict[type, dict[str, Callable[[Any], Any]]] = {}


class Allowance(_Model):
    scheme: str = Field(description="Chế độ: e.g. 'NQ 14/2021/NQ-HĐND', 'phụ cấp kiêm nhiệm', or another special support")
    amount: Decimal | None = Field(None, description="VND per month, exact")
    special: bool | None = Field(None, description="A special support regime (chế độ hỗ trợ đặc thù)")


class Staff(_Model):
    name: str
    position: str | None = Field(None, description="Chức vụ, e.g. 'Chánh Văn phòng HĐND và UBND thành phố'")
    agency: str | None = Field(None, description="Cơ quan, đơn vị công tác")
    role: str | list[str] | None = Field(None, description="Vai trò tại Trung tâm, e.g. 'Giám đốc', 'chuyên môn nghiệp vụ'")
    employment: Employment | None = Field(None, description="cán bộ / công chức / viên chức / công an / hợp đồng")
    concurrent: bool | None = Field(None, description="Kiêm nhiệm")
    works_at_centre: bool | None = Field(None, description="Trực tiếp làm việc tại Trung tâm")
    full_time: bool | None = Field(None, description="Toàn thời gian")
    qualifications: list[str] | None = Field(None, description="Trình độ, e.g. 'Cử nhân công nghệ thông tin'")
    responsibilities: list[str] | None = Field(None, description="Lĩnh vực phụ trách")
    appointed_by: str | None = Field(None, description="Người ký quyết định bổ nhiệm")
    mobilised: bool = Field(False, description="Được điều động tăng cường trong tình huống cụ thể (default: no)")
    permitted_by: str | None = Field(None, description="Người cho phép điều động")
    supported: bool | None = Field(None, description="Trong danh sách được hỗ trợ (định suất)")
    shift: int | None = Field(None, description="Ca trực (1–3)")
    supplied_by: str | None = Field(None, description="Đơn vị điều động người lao động hợp đồng đến Trung tâm, e.g. 'VNPT Đồng Tháp'")
    allowances: list[Allowance] | None = None


class Funding(_Model):
    source: str = Field(description="Nguồn kinh phí, e.g. 'ngân sách thành phố', 'ngân sách nhà nước tỉnh'")
    purpose: str | None = Field(None, description="Nội dung chi, e.g. 'lương hợp đồng lao động', 'hỗ trợ IOC'")
    amount: Decimal | None = Field(None, description="VND, exact")
    basis: str | None = Field(None, description="Căn cứ, e.g. 'dự toán thường xuyên được giao hàng năm'")


class LogEntry(_Model):
    obligation: str = Field(description="The obligation's id, e.g. 'bao_cao_6_thang' or 'qd953_2023.bao_cao_6_thang'")
    period: str = Field(description="2024-05 (month), 2024-Q2, 2024-H1, 2024-W23, 2024")
    filed: date | datetime | None = Field(None, description="When it was sent (a date, or date and time)")
    to: list[str] | None = Field(None, description="Nơi nhận")
    cc: list[str] | None = Field(None, description="Gửi kèm")
    team: str | None = Field(None, description="Tổ gửi báo cáo, khi mỗi Tổ có nghĩa vụ riêng (e.g. 'Tổ 1')")
    note: str | None = None


class Meeting(_Model):
    obligation: str
    period: str
    held: date | datetime | None = Field(None, description="When the meeting or review was held")
    team: str | None = Field(None, description="Tổ đã họp, khi mỗi Tổ có nghĩa vụ riêng (e.g. 'Tổ 1')")
    note: str | None = None


class Component(_Model):
    name: str = Field(description="Phân hệ / hệ thống, e.g. 'Phân hệ điều hành lĩnh vực y tế'")
    lead_agency: str | None = Field(None, description="Cơ quan chủ trì")
    cooperating: list[str] | None = Field(None, description="Cơ quan phối hợp")


class TeamMember(_Model):
    name: str | None = None
    position: str = Field(description="Chức vụ, e.g. 'Giám đốc Sở Y tế'")
    team_role: Literal["Tổ trưởng", "Thư ký", "Thành viên"] = "Thành viên"
    concurrent: bool | None = None


class Team(_Model):
    name: str = Field(description="e.g. 'Tổ 1'")
    members: list[TeamMember]


class Operator(_Model):
    name: str
    duties: list[str] | None = Field(None, description="Nhiệm vụ đã thực hiện, e.g. 'sao lưu dự phòng toàn bộ dữ liệu'")


class Centre(_Model):
    id: str
    name: str
    province: str | None = Field(None, description="Tỉnh, e.g. 'Đồng Tháp'")
    jurisdiction: str | None = Field(None, description="Đơn vị hành chính của Trung tâm: tỉnh, huyện hoặc thành phố")
    level: Literal["province", "district", "commune"] | None = Field(
        None,
        description="province (tỉnh, cấp tỉnh), district (huyện, cấp huyện, thị xã, thành phố thuộc tỉnh; until 2025-06-30) or commune (xã, cấp xã, phường)",
    )
    unit_type: Literal["tỉnh", "huyện", "thị xã", "thành phố", "xã", "phường", "thị trấn", "đặc khu"] | None = None
    host_agency: str | None = Field(None, description="Cơ quan chủ quản / đơn vị trực thuộc")
    owner: str | None = Field(None, description="Cơ quan chủ sở hữu")
    managed_by: str | None = Field(None, description="Cơ quan / người quản lý")
    directed_by: str | None = Field(None, description="Người chỉ đạo trực tiếp")
    coordinating_units: list[str] | None = Field(None, description="Đơn vị phối hợp")
    seal: str | None = Field(None, description="Con dấu được sử dụng")
    premises: str | None = Field(None, description="Trụ sở")
    public_service_unit: bool | None = Field(None, description="Là đơn vị sự nghiệp công lập")
    connected_to_provincial_ioc: bool | None = None
    dedicated_apparatus: bool | None = Field(None, description="Có tổ chức bộ máy chuyên trách")
    physical_control_room: bool | None = Field(None, description="Có đầu tư cơ sở vật chất phòng điều hành")
    quota_increase: bool | None = Field(None, description="Có tăng biên chế")
    operating: bool | None = Field(None, description="Trung tâm đang hoạt động")
    operating_since: date | None = None
    records_since: date | None = Field(None, description="Logs are complete from this date; obligations are checked from here")
    records_until: date | None = Field(None, description="Logs are complete up to this date; a period due later with no record is unknown, not missing")
    pilot_extensions: list[str] = Field(default_factory=list, description="Documents extending a pilot")
    governing_documents: list[str] = Field(default_factory=list, description="Official numbers of the documents the centre operates under")
    support_list_approved_by: str | None = Field(None, description="Cơ quan phê duyệt danh sách người được hỗ trợ, e.g. 'UBND tỉnh Bình Phước'")
    contracted_provider: str | None = Field(None, description="Đơn vị trúng thầu cung cấp dịch vụ cho Trung tâm, e.g. 'VNPT Đồng Tháp'")
    regulation_submitted_by: str | None = Field(
        None, description="Người xây dựng và trình quy chế tổ chức, quản lý, vận hành Trung tâm, e.g. 'Giám đốc Trung tâm'"
    )
    regulation_issued_by: str | None = Field(None, description="Cơ quan ban hành quy chế của Trung tâm, e.g. 'UBND thành phố Cao Lãnh'")
    standing_body: str | None = Field(None, description="Cơ quan thường trực của các Tổ giúp việc tại Trung tâm, e.g. 'Sở Thông tin và Truyền thông'")
    operator: Operator | None = None
    notes: str | None = None


class Setup(_Model):
    centre: Centre
    staff: list[Staff] | None = None
    funding: list[Funding] | None = None
    reports: list[LogEntry] | None = None
    meetings: list[Meeting] | None = None
    components: list[Component] | None = None
    teams: list[Team] | None = None


def _label(staff: Staff) -> str:
    return f"{staff.name} ({staff.position})" if staff.position else staff.name


def _plain(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="python")


# The support of Nghị quyết 14/2021/NQ-HĐND is itself a special support regime: its draft (Tờ
# trình, Mục IV.3) speaks of "những người thuộc diện hỗ trợ chính sách này nhưng đã được hưởng
# chế độ hỗ trợ đặc thù khác" — another special regime besides this one. A scheme whose own name
# says "đặc thù" is one too. Any other scheme is special only when the setup says so (else unknown).
_SPECIAL_SCHEMES = ("14/2021/NQ-HĐND", "hỗ trợ đặc thù", "phụ cấp đặc thù", "chế độ đặc thù")


def special_support(allowance: Allowance) -> bool | None:
    """Whether the allowance is a special support regime: as written, else known from its scheme's name."""
    if allowance.special is not None:
        return allowance.special
    return True if any(contains_words(allowance.scheme, s) for s in _SPECIAL_SCHEMES) else None


def to_facts(setup: Setup) -> dict[str, Any]:
    """The setup as engine facts; a list the setup leaves out stays absent (unknown)."""
    plain = _plain(setup)  # one dump of the whole setup: cheaper than one per record
    centre = plain["centre"]
    operator = centre.pop("operator", None)
    centre["operator"] = operator["name"] if operator else None
    centre["operator_duties"] = operator["duties"] if operator else None
    facts: dict[str, Any] = {
        "centre": centre,
        PATHS: {"centre.operator": "centre.operator.name", "centre.operator_duties": "centre.operator.duties", "members": "teams"},
    }
    if setup.staff is not None:
        special: dict[tuple[str, bool | None], bool | None] = {}  # the same scheme, named once per setup
        facts["staff"] = plain["staff"]
        for i, (row, person) in enumerate(zip(plain["staff"], setup.staff, strict=True)):
            row[REF] = f"staff[{i}]"
            row[LABEL] = _label(person)
            if row.get("allowances") is None:
                row.pop("allowances")
            else:  # the user need not type `special` for a scheme known to be one
                for item, allowance in zip(row["allowances"], person.allowances or [], strict=True):
                    known = (allowance.scheme, allowance.special)
                    if known not in special:
                        special[known] = special_support(allowance)
                    item["special"] = special[known]
    for name in ("funding", "reports", "components"):
        items = getattr(setup, name)
        if items is not None:
            facts[name] = [dict(row, **{REF: f"{name}[{i}]"}) for i, row in enumerate(plain[name])]
    if setup.meetings is not None:
        facts["meetings"] = [
            dict(row, filed=m.held, **{REF: f"meetings[{i}]"}) for i, (row, m) in enumerate(zip(plain["meetings"], setup.meetings, strict=True))
        ]
    if setup.teams is not None:
        members = []
        for t, team in enumerate(setup.teams):
            for m, member in enumerate(team.members):
                row = dict(
                    plain["teams"][t]["members"][m],
                    team=team.name,
                    **{REF: f"teams[{t}].members[{m}]", LABEL: f"{team.name}: {member.position}"},
                    # "Tổ trưởng Tổ 1": the role as the law names it, so `role … held by` works per team.
                    role=[member.team_role, f"{member.team_role} {team.name}"],
                )
                members.append(row)
        facts["members"] = members
    # Today's provinces and the jurisdiction's namesakes, for the reorganisation findings (information only).
    facts["units_today"] = units_today(setup.centre.jurisdiction, setup.centre.province)
    return facts


def _fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(model.model_fields)


def vocabulary() -> Vocabulary:
    """The collections and fields rules may name, derived from the models above."""
    return Vocabulary(
        centre=_fields(Centre) | {"operator_duties"},
        collections={
            "staff": _fields(Staff),
            "funding": _fields(Funding),
            "reports": _fields(LogEntry),
            "meetings": _fields(Meeting) | {"filed"},
            "components": _fields(Component),
            "members": _fields(TeamMember) | {"team", "role"},
        },
        nested={"allowances": _fields(Allowance)},
    )
