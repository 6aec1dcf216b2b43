"""Accent-insensitive matching forms of Vietnamese and English text.

Children type Vietnamese with or without accents ("cờ bạc" / "co bac"), pages
arrive in NFC, NFD (windows-1258 decodes to NFD) or as HTML entities, and
upper case is everywhere. Phrases are therefore matched on a *folded* form:
lower case, tone marks and vowel marks removed, đ → d (`fold`).

Folding alone would make different Vietnamese words collide: "từ từ"
(slowly) and "tự tử" (suicide) both fold to "tu tu", "có bác" (uncle) and
"cờ bạc" (gambling) to "co bac". So a page keeps a second, *marked* form
beside the folded one, byte for byte, which the matcher reads when a phrase
written with accents is found in folded form on a page that uses accents
(see `guardian.content_scan.phrases`).

Speed is the reason for the byte-level design: `str.translate` with a dict
and `\\w` regular expressions cost 30-100 ns per character of Vietnamese,
several milliseconds per page. Instead, after NFC and `str.lower` (C, and
free when the text is already NFC), one charmap *encoding* (C) turns every
character into one byte:

- ASCII stays ASCII;
- each accented Latin letter the scanner knows (all of Vietnamese's, and the
  common Western and Central European ones: 128 minus the few below) becomes
  its own byte from 0x80 up, its *code*;
- no-break space becomes a space; soft hyphen and zero-width characters,
  which only ever split a word to hide it, disappear;
- anything else (punctuation beyond ASCII, other scripts, letters with no
  ASCII base such as ø, ß, ł) becomes "?", a separator.

One `bytes.translate` then makes the marked form (codes kept, punctuation to
spaces) and another the folded form (each code to its base letter). Both
keep every byte in place, so a phrase found at some offset of the folded
form is at the same offset of the marked form.

The consequence: a matcher word is a run of ASCII letters and digits after
folding. Letters outside the table separate words and cannot be matched;
the shipped lists are Vietnamese and English, for which this loses nothing.
Fullwidth and other compatibility forms are not mapped (NFKC would cost a
millisecond on every Vietnamese page).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền sắc ngã hỏi nặng
_VIETNAMESE_BASES = "aăâeêioôơuưy"
_OTHER_LETTERS = (
    "äåçëîïñöûüÿ"  # Latin-1 letters Vietnamese does not use
    "āąćčďēėęěğīįķĺļľńņňōőŕřśşšţťūůűųźżž"  # Central European, Baltic, Turkish
    "ǎǐǒǔ"  # pinyin
)
_SPACES = "\u00a0"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _letters() -> list[str]:
    vietnamese = [
        unicodedata.normalize("NFC", base + tone)
        for base in _VIETNAMESE_BASES
        for tone in ("",) + _TONES
    ]
    letters = [c for c in vietnamese if not c.isascii()] + ["đ"]
    letters += [c for c in _OTHER_LETTERS if c not in letters]
    return letters


_LETTERS = _letters()
_SPECIAL = _SPACES + _INVISIBLE
if len(_LETTERS) + len(_SPECIAL) > 128:  # pragma: no cover - a table edit gone wrong
    raise RuntimeError("the folding table holds at most 128 non-ASCII characters")
_CODES = {char: 0x80 + i for i, char in enumerate(_LETTERS + list(_SPECIAL))}
_ENCODING = codecs.charmap_build(
    "".join(chr(i) for i in range(128))
    + "".join(_LETTERS + list(_SPECIAL))
    + "\ufffe" * (128 - len(_LETTERS) - len(_SPECIAL))
)


def _base(char: str) -> str:
    if char == "đ":
        return "d"
    return unicodedata.normalize("NFD", char)[0]


def _without_tone(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))


def _tables() -> tuple[bytes, bytes, bytes, bytes]:
    marked = bytearray(b" " * 256)
    for byte in range(128):
        if chr(byte).isalnum():
            marked[byte] = ord(chr(byte).lower())
    folded = bytearray(range(256))
    detoned = bytearray(range(256))
    tone = bytearray(256)
    for char, code in _CODES.items():
        if char in _SPACES:
            continue  # already a space in `marked`
        marked[code] = code
        if char in _INVISIBLE:
            continue  # deleted, see _DELETE
        folded[code] = ord(_base(char))
        plain = _without_tone(char)
        detoned[code] = _CODES.get(plain, ord(plain[0]))
        marks = unicodedata.normalize("NFD", char)
        tone[code] = next((1 + _TONES.index(c) for c in marks if c in _TONES), 0)
    return bytes(marked), bytes(folded), bytes(detoned), bytes(tone)


_MARKED_TABLE, _FOLDED_TABLE, _DETONED_TABLE, _TONE_TABLE = _tables()
_DELETE = bytes(_CODES[c] for c in _INVISIBLE)
_CODE_BYTES = bytes(range(0x80, 0x100))
# A text with more than one accented letter in this many bytes (judged on its
# beginning) is taken for Vietnamese and gets its marked form at once; an
# English page with a "café" only builds it if an accented phrase asks.
_EAGER_BELOW = 200
_SAMPLE_BYTES = 8192
_TONELESS = bytes(b for b in range(256) if _TONE_TABLE[b] == 0)
_NOT_LETTER_LEADS = bytes(b for b in range(256) if not (0xC3 <= b <= 0xC9 or b in (0xCC, 0xCD)))
_EXTENDED_ADDITIONAL = re.compile(rb"\xe1[\xb8-\xbb]")  # U+1E00-U+1EFF, most of Vietnamese
_INVISIBLE_UTF8 = tuple(c.encode("utf-8") for c in _INVISIBLE)
_UTF8_TABLE = _MARKED_TABLE[:128] + b" " * 128  # UTF-8 without letters: non-ASCII separates


def fold(text: str) -> str:
    """`text` in lower case without accents: "Cờ Bạc Trực Tuyến" → "co bac truc tuyen".

    Works on NFC and NFD input alike. Punctuation and letters with no
    accent-free base (ø, ß, non-Latin scripts) are kept as they are; the
    scanner treats those as word separators (see the module docstring).
    """
    if text.isascii():
        return text.lower()
    raw = unicodedata.normalize("NFKD", text).encode("utf-8", "surrogatepass")
    if b"\xc4" in raw:
        raw = raw.replace(b"\xc4\x91", b"d").replace(b"\xc4\x90", b"d")
    # Combining marks are U+0300-U+036F, lead byte 0xCC or 0xCD in UTF-8.
    # Dropping the lead leaves the second byte orphaned, and the decoder's
    # "ignore" drops that: both steps in C.
    raw = raw.translate(None, b"\xcc\xcd")
    return raw.decode("utf-8", "ignore").lower()


class PreparedText:
    """A text's words in matching form, built once per page.

    `folded` holds the folded words joined by single spaces, with one space
    at each end, so that `b" co bac " in folded` means the whole words "co
    bac" are in the text. `words` are the folded words, all of them or only
    the distinct ones (callers only test membership).

    `marked()` is `folded` with each accented letter as its code, byte-aligned
    with it, and `distinct_marked()` the set of its words. Both are None when
    the text has no accented letter; on a page with only a few they are built
    when a phrase first asks for them.
    """

    __slots__ = ("_folded", "words", "_marked_raw", "_marked", "_distinct")

    def __init__(
        self,
        folded: bytes | None,
        words: list[bytes],
        *,
        marked_raw: bytes | None = None,
        marked: bytes | None = None,
        distinct: set[bytes] | None = None,
    ) -> None:
        # None: `words` are all the words in order, joined only if a phrase of
        # several words asks (most pages have none of the phrases' words).
        self._folded = folded
        self.words = words
        self._marked_raw = marked_raw
        self._marked = marked
        self._distinct = distinct

    @property
    def folded(self) -> bytes:
        if self._folded is None:
            self._folded = b" " + b" ".join(self.words) + b" "
        return self._folded

    def marked(self) -> bytes | None:
        if self._marked is None and self._marked_raw is not None:
            self._marked = b" " + b" ".join(self._marked_raw.split()) + b" "
        return self._marked

    def distinct_marked(self) -> set[bytes] | None:
        if self._distinct is None and self._marked_raw is not None:
            self._distinct = set(self._marked_raw.split())
        return self._distinct


def prepare_utf8(data: bytes) -> PreparedText:
    """`prepare` for UTF-8 bytes, without decoding them when no letter is accented.

    Most English pages have a few curly quotes, dashes or emoji but no
    accented letter; for those, every non-ASCII byte is simply a separator
    and the text never becomes a `str`. Accented Latin letters (and combining
    marks) have lead bytes 0xC3-0xC9, 0xCC-0xCD or 0xE1 0xB8-0xBB.
    """
    if not data.isascii():
        if data.translate(None, _NOT_LETTER_LEADS) or _EXTENDED_ADDITIONAL.search(data):
            return prepare(data.decode("utf-8", "replace"))
        for invisible in _INVISIBLE_UTF8:
            if invisible in data:
                data = data.replace(invisible, b"")
    return PreparedText(None, data.translate(_UTF8_TABLE).split())


def prepare(text: str) -> PreparedText:
    """Split `text` into folded words, keeping what is needed to read its accents."""
    if text.isascii():
        return PreparedText(None, text.encode("ascii").translate(_MARKED_TABLE).split())
    text = unicodedata.normalize("NFC", text).lower()  # NFC input returns at once
    encoded, _ = codecs.charmap_encode(text, "replace", _ENCODING)
    marked_raw = encoded.translate(_MARKED_TABLE, _DELETE)
    if marked_raw.isascii():  # no accented letter after all
        return PreparedText(None, marked_raw.split())
    sample = marked_raw[:_SAMPLE_BYTES]
    if (len(sample) - len(sample.translate(None, _CODE_BYTES))) * _EAGER_BELOW > len(sample):
        # Accented text, most likely Vietnamese, whose phrases will want the
        # marked form: spacing it first saves joining the words twice, and
        # only the distinct words need folding for `words`.
        marked_words = marked_raw.split()
        distinct = set(marked_words)
        marked = b" " + b" ".join(marked_words) + b" "
        folded_words = b" ".join(distinct).translate(_FOLDED_TABLE).split()
        return PreparedText(
            marked.translate(_FOLDED_TABLE), folded_words, marked=marked, distinct=distinct
        )
    return PreparedText(None, marked_raw.translate(_FOLDED_TABLE).split(), marked_raw=marked_raw)


def match_words(text: str) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    """The folded and the marked words of a phrase, made exactly as a page's are."""
    prepared = prepare(text)
    marked = prepared.marked()
    folded = tuple(prepared.folded.split())
    return folded, tuple(marked.split()) if marked is not None else folded


