"""Centre setups: what a smart operations centre is, who staffs it, who pays, what it filed.

A setup is a YAML file validated by these pydantic models (unknown fields are errors, so a
typo never silently becomes a missing fact). Every fact is optional: a fact the setup does
not give is *unknown* to the engine, never false. A validated setup is plain data
(``SetupData``: the models' dump); a plainly valid one is read without pydantic
(compliance.setup_fast, from the models' description in compliance.setup_format).
``to_facts`` (compliance.setup_facts) turns it into the facts the engine evaluates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import UnionType
from typing import Any, Literal, Union, cast, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

from compliance.conventions import reader, shape_of
from compliance.setup_facts import special_support, to_facts, vocabulary
from compliance.setup_fast import validated
from compliance.setup_format import SetupData

__all__ = [
    "Allowance",
    "Centre",
    "Component",
    "Funding",
    "LogEntry",
    "Meeting",
    "Operator",
    "Setup",
    "SetupData",
    "Staff",
    "Team",
    "TeamMember",
    "plain_data",
    "special_support",
    "text_field",
    "to_facts",
    "validate",
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


def text_field(annotation: Any) -> bool:
    """Whether a field holds text the conventions leave as it is (``str``, ``str | None``)."""
    return annotation is None or annotation is str or (get_origin(annotation) in (Union, UnionType) and set(get_args(annotation)) <= {str, type(None)})


def _reader(model: type[BaseModel], name: str) -> Callable[[Any], Any]:
    """How one field reads its raw value."""
    annotation = model.model_fields[name].annotation
    return reader(name, None if text_field(annotation) else shape_of(annotation))


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


def plain_data(setup: Setup) -> SetupData:
    """The validated setup as plain data (what compliance.setup_fast gives without pydantic)."""
    return cast(SetupData, setup.model_dump(mode="python"))


def validate(data: Any) -> SetupData:
    """``data`` validated as a setup, as plain data: without pydantic when the data are plainly
    valid (compliance.setup_fast), else through the models (raises pydantic's ValidationError)."""
    fast = validated(data)
    return fast if fast is not None else plain_data(Setup.model_validate(data))
