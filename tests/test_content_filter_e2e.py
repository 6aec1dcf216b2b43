"""Content scanning through the real proxy: pages over the child's threshold are replaced."""

from __future__ import annotations

import json

import pytest

from tests.proxy_harness import GuardianProxy, Upstream, fetch, free_port, wait_for_port
from tests.proxy_harness import guardian_cli as guardian

pytestmark = pytest.mark.e2e

GAMBLING = ("<html><head><title>Nhà cái uy tín</title></head><body><h1>Cá độ bóng đá "
            "trực tuyến</h1><p>Nha cai so 1, tai xiu, no hu, casino truc tuyen, dat cuoc ngay "
            "hom nay, nạp tiền nhận thưởng</p></body></html>").encode()
HEALTH = ("<html><body><h1>Phòng chống ma túy trong trường học</h1><p>Giáo dục học sinh "
          "về tác hại của ma túy và cách nói không.</p></body></html>").encode()
LABELLED = (b'<html><head><meta content="RTA-5042-1996-1400-1577-RTA" name="RATING">'
            b"</head><body>welcome</body></html>")
HTML = "text/html; charset=utf-8"




def test_pages_over_the_threshold_are_blocked_for_the_child_they_harm(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    young, older = free_port(), free_port()
    guardian(data, "profile", "add", "Young", "--age", "9", "--port", str(young))
    guardian(data, "profile", "add", "Older", "--age", "17", "--port", str(older))
    guardian(data, "category", "allow", "Older", "gambling")
    with Upstream() as web:
        web.pages.update({"/bet": (HTML, GAMBLING), "/health": (HTML, HEALTH),
                          "/labelled": (HTML, LABELLED), "/plain.json": ("application/json",
                                                                        GAMBLING)})
        with GuardianProxy(data):
            wait_for_port(young)
            wait_for_port(older)
            site = f"http://localhost:{web.port}"
            bet = fetch(young, f"{site}/bet")
            assert bet.status == 403 and "cờ bạc" in bet.text.lower()
            assert fetch(older, f"{site}/bet").status == 200  # the parent allowed gambling
            assert fetch(young, f"{site}/health").status == 200  # prevention is not harm
            assert fetch(young, f"{site}/labelled").status == 403  # the publisher's label
            assert fetch(young, f"{site}/plain.json").status == 200  # not a page: not read
    rows = json.loads(guardian(data, "activity", "--json", "--profile", "Young"))
    bet_row = next(r for r in rows if r["path"] == "/bet")
    assert (bet_row["decision"], bet_row["reason"], bet_row["category"]) == (
        "block", "content", "gambling")
