"""Downloading a list from an http(s) address to a local file.

The download lands in a temporary file and replaces `dest` only when it is
complete, so an interrupted or refused download leaves the last good copy.
"""

from __future__ import annotations

from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from guardian import __version__
from guardian.errors import ListError
from guardian.lists.atomic_file import atomic_output

# The largest public lists (UT1's adult category, full hosts collections)
# are well under 200 MB; anything bigger is a wrong address or an attack.
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 16


def fetch_list(
    url: str, dest: Path, timeout: float = 30, *, max_bytes: int = MAX_DOWNLOAD_BYTES
) -> Path:
    """Download `url` to `dest` and return `dest`; raise ListError on any failure."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ListError(f"{url!r} is not an http or https address, so no list was downloaded.")
    request = Request(url, headers={"User-Agent": f"Guardian/{__version__}"})
    try:
        with urlopen(request, timeout=timeout) as response, atomic_output(dest) as out:
            _check_announced_size(response.headers.get("Content-Length"), url, max_bytes)
            received = 0
            while chunk := response.read(_CHUNK):
                received += len(chunk)
                if received > max_bytes:
                    raise _too_big(url, max_bytes)
                out.write(chunk)
    except HTTPError as exc:
        exc.close()
        raise ListError(
            f"Downloading {url} failed: the server answered {exc.code} {exc.reason}."
        ) from exc
    except URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timed_out(url, timeout) from exc
        raise ListError(f"Downloading {url} failed: {exc.reason}.") from exc
    except TimeoutError as exc:
        raise _timed_out(url, timeout) from exc
    except OSError as exc:
        raise ListError(f"Downloading {url} failed: {exc.strerror or exc}.") from exc
    return dest


def _check_announced_size(length: str | None, url: str, max_bytes: int) -> None:
    if length is not None and length.isdigit() and int(length) > max_bytes:
        raise _too_big(url, max_bytes)


def _too_big(url: str, max_bytes: int) -> ListError:
    return ListError(f"Downloading {url} stopped: the list is larger than {max_bytes:,} bytes.")


def _timed_out(url: str, timeout: float) -> ListError:
    return ListError(f"Downloading {url} failed: no answer within {timeout:g} seconds.")
