"""One list's entries in canonical form, kept on disk between updates.

Each list source gets one such file, so compiling the index never re-reads
(or re-downloads) the raw lists, and a parent can read what a list holds.
Plain text, sorted, one entry a line: domains first, then URLs as
`host/path`. A canonical host never contains `/`, so no section markers
are needed.
"""

from __future__ import annotations

from pathlib import Path

from guardian.errors import ListError
from guardian.lists.atomic_file import atomic_output
from guardian.lists.parse import ParsedList


def write_source_file(parsed: ParsedList, path: Path) -> None:
    """Replace `path` atomically with the entries of `parsed`."""
    heading = (
        f"# Guardian list ({parsed.format}): {len(parsed.domains)} domains, "
        f"{len(parsed.urls)} URLs\n"
    )
    with atomic_output(path) as out:
        out.write(heading.encode())
        for entries in (parsed.domains, parsed.urls):
            if entries:
                out.write(("\n".join(sorted(entries)) + "\n").encode())


def read_source_file(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The (domains, urls) of a file `write_source_file` wrote."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ListError(f"The list file {path} cannot be read ({exc.strerror}).") from exc
    except UnicodeDecodeError as exc:
        raise ListError(f"The list file {path} is damaged; update the list again.") from exc
    domains: set[str] = set()
    urls: set[str] = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            (urls if "/" in line else domains).add(line)
    return frozenset(domains), frozenset(urls)
