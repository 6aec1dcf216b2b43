"""The compiled category index: which categories each listed site is in.

The proxy asks this index about every request, and the lists behind it hold
millions of names, so a Python set is out of the question (2,000,000 names
take ~140 MB and 0.7 s to build). Instead the index is one file, written by
`IndexBuilder` when the lists are compiled (`guardian.lists.compile_index`)
and memory-mapped read-only here: opening it costs the same for ten names
or ten million, and processes that map the same file share its pages.

File layout (all integers little-endian):

    header   64 bytes   magic, version, flags, counts (`_HEADER`)
    masks    256 x u64  the distinct category masks; entry 255 is always 0
    slots    u64 each   the hash table, see below
    filter   u64 each   the "names below" bitmap, see below
    urls     UTF-8 JSON [[host, path prefix, mask], ...]

Each listed name has a 64-bit key (`name_key`): two CRC-32s, of the name
and of the name reversed. A slot holds the key's top 56 bits and, in its
low 8 bits, the index of the name's mask in `masks`. Slots are sorted by
key and each sits at or after its home `(key >> 32) * homes >> 32` (linear
probing in Robin Hood order), so a lookup starts at the home slot and stops
at the first slot not below the key. Empty slots hold all ones, which sorts
after every key; one such slot always ends the table, so the scan never
runs off the end.

The home and the filter bit below depend on the first CRC only, so a
lookup computes the second (and reverses the name for it) only when a slot
has the same first half: for a listed name, and for about one unlisted
name in N / 2**32 (one in 2,000 with N = 2,000,000). Most lookups are of
unlisted names, and this halves their hashing.

A name matches when its 56 bits equal a listed name's. For an unlisted name
the chance of that is at most N / 2**56: with N = 2,000,000 about 3e-11 per
name looked up, and a request looks up one to three names, so roughly one
wrongly classified request in ten billion. Two listed names that collide
(expected pairs N**2 / 2**57, about 3e-5) share each other's categories.

The filter is a one-hash Bloom filter over every parent domain (two labels
or more) of a listed name, its bit the low bits of the parent's first CRC.
Lookups walk a host's domains from the shortest (`example.com`) to the
host itself and stop as soon as the filter says no listed name lies below:
most hosts are then settled with a single probe, however many labels they
have. A false "maybe" (6-12 %, from 8-16 bits per parent) only costs one
more probe.
"""

from __future__ import annotations

import json
import mmap
import struct
import sys
from array import array
from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, NoReturn, Self
from zlib import crc32

from guardian.errors import ListError, StaleIndex
from guardian.hosts import domain_suffixes, is_ip

MAGIC = b"GRDNIDX\x00"
# Version 1 placed keys and filter bits by the whole key; its files are
# refused ("compile the lists again"), never read with version 2's layout.
FORMAT_VERSION = 2
# A fuller table is smaller but slower: a lookup reads on average about
# 2 slots past the home at 0.8 and 0.7 at 0.6, and each read is a round of
# the interpreter's loop. 0.6 costs ~13.5 bytes per name (27 MB for
# 2,000,000 names, pages shared between processes).
LOAD_FACTOR = 0.6
# magic, version, flags, home slots, table slots, filter words, domains,
# url section bytes; padded to 64 bytes so the tables are 8-byte aligned.
_HEADER = struct.Struct("<8sIIQQQQQ8x")
_MASK_SLOTS = 256
_MASKS_BYTES = _MASK_SLOTS * 8
_EMPTY = (1 << 64) - 1
_TAG_BITS = 8
_TAG_MASK = (1 << _TAG_BITS) - 1
_KEY_BITS = _EMPTY & ~_TAG_MASK
_FLAG_SINGLE_LABEL = 1  # some listed name is a single label (a TLD)
_FILTER_BITS_PER_PARENT = 8
# Hosts repeat a lot (a page loads dozens of resources from a few hosts);
# a hit in this cache (functools.lru_cache, all in C) costs ~0.05 us
# against ~2 us for a lookup.
_CACHE_SIZE = 4096


