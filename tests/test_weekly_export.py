"""The exports: HTML with every section and nothing external, PDF in Vietnamese, JSON both ways."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from guardian.reports.charts import bars_chart, days_chart, hours_chart, to_svg
from guardian.reports.html_export import render_html
from guardian.reports.json_export import summary_from_json, summary_to_json
from guardian.reports.pdf_export import render_pdf
from guardian.reports.summary import SearchMade
from guardian.reports.text import ReportText
from tests.test_weekly import summary
from tests.test_weekly import week as week  # noqa: F401  (the fixture)

SCREENSHOTS = Path(__file__).parent / "screenshots" / "reports"
SECTIONS = ("talk", "days", "hours", "categories", "sites", "blocks", "limits", "searches",
            "requests", "reports")
HEADINGS = {
    "en": ("Weekly summary for An", "Talk about it", "Time online each day", "Time of day",
           "Time by kind of site", "Most used sites", "Blocked attempts", "Time limits",
           "Searches", "Requests to you", "Reports of harmful content"),
    "vi": ("Tóm tắt tuần của An", "Cùng trò chuyện", "Thời gian trên mạng mỗi ngày",
           "Thời điểm trong ngày", "Thời gian theo loại trang", "Các trang dùng nhiều nhất",
           "Các lần bị chặn", "Giới hạn thời gian", "Tìm kiếm", "Yêu cầu gửi bạn",
           "Báo cáo nội dung độc hại"),
}


def save(name: str, data: bytes) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("language", ["en", "vi"])
def test_html_has_every_section_in_both_languages(db, week, language: str) -> None:  # type: ignore[no-untyped-def]
    page = render_html(summary(db, week, language=language))
    save(f"weekly-{language}.html", page.encode())
    for section in SECTIONS:
        assert f'<section id="{section}">' in page
    for heading in HEADINGS[language]:
        assert heading in page
    assert f'<html lang="{language}">' in page
    assert "olm.vn" in page and "bet.example" in page and "mèo" in page
    assert "111" in page and "https://vn-cop.vn" in page


def test_html_is_self_contained_and_escapes_the_childs_words(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week)
    hostile = replace(s, searches=s.searches + (SearchMade('<script>alert("x")</script>', 1, 0,
                                                           s.searches[0].last_at),))
    page = render_html(hostile)
    assert "<script" not in page and "&lt;script&gt;" in page
    assert not re.search(r'(src|href)\s*=|<link|@import|url\(', page, re.IGNORECASE)
    assert page.count("<svg") == 3  # days, hours, categories


def test_charts_are_well_formed_svg(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week)
    text = ReportText("vi")
    for chart in (days_chart(s.days, text), hours_chart(s.minutes_by_hour, text),
                  bars_chart([("a & b", 3, "3 phút")])):
        root = ET.fromstring(to_svg(chart))
        assert root.tag.endswith("svg")
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    days = days_chart(s.days, text)
    orange = [r for r in days.rects if r.fill == "#d9730d"]
    assert len(orange) == 1  # Sunday, over the limit
    assert any(label.text == "2g10" for label in days.labels)  # 130 minutes, short form


@pytest.mark.parametrize("language", ["vi", "en"])
def test_pdf_has_the_same_content_and_vietnamese_diacritics(db, week, language: str) -> None:  # type: ignore[no-untyped-def]
    data = render_pdf(summary(db, week, language=language))
    path = save(f"weekly-{language}.pdf", data)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))
    squashed = re.sub(r"\s+", " ", text)
    for heading in HEADINGS[language]:
        assert heading in squashed, heading
    assert "olm.vn" in squashed and "bet.example" in squashed and "mèo" in squashed
    fonts = {str(font) for page in reader.pages
             for font in (page["/Resources"]["/Font"] or {}).values()}  # type: ignore[index]
    assert fonts  # embedded
    if language == "vi":
        assert "Quy tắc ứng xử" in squashed and "Trò chơi điện tử" in squashed
    if shutil.which("pdftoppm"):  # Debian's poppler-utils: pictures for a person to look at
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(path),
                        str(SCREENSHOTS / f"weekly-{language}")], check=True, timeout=60)
        assert (SCREENSHOTS / f"weekly-{language}-1.png").exists()


def test_json_round_trips(db, week) -> None:  # type: ignore[no-untyped-def]
    s = summary(db, week, language="vi")
    text = summary_to_json(s)
    assert summary_from_json(text) == s
    plain = json.loads(text)
    assert plain["week"] == "2026-W48" and plain["days"][6]["minutes"] == 130
    assert plain["prompts"][0]["rules"] == ["CHILD-5", "GEN-6"]
    assert "mèo" in text  # not escaped to \\u sequences


def test_json_that_is_not_a_summary_is_refused(db, week) -> None:  # type: ignore[no-untyped-def]
    plain = json.loads(summary_to_json(summary(db, week)))
    del plain["days"]
    with pytest.raises(ValueError, match="days"):
        summary_from_json(json.dumps(plain))
    plain = json.loads(summary_to_json(summary(db, week)))
    plain["total_minutes"] = "210"
    with pytest.raises(ValueError):
        summary_from_json(json.dumps(plain))
