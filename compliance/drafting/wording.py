"""Unfinished text (dot leaders, "(sẽ bổ sung nội dung sau)") and likely typos: syllables that are
not Vietnamese ("VẬ"), and well-known administrative phrases with a word missing or replaced."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.drafting.finding import Finding
from compliance.drafting.syllables import is_vietnamese_syllable, looks_vietnamese
from compliance.legaldoc import LegalDocument
from engine.message import msg

__all__ = ["check_placeholders", "check_typos"]

PLACEHOLDER = re.compile(r"\.{4,}|…(?:\s*…)+|_{3,}|(?<!\w)[xX]{2,}(?!\w)|\(\s*sẽ\s+bổ\s+sung[^)]*\)|\bsẽ\s+bổ\s+sung\s+sau\b|\[\s*\.*\s*\]", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_]+")
# Fixed phrases of Vietnamese administrative writing; the last word may have alternatives.
PHRASES = (
    "phân cấp ngân sách nhà nước hiện hành|nay",
    "theo quy định của pháp luật hiện hành",
    "chịu trách nhiệm thi hành quyết định này",
    "có hiệu lực thi hành kể từ ngày ký",
    "có hiệu lực kể từ ngày ký",
    "cộng hòa xã hội chủ nghĩa việt nam",
    "độc lập tự do hạnh phúc",
    "chủ tịch ủy ban nhân dân",
    "sở thông tin và truyền thông",
    "sở kế hoạch và đầu tư",
    "sở khoa học và công nghệ",
    "sở giáo dục và đào tạo",
    "sở tài nguyên và môi trường",
    "văn phòng hội đồng nhân dân và ủy ban nhân dân",
    "luật tổ chức chính quyền địa phương",
    "luật ban hành văn bản quy phạm pháp luật",
    "dự toán ngân sách nhà nước hằng|hàng năm",
    "trong quá trình tổ chức thực hiện",
    "nếu có vướng mắc phát sinh",
    "tổ chức triển khai thực hiện",
)


def check_placeholders(doc: LegalDocument) -> Iterator[Finding]:
    for p in doc.paragraphs:
        found = list(PLACEHOLDER.finditer(p.text))
        if not found:
            continue
        first = found[0]
        marks = tuple(dict.fromkeys(m.group(0) for m in found))
        yield Finding(
            "placeholder",
            "warning",
            doc.locate(p),
            p,
            first.start(),
            found[-1].end(),
            msg("drafting.placeholders.found", marks=marks),
            msg("drafting.placeholders.fix"),
            actual=" ".join(marks),
        )


def check_typos(doc: LegalDocument) -> Iterator[Finding]:
    phrases = [(ph.split()[:-1], ph.split()[-1].split("|")) for ph in PHRASES]
    for p in doc.paragraphs:
        tokens = list(_TOKEN.finditer(p.text))
        for m in tokens:
            word = m.group(0)
            if looks_vietnamese(word) and not is_vietnamese_syllable(word):
                yield Finding(
                    "typo-syllable",
                    "warning",
                    doc.locate(p),
                    p,
                    m.start(),
                    m.end(),
                    msg("drafting.typos.syllable", word=word),
                    msg("drafting.typos.syllable_fix"),
                    actual=word,
                )
        words = [t.group(0).lower() for t in tokens]
        for head, last in phrases:
            n = len(head)
            for i in range(len(words) - n + 1):
                if words[i : i + n] != head:
                    continue
                nxt = words[i + n] if i + n < len(words) else None
                if nxt in last:
                    continue
                gap = p.text[tokens[i + n - 1].end() : tokens[i + n].start()] if nxt is not None else ""
                if nxt is not None and not gap.strip() == "":
                    continue  # punctuation closes the phrase where it stands: not a missing word
                meant = " ".join(t.group(0) for t in tokens[i : i + n]) + " " + last[0]  # in the text's own capitals
                start, end = tokens[i].start(), tokens[i + n].end() if nxt is not None else tokens[i + n - 1].end()
                yield Finding(
                    "typo-phrase",
                    "warning",
                    doc.locate(p),
                    p,
                    start,
                    end,
                    msg("drafting.typos.phrase", found=p.text[start:end], phrase=meant),
                    msg("drafting.typos.phrase_fix", phrase=meant),
                    expected=meant,
                    actual=p.text[start:end],
                )
