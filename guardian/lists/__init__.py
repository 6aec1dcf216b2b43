"""Category lists: reading public lists, keeping them per source, compiling the index.

The flow, each step its own module:

    fetch_list       http(s) -> raw file                      (fetch.py)
    parse_list       raw file or UT1 folder -> ParsedList     (parse.py, formats.py)
    write_source_file ParsedList -> normalized file per list  (source_file.py)
    compile_index    normalized files + categories -> index   (compile.py)

The index format itself belongs to `guardian.domain_index`, which the proxy
reads. Every file is replaced atomically (atomic_file.py), and any failure
raises ListError before the lists in use are touched.
"""

from __future__ import annotations

from guardian.lists.compile import IndexStats, compile_index
from guardian.lists.fetch import MAX_DOWNLOAD_BYTES, fetch_list
from guardian.lists.formats import FILE_FORMATS, FOLDER_FORMATS, detect_format
from guardian.lists.parse import BadLine, ParsedList, parse_list
from guardian.lists.source_file import read_source_file, write_source_file

__all__ = [
    "FILE_FORMATS",
    "FOLDER_FORMATS",
    "MAX_DOWNLOAD_BYTES",
    "BadLine",
    "IndexStats",
    "ParsedList",
    "compile_index",
    "detect_format",
    "fetch_list",
    "parse_list",
    "read_source_file",
    "write_source_file",
]
