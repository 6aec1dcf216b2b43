"""Find a child's own details in what their browser sends, before it leaves.

Vietnam's 2025 Code of Conduct asks children to be careful sharing personal
information (CHILD-8), and Decree 56/2017 Art. 33 lists what is private about
a child: name, age, phone number, address, school and class, ID numbers. The
parent records these once (`ChildDetails`); the proxy compiles them when the
policy loads (`compile_details`), takes the text of each outgoing request
(`extract_outgoing_text`) and asks `DetailMatcher.find` which kinds of detail
it carries, so that the filter can show a warning page first. Only the kinds
are reported, because the result is logged; `redact` removes the details
themselves from anything else that is logged (search terms).

What counts as a match (all of it on a folded form, see below):

- full name: all its words, in order, as whole words, with only separators
  between them ("Nguyễn Văn An" matches "nguyen van an", "NGUYEN  VAN AN",
  "Nguyễn-Văn-An"; not "Nguyễn Văn Anh", not "Văn An", not
  "nguyenvanan"). A one-word name is not searched: "An" or "Minh" alone is
  an everyday word.
- phone: the recorded number is reduced to its national significant number
  (NSN: no +84, 84 or 0 in front, 8 to 10 digits). In the request, a number
  is a run of digit groups with at most three separator characters between
  groups (spaces, dots, dashes, parentheses, "+", any punctuation). It
  matches when whole consecutive groups spell 0+NSN, 84+NSN, 840+NSN or
  0084+NSN, or the NSN alone makes up the whole run (a JSON number loses its
  0). So "0912 345 678", "+84 912-345-678" and "(+84) 912.345.678" match;
  "1 0912345678" does too (the 1 is its own group), but a phone inside a
  longer group ("4111091234567800") or after another country code
  ("+1 912 345 678") does not.
- ID number (CCCD, 12 digits; CMND, 9): the same group rule, the exact
  digits with any separators. A recorded value with letters (a passport
  number) is not searched.
- address: the recorded address is split at commas, semicolons and line
  breaks; its first segment, cut before an administrative word that follows
  the street name ("phường", "quận", "xã", "huyện", "thị xã", "thị trấn",
  "thành phố", "tỉnh", "TP", "P.", "Q.", "ward", "district", "city") and
  without a leading label ("số", "số nhà", "nhà", "địa chỉ", "No."), is the
  street line.
  * With a house number (leading words with a digit: 12, 12A, 12/3, K12)
    it matches as house number + street name: "12 Nguyễn Trãi, Phường 2,
    Quận 5, TP.HCM" matches "12 nguyen trai", "số 12 đường Nguyễn Trãi" and
    "12 Nguyễn Trãi Street". A street word ("đường", "phố", "Đ.") between
    number and name is optional on both sides, and an English suffix
    ("Street", "St", "Road"...) at the end of the record is left out.
  * Without a house number it needs more words, because a street or hamlet
    name alone is shared by thousands of households and famous streets carry
    famous names: the street line alone when it has at least three words and
    one of them has a digit ("Ngõ 5 Láng Hạ"), otherwise the street line
    followed by the next segment ("Thôn Đông, Xã Tân Lập" matches "thon dong
    xa tan lap", not "thôn Đông").
  * A street name alone ("Nguyễn Trãi"), ward, district or city never
    matches; an address made only of administrative units is not searched.
- school: the school's own name, without the class and without school words
  ("Trường THCS Lê Quý Đôn, lớp 7A2" → "lê quý đôn"), and only right after a
  school word ("trường", "THCS", "THPT", "TH", "tiểu học", "trung học cơ
  sở", "chuyên", "cấp 2", "school", the recorded class...) or right before
  "school" ("Le Quy Don High School"). Schools are named after the same
  national figures as streets, so "le quy don" alone (a street, a
  biography) is not flagged. The level is not compared: "THPT Lê Quý Đôn"
  matches a child at "THCS Lê Quý Đôn". The class ("7A2") is not searched
  at all: too short, and every school has one.

Folding, and why it is built this way: matching must ignore case, accents and
tone marks and accept NFC and NFD input, on every request, so it may only use
operations that run in C over the whole text. After `str.isascii()` (free),
ASCII text needs one `bytes.translate`; other text is encoded with a charmap
(one byte per character) that gives every accented Vietnamese letter, upper
and lower case, its own byte, and one more `bytes.translate` turns those into
their base letter and everything that is not a letter or digit into a space.
`str.lower()` or `str.translate` with a dict would each cost more than the
charmap. Each character stays one byte, so a match's offsets are offsets in the
text, which `redact` needs. Combining marks and zero-width characters flag
the rare text that needs NFC first. Letters outside Vietnamese and a few
Western European ones (ø, ß, other scripts) become separators.

Each rule is then one regular-expression scan that starts with a literal
(" nguyen", " 12"), which sre finds without trying every position; numbers
are first looked for in the text's digits alone. A 100 KB body costs a few
linear passes: a few hundred microseconds, most of it the charmap for
Vietnamese text.
"""

