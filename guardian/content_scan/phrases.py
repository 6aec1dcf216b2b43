"""Weighted phrase lists, e2guardian style, and the matcher compiled from them.

File format (UTF-8, one file per category: `guardian/data/phrases/<category>.txt`)::

    # a comment; blank lines are ignored too
    category: gambling           optional: the lines below it belong to this category
    <casino><20>                 a phrase and its weight
    <cá độ bóng đá><60>          Vietnamese is written with its accents
    <online>,<casino><30>        a combination: counts only when every part is on the page
    <problem gambling><-40>      a negative ("good") phrase lowers the category's score
    <tài xỉu><50>  # why 50      a comment may follow the weight

This is e2guardian's `weightedphraselist` syntax, with its two kinds of
phrase ("<x>" is a substring, "< x >" a whole word) reduced to one: every
phrase matches whole words only, because substrings are what make innocent
pages score ("class" in "classic", "sex" in "Essex", "bac" in "bacon").

How a phrase matches a page:

- Words are runs of letters and digits after folding (see
  `guardian.content_scan.folding`); case and punctuation between the words
  do not matter, so "<self-harm>" also matches "Self Harm".
- A word written *without* accents matches the word with any accents; a word
  written *with* accents matches that word accented (either tone placement,
  "hòa"/"hoà") or typed with no accents at all, never a different word that
  folds the same. "<tự tử>" matches "tự tử", "TỰ TỬ", "tu tu" and "tự tu",
  not "từ từ" (slowly). So Vietnamese phrases belong in the list with their
  accents; the unaccented spelling is matched for free.
- A one-word phrase typed without accents counts only where the words around
  it have none either: in accented text an unaccented syllable is a word of
  its own ("sung" in "bổ sung", to add, is not "súng", gun). Single
  syllables are ambiguous anyway; the shipped lists avoid them.
- Each phrase counts once per page, however often it occurs (e2guardian's
  `weightedphrasemode = 2`, its shipped default). Repeating a word a hundred
  times gains nothing, and one passing mention counts as much as a hundred,
  which is why single words carry low weights and strong evidence comes from
  longer phrases and combinations.
- A category's score is the sum of the weights of its phrases on the page;
  the page is blocked for a profile when a score reaches the profile's
  threshold (see `guardian.content_scan`).

Weights are whole numbers from -1000 to 1000, never 0. A line that cannot be
read (wrong syntax, a weight out of range, a phrase with no letters, a
repeat) is a `BadLine` and skipped; a list with no valid phrase at all is a
`ListError`, because it would silently scan nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from guardian.categories import is_category
from guardian.content_scan.folding import PreparedText, match_words, spellings, tone_key
from guardian.errors import ListError

MAX_WEIGHT = 1000
MAX_PARTS = 8
# An accented phrase whose folded form is on a page is checked, accent by
# accent, at this many places at most, so that a page stuffed with
# look-alikes ("từ từ" for "tự tử" is everywhere in Vietnamese) costs a
# bounded time. After the first few, the listed and the unaccented spellings
# of a phrase of several words are searched for directly; what can go unseen
# is a mixed spelling ("tự tu"), or a one-word phrase typed without accents,
# behind more look-alikes than this.
MAX_LOOKALIKES = 64
_SHORTCUT_AFTER = 4
# How far around a one-word phrase typed without accents to look for accents.
_CONTEXT_BYTES = 24

_ENTRY = re.compile(r"^((?:<[^<>]*>\s*,\s*)*<[^<>]*>)\s*<\s*([+-]?\d+)\s*>\s*(?:#.*)?$")
_PART = re.compile(r"<([^<>]*)>")
_HEADER = re.compile(r"^category\s*:\s*(\S*)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One weighted entry of a list; several parts make a combination."""

    parts: tuple[str, ...]
    weight: int
    category: str

    @property
    def text(self) -> str:
        """The entry as a parent reads it: "online + casino"."""
        return " + ".join(self.parts)


@dataclass(frozen=True, slots=True)
class BadLine:
    """A list line that was skipped, with enough to find and fix it."""

    source: str
    number: int
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.number}: {self.reason}: {self.text.strip()!r}"


def parse_phrases(
    text: str, category: str, *, source: str = "<phrases>"
) -> tuple[list[Phrase], list[BadLine]]:
    """The phrases of one list in the format above, and the lines that were skipped.

    `category` applies until a `category:` line names another. Raises
    ListError when `category` is unknown or no line yields a phrase.
    """
    if not is_category(category):
        raise ListError(f"{source}: {category!r} is not a Guardian category")
    phrases: list[Phrase] = []
    bad: list[BadLine] = []
    seen: dict[tuple[str, frozenset[tuple[bytes, ...]]], int] = {}
    current = category
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(stripped)
        if header:
            if is_category(header.group(1)):
                current = header.group(1)
            else:
                bad.append(BadLine(source, number, line, "unknown category"))
            continue
        phrase, reason = _parse_entry(stripped, current)
        if phrase is None:
            bad.append(BadLine(source, number, line, reason))
            continue
        identity = (current, frozenset(match_words(part)[1] for part in phrase.parts))
        if identity in seen:
            bad.append(BadLine(source, number, line, f"repeats line {seen[identity]}"))
            continue
        seen[identity] = number
        phrases.append(phrase)
    if not phrases:
        raise ListError(f"{source} holds no valid phrase ({len(bad)} unreadable lines)")
    return phrases, bad


