"""A temporary or pilot regulation with no end date; a reporting or meeting duty with no cadence,
deadline or triggering event."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.drafting.finding import Finding
from compliance.legaldoc import LegalDocument, Paragraph
from engine.message import msg

__all__ = ["check_duties"]

_PILOT = re.compile(r"\b(?:tạm thời|thí điểm|thử nghiệm)\b", re.IGNORECASE)
_END = re.compile(
    r"đến\s+(?:hết\s+)?(?:ngày\s+\d{1,2}\s*(?:/|tháng)\s*\d{1,2}|năm\s+\d{4}|tháng\s+\d{1,2})|trong\s+(?:thời\s+gian\s+)?(?:\d+|một|hai|ba|sáu)\s+(?:tháng|năm)|thời\s+hạn\s+\d+|kết\s+thúc\s+(?:vào\s+)?ngày",
    re.IGNORECASE,
)
_TIME = re.compile(r"thí điểm|thử nghiệm|tạm thời|thời gian|hiệu lực|áp dụng", re.IGNORECASE)
# A duty: the verb "báo cáo" followed by who receives it, or a meeting to hold.
_RECIPIENTS = r"(?:Ủy ban|UBND|Chủ tịch|Sở|Văn phòng|Bộ|Thường trực|lãnh đạo|cấp trên|Ban|Hội đồng|HĐND|Tỉnh ủy|Huyện ủy|các)\b"
_DUTY = re.compile(r"(?<![\w])(?:báo cáo|họp)\s+(?:(?:kết quả|tình hình)\s+)?(?:cho\s+|về\s+|lên\s+)?(?=" + _RECIPIENTS + r"|định kỳ)")
_MEETING = re.compile(r"(?<![\w])tổ chức họp\b|\bhọp giao ban\b", re.IGNORECASE)
_CADENCE = re.compile(
    r"định kỳ|hằng|hàng\s+(?:ngày|tuần|tháng|quý|năm)|mỗi\s+(?:ngày|tuần|tháng|quý|năm)|trước ngày|chậm nhất|thời hạn|hạn chót|trong vòng|trong thời hạn|"
    r"\d+\s*(?:ngày|tháng)|"
    r"\((?:tháng|quý|năm)|tháng,\s*quý|6 tháng|sáu tháng|cuối năm|đầu năm|theo (?:tháng|quý|năm)|"
    r"khi\b|nếu\b|trường hợp|đột xuất|phát sinh|theo yêu cầu|kịp thời|ngay\b|khi có",
    re.IGNORECASE,
)


def _title_text(doc: LegalDocument) -> tuple[str, Paragraph | None]:
    first = next((n for n in doc.nodes() if n.kind == "dieu"), None)
    titles = [p for b in doc.bodies for p in ([b.paragraph] if b.paragraph else []) + b.paragraphs]
    parts = [doc.heading.summary or "", (first.inline_text or "") if first else "", *(p.text for p in titles)]
    # Where to point: the first of Điều 1 and the annex's title lines that says "tạm thời" / "thí điểm".
    candidates = ([first.paragraph] if first and first.paragraph else []) + titles
    target = next((p for p in candidates if _PILOT.search(p.text)), first.paragraph if first else None)
    return " ".join(parts), target


def check_duties(doc: LegalDocument) -> Iterator[Finding]:
    text, article = _title_text(doc)
    pilot = _PILOT.search(text)
    basis = {id(p) for p in doc.basis}
    stated_end = any(_END.search(p.text) for p in doc.paragraphs if id(p) not in basis and _TIME.search(p.text))
    if pilot and not stated_end:
        target = article
        if target is None:
            target = next((p for p in doc.paragraphs if _PILOT.search(p.text)), None)
        if target is not None:
            m = _PILOT.search(target.text)
            start, end = (m.start(), m.end()) if m else (0, len(target.text))
            yield Finding(
                "pilot-no-end",
                "warning",
                doc.locate(target),
                target,
                start,
                end,
                msg("drafting.duties.pilot_no_end", word=pilot.group(0)),
                msg("drafting.duties.pilot_no_end_fix"),
            )
    for node in doc.nodes():
        if node.kind not in ("khoan", "diem", "dieu", "section") or node.paragraph is None:
            continue
        own = [node.paragraph, *node.paragraphs]
        text = " ".join(p.text for p in own)
        duty = _DUTY.search(node.paragraph.text) or _MEETING.search(node.paragraph.text)
        if duty is None or _CADENCE.search(text):
            continue
        if node.kind == "dieu" and node.children:
            continue
        yield Finding(
            "duty-no-cadence",
            "warning",
            node.locator,
            node.paragraph,
            duty.start(),
            duty.start() + (len("báo cáo") if duty.group(0).startswith("báo") else len(duty.group(0).rstrip())),
            msg("drafting.duties.no_cadence", what=duty.group(0).strip()),
            msg("drafting.duties.no_cadence_fix"),
        )