from __future__ import annotations

import binascii
import codecs
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _codecs import _EncodingMap

KINDS = ("full_name", "phone", "address", "school", "id_number")
REDACTED = "[…]"
DEFAULT_LIMIT = 256 * 1024


@dataclass(frozen=True)
class ChildDetails:
    """What a parent records about a child; blank fields are not searched.

    Kept out of `repr` so that a logged object never spells the details.
    """

    full_name: str = field(default="", repr=False)
    phone: str = field(default="", repr=False)
    address: str = field(default="", repr=False)
    school: str = field(default="", repr=False)
    id_number: str = field(default="", repr=False)


# --- folding ----------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền sắc ngã hỏi nặng
_VOWEL_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn
_INVISIBLE = "\u00ad\u200b\u200c\u200d\ufeff"
_CLEANUP = 0x01  # a folded byte that means "normalise this text first"


def _letters() -> dict[str, str]:
    """Every non-ASCII letter the fold knows, upper and lower case, with its base.

    All of Vietnamese's, and the few Western European ones that fit in the
    charmap beside them (names like "Zoë", "François", "Muñoz").
    """
    vietnamese = [
        unicodedata.normalize("NFC", base + tone)
        for base in "aăâeêioôơuưy"
        for tone in ("", *_TONE_MARKS)
    ]
    letters = {c: unicodedata.normalize("NFD", c)[0] for c in vietnamese + list("äëöüçñ")}
    letters = {char: base for char, base in letters.items() if not char.isascii()}
    letters["đ"] = "d"
    letters.update({char.upper(): base for char, base in list(letters.items())})
    return letters


def _fold_tables() -> tuple[_EncodingMap, bytes, bytes]:
    letters = _letters()
    specials = _TONE_MARKS + _VOWEL_MARKS + _INVISIBLE
    # Byte 0 must decode to U+0000 for charmap_build to make its fast C map.
    slots = [*range(0x80, 0x100), *range(0x01, 0x20), 0x7F]
    chars = [*letters, *specials]
    if len(chars) > len(slots):  # pragma: no cover - a table edit gone wrong
        raise RuntimeError("the folding charmap holds at most 160 non-ASCII characters")
    decoding = [chr(i) if i == 0 or 0x20 <= i < 0x7F else "\ufffe" for i in range(256)]
    ascii_fold = bytearray(b" " * 256)
    for i in range(128):
        if chr(i).isalnum():
            ascii_fold[i] = ord(chr(i).lower())
    mapped_fold = bytearray(b" " * 256)
    mapped_fold[0x20:0x7F] = ascii_fold[0x20:0x7F]
    for slot, char in zip(slots, chars, strict=False):
        decoding[slot] = char
        mapped_fold[slot] = ord(letters[char]) if char in letters else _CLEANUP
    encoding = codecs.charmap_build("".join(decoding))
    if isinstance(encoding, dict):  # pragma: no cover - would be 50x slower
        raise RuntimeError("the folding charmap is not a C encoding map")
    return encoding, bytes(ascii_fold), bytes(mapped_fold)


_ENCODING, _ASCII_FOLD, _MAPPED_FOLD = _fold_tables()
_DROP_MARKS = str.maketrans(dict.fromkeys(_TONE_MARKS + _VOWEL_MARKS + _INVISIBLE))


