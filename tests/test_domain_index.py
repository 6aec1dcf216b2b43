"""The compiled category index: merging, matching rules, file safety, size."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardian.categories import CATEGORY_BITS
from guardian.domain_index import DomainIndex
from guardian.errors import InvalidHost, ListError
from guardian.hosts import domain_suffixes, is_ip, normalize_host, normalize_path
from guardian.lists import compile_index, parse_list, write_source_file

ADULT = CATEGORY_BITS["adult"]
GAMBLING = CATEGORY_BITS["gambling"]
GAMES = CATEGORY_BITS["games"]


def source(tmp_path: Path, name: str, text: str) -> Path:
    """A per-source file made the way the app makes one: parse, then write."""
    raw = tmp_path / f"{name}.txt"
    raw.write_text(text, encoding="utf-8")
    path = tmp_path / f"{name}.list"
    write_source_file(parse_list(raw, "domains"), path)
    return path


def build(tmp_path: Path, *lists: tuple[str, str]) -> DomainIndex:
    """An open index of `lists`, each (category code, list text)."""
    sources = [(source(tmp_path, f"s{n}", text), code) for n, (code, text) in enumerate(lists)]
    out = tmp_path / "index.bin"
    compile_index(sources, out)
    return DomainIndex.open(out)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[DomainIndex]:
    with build(
        tmp_path,
        ("adult", "example.com\nshared.example\n198.51.100.7\n2001:db8::5\nvideo.example/adult\n"),
        ("gambling", "casino.example\nshared.example\nbets.sub.example.org\nexample.net/casino/\n"),
        ("games", "zip\nprinter.lan2\n"),
    ) as opened:
        yield opened


@pytest.mark.parametrize(
    ("host", "mask"),
    [
        ("example.com", ADULT),
        ("www.example.com", ADULT),
        ("a.b.c.example.com", ADULT),
        ("badexample.com", 0),
        ("example.com.evil.test", 0),
        ("com", 0),
        ("shared.example", ADULT | GAMBLING),
        ("cdn.shared.example", ADULT | GAMBLING),
        ("casino.example", GAMBLING),
        ("bets.sub.example.org", GAMBLING),
        ("x.bets.sub.example.org", GAMBLING),
        ("sub.example.org", 0),
        ("example.org", 0),
        ("198.51.100.7", ADULT),
        ("51.100.7", 0),
        ("198.51.100.8", 0),
        ("2001:db8::5", ADULT),
        ("2001:db8::6", 0),
        ("anything.zip", GAMES),
        ("zip", GAMES),
        ("video.example", 0),
        ("printer.lan2", GAMES),  # a name may end in a digit and be no address
        ("tray.printer.lan2", GAMES),
        ("lan2", 0),
    ],
)
def test_mask_of_matches_listed_names_and_their_subdomains(
    index: DomainIndex, host: str, mask: int
) -> None:
    assert index.mask_of(host) == mask
    assert index.mask_of(host) == mask  # the second answer comes from the cache


@pytest.mark.parametrize(
    ("host", "path", "mask"),
    [
        ("video.example", "/adult", ADULT),
        ("video.example", "/adult/clip?id=3", ADULT),
        ("www.video.example", "/Adult/clip", ADULT),
        ("video.example", "/kids", 0),
        ("video.example", "/", 0),
        ("example.net", "/casino/poker", GAMBLING),
        ("example.net", "/casino", 0),
        ("other.example", "/adult", 0),
    ],
)
def test_url_mask_matches_path_prefixes_of_the_host_and_parents(
    index: DomainIndex, host: str, path: str, mask: int
) -> None:
    assert index.url_mask(host, normalize_path(path)) == mask


def test_counts(index: DomainIndex) -> None:
    assert len(index) == 8  # shared.example is in two lists but counted once
    assert index.url_count == 2


def test_a_missing_file_is_the_empty_index(tmp_path: Path) -> None:
    index = DomainIndex.open(tmp_path / "never-compiled.bin")

    assert index is DomainIndex.EMPTY
    assert len(index) == 0
    assert index.mask_of("example.com") == 0
    assert index.url_mask("example.com", "/x") == 0
    index.close()
    assert DomainIndex.EMPTY.mask_of("example.com") == 0  # closing EMPTY harms no one


def _truncated(data: bytes) -> bytes:
    return data[:-9]


def _wrong_magic(data: bytes) -> bytes:
    return b"NOTMAGIC" + data[8:]


def _future_version(data: bytes) -> bytes:
    return data[:8] + (99).to_bytes(4, "little") + data[12:]


def _no_end_marker(data: bytes) -> bytes:
    # Zero the last slot of the table, the one every scan stops on.
    header = 64 + 256 * 8
    table_slots = int.from_bytes(data[24:32], "little")
    end = header + 8 * table_slots
    return data[: end - 8] + bytes(8) + data[end:]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_truncated, "truncated or damaged"),
        (_wrong_magic, "not a Guardian category index"),
        (_future_version, "format version 99"),
        (_no_end_marker, "truncated or damaged"),
        (lambda data: b"", "empty"),
        (lambda data: data[:40], "too short"),
    ],
)
def test_a_damaged_file_raises_list_error(tmp_path: Path, damage: object, message: str) -> None:
    good = tmp_path / "good.bin"
    compile_index([(source(tmp_path, "a", "example.com\n"), "adult")], good)
    bad = tmp_path / "bad.bin"
    bad.write_bytes(damage(good.read_bytes()))  # type: ignore[operator]

    with pytest.raises(ListError, match=message) as caught:
        DomainIndex.open(bad)
    assert "compile the lists again" in str(caught.value)


def test_unknown_category_code_is_refused_and_index_kept(tmp_path: Path) -> None:
    out = tmp_path / "index.bin"
    compile_index([(source(tmp_path, "a", "example.com\n"), "adult")], out)
    before = out.read_bytes()

    with pytest.raises(ListError, match="'poker' .* is not a Guardian category"):
        compile_index([(source(tmp_path, "b", "casino.example\n"), "poker")], out)
    assert out.read_bytes() == before


def test_an_open_index_keeps_answering_after_a_recompile(tmp_path: Path) -> None:
    out = tmp_path / "index.bin"
    compile_index([(source(tmp_path, "old", "old.example\n"), "adult")], out)
    old = DomainIndex.open(out)

    stats = compile_index([(source(tmp_path, "new", "new.example\n"), "games")], out)
    new = DomainIndex.open(out)

    assert (old.mask_of("www.old.example"), old.mask_of("new.example")) == (ADULT, 0)
    assert (new.mask_of("www.old.example"), new.mask_of("new.example")) == (0, GAMES)
    assert (stats.sources, stats.domains, stats.file_bytes) == (1, 1, out.stat().st_size)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    old.close()
    new.close()


def test_compiling_no_sources_gives_an_index_that_matches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "index.bin"
    stats = compile_index([], out)

    with DomainIndex.open(out) as index:
        assert (stats.domains, len(index), index.mask_of("example.com")) == (0, 0, 0)


LABEL = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12)


def _is_domain_name(name: str) -> bool:
    """True if `name` is a canonical domain name, not an address or an invalid host.

    A name whose last label reads as a number ("12", "0x1f", even "0x") is an
    IPv4 address in WHATWG's spelling, or no valid host at all; addresses are
    tested above.
    """
    try:
        return normalize_host(name) == name and not is_ip(name)
    except InvalidHost:
        return False


NAME = st.lists(LABEL, min_size=2, max_size=4).map(".".join).filter(_is_domain_name)


@settings(max_examples=25, deadline=None)
@given(
    listed=st.sets(NAME, min_size=1, max_size=40),
    others=st.sets(NAME, max_size=40),
    prefix=LABEL,
)
def test_every_listed_name_and_subdomain_is_found_and_nothing_else(
    tmp_path_factory: pytest.TempPathFactory, listed: set[str], others: set[str], prefix: str
) -> None:
    tmp_path = tmp_path_factory.mktemp("prop")
    with build(tmp_path, ("adult", "\n".join(sorted(listed)))) as index:
        for name in listed:
            assert index.mask_of(name) == ADULT
            assert index.mask_of(f"{prefix}.{name}") == ADULT
        for name in others:
            covered = any(parent in listed for parent in domain_suffixes(name))
            assert index.mask_of(name) == (ADULT if covered else 0)


def test_file_size_is_about_fourteen_bytes_per_domain(tmp_path: Path) -> None:
    rng = random.Random(20)
    names = {
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 14)))
        + rng.choice([".com", ".net", ".org", ".vn", ".com.vn"])
        for _ in range(200_000)
    }
    names |= {f"www.{name}" for name in rng.sample(sorted(names), 20_000)}
    out = tmp_path / "index.bin"

    stats = compile_index([(source(tmp_path, "big", "\n".join(names)), "adult")], out)

    per_domain = out.stat().st_size / stats.domains
    assert 12 <= per_domain <= 16  # 8 / LOAD_FACTOR for the table, ~1 for the filter
    with DomainIndex.open(out) as index:
        assert len(index) == len(names)
        sample = rng.sample(sorted(names), 1000)
        assert all(index.mask_of(f"m.{name}") == ADULT for name in sample)


def test_only_an_index_from_another_version_is_compiled_again(cli, data_dir, db,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    from guardian.errors import StaleIndex
    from guardian.list_import import rebuild_stale_index

    assert rebuild_stale_index(db, data_dir) is None  # no lists yet: nothing to do
    listed = tmp_path / "gambling.txt"
    listed.write_text("casino.example\nbet.example\n")
    assert cli("lists", "import", str(listed), "--category", "gambling").code == 0
    index = data_dir.index_path
    current = index.read_bytes()
    assert rebuild_stale_index(db, data_dir) is None
    assert index.read_bytes() == current  # a current index is left as it is

    index.write_bytes(current[:8] + (1).to_bytes(4, "little") + current[12:])
    with pytest.raises(StaleIndex, match="format version 1"):
        DomainIndex.open(index)
    stats = rebuild_stale_index(db, data_dir)
    assert stats is not None and stats.domains == 2
    with DomainIndex.open(index) as rebuilt:
        assert rebuilt.mask_of("www.casino.example") == CATEGORY_BITS["gambling"]
