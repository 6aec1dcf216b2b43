"""Build Guardian as one folder that runs without Python: `python packaging/build.py`.

Needs the project's `package` extra (`pip install -e '.[package]'`, which brings
PyInstaller) and, on Linux, binutils (`objdump`, which PyInstaller reads libraries
with). The result is `dist/guardian/` with the `guardian` executable inside: the
parent app (`guardian app`), the filter (`guardian proxy`) and every other command.
Copy the whole folder (e.g. to /opt/guardian) and run `guardian install` from it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE / "guardian.spec"


def executable(dist: Path) -> Path:
    return dist / "guardian" / ("guardian.exe" if sys.platform.startswith("win") else "guardian")


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()
               and not path.is_symlink())


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; the built executable's path."""
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        check=True, cwd=HERE.parent,
    )
    return executable(dist)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=HERE.parent / "dist",
                        help="where the guardian folder goes (default ./dist)")
    parser.add_argument("--work", type=Path, default=HERE.parent / "build",
                        help="PyInstaller's working folder (default ./build)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    program = build(args.dist.resolve(), args.work.resolve())
    size = folder_size(program.parent)
    print(f"built {program} in {time.monotonic() - started:.0f} s; "
          f"folder {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
