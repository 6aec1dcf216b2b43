"""Malformed lists, catalogs and configuration: one clear error, and the last good state stays.

While a real proxy runs and blocks the household's gambling sites, every
kind of bad list is imported with `guardian lists import` (empty, binary,
only bad lines, a web page, a missing file, a folder that is not UT1, a
refused download, an unknown category, a list that turned bad since it was
last imported): each is refused with one line, `guardian: error: ...`, exit
status 1 and no traceback; the compiled index is byte for byte what it was
and the proxy still blocks. A damaged index file fails closed and recovers
with the next good import. Broken catalogs (the Code of Conduct, the safe
search data, phrase lists) are refused with an error naming the file, and
the shipped ones stay in use. Bad proxy options stop the command with one
line.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.conduct import load_catalog
from guardian.content_scan.phrases import load_phrase_file
from guardian.errors import CatalogError, ListError
from guardian.safe_search import load_safe_search
from tests.proxy_harness import REPO, GuardianProxy, Upstream, fetch, free_port, wait_until
from tests.reliability.household import CASINO, POKER, guardian_cli, make_household, read_only

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GuardianProxy]:
    root = tmp_path_factory.mktemp("bad-config")
    with GuardianProxy(make_household(root)) as proxy:
        yield proxy


def state(data_dir: Path) -> tuple[bytes, list[tuple]]:  # type: ignore[type-arg]
    index = (data_dir / "lists" / "categories.idx").read_bytes()
    with contextlib.closing(read_only(data_dir / "guardian.db")) as connection:
        sources = connection.execute(
            "SELECT location, category_code, file_name, domain_count FROM list_sources "
            "ORDER BY id").fetchall()
    return index, sources


def bad_lists(folder: Path, web: Upstream) -> dict[str, tuple[str, ...]]:
    """name -> the arguments after `lists import`."""
    empty = folder / "empty.txt"
    empty.write_text("")
    binary = folder / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    bad_lines = folder / "bad-lines.txt"
    bad_lines.write_text("not a domain!\n<<>>\nhttp://\n.....\n" + "a" * 300 + ".com\n")
    long_line = folder / "long-line.txt"
    long_line.write_text("x" * 2_000_000 + "\n")
    not_ut1 = folder / "not-ut1"
    not_ut1.mkdir(exist_ok=True)
    (not_ut1 / "readme.txt").write_text("casino.example\n")
    good = folder / "good.txt"
    good.write_text("other-casino.example\n")
    return {
        "an empty file": (str(empty), "--category", "gambling"),
        "binary garbage": (str(binary), "--category", "gambling"),
        "only bad lines": (str(bad_lines), "--category", "gambling"),
        "a two-megabyte line": (str(long_line), "--category", "gambling"),
        "a missing file": (str(folder / "missing.txt"), "--category", "gambling"),
        "a folder that is not UT1": (str(not_ut1), "--category", "gambling"),
        "a web page instead of a list": (f"http://127.0.0.1:{web.port}/list.txt",
                                         "--category", "gambling"),
        "a refused download": (f"http://127.0.0.1:{free_port()}/list.txt",
                               "--category", "gambling"),
        "an unknown category": (str(good), "--category", "casinos"),
        "an unknown format": (str(good), "--category", "gambling", "--format", "xml"),
    }


CASES = ["an empty file", "binary garbage", "only bad lines", "a two-megabyte line",
         "a missing file", "a folder that is not UT1", "a web page instead of a list",
         "a refused download", "an unknown category", "an unknown format"]


def assert_still_blocks(proxy: GuardianProxy) -> None:
    for host in (CASINO, POKER):
        assert fetch(proxy.port, f"http://{host}/").status == 403, host


@pytest.mark.parametrize("case", CASES)
def test_a_bad_list_is_refused_and_the_index_keeps_blocking(
    running: GuardianProxy, tmp_path: Path, case: str
) -> None:
    before = state(running.data_dir)
    with Upstream() as web:
        result = guardian_cli(running.data_dir, "lists", "import",
                              *bad_lists(tmp_path, web)[case])
    lines = [line for line in result.err.splitlines() if line.strip()]
    if result.code == 2:  # argparse: the usage, then "guardian lists import: error: ..."
        assert ": error: " in lines[-1]
    else:
        assert result.code == 1 and len(lines) == 1 and lines[0].startswith("guardian: error: ")
    assert "Traceback" not in result.err
    assert state(running.data_dir) == before
    time.sleep(1.2)  # one reload round of the proxy
    assert_still_blocks(running)


def test_a_list_that_turned_bad_keeps_its_last_good_version(running: GuardianProxy,
                                                            tmp_path: Path) -> None:
    changing = tmp_path / "changing.txt"
    changing.write_text("turned-bad.example\n")
    assert guardian_cli(running.data_dir, "lists", "import", str(changing),
                        "--category", "gambling").code == 0
    wait_until(lambda: fetch(running.port, "http://turned-bad.example/").status == 403,
               timeout=5)
    before = state(running.data_dir)
    changing.write_text("this is not a list any more\n")
    result = guardian_cli(running.data_dir, "lists", "import", str(changing),
                          "--category", "gambling")
    assert result.code == 1 and "previous lists are unchanged" in result.err
    assert state(running.data_dir) == before
    time.sleep(1.2)
    assert fetch(running.port, "http://turned-bad.example/").status == 403
    assert_still_blocks(running)


def test_a_damaged_index_fails_closed_and_recovers(tmp_path: Path) -> None:
    data_dir = make_household(tmp_path)
    index = data_dir / "lists" / "categories.idx"
    with Upstream() as web, GuardianProxy(data_dir) as proxy:
        assert fetch(proxy.port, f"http://127.0.0.1:{web.port}/").status == 200
        index.write_bytes(b"\x00garbage, not an index" * 100)
        wait_until(lambda: fetch(proxy.port, f"http://127.0.0.1:{web.port}/").status == 503,
                   timeout=5)
        assert fetch(proxy.port, f"http://{CASINO}/").status == 503
        good = tmp_path / "again.txt"
        good.write_text(f"{CASINO}\n")
        assert guardian_cli(data_dir, "lists", "import", str(good),
                            "--category", "gambling").code == 0
        wait_until(lambda: fetch(proxy.port, f"http://127.0.0.1:{web.port}/").status == 200,
                   timeout=5)
        assert fetch(proxy.port, f"http://{CASINO}/").status == 403
    assert "cannot be loaded" in proxy.log()


CATALOG_DAMAGE = {
    "not UTF-8": b"\xff\xfe\x00title = 'x'",
    "not TOML": b"[[rules]\nid = ",
    "empty": b"",
    "a rule without an id": b"[[rules]]\narticle = 'Art. 1'\n",
    "wrong types": b"rules = 3\nexcluded = 'no'\n",
}


@pytest.mark.parametrize("damage", list(CATALOG_DAMAGE))
def test_a_damaged_code_of_conduct_catalog_is_refused(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "catalog.toml"
    path.write_bytes(CATALOG_DAMAGE[damage])
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value).strip()
    assert load_catalog().rule("CHILD-7")  # the shipped catalog is untouched


@pytest.mark.parametrize("damage", ["not TOML", "empty", "wrong types"])
def test_damaged_safe_search_data_is_refused(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "safe_search.toml"
    path.write_bytes(CATALOG_DAMAGE[damage])
    with pytest.raises(CatalogError) as error:
        load_safe_search(path)
    assert str(path) in str(error.value)
    assert load_safe_search().engine_for("www.google.com") is not None


def test_a_phrase_list_of_nothing_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "phrases.txt"
    path.write_bytes(b"\x00\x01\x02\n<<<>>>\n")
    with pytest.raises(ListError) as error:
        load_phrase_file(path, "gambling")
    assert str(path) in str(error.value)


def proxy_command(data_dir: Path, *args: str,
                  timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "guardian", "--data-dir", str(data_dir),
                           "proxy", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("args", [
    ("--listen", "nonsense"),
    ("--listen", "127.0.0.1:99999"),
    ("--listen", "127.0.0.1:0x50"),
    ("--set", "no_such_option=1"),
    ("--set", "listen_port=abc"),
    ("--set", "rawtcp=maybe"),
    ("--set", "stream_large_bodies=lots"),
    ("--set", "not an assignment"),
])
def test_bad_proxy_options_stop_with_one_clear_line(tmp_path: Path,
                                                    args: tuple[str, ...]) -> None:
    result = proxy_command(make_household(tmp_path), "--listen", f"127.0.0.1:{free_port()}",
                           *args)
    assert result.returncode in (1, 2)
    assert result.stderr.strip().splitlines()[-1].startswith("guardian: error: ")
    assert "Traceback" not in result.stderr


def test_a_bad_upstream_proxy_stops_with_one_clear_line(tmp_path: Path) -> None:
    try:
        result = proxy_command(make_household(tmp_path), "--listen",
                               f"127.0.0.1:{free_port()}", "--upstream-proxy", "not-a-url",
                               timeout=6)
    except subprocess.TimeoutExpired:
        pytest.fail("the filter started with an unusable upstream proxy")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("guardian: error: ")