def tone_key(marked_word: bytes) -> tuple[bytes, bytes]:
    """A marked word with its tone detached, so "hòa" and "hoà" compare equal.

    Vietnamese has two conventions for which vowel carries the tone in
    "oa", "oe" and "uy"; both are the same word.
    """
    tones = marked_word.translate(_TONE_TABLE, _TONELESS)
    return marked_word.translate(_DETONED_TABLE), bytes(sorted(tones))


def _retone_table() -> dict[tuple[int, int], int]:
    table = {}
    for code in range(256):
        table[(_DETONED_TABLE[code], _TONE_TABLE[code])] = code
    return table


_RETONED = _retone_table()
_VOWELS = frozenset(b"aeiouy") | frozenset(
    code for char, code in _CODES.items() if char not in _SPECIAL and _base(char) in "aeiouy"
)


def spellings(marked_word: bytes) -> frozenset[bytes]:
    """The page words a listed accented word accepts: itself, each tone placement, none.

    "hòa" accepts "hòa", "hoà" and "hoa"; the set is what a page's distinct
    words are checked against before any search.
    """
    detoned, tones = tone_key(marked_word)
    found = {marked_word, marked_word.translate(_FOLDED_TABLE)}
    if len(tones) == 1:
        for index, byte in enumerate(detoned):
            toned = _RETONED.get((byte, tones[0]))
            if byte in _VOWELS and toned is not None:
                found.add(detoned[:index] + bytes([toned]) + detoned[index + 1 :])
    return frozenset(found)