def name_key(name: str) -> int:
    """The stable 64-bit key of the canonical `name`.

    Python's `hash()` changes with every process, so keys come from CRC-32
    of the name and of the name reversed. Measured per name on the
    development machine: this pair 0.26 us, blake2b(digest_size=8) 0.50 us,
    sha1 0.57 us, md5 0.61 us; a lookup hashes one to three names. Each CRC
    is linear, so two names collide only when their difference lies in the
    kernel of both maps; reading the bytes in opposite orders makes those
    different maps, and CRC-32 never maps a short difference (a changed
    label, a counter) to zero. On 2,000,000 sequential, nested and random
    names every 40-bit slice of the key collided as often as a random
    function's (0-4 pairs against 1.4-1.8 expected).
    """
    data = name.encode()
    return crc32(data) << 32 | crc32(data[::-1])


class IndexBuilder:
    """Collects entries for an index file, keyed as the file keys them.

    Only keys and masks are kept, not names: compiling millions of names
    then needs a fraction of the memory a dict of names would.
    """

    def __init__(self) -> None:
        self._by_key: dict[int, int] = {}
        self._parents: set[int] = set()
        self._urls: dict[tuple[str, str], int] = {}
        self._flags = 0

    def __len__(self) -> int:
        """Distinct domain names added (names whose keys collide count once)."""
        return len(self._by_key)

    @property
    def url_count(self) -> int:
        """Distinct (host, path prefix) URL entries added."""
        return len(self._urls)

    def add_domain(self, name: str, mask: int) -> None:
        """Put the canonical `name` (and so everything below it) in the categories of `mask`."""
        if not mask:
            return
        key = name_key(name) & _KEY_BITS
        self._by_key[key] = self._by_key.get(key, 0) | mask
        if is_ip(name):
            return
        dot, last_dot = name.find("."), name.rfind(".")
        if dot < 0:
            self._flags |= _FLAG_SINGLE_LABEL
        while 0 <= dot < last_dot:  # parents of two labels or more
            self._parents.add(crc32(name[dot + 1 :].encode()))  # the key's first half
            dot = name.find(".", dot + 1)

    def add_url(self, host: str, path: str, mask: int) -> None:
        """Put URLs of canonical `host` (or below) whose normalized path starts with `path`."""
        if mask:
            self._urls[host, path] = self._urls.get((host, path), 0) | mask

    def write(self, out: BinaryIO) -> int:
        """Write the index file to `out`; returns the number of bytes written."""
        mask_values = sorted(set(self._by_key.values()))
        if len(mask_values) >= _MASK_SLOTS:
            raise ListError(
                f"The lists put names in {len(mask_values)} different combinations of "
                f"categories, more than the index can hold ({_MASK_SLOTS - 1})."
            )
        masks = array("Q", mask_values + [0] * (_MASK_SLOTS - len(mask_values)))
        slots, homes = _place(self._by_key, {mask: tag for tag, mask in enumerate(mask_values)})
        filter_bits = _filter_size(len(self._parents))
        words = array("Q", bytes(filter_bits // 8))
        for high in self._parents:
            bit = high & (filter_bits - 1)
            words[bit >> 6] |= 1 << (bit & 63)
        rows = sorted([host, path, mask] for (host, path), mask in self._urls.items())
        url_bytes = json.dumps(rows, separators=(",", ":")).encode() if rows else b""
        header = _HEADER.pack(
            MAGIC,
            FORMAT_VERSION,
            self._flags,
            homes,
            len(slots),
            len(words),
            len(self._by_key),
            len(url_bytes),
        )
        if sys.byteorder == "big":
            for table in (masks, slots, words):
                table.byteswap()
        for part in (header, masks, slots, words, url_bytes):
            out.write(part)
        return len(header) + _MASKS_BYTES + 8 * (len(slots) + len(words)) + len(url_bytes)


def _place(by_key: dict[int, int], tag_of: dict[int, int]) -> tuple[array[int], int]:
    """Lay the keys out in sorted order, each at or after its home slot.

    The table keeps at least `homes + 1` slots, so every home is inside it,
    and ends with an empty slot that stops every scan.
    """
    homes = max(1, int(len(by_key) / LOAD_FACTOR) + 1)
    slots = array("Q", [_EMPTY]) * (homes + 1)
    previous = -1
    for key in sorted(by_key):
        position = max(((key >> 32) * homes) >> 32, previous + 1)
        if position + 1 == len(slots):
            slots.append(_EMPTY)
        slots[position] = key | tag_of[by_key[key]]
        previous = position
    return slots, homes


def _filter_size(parents: int) -> int:
    """Bits in the parent filter: a power of two, so a parent's bit is `high & (size - 1)`.

    `high` is 32 bits, so a filter larger than 2**32 bits would use only
    its first 2**32; that takes 500 million parents.
    """
    bits = 64
    while bits < parents * _FILTER_BITS_PER_PARENT:
        bits *= 2
    return bits


class DomainIndex:
    """A read-only view of a compiled index file.

    Lookups read only the mapping: no I/O, no allocation beyond small ints,
    safe to share between threads. A newer file replaces this one with
    `os.replace`; an index already open keeps reading the old file.
    """

    EMPTY: DomainIndex
    # mask_of(host): the categories of the canonical `host`, the OR over the
    # host and its parents. `example.com` in a list covers `www.example.com`
    # but not `badexample.com`; an IP literal matches only itself (the same
    # walk as `domain_suffixes`).
    mask_of: Callable[[str], int]

    def __init__(self, buffer: mmap.mmap | bytes, source: str) -> None:
        """Check the layout of `buffer`, then read it in place.

        Everything is checked before any view of `buffer` exists, so a
        refused mmap can still be closed.
        """
        if len(buffer) < _HEADER.size + _MASKS_BYTES:
            _refuse(source, "it is too short to be an index")
        magic, version, flags, homes, table_slots, filter_words, domains, url_bytes = (
            _HEADER.unpack_from(buffer)
        )
        if magic != MAGIC:
            _refuse(source, "it is not a Guardian category index")
        if version != FORMAT_VERSION:
            raise StaleIndex(
                f"The category index {source} has format version {version}, not "
                f"{FORMAT_VERSION}; compile the lists again (the filter does so when it starts)."
            )
        masks_end = _HEADER.size + _MASKS_BYTES
        slots_end = masks_end + 8 * table_slots
        filter_end = slots_end + 8 * filter_words
        if (
            filter_end + url_bytes != len(buffer)
            or not 0 < homes < table_slots
            or not filter_words
            or filter_words & (filter_words - 1)
            or _u64_at(buffer, slots_end - 8) != _EMPTY
            or _u64_at(buffer, masks_end - 8) != 0
        ):
            _refuse(source, "it is truncated or damaged")
        self._urls = _load_urls(buffer[filter_end:], source)
        self._domains = domains
        self._mmap = buffer if isinstance(buffer, mmap.mmap) else None
        self._view = memoryview(buffer)
        self._slots = _u64_table(self._view[masks_end:slots_end])
        self._filter = _u64_table(self._view[slots_end:filter_end])
        self._cache: dict[str, int] = {}
        # The lookup itself, not a method that calls it: one call less on
        # every request.
        self.mask_of = _classifier(
            self._slots,
            homes,
            struct.unpack_from(f"<{_MASK_SLOTS}Q", buffer, _HEADER.size),
            self._filter,
            bool(flags & _FLAG_SINGLE_LABEL),
            self._cache,
        )

    @classmethod
    def open(cls, path: Path) -> DomainIndex:
        """Map the index at `path`; a missing file is an empty index."""
        try:
            with path.open("rb") as handle:
                buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except FileNotFoundError:
            return cls.EMPTY
        except ValueError:  # mmap refuses an empty file
            buffer = None
        except OSError as exc:
            raise ListError(
                f"The category index {path} cannot be read ({exc.strerror}); "
                "the filter keeps its previous lists."
            ) from exc
        if buffer is None:
            _refuse(str(path), "it is empty")
        try:
            return cls(buffer, str(path))
        except ListError:
            buffer.close()
            raise

    def __len__(self) -> int:
        """The number of distinct listed domain names."""
        return self._domains

    @property
    def url_count(self) -> int:
        """The number of (host, path prefix) URL entries."""
        return sum(len(rules) for rules in self._urls.values())

    def url_mask(self, host: str, path: str) -> int:
        """The categories of URL entries for `host` or a parent whose path prefixes `path`.

        `path` must already be normalized (`normalize_path`). The prefix is
        plain text: `/games` also covers `/games-news`, as in squidGuard.
        """
        if not self._urls:
            return 0
        mask = 0
        for domain in domain_suffixes(host):
            for prefix, prefix_mask in self._urls.get(domain, ()):
                if path.startswith(prefix):
                    mask |= prefix_mask
        return mask

    def close(self) -> None:
        """Unmap the file; lookups afterwards raise ValueError."""
        if self._mmap is None:
            return  # the in-memory EMPTY index is shared and stays usable
        self._cache.clear()
        for table in (self._slots, self._filter, self._view):
            if isinstance(table, memoryview):
                table.release()
        self._mmap.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _classifier(
    slots: Sequence[int],
    homes: int,
    masks: tuple[int, ...],
    words: Sequence[int],
    single_label: bool,
    cache: dict[str, int],
) -> Callable[[str], int]:
    """The lookup behind `DomainIndex.mask_of`, as a closure over the tables.

    The walk goes from the shortest parent to the host, the opposite of
    `domain_suffixes`, so that it can stop early (see the module notes).
    It runs for every request, where an attribute load or a call costs as
    much as reading a slot, so the tables are closure variables and
    `name_key` and the probe are written out in the loop. A slot is read
    by the key's first half and the second half is computed only when
    that matches (see the module notes).
    """
    filter_mask = len(words) * 64 - 1

    def probe(name: bytes) -> int:
        high = crc32(name)
        position = high * homes >> 32
        floor = high << 32
        slot = slots[position]
        while slot < floor:
            position += 1
            slot = slots[position]
        if slot >> 32 != high:
            return 0
        wanted = (floor | crc32(name[::-1])) & _KEY_BITS
        while slot < wanted:
            position += 1
            slot = slots[position]
        return masks[slot & _TAG_MASK] if slot - wanted <= _TAG_MASK else 0

    def classify(host: str) -> int:
        mask = cache.get(host)
        if mask is not None:
            return mask
        name = host.encode()
        labels = name.split(b".")
        label = len(labels) - 1
        if not label or (host[-1].isdigit() or ":" in host) and is_ip(host):
            # A single label, or an IP literal: only the host itself. The cheap
            # test comes first; a name may end in a digit and be no address.
            mask = probe(name)
        else:
            # Each suffix is `name[start:]`; the labels' lengths move `start`
            # without a search (bytes.rfind parses its arguments slowly).
            start = len(name) - len(labels[label])
            mask = probe(name[start:]) if single_label else 0
            while True:
                label -= 1
                start -= len(labels[label]) + 1
                suffix = name[start:]
                high = crc32(suffix)
                position = high * homes >> 32
                floor = high << 32
                slot = slots[position]
                while slot < floor:
                    position += 1
                    slot = slots[position]
                if slot >> 32 == high:  # the first half matches: compare the whole key
                    wanted = (floor | crc32(suffix[::-1])) & _KEY_BITS
                    while slot < wanted:
                        position += 1
                        slot = slots[position]
                    if slot - wanted <= _TAG_MASK:
                        mask |= masks[slot & _TAG_MASK]
                if not label:
                    break
                bit = high & filter_mask
                if not words[bit >> 6] >> (bit & 63) & 1:
                    break  # no listed name lies below this suffix
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[host] = mask
        return mask

    return classify


def _u64_at(buffer: mmap.mmap | bytes, offset: int) -> int:
    return int.from_bytes(buffer[offset : offset + 8], "little")


def _u64_table(view: memoryview) -> memoryview | array[int]:
    """`view` as unsigned 64-bit integers, read in place on little-endian machines."""
    if sys.byteorder == "little":
        return view.cast("Q")
    swapped = array("Q", view.tobytes())  # a copy, but big-endian desktops are rare
    swapped.byteswap()
    return swapped


def _load_urls(data: bytes, source: str) -> dict[str, tuple[tuple[str, int], ...]]:
    """URL entries grouped by host; there are few, so a dict is the right tool."""
    if not data:
        return {}
    grouped: dict[str, list[tuple[str, int]]] = {}
    try:
        for host, path, mask in json.loads(data):
            grouped.setdefault(host, []).append((path, int(mask)))
    except (ValueError, TypeError):
        _refuse(source, "its URL section is damaged")
    return {host: tuple(rules) for host, rules in grouped.items()}


def _refuse(source: str, why: str) -> NoReturn:
    raise ListError(
        f"The category index {source} cannot be used because {why}; compile the lists again."
    )


def _empty_index() -> DomainIndex:
    buffer = BytesIO()
    IndexBuilder().write(buffer)
    return DomainIndex(buffer.getvalue(), "(empty)")


DomainIndex.EMPTY = _empty_index()