@dataclass(frozen=True, slots=True)
class _Folded:
    """`data` is `text` folded, one byte per character, with a space at each end."""

    text: str
    data: bytes


def _fold(text: str) -> _Folded:
    if text.isascii():
        return _Folded(text, b"".join((b" ", text.encode("ascii").translate(_ASCII_FOLD), b" ")))
    data = codecs.charmap_encode(text, "replace", _ENCODING)[0].translate(_MAPPED_FOLD)
    if _CLEANUP in data:
        # NFD input, or a zero-width character inside a word: compose, then
        # drop what composition left; offsets now refer to this new text.
        text = unicodedata.normalize("NFC", text).translate(_DROP_MARKS)
        data = codecs.charmap_encode(text, "replace", _ENCODING)[0].translate(_MAPPED_FOLD)
    return _Folded(text, b"".join((b" ", data, b" ")))


def _words(text: str) -> list[bytes]:
    return _fold(text).data.split()


# --- rules --------------------------------------------------------------------

_Span = tuple[int, int]
_NOT_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)
# A digit group continues a run when at most three separators lie between.
_RUN_BEFORE = re.compile(rb"[0-9] {0,3}\Z")
_RUN_AFTER = re.compile(rb" {0,3}[0-9]")


@dataclass(frozen=True)
class _PhraseRule:
    """Whole words in order, any separators between; for a school, a school word too.

    `pattern` starts with the first word: sre scans for its literal prefix
    much faster than for a leading space (every word has one), so the space
    before the match is checked here.
    """

    kind: str
    pattern: re.Pattern[bytes]
    before: re.Pattern[bytes] | None = None
    after: re.Pattern[bytes] | None = None

    def spans(self, folded: _Folded, digits: bytes) -> Iterator[_Span]:
        data = folded.data
        match = self.pattern.search(data)
        while match is not None:
            start, end = match.span()
            if data[start - 1] == 0x20 and self._in_context(data, start, end):
                yield start - 1, end - 1
                match = self.pattern.search(data, end)
            else:
                match = self.pattern.search(data, start + 1)

    def _in_context(self, data: bytes, start: int, end: int) -> bool:
        if self.before is None or self.after is None:
            return True
        preceded = self.before.search(data, max(0, start - 40), start)
        return preceded is not None or self.after.match(data, end) is not None


@dataclass(frozen=True)
class _NumberRule:
    """Whole digit groups spelling the number, with up to three separators between digits.

    `pattern` is the number itself (for the phone, its NSN), ending at a
    group end; its first digit is a literal sre scans for. What stands
    before it is checked here: a `prefix` (0, 84...) starting a group, or
    else, for the phone, nothing in the same run, so that the NSN after
    another country code ("+1 912 345 678") does not count; for the ID
    number, a group start.
    """

    kind: str
    digits: bytes
    pattern: re.Pattern[bytes]
    prefix: re.Pattern[bytes] | None = None

    def spans(self, folded: _Folded, digits: bytes) -> Iterator[_Span]:
        if self.digits not in digits:
            return  # the cheap test: every spelling has these digits in a row
        data = folded.data
        match = self.pattern.search(data)
        while match is not None:
            start, end = match.span()
            first = self._first_group(data, start, end)
            if first is not None:
                yield first - 1, end - 1
                match = self.pattern.search(data, end)
            else:
                match = self.pattern.search(data, start + 1)

    def _first_group(self, data: bytes, start: int, end: int) -> int | None:
        """Where the match's first digit group starts, or None if it starts inside one."""
        if self.prefix is None:
            return None if 0x30 <= data[start - 1] <= 0x39 else start
        prefix = self.prefix.search(data, max(0, start - 24), start)
        if prefix is not None:
            return prefix.start()
        in_run = _RUN_BEFORE.search(data, max(0, start - 4), start) or _RUN_AFTER.match(data, end)
        return None if in_run else start


_Rule = _PhraseRule | _NumberRule


def _phrase(words: list[bytes]) -> bytes:
    return rb" +".join(re.escape(w) for w in words)


