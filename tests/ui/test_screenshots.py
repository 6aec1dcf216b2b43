"""Pictures of every page and dialog in both languages, for a person to look at.

The offscreen tour runs with the normal tests and saves into
tests/screenshots/app/tour/. The real-window tour (`python -m ui.screenshots`,
Xvfb and Qt's xcb plugin) is slow; without Xvfb it is skipped, except in CI.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.ui.conftest import SCREEN_SIZE, SCREENSHOTS
from ui.screenshot_tour import take_screenshots
from ui.screenshots import DEBIAN_PACKAGES, missing_libraries

REPO = Path(__file__).resolve().parents[2]
PAGES = ("overview", "children", "rules", "activity", "lists", "settings", "time", "requests",
         "weekly", "filters")
SECTIONS = (("children", "devices"), ("rules", "protection"), ("rules", "explain"),
            ("settings", "install"))
DIALOGS = ("login", "child-add", "child-edit", "list-import", "certificate")
WIZARD = ("welcome", "password", "children", "filter", "certificate")


def expected_names() -> set[str]:
    names = set()
    for language in ("vi", "en"):
        names |= {f"{language}-{n}-{page}.png" for n, page in enumerate(PAGES, start=1)}
        names |= {f"{language}-{PAGES.index(page) + 1}-{page}-{tab}.png"
                  for page, tab in SECTIONS}
        names |= {f"{language}-dialog-{dialog}.png" for dialog in DIALOGS}
        names |= {f"{language}-wizard-{n}-{step}.png" for n, step in enumerate(WIZARD, start=1)}
    return names


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def is_blank(path: Path) -> bool:
    image = QImage(str(path))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
               for y in range(0, image.height(), 29)}
    return len(colours) < 3


@pytest.mark.e2e
def test_offscreen_tour_of_every_page_and_dialog(qtbot) -> None:
    out = SCREENSHOTS / "tour"
    shutil.rmtree(out, ignore_errors=True)
    paths = take_screenshots(out)
    assert {p.name for p in paths} == expected_names()
    for path in paths:
        if "-dialog-" not in path.name and "-wizard-" not in path.name:
            assert png_size(path) == SCREEN_SIZE, path.name
        assert not is_blank(path), f"{path.name} is blank"


@pytest.mark.slow
def test_real_window_screenshots_under_xvfb(tmp_path: Path) -> None:
    problems = []
    if shutil.which("Xvfb") is None:
        problems.append("Xvfb")
    if shutil.which("ldd") and missing_libraries():
        problems.append(", ".join(missing_libraries()))
    if problems:
        message = (f"missing {'; '.join(problems)}: apt-get install "
                   + " ".join(DEBIAN_PACKAGES))
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run([sys.executable, "-m", "ui.screenshots", "--out", str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    saved = {p.name for p in tmp_path.glob("*.png")}
    assert saved == expected_names()
    for name in saved:
        if "-dialog-" not in name and "-wizard-" not in name:
            assert png_size(tmp_path / name) == SCREEN_SIZE, name
        assert not is_blank(tmp_path / name), f"{name} is blank"
    keep = SCREENSHOTS / "xvfb"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(tmp_path, keep)
