"""A sample household for the app's screenshots: three children, rules, a list, a week of log.

An also has personal details recorded and a phone joined by WireGuard.

Made with the same storage functions the app and the CLI use, in a data
folder of the caller's choosing (a temporary one), never the parent's own.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from guardian.datadir import DataDir
from guardian.device_setup import add_device_with_config
from guardian.list_import import import_list
from guardian.protection import Details, save_details
from guardian.storage.database import Database
from guardian.storage.models import RequestLog
from guardian.storage.parent_account import set_parent_password
from guardian.storage.profiles import add_profile, add_rule, set_category
from guardian.storage.settings import APP_LANGUAGE, set_setting

DEMO_PASSWORD = "demo household password"
SITES = (
    ("vnexpress.net", "allow", "allowed", None), ("olm.vn", "allow", "allowed", None),
    ("hocmai.vn", "allow", "allowed", None), ("www.youtube.com", "allow", "allowed", None),
    ("vi.wikipedia.org", "allow", "allowed", None), ("zingmp3.vn", "allow", "allowed", None),
    ("casino-online.example", "block", "category", "gambling"),
    ("www.facebook.com", "block", "category", "social"),
    ("game-online.example", "block", "block_rule", None),
    ("chat-stranger.example", "block", "category", "chat_dating"),
)
PATHS = ("/", "/bai-hoc/toan-lop-4", "/watch", "/wiki/Hà_Nội", "/search", "/tin-tuc/the-thao")


def create_demo_household(data_dir: DataDir, db: Database, *, language: str = "vi",
                          log_rows: int = 3000, seed: int = 7) -> None:
    """Fill an empty data folder with the sample household."""
    with db.begin() as session:
        set_parent_password(session, DEMO_PASSWORD)
        set_setting(session, APP_LANGUAGE, language)
        an = add_profile(session, "An", 9, "vi", port=8081)
        binh = add_profile(session, "Bình", 15, "en", client="192.168.1.23")
        family = add_profile(session, "Gia đình", 12, "vi", default=True)
        add_rule(session, an, "block", "game-online.example")
        add_rule(session, an, "allow", "youtube.com/kids")
        add_rule(session, binh, "allow", "olm.vn")
        set_category(session, binh, "games", True)
        ids = (an.id, binh.id, family.id)
        an_id = an.id
    listing = data_dir.root / "demo-gambling.txt"
    listing.write_text("# sample list\ncasino-online.example\npoker.example\nnot a domain!\n",
                       encoding="utf-8")
    import_list(data_dir, db, str(listing), "gambling")
    with db.begin() as session:
        save_details(session, an_id, Details(full_name="Nguyễn Văn An", phone="0912 345 678",
                                             school="THCS Ba Đình, lớp 4A"))
    add_device_with_config(db, data_dir, "An", "An phone", endpoint="192.168.1.10")
    _log(db, ids, log_rows, random.Random(seed))


def _log(db: Database, ids: tuple[int, ...], count: int, rng: random.Random) -> None:
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        host, decision, reason, category = rng.choice(SITES)
        rows.append({
            "time": now - timedelta(seconds=rng.randint(0, 7 * 24 * 3600)) if n >= 40
            else now - timedelta(minutes=n * 3),
            "profile_id": rng.choice(ids), "host": host, "path": rng.choice(PATHS),
            "method": "GET", "status": 403 if decision == "block" else 200,
            "decision": decision, "reason": reason, "category": category,
            "bytes": 0 if decision == "block" else rng.randint(2_000, 900_000),
        })
    with db.begin() as session:
        session.execute(insert(RequestLog), rows)

