"""A household with a realistic policy, and the millions of listed domains behind it.

The lists are invented but shaped like real ones: names of one to three
labels under a mix of generic and country domains, some with `www.` or
another subdomain, spread over nine categories roughly as public blacklists
are (adult by far the largest), with a few names in two lists. They are
imported the way a parent imports them (`guardian.list_import.import_list`,
one list per category), and the household gets one default profile with
its age preset plus allowed hours, budgets and rules, so every request goes
through the whole policy: rules, categories, hours, budgets, content
scanning and logging.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from guardian.cli import main as guardian_cli
from guardian.datadir import DataDir, resolve_data_dir
from guardian.list_import import import_list
from guardian.storage.database import open_database
from guardian.storage.models import ListSource

# (category, share of the names); the shares add up to 1.
CATEGORY_SHARES = (
    ("adult", 0.40), ("malware", 0.20), ("gambling", 0.12), ("fraud", 0.08),
    ("games", 0.07), ("social", 0.05), ("drugs", 0.03), ("violence", 0.03),
    ("chat_dating", 0.02),
)
TLDS = ("com", "com", "com", "net", "org", "info", "xyz", "vn", "com.vn", "ru", "de",
        "co.uk", "io", "top", "site", "online", "club", "fr", "com.br", "pl")
SUBDOMAINS = ("www", "m", "cdn", "img", "static", "ads", "api", "mail")
_SYLLABLES = tuple(
    c + v for c in "bcdfghklmnprstvxz" for v in ("a", "e", "i", "o", "u", "an", "en", "on", "ai")
)
# The blocked host the block-path benchmark asks for (in the adult list).
BLOCKED_HOST = "blocked-adult-site.example"
PROFILE = "Family"


def synthetic_domains(count: int, seed: int = 7) -> list[str]:
    """`count` distinct, plausible, canonical domain names."""
    rng = random.Random(seed)
    names: set[str] = set()
    syllables, tlds, subdomains = _SYLLABLES, TLDS, SUBDOMAINS
    while len(names) < count:
        label = "".join(rng.choices(syllables, k=rng.randint(2, 5)))
        if rng.random() < 0.3:
            label += str(rng.randint(1, 999))
        if rng.random() < 0.15:
            label += "-" + "".join(rng.choices(syllables, k=2))
        name = f"{label}.{rng.choice(tlds)}"
        if rng.random() < 0.2:
            name = f"{rng.choice(subdomains)}.{name}"
        names.add(name)
    shuffled = list(names)
    rng.shuffle(shuffled)
    return shuffled


def write_category_lists(domains: list[str], folder: Path) -> list[tuple[Path, str]]:
    """One plain domain list per category; about 1% of the names are in two lists."""
    folder.mkdir(parents=True, exist_ok=True)
    lists: list[tuple[Path, str]] = []
    start = 0
    for number, (category, share) in enumerate(CATEGORY_SHARES):
        end = len(domains) if number == len(CATEGORY_SHARES) - 1 else (
            start + int(len(domains) * share))
        chunk = domains[start:end]
        overlap = domains[end : end + len(chunk) // 100]  # shared with the next list
        if category == "adult":
            chunk = [*chunk, BLOCKED_HOST]
        path = folder / f"{category}.txt"
        path.write_text("\n".join([*chunk, *overlap]) + "\n")
        lists.append((path, category))
        start = end
    return lists


@dataclass(frozen=True)
class Household:
    data_dir: DataDir
    list_files: list[tuple[Path, str]]
    import_seconds: float  # parsing and compiling every list, as `guardian lists import`


def build_household(root: Path, domain_count: int) -> Household:
    """A data folder at `root` with the realistic policy and `domain_count` listed names."""
    data_dir = resolve_data_dir(root / "data").ensure()
    open_database(data_dir.database_url).close()
    domains = synthetic_domains(domain_count)
    lists = write_category_lists(domains, root / "raw-lists")
    del domains  # millions of strings: not kept while the rest is measured
    started = time.perf_counter()
    db = open_database(data_dir.database_url)
    try:
        # Smallest first: each import compiles the index again from every list so far.
        for path, category in sorted(lists, key=lambda item: item[0].stat().st_size):
            import_list(data_dir, db, str(path), category, "domains")
    finally:
        db.close()
    import_seconds = time.perf_counter() - started
    for args in _policy_commands():
        code = guardian_cli(["--data-dir", str(data_dir.root), *args])
        if code != 0:
            raise RuntimeError(f"guardian {' '.join(args)} failed with {code}")
    return Household(data_dir, lists, import_seconds)


def _policy_commands() -> list[list[str]]:
    """An eight-year-old's preset (core and social categories blocked, content
    threshold 60, safe search), the whole day allowed so the benchmark can run
    at any hour, generous budgets so it never runs out, and a few rules."""
    return [
        ["profile", "add", PROFILE, "--age", "8", "--language", "en", "--default"],
        ["time", "hours", PROFILE, "all", "00:00-24:00"],
        ["time", "budget", PROFILE, "1000"],
        ["time", "budget", PROFILE, "300", "--category", "games"],
        ["time", "budget", PROFILE, "120", "--site", "youtube.com"],
        ["rule", "add", PROFILE, "block", "ads.example.net"],
        ["rule", "add", PROFILE, "allow", "khanacademy.org"],
        ["rule", "add", PROFILE, "allow", "youtube.com/kids"],
    ]


def source_files(data_dir: DataDir) -> list[tuple[Path, str]]:
    """The stored (normalized) list files and their categories, as the compile reads them."""
    db = open_database(data_dir.database_url)
    try:
        with db.begin() as session:
            return [(data_dir.lists_dir / s.file_name, s.category_code)
                    for s in session.scalars(select(ListSource).order_by(ListSource.id))]
    finally:
        db.close()
