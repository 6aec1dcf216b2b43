"""Turning a downloaded list into canonical domains and URLs, and saying what was skipped.

Public lists are messy: comments in three syntaxes, Windows line ends, a
stray latin-1 byte, rules Guardian cannot enforce. None of that is fatal.
A line that should name a site but does not is a *bad line*: counted, with a
few examples kept for the report, so a parent can see a list went wrong
without one typo costing the other million entries. Only a list that yields
nothing at all is refused, before anything already in use is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from guardian.errors import InvalidHost, ListError
from guardian.lists.formats import (
    FILE_FORMATS,
    FOLDER_FORMATS,
    LINE_READERS,
    LineReader,
    detect_format,
    read_domain_line,
)

MAX_BAD_EXAMPLES = 5
_EXAMPLE_LENGTH = 80
# Undecodable bytes become U+FFFD when read; such a line cannot name a site.
_REPLACEMENT = "\ufffd"


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line that should have named a site, as shown in the report."""

    file: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class ParsedList:
    """What a list holds once every entry is in canonical form."""

    domains: frozenset[str]
    urls: frozenset[str]  # "host/path", path normalized
    format: str
    total_lines: int
    bad_lines: int
    bad_examples: tuple[BadLine, ...]
    unsupported_lines: int


@dataclass
class _Tally:
    domains: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    total: int = 0
    bad: int = 0
    examples: list[BadLine] = field(default_factory=list)
    unsupported: int = 0

    def read(self, lines: TextIO, file: str, reader: LineReader) -> None:
        for number, line in enumerate(lines, 1):
            self.total += 1
            try:
                targets = reader(line)
            except InvalidHost:
                self._bad(file, number, line)
                continue
            if targets is None:
                self.unsupported += 1
            elif targets and _REPLACEMENT in line:
                self._bad(file, number, line)
            else:
                for host, path in targets:
                    if path is None:
                        self.domains.add(host)
                    else:
                        self.urls.add(host + path)

    def _bad(self, file: str, number: int, line: str) -> None:
        self.bad += 1
        if len(self.examples) < MAX_BAD_EXAMPLES:
            text = line.strip()
            if len(text) > _EXAMPLE_LENGTH:
                text = text[: _EXAMPLE_LENGTH - 3] + "..."
            self.examples.append(BadLine(file, number, text))

    def result(self, fmt: str) -> ParsedList:
        return ParsedList(
            domains=frozenset(self.domains),
            urls=frozenset(self.urls),
            format=fmt,
            total_lines=self.total,
            bad_lines=self.bad,
            bad_examples=tuple(self.examples),
            unsupported_lines=self.unsupported,
        )


def parse_list(path: Path, fmt: str = "auto") -> ParsedList:
    """Read the list at `path` in format `fmt` (`auto`, `domains`, `hosts`, `abp`, `ut1`).

    Raises ListError if the path cannot be read, the format is unknown, or
    the list yields no domain and no URL.
    """
    if fmt not in ("auto", *FILE_FORMATS, *FOLDER_FORMATS):
        known = ", ".join(("auto", *FILE_FORMATS, *FOLDER_FORMATS))
        raise ListError(f"{fmt!r} is not a list format Guardian reads (it reads {known}).")
    if not path.exists():
        raise ListError(f"The list {path} does not exist; the previous lists are unchanged.")
    tally = _Tally()
    try:
        if path.is_dir():
            if fmt not in ("auto", "ut1"):
                raise ListError(f"{path} is a folder, and only the ut1 format is a folder.")
            fmt = "ut1"
            _read_ut1_folder(path, tally)
        else:
            if fmt == "ut1":
                raise ListError(f"{path} is a file, but a ut1 list is a category folder.")
            if fmt == "auto":
                with _open_text(path) as lines:
                    fmt = detect_format(lines)
            with _open_text(path) as lines:
                tally.read(lines, path.name, LINE_READERS[fmt])
    except OSError as exc:
        raise ListError(
            f"The list {path} cannot be read ({exc.strerror}); the previous lists are unchanged."
        ) from exc
    if not tally.domains and not tally.urls:
        raise ListError(
            f"The list {path} holds no usable domain or URL ({tally.total} lines read as "
            f"{fmt}, {tally.bad} bad, {tally.unsupported} unsupported), so the previous "
            "lists are unchanged."
        )
    return tally.result(fmt)


def _read_ut1_folder(folder: Path, tally: _Tally) -> None:
    """A UT1 category folder: `domains`, and optionally `urls` of `host/path` lines."""
    files = [folder / name for name in ("domains", "urls") if (folder / name).is_file()]
    if not files:
        raise ListError(
            f"{folder} has neither a domains nor a urls file, so it is not a UT1 category folder."
        )
    for file in files:
        with _open_text(file) as lines:
            # A domain line reader also takes `host/path`, so both files read alike.
            tally.read(lines, file.name, read_domain_line)


def _open_text(path: Path) -> TextIO:
    """Open `path` as text whatever it holds: BOM dropped, any line end, bad bytes replaced."""
    return path.open(encoding="utf-8-sig", errors="replace", newline=None)
