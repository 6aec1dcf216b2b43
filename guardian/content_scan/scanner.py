"""Score one response body against the phrase lists.

The proxy runs this on the event loop for every page it scans, so the cost is
bounded and small (about 1.5 ms for a typical 100 KB page): no HTML parser,
one regular expression pass over the bytes, one pass of folding, and the
matcher's set operations (see `guardian.content_scan.phrases`).

What is read:

- HTML (and XML): the text outside tags, `<title>` included; the `content`
  of `<meta name="description">` and `<meta name="keywords">`, which carry a
  page's subject even when its body is images or script; entities decoded.
  `<script>`, `<style>` and comments are dropped: their words are code, not
  what the child reads.
- Anything else: the whole text.
- Publisher labels (code of conduct MEDIA-4: publishers classify their
  content, filters honour it): the RTA label anywhere in the scanned bytes or
  in a header value, and `<meta name="rating" content="adult|mature|RTA-...">`
  in any attribute order and case. A labelled page scores
  `ADULT_LABEL_SCORE` in "adult", above any threshold. A missing label means
  nothing either way.

Only the first `limit_bytes` (256 KiB by default) of the body are scanned,
counted after conversion to UTF-8. The consequence is deliberate: a page can
hide words after that much padding, and a label placed at the very end of a
huge page is missed; in exchange a 50 MB page costs what a 256 KB one does.
`ScanResult.truncated` tells the caller that the limit was reached.

The character set comes from a byte-order mark, then the Content-Type
`charset`, then an HTML `<meta charset>` in the first 1024 bytes, and is
UTF-8 otherwise; undecodable bytes become U+FFFD rather than errors.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from guardian.categories import CATEGORIES
from guardian.content_scan.folding import prepare_utf8
from guardian.content_scan.phrases import Phrase, PhraseMatcher

DEFAULT_LIMIT_BYTES = 256 * 1024
ADULT_LABEL_SCORE = 1_000_000
RTA_LABEL = "RTA-5042-1996-1400-1577-RTA"
ADULT_RATINGS = frozenset({"adult", "mature", RTA_LABEL.lower()})
EXAMPLES_PER_CATEGORY = 5

_RTA_TEXT = RTA_LABEL.lower()
_RTA = _RTA_TEXT.encode("ascii")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_UTF8_NAMES = frozenset({"utf-8", "ascii"})  # codecs.lookup names read as UTF-8 as they are

# The patterns run on the body after bytes.lower() and need no IGNORECASE.
# _NOT_TEXT removes script and style elements, comments and tags in one pass;
# the elements are written as "unrolled loops" ([^<]* then one "<" at a time)
# because a lazy .*? retries the end tag at every byte and was five times
# slower on script-heavy pages. An element left open by the byte limit runs
# to the end.
_NOT_TEXT = re.compile(
    rb"<script\b[^<]*(?:<(?!/script)[^<]*)*(?:</script\s*>|\Z)"
    rb"|<style\b[^<]*(?:<(?!/style)[^<]*)*(?:</style\s*>|\Z)"
    rb"|<!--[^-]*(?:-(?!->)[^-]*)*(?:-->|\Z)"
    rb"|<[a-z/!?][^>]*>"
)
_META = re.compile(rb"<meta\s[^>]*>")
_ATTRIBUTE = re.compile(rb"""([a-z][a-z0-9_:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_META_CHARSET = re.compile(rb"""<meta\s[^>]*charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""")
_RATING_WORDS = re.compile(r"[^,;\s]+")
_STARTS_WITH_TAG = re.compile(rb"\s*<")


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What a page scored, and why, for the policy and for the parent."""

    scores: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Per category, up to EXAMPLES_PER_CATEGORY matched phrases, heaviest first.
    matches: Mapping[str, tuple[Phrase, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    labelled_adult: bool = False
    truncated: bool = False

    def score(self, category: str) -> int:
        return self.scores.get(category, 0)

    def categories_over(self, threshold: int) -> tuple[str, ...]:
        """The categories whose score reaches `threshold`, highest score first."""
        reached = [code for code, score in self.scores.items() if score >= threshold]
        if not reached:
            return ()
        order = {code: i for i, code in enumerate(CATEGORIES)}
        return tuple(sorted(reached, key=lambda c: (-self.scores[c], order.get(c, len(order)))))


def scan(
    body: str | bytes,
    content_type: str,
    matcher: PhraseMatcher,
    *,
    limit_bytes: int = DEFAULT_LIMIT_BYTES,
    headers: Iterable[tuple[str, str]] = (),
) -> ScanResult:
    """Score `body` (a response of type `content_type`) with `matcher`'s phrases.

    `headers` are the response's (name, value) pairs (`headers.items()`),
    read only for a publisher's adult label.
    """
    media_type, charset = _parse_content_type(content_type)
    data, truncated = _utf8_prefix(body, charset, limit_bytes)
    lowered = data.lower()  # ASCII only; the rest is folded later
    labelled = _RTA in lowered or _headers_label_adult(headers)
    if "html" in media_type or "xml" in media_type or (
        not media_type and _STARTS_WITH_TAG.match(lowered)
    ):
        text, meta_labelled = _markup_text(lowered)
        if b"&" in text:
            text = html.unescape(text.decode("utf-8", "replace")).encode("utf-8", "replace")
        labelled = labelled or meta_labelled
    else:
        text = data
    found = matcher.find(prepare_utf8(text))
    return _result(found, labelled=labelled, truncated=truncated)


def _result(found: list[Phrase], *, labelled: bool, truncated: bool) -> ScanResult:
    scores: dict[str, int] = {}
    examples: dict[str, list[Phrase]] = {}
    for phrase in found:
        scores[phrase.category] = scores.get(phrase.category, 0) + phrase.weight
        examples.setdefault(phrase.category, []).append(phrase)
    if labelled:
        scores["adult"] = max(scores.get("adult", 0), 0) + ADULT_LABEL_SCORE
    matches = {
        category: tuple(sorted(phrases, key=lambda p: -p.weight)[:EXAMPLES_PER_CATEGORY])
        for category, phrases in examples.items()
    }
    return ScanResult(
        scores=MappingProxyType(scores),
        matches=MappingProxyType(matches),
        labelled_adult=labelled,
        truncated=truncated,
    )


def _parse_content_type(content_type: str) -> tuple[str, str | None]:
    """The media type in lower case and the declared charset, if any."""
    media_type, _, parameters = content_type.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _utf8_prefix(body: str | bytes, charset: str | None, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of `body` as UTF-8, and whether anything was cut off."""
    if isinstance(body, str):
        data = body[:limit].encode("utf-8", "replace")
        return data[:limit], len(data) > limit or len(body) > limit
    codec = None
    for bom, name in _BOMS:
        if body.startswith(bom):  # a byte-order mark overrides any declaration
            codec = name
            if name == "utf-8":
                body = body[len(bom) :]
            break
    codec = codec or _codec(charset) or _meta_charset(body)
    if codec is None or codec in _UTF8_NAMES:
        return body[:limit], len(body) > limit
    # Cut before decoding (bounded work), then again after: UTF-8 may be longer.
    data = body[:limit].decode(codec, "replace").encode("utf-8")
    return data[:limit], len(body) > limit or len(data) > limit


def _meta_charset(body: bytes) -> str | None:
    declared = _META_CHARSET.search(body[:1024].lower())
    codec = _codec(declared.group(1).decode("ascii")) if declared else None
    # A page that can declare its charset in ASCII is not UTF-16 (HTML spec).
    return "utf-8" if codec and codec.startswith(("utf-16", "utf-32")) else codec


def _headers_label_adult(headers: Iterable[tuple[str, str]]) -> bool:
    for name, value in headers:
        value = value.lower()
        if _RTA_TEXT in value:  # some publishers send the label as a header
            return True
        if name.lower() == "rating" and _is_adult_rating(value):
            return True
    return False


def _is_adult_rating(value: str) -> bool:
    return any(word in ADULT_RATINGS for word in _RATING_WORDS.findall(value.lower()))


def _markup_text(lowered: bytes) -> tuple[bytes, bool]:
    """The readable text of lowered HTML, and whether a rating meta tag says adult.

    Meta tags are read wherever they stand, even inside a comment: a page
    that comments out its rating is rare, and one pass less is not.
    """
    extra: list[bytes] = []
    labelled = False
    for tag in _META.findall(lowered):
        if b"rating" not in tag and b"description" not in tag and b"keywords" not in tag:
            continue
        attributes = {
            match.group(1): match.group(2) or match.group(3) or match.group(4) or b""
            for match in _ATTRIBUTE.finditer(tag)
        }
        name = (attributes.get(b"name") or attributes.get(b"http-equiv") or b"").strip()
        content = attributes.get(b"content", b"")
        if name == b"rating":
            labelled = labelled or _is_adult_rating(content.decode("utf-8", "replace"))
        elif name in (b"description", b"keywords"):
            extra.append(content)
    # &nbsp; is by far the commonest entity: replaced here in C, html.unescape
    # (a Python call per entity) has less to do and more pages stay ASCII.
    text = _NOT_TEXT.sub(b" ", lowered).replace(b"&nbsp;", b" ")
    if extra:
        text = text + b" \n " + b" \n ".join(extra)
    return text, labelled
