"""`python -m ui.screenshots --out DIR`: a PNG of every page, in both languages, from a real window.

Starts Xvfb (a virtual X screen, 1366×768), checks that Qt's xcb platform
plugin finds the libraries it needs, and runs the screenshot tour in a child
process with `QT_QPA_PLATFORM=xcb`, so the pictures are what a parent's X
server would show (fonts, styles, window sizes), with the demo household in a
temporary data folder.

On Debian the command needs these packages (CI installs them):
    xvfb libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
    libxcb-sync1 libxcb-shm0 libxcb-render0 libxcb1 libx11-xcb1 libx11-6
    libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0
    libdbus-1-3 fonts-dejavu-core
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

SCREEN = "1366x768x24"
# Debian packages for the libraries the xcb plugin loads, by soname prefix.
XCB_PACKAGES = {
    "libxcb-cursor.so": "libxcb-cursor0", "libxcb-icccm.so": "libxcb-icccm4",
    "libxcb-keysyms.so": "libxcb-keysyms1", "libxcb-image.so": "libxcb-image0",
    "libxcb-render-util.so": "libxcb-render-util0", "libxcb-randr.so": "libxcb-randr0",
    "libxcb-shape.so": "libxcb-shape0", "libxcb-xfixes.so": "libxcb-xfixes0",
    "libxcb-xkb.so": "libxcb-xkb1", "libxcb-sync.so": "libxcb-sync1",
    "libxcb-shm.so": "libxcb-shm0", "libxcb-render.so": "libxcb-render0",
    "libxcb.so": "libxcb1", "libX11-xcb.so": "libx11-xcb1", "libX11.so": "libx11-6",
    "libxkbcommon-x11.so": "libxkbcommon-x11-0", "libxkbcommon.so": "libxkbcommon0",
    "libEGL.so": "libegl1", "libGL.so": "libgl1",
    "libfontconfig.so": "libfontconfig1", "libfreetype.so": "libfreetype6",
    "libglib-2.0.so": "libglib2.0-0", "libdbus-1.so": "libdbus-1-3",
}
DEBIAN_PACKAGES = ("xvfb", *dict.fromkeys(XCB_PACKAGES.values()), "fonts-dejavu-core")


class ScreenshotError(Exception):
    pass


def qt_plugin_libraries() -> list[Path]:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    return [qt / "plugins" / "platforms" / "libqxcb.so", *sorted((qt / "lib").glob(
        "libQt6XcbQpa.so*"))]


def missing_libraries() -> list[str]:
    """The shared libraries the xcb plugin needs and the dynamic loader cannot find."""
    missing: set[str] = set()
    for library in qt_plugin_libraries():
        if not library.exists():
            raise ScreenshotError(f"PySide6 has no {library.name}: reinstall PySide6")
        result = subprocess.run(["ldd", str(library)], capture_output=True, text=True,
                                check=False)
        missing |= {line.split()[0] for line in result.stdout.splitlines()
                    if "not found" in line}
    return sorted(missing)


def package_for(soname: str) -> str:
    for prefix, package in XCB_PACKAGES.items():
        if soname.startswith(prefix):
            return package
    return f"(the package that provides {soname})"


def check_environment() -> None:
    problems = []
    if shutil.which("Xvfb") is None:
        problems.append("Xvfb is not installed (Debian package xvfb)")
    if sys.platform.startswith("linux") and shutil.which("ldd"):
        for soname in missing_libraries():
            problems.append(f"{soname} is missing (Debian package {package_for(soname)})")
    if problems:
        raise ScreenshotError(
            "cannot take screenshots:\n  " + "\n  ".join(problems)
            + "\ninstall with: apt-get install " + " ".join(DEBIAN_PACKAGES))


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """A fresh Xvfb on a free display number; (process, DISPLAY)."""
    read, write = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp",
         "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    if not number:
        process.kill()
        error = process.communicate(timeout=5)[1].decode(errors="replace").strip()
        raise ScreenshotError(f"Xvfb did not start: {error or 'no display number'}")
    return process, f":{number}"


def render(out: Path) -> int:
    """In the child process: the tour on the X display named by DISPLAY."""
    from PySide6.QtWidgets import QApplication

    from ui.screenshot_tour import grab_window, take_screenshots

    app = QApplication([sys.argv[0], "-platform", "xcb"])
    app.setApplicationName("Guardian")
    paths = take_screenshots(out, grab_window)
    for path in paths:
        print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path, help="folder for the PNG files")
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.render:
        return render(args.out)
    try:
        check_environment()
        xvfb, display = start_xvfb()
    except ScreenshotError as exc:
        print(f"ui.screenshots: {exc}", file=sys.stderr)
        return 2
    try:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        command = [sys.executable, "-m", "ui.screenshots", "--render", "--out", str(args.out)]
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        xvfb.terminate()
        xvfb.wait(10)


if __name__ == "__main__":
    raise SystemExit(main())