def _phrase_pattern(inner: bytes) -> re.Pattern[bytes]:
    return re.compile(inner + rb"(?= )")  # the folded text ends with a space


def _name_rules(full_name: str) -> list[_Rule]:
    words = _words(full_name)
    if len(words) < 2:
        return []
    return [_PhraseRule("full_name", _phrase_pattern(_phrase(words)))]


def _national_number(raw: str) -> bytes:
    digits = re.sub(r"[^0-9]", "", raw).encode("ascii")
    if digits.startswith(b"0084"):
        digits = digits[4:]
    elif digits.startswith(b"84") and len(digits) >= 11:
        digits = digits[2:]
    return digits.removeprefix(b"0")


def _spaced(digits: bytes) -> bytes:
    return rb" {0,3}".join(digits[i : i + 1] for i in range(len(digits)))


def _number_pattern(number: bytes) -> re.Pattern[bytes]:
    return re.compile(_spaced(number) + rb"(?![0-9])")


# What may stand before a phone's NSN, starting a group and ending where it starts.
_PHONE_PREFIX = re.compile(
    rb"(?<![0-9])(?:0 {0,3}0 {0,3}8 {0,3}4(?: {0,3}0)?|8 {0,3}4(?: {0,3}0)?|0) {0,3}\Z"
)


def _phone_rules(phone: str) -> list[_Rule]:
    nsn = _national_number(phone)
    if not 8 <= len(nsn) <= 10:
        return []
    return [_NumberRule("phone", nsn, _number_pattern(nsn), _PHONE_PREFIX)]


def _id_rules(id_number: str) -> list[_Rule]:
    digits = re.sub(r"[\s.\-]", "", id_number)
    if not re.fullmatch(r"[0-9]{9,12}", digits):
        return []
    number = digits.encode("ascii")
    return [_NumberRule("id_number", number, _number_pattern(number))]


_SEGMENTS = re.compile(r"[,;\n]+")
_ADDRESS_LABELS = frozenset({b"so", b"nha", b"dia", b"chi", b"address", b"no"})
_ADMIN_WORDS = frozenset(
    {b"phuong", b"quan", b"xa", b"huyen", b"tinh", b"tp", b"tx", b"tt", b"p", b"q"}
    | {b"ward", b"district", b"city", b"province"}
)
_ADMIN_PAIRS = frozenset({(b"thi", b"xa"), (b"thi", b"tran"), (b"thanh", b"pho")})
_STREET_WORDS = frozenset({b"duong", b"pho", b"d"})
_STREET_SUFFIXES = frozenset(
    {b"street", b"st", b"road", b"rd", b"avenue", b"ave", b"lane", b"ln", b"drive", b"dr"}
)


def _is_admin(words: list[bytes], index: int) -> bool:
    return words[index] in _ADMIN_WORDS or tuple(words[index : index + 2]) in _ADMIN_PAIRS


def _has_digit(word: bytes) -> bool:
    return any(0x30 <= b <= 0x39 for b in word)


def _address_rules(address: str) -> list[_Rule]:
    segments = [words for s in _SEGMENTS.split(address) if (words := _words(s))]
    if not segments:
        return []
    line = segments[0]
    while line and line[0] in _ADDRESS_LABELS:
        line = line[1:]
    if not line or _is_admin(line, 0):
        return []
    number = 0
    while number < len(line) and _has_digit(line[number]):
        number += 1
    if number == len(line) and len(segments) > 1:  # "Số 5, ngõ 10, phố Huế"
        line, segments = line + segments[1], segments[1:]
    cut = next((i for i in range(number + 1, len(line)) if _is_admin(line, i)), len(line))
    line = line[:cut]
    if number:
        numbers, name = line[:number], line[number:]
        if name and name[0] in _STREET_WORDS and len(name) > 1:
            name = name[1:]
        if len(name) > 1 and name[-1] in _STREET_SUFFIXES:
            name = name[:-1]
        if not name:
            return []
        street = rb"(?:(?:duong|pho|d) +)?"
        inner = _phrase(numbers) + rb" +" + street + _phrase(name)
    elif len(line) >= 3 and any(_has_digit(w) for w in line):
        inner = _phrase(line)
    elif len(segments) > 1 and len(line) + len(segments[1]) >= 3:
        inner = _phrase(line + segments[1])
    else:
        return []
    return [_PhraseRule("address", _phrase_pattern(inner))]