def _parse_entry(line: str, category: str) -> tuple[Phrase | None, str]:
    entry = _ENTRY.match(line)
    if entry is None:
        return None, "not <phrase><weight> or <phrase>,<phrase><weight>"
    weight = int(entry.group(2))
    if weight == 0 or abs(weight) > MAX_WEIGHT:
        return None, f"weight must be -{MAX_WEIGHT} to {MAX_WEIGHT} and not 0"
    parts = tuple(" ".join(part.split()) for part in _PART.findall(entry.group(1)))
    if len(parts) > MAX_PARTS:
        return None, f"more than {MAX_PARTS} parts"
    keys = [match_words(part)[1] for part in parts]
    if not all(keys):
        return None, "a phrase has no letters or digits"
    if len(set(keys)) != len(keys):
        return None, "a combination names the same phrase twice"
    return Phrase(parts=parts, weight=weight, category=category), ""


def load_phrase_file(path: str | Path, category: str) -> tuple[list[Phrase], list[BadLine]]:
    """Read one list file; `category` is the one its lines belong to by default."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ListError(f"cannot read phrase list {path}: {error}") from error
    return parse_phrases(text, category, source=str(path))


def load_default_phrases() -> tuple[list[Phrase], list[BadLine]]:
    """The lists shipped in `guardian/data/phrases/`, one file per category."""
    folder = files("guardian") / "data" / "phrases"
    phrases: list[Phrase] = []
    bad: list[BadLine] = []
    try:
        entries = sorted(folder.iterdir(), key=lambda item: item.name)
    except OSError as error:
        raise ListError(f"the shipped phrase lists are missing: {error}") from error
    for entry in entries:
        if not entry.name.endswith(".txt"):
            continue
        found, skipped = parse_phrases(
            entry.read_text(encoding="utf-8"), entry.name.removesuffix(".txt"),
            source=f"guardian/data/phrases/{entry.name}",
        )
        phrases += found
        bad += skipped
    if not phrases:
        raise ListError("the shipped phrase lists are missing")
    return phrases, bad


@cache
def load_default_matcher() -> PhraseMatcher:
    """The matcher for the shipped lists, compiled once per process."""
    return compile_matcher(load_default_phrases()[0])


def compile_matcher(phrases: Iterable[Phrase]) -> PhraseMatcher:
    """Index `phrases` for scanning; parts shared by several entries are matched once."""
    return PhraseMatcher(tuple(phrases))


@dataclass(frozen=True, slots=True)
class _Term:
    """One distinct part (a run of words) that entries are made of."""

    words: tuple[bytes, ...]
    key: bytes  # b" w1 w2 ": the folded words as they appear in PreparedText.folded
    word_set: frozenset[bytes]
    marked_key: bytes | None  # the accented spelling, when any word has accents
    # Per word, None when any accents match; else the word's tone_key and the
    # page words that can stand for it (its spellings).
    tones: tuple[tuple[bytes, bytes] | None, ...]
    allowed: tuple[frozenset[bytes] | None, ...]

    @property
    def is_plain_word(self) -> bool:
        """One word without accents: finding the word is finding the term."""
        return len(self.words) == 1 and self.marked_key is None


class PhraseMatcher:
    """Finds which of its phrases are on a page, at the cost of a few set operations.

    A page's folded words are intersected (in C) with the vocabulary of all
    phrase words. Only the terms whose trigger word (their longest, likely the
    rarest) is among them are looked at; a term of several words is then
    searched for as a whole (" w1 w2 " in the page's folded text, in C), and
    a term written with accents is checked against the page's accents where
    it was found. Python-level work grows with the phrases that could be on
    the page, not with its length.
    """

    __slots__ = ("phrases", "_terms", "_terms_of", "_entries_of", "_by_trigger", "_vocabulary")

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases: tuple[Phrase, ...] = tuple(phrases)
        term_ids: dict[tuple[bytes, ...], int] = {}  # by the marked words
        terms: list[_Term] = []
        terms_of: list[tuple[int, ...]] = []
        for phrase in self.phrases:
            ids: list[int] = []
            for part in phrase.parts:
                folded, marked = match_words(part)
                if not folded:
                    raise ListError(f"phrase {part!r} has no letters or digits")
                if marked not in term_ids:
                    term_ids[marked] = len(terms)
                    terms.append(_make_term(folded, marked))
                ids.append(term_ids[marked])
            terms_of.append(tuple(ids))
        entries_of: list[list[int]] = [[] for _ in terms]
        for entry, parts in enumerate(terms_of):
            for term_id in set(parts):
                entries_of[term_id].append(entry)
        by_trigger: dict[bytes, list[int]] = {}
        for term_id, term in enumerate(terms):
            by_trigger.setdefault(max(term.words, key=len), []).append(term_id)
        self._terms = tuple(terms)
        self._terms_of = tuple(terms_of)
        self._entries_of = tuple(tuple(entries) for entries in entries_of)
        self._by_trigger = {word: tuple(ids) for word, ids in by_trigger.items()}
        self._vocabulary = frozenset(word for term in terms for word in term.words)

    def __len__(self) -> int:
        return len(self.phrases)

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(phrase.category for phrase in self.phrases)

    def find(self, text: PreparedText) -> list[Phrase]:
        """The phrases on the page, each once, in list order."""
        found = self._vocabulary.intersection(text.words)
        if not found:
            return []
        present: set[int] = set()
        for word in found:
            for term_id in self._by_trigger.get(word, ()):
                term = self._terms[term_id]
                if term.is_plain_word or (term.word_set <= found and _on_page(term, text)):
                    present.add(term_id)
        hits: set[int] = set()
        for term_id in present:
            for entry in self._entries_of[term_id]:
                if entry not in hits and all(t in present for t in self._terms_of[entry]):
                    hits.add(entry)
        return [self.phrases[entry] for entry in sorted(hits)]


def _make_term(folded: tuple[bytes, ...], marked: tuple[bytes, ...]) -> _Term:
    accented = [m if m != f else None for f, m in zip(folded, marked, strict=True)]
    return _Term(
        words=folded,
        key=b" " + b" ".join(folded) + b" ",
        word_set=frozenset(folded),
        marked_key=b" " + b" ".join(marked) + b" " if any(accented) else None,
        tones=tuple(tone_key(m) if m else None for m in accented),
        allowed=tuple(spellings(m) if m else None for m in accented),
    )


def _on_page(term: _Term, text: PreparedText) -> bool:
    if term.marked_key is None:
        return len(term.words) == 1 or term.key in text.folded
    distinct = text.distinct_marked()
    if distinct is None:  # the page has no accents: any folded occurrence is the phrase
        return len(term.words) == 1 or term.key in text.folded
    # Each word must be on the page in a spelling it accepts ("tự" or "tu",
    # not only "từ"): a set test that settles most look-alikes without a search.
    for allowed in term.allowed:
        if allowed is not None and allowed.isdisjoint(distinct):
            return False
    marked = text.marked()
    assert marked is not None  # there are distinct marked words
    if len(term.words) > 1:
        return _accents_agree(term, term.marked_key, text.folded, marked)
    accepted = term.allowed[0]
    assert accepted is not None  # the one word has accents
    if any(not spelling.isascii() and spelling in distinct for spelling in accepted):
        return True  # spelt with its accents somewhere
    return _typed_without_accents(term.key, text.folded, marked)


def _accents_agree(term: _Term, marked_key: bytes, folded: bytes, marked: bytes) -> bool:
    """Whether some folded occurrence has, word by word, the phrase's accents or none.

    Rejects words that only fold the same ("từ từ" for "tự tử") and accepts
    the listed spelling, no accents, mixed spellings ("tự tu") and the other
    tone placement ("hoà"). `marked` is byte-aligned with `folded`, so each
    occurrence is checked where it stands, in one pass over the page.
    """
    size = len(term.key)
    checked: set[bytes] = set()
    position = folded.find(term.key)
    for attempt in range(MAX_LOOKALIKES):
        if position == -1:
            return False
        if attempt == _SHORTCUT_AFTER and (marked_key in marked or term.key in marked):
            return True  # many look-alikes: the listed or unaccented spelling may be further on
        seen = marked[position + 1 : position + size - 1]
        if seen not in checked:
            checked.add(seen)
            if all(
                tones is None or word.isascii() or tone_key(word) == tones
                for word, tones in zip(seen.split(b" "), term.tones, strict=True)
            ):
                return True
        position = folded.find(term.key, position + 1)
    return False


def _typed_without_accents(key: bytes, folded: bytes, marked: bytes) -> bool:
    """Whether a one-word phrase's unaccented spelling stands in unaccented text.

    In text written with accents an unaccented syllable is a word of its own:
    "sung" in "bổ sung" (to add) is not "súng" (gun), "tuy" in "tuy nhiên" is
    not "túy". Only where the words around it carry no accents either is it
    the listed word typed without them.
    """
    position = folded.find(key)
    for _ in range(MAX_LOOKALIKES):
        if position == -1:
            return False
        start = max(0, position - _CONTEXT_BYTES)
        if marked[start : position + len(key) + _CONTEXT_BYTES].isascii():
            return True
        position = folded.find(key, position + 1)
    return False
