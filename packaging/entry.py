"""The frozen program's entry point: one `guardian` executable with every subcommand.

The parent app starts the filter as `<python> -m guardian ... proxy`; frozen,
`<python>` is this executable, so a leading `-m guardian` is accepted and dropped.
"""

from __future__ import annotations

import sys

from guardian.cli import main


def frozen_argv(argv: list[str]) -> list[str]:
    return argv[2:] if argv[:2] == ["-m", "guardian"] else argv


if __name__ == "__main__":
    raise SystemExit(main(frozen_argv(sys.argv[1:])))