_SCHOOL_WORDS = (
    b"truong|thcs|thpt|th|ptcs|ptth|pt|chuyen|school|hs|tieu +hoc|mam +non|mau +giao"
    b"|trung +hoc(?: +co +so| +pho +thong)?|pho +thong|lien +cap|cap +[123]"
)
# Longest first, so that "trung hoc co so" goes before "trung hoc".
_SCHOOL_PREFIXES = sorted(
    (
        words.split()
        for words in (
            b"truong|thcs|thpt|th|ptcs|ptth|pt|chuyen|school|the|tieu hoc|trung hoc co so"
            b"|trung hoc pho thong|trung hoc|pho thong|mam non|mau giao|lien cap"
        ).split(b"|")
    ),
    key=len,
    reverse=True,
)
_SCHOOL_SUFFIXES = frozenset(
    {b"school", b"high", b"primary", b"secondary", b"elementary", b"middle", b"junior"}
    | {b"senior", b"international", b"academy"}
)
_SCHOOL_AFTER = re.compile(
    rb" +(?:(?:high|primary|secondary|elementary|middle|junior|senior|international) +)*"
    rb"(?:school|academy)(?= )"
)
_CLASS_WORDS = frozenset({b"lop", b"class", b"grade"})
_CLASS = re.compile(rb"[0-9]{1,2}[a-z]{1,2}[0-9]{0,2}")


def _without_class(words: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """The words without the class ("lớp 7A2", "7A2", "lớp 7/2"), and the class words."""
    kept: list[bytes] = []
    classes: list[bytes] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in _CLASS_WORDS:
            index += 1
            while index < len(words) and _has_digit(words[index]):
                classes.append(words[index])
                index += 1
        else:
            (classes if _CLASS.fullmatch(word) else kept).append(word)
            index += 1
    return kept, classes


def _school_name(words: list[bytes]) -> list[bytes]:
    stripped = True
    while stripped:
        stripped = False
        for prefix in _SCHOOL_PREFIXES:
            if words[: len(prefix)] == prefix:
                words = words[len(prefix) :]
                stripped = True
                break
    while words and words[-1] in _SCHOOL_SUFFIXES:
        words = words[:-1]
    return words


def _school_rules(school: str) -> list[_Rule]:
    classes: list[bytes] = []
    name: list[bytes] = []
    for segment in _SEGMENTS.split(school):
        kept, found = _without_class(_words(segment))
        classes += found
        if not name:
            name = _school_name(kept)
    if not name:
        return []
    words = _SCHOOL_WORDS + b"".join(b"|" + re.escape(c) for c in classes)
    # From a space, so that sre only tries the window's word starts.
    before = re.compile(rb" (?:" + words + rb") +\Z")
    return [_PhraseRule("school", _phrase_pattern(_phrase(name)), before, _SCHOOL_AFTER)]


# --- the matcher --------------------------------------------------------------


@dataclass(frozen=True)
class DetailMatcher:
    """One child's details, compiled; `kinds` says which of them can be found.

    A recorded detail too short or too common to search on its own (a
    one-word name, a class, an address of only a ward and district) is left
    out of `kinds`, so that the parent's screen can say so. The rules are
    kept out of `repr`: they spell the child's details, and matchers end up
    in logs.
    """

    kinds: tuple[str, ...]
    rules: tuple[_Rule, ...] = field(repr=False)

    def find(self, text: str) -> tuple[str, ...]:
        """The kinds of detail in `text`, in the order of `KINDS`; never the values."""
        folded = _fold(text)
        digits = self._digits(folded)
        found = {
            rule.kind for rule in self.rules if next(rule.spans(folded, digits), None) is not None
        }
        return tuple(kind for kind in KINDS if kind in found)

    def _spans(self, text: str) -> tuple[str, list[_Span]]:
        """The text the offsets refer to (`text`, or its NFC form) and every detail's span."""
        folded = _fold(text)
        digits = self._digits(folded)
        spans = [span for rule in self.rules for span in rule.spans(folded, digits)]
        return folded.text, sorted(spans)

    def _digits(self, folded: _Folded) -> bytes:
        if any(isinstance(rule, _NumberRule) for rule in self.rules):
            return folded.data.translate(None, _NOT_DIGITS)
        return b""


def compile_details(details: ChildDetails) -> DetailMatcher | None:
    """Precompute the search for `details` once; None when nothing is recorded.

    Called when the policy loads; `DetailMatcher.find` then runs on every
    request and does no work that depends only on the details.
    """
    values = (details.full_name, details.phone, details.address, details.school, details.id_number)
    if not any(value.strip() for value in values):
        return None
    rules: list[_Rule] = [
        *_name_rules(details.full_name),
        *_phone_rules(details.phone),
        *_address_rules(details.address),
        *_school_rules(details.school),
        *_id_rules(details.id_number),
    ]
    kinds = tuple(kind for kind in KINDS if any(rule.kind == kind for rule in rules))
    return DetailMatcher(kinds, tuple(rules))


def redact(text: str, matcher: DetailMatcher | None) -> str:
    """`text` with every detail `matcher` finds replaced by "[…]", for the log.

    When `text` was not in NFC (or hid zero-width characters) and a detail was
    found, the rest comes back in NFC: offsets are only known in that form.
    """
    if matcher is None or not text:
        return text
    reference, spans = matcher._spans(text)
    if not spans:
        return text
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        if end <= position:
            continue
        if start >= position:
            pieces.append(reference[position:start])
            pieces.append(REDACTED)
        position = end
    pieces.append(reference[position:])
    return "".join(pieces)


# --- what a request sends -------------------------------------------------------

# A quoted string runs to its closing quote or to the end, so that a broken one
# costs one pass instead of a pass from each quote inside it.
_QUOTED = r'"(?:[^"\\]++|\\.?)*+(?:"|\Z)'
_PARAMETER = re.compile(r";\s*([^\s=;]+)\s*=\s*(" + _QUOTED + r"|[^;]*)", re.DOTALL)
_FORM_SEPARATORS = bytes.maketrans(b"+&", b" \n")
_JSON_STRING = re.compile(r'"((?:[^"\\]++|\\.?)*+)(?:"|\Z)', re.DOTALL)
_JSON_MAX_DEPTH = 64
_JSON_MAX_VALUES = 20_000
_MAX_PARTS = 1000


def extract_outgoing_text(
    content_type: str, body: bytes, query: str, limit: int = DEFAULT_LIMIT
) -> str:
    """The text of a request that a child's details could be in, one piece a line.

    Reads the query string and, by content type, url-encoded forms, the text
    fields and file names of multipart forms (file contents only when the
    file is text or JSON), every string and integer of a JSON body, and plain
    text; other bodies are not read. Only the first `limit` bytes of the
    body are looked at, and malformed input (broken multipart, invalid JSON,
    a wrong or unknown charset) gives what can be read, never an exception:
    this runs in the proxy on every request.
    """
    pieces: list[str] = []
    if query:
        data = query.removeprefix("?").encode("utf-8", "replace")[: max(limit, 0)]
        pieces.append(_decode_form(data, "utf-8"))
    body = body[: max(limit, 0)]
    if body:
        mime, parameters = _parse_header(content_type)
        charset = parameters.get("charset", "")
        pieces += _body_texts(mime, parameters, body, charset)
    return "\n".join(piece for piece in pieces if piece)


def _body_texts(mime: str, parameters: dict[str, str], body: bytes, charset: str) -> list[str]:
    if mime == "application/x-www-form-urlencoded":
        return [_decode_form(body, charset)]
    if mime == "multipart/form-data":
        return list(_multipart_texts(body, parameters.get("boundary", ""), charset))
    if _is_json(mime):
        return list(_json_texts(body, charset))
    if mime == "text/plain":
        return [_decode(body, charset)]
    return []


def _is_json(mime: str) -> bool:
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def _parse_header(value: str) -> tuple[str, dict[str, str]]:
    """A Content-Type or Content-Disposition value: its first word and its parameters."""
    parameters: dict[str, str] = {}
    for match in _PARAMETER.finditer(value):
        raw = match.group(2).strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        parameters.setdefault(match.group(1).lower(), raw)
    return value.partition(";")[0].strip().lower(), parameters


def _decode(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset or "utf-8", "replace")
    except Exception:  # the sender names the codec, and a codec may fail its own way
        return data.decode("utf-8", "replace")


def _decode_form(data: bytes, charset: str) -> str:
    """A query string or form body, percent-decoded, "+" as a space, one field a line."""
    return _decode(_percent_decode(data.translate(_FORM_SEPARATORS)), charset)


def _percent_decode(data: bytes) -> bytes:
    """Decode "%XX" escapes; others ("%zz", a "%" at the end) are kept.

    `binascii.a2b_qp` decodes quoted-printable "=XX" escapes in C, so "=" is
    escaped and "%" becomes "="; urllib's unquote loops in Python per escape,
    a millisecond for a 100 KB Vietnamese form.
    """
    if b"%" not in data:
        return data
    return binascii.a2b_qp(data.replace(b"=", b"=3D").replace(b"%", b"="))


def _multipart_texts(body: bytes, boundary: str, charset: str) -> Iterator[str]:
    if boundary:
        delimiter = b"--" + boundary.encode("utf-8", "replace")
    else:  # no boundary parameter: the body's first line is the delimiter
        delimiter = body.lstrip(b"\r\n").split(b"\n", 1)[0].rstrip(b"\r")
        if not delimiter.startswith(b"--") or len(delimiter) < 3:
            return
    for part in body.split(delimiter)[1 : _MAX_PARTS + 1]:
        if part.startswith(b"--"):
            return
        yield from _part_texts(part, charset)


def _part_texts(part: bytes, charset: str) -> Iterator[str]:
    part = part.removeprefix(b"\r\n").removeprefix(b"\n")
    head, separator, content = part.partition(b"\r\n\r\n")
    if not separator:
        head, separator, content = part.partition(b"\n\n")
    content = content.removesuffix(b"\n").removesuffix(b"\r")
    headers: dict[str, str] = {}
    for line in head.splitlines():
        name, colon, value = line.partition(b":")
        if colon:
            key = name.strip().lower().decode("latin-1")
            headers[key] = value.strip().decode("utf-8", "replace")
    _, disposition = _parse_header(headers.get("content-disposition", ""))
    mime, parameters = _parse_header(headers.get("content-type", ""))
    part_charset = parameters.get("charset", charset)
    filename = _filename(disposition)
    if filename is not None:
        yield filename
    elif not mime:
        yield _decode(content, part_charset)
        return
    if _is_json(mime):
        yield from _json_texts(content, part_charset)
    elif mime.startswith("text/"):
        yield _decode(content, part_charset)


def _filename(disposition: dict[str, str]) -> str | None:
    extended = disposition.get("filename*")
    if extended is not None:  # RFC 5987: charset'language'percent-encoded
        charset, _, rest = extended.partition("'")
        encoded = rest.partition("'")[2]
        return _decode(_percent_decode(encoded.encode("utf-8", "replace")), charset)
    return disposition.get("filename")


def _json_texts(data: bytes, charset: str) -> Iterator[str]:
    text = _decode(data, charset).removeprefix("\ufeff")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        yield from _json_string_literals(text)
        return
    count = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack and count < _JSON_MAX_VALUES:
        item, depth = stack.pop()
        if isinstance(item, str):
            count += 1
            yield item
        elif isinstance(item, int) and not isinstance(item, bool):
            count += 1
            yield str(item)  # a phone number sent as a number
        elif isinstance(item, dict | list) and depth < _JSON_MAX_DEPTH:
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in reversed(list(children)))


def _json_string_literals(text: str) -> Iterator[str]:
    """The strings of a JSON text that does not parse (cut at `limit`, or broken)."""
    for count, match in enumerate(_JSON_STRING.finditer(text)):
        if count >= _JSON_MAX_VALUES:
            return
        try:
            yield json.loads('"' + match.group(1) + '"')
        except ValueError:
            yield match.group(1)
