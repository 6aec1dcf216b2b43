"""Content scanning: folding, phrase lists, whole-word matching, HTML, labels, limits."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardian.categories import CATEGORIES
from guardian.content_scan import (
    ADULT_LABEL_SCORE,
    RTA_LABEL,
    Phrase,
    PhraseMatcher,
    ScanResult,
    compile_matcher,
    fold,
    load_default_matcher,
    load_default_phrases,
    load_phrase_file,
    parse_phrases,
    scan,
)
from guardian.content_scan.folding import prepare, prepare_utf8
from guardian.errors import ListError

SHIPPED_CATEGORIES = ("adult", "gambling", "drugs", "violence", "self_harm", "hate", "weapons")
YOUNGEST_THRESHOLD = 40  # guardian.presets, under 6
TEEN_THRESHOLD = 100  # guardian.presets, 14-15


def matcher(lines: str, category: str = "gambling") -> PhraseMatcher:
    """A matcher from phrase lines in the list format."""
    return compile_matcher(parse_phrases(lines, category)[0])


def text_score(text: str, lines: str, category: str = "gambling") -> int:
    return scan(text, "text/plain", matcher(lines, category)).score(category)


def html_score(page: str | bytes, lines: str, content_type: str = "text/html") -> int:
    return scan(page, content_type, matcher(lines)).score("gambling")


def windows_1258(text: str) -> bytes:
    """`text` as a windows-1258 page stores it: base letters precomposed, tones combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if char in tones or not out:
            out.append(char)
        else:
            composed = unicodedata.normalize("NFC", out[-1] + char)
            out[-1:] = [composed] if len(composed) == 1 else [out[-1], char]
    return "".join(out).encode("cp1258")


# Folding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cờ Bạc Trực Tuyến", "co bac truc tuyen"),
        (unicodedata.normalize("NFD", "Cờ Bạc Trực Tuyến"), "co bac truc tuyen"),
        ("ĐÁNH BẠC ở Đà Nẵng", "danh bac o da nang"),
        ("Nguyễn Thị Hoà, Thuý", "nguyen thi hoa, thuy"),
        ("phở bò, bún chả!", "pho bo, bun cha!"),
        ("Sex Education 101", "sex education 101"),
        ("Crème Brûlée, Pokémon", "creme brulee, pokemon"),
        ("", ""),
        ("Ø and ß stay", "ø and ß stay"),  # no accent-free base: left as they are
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


VIETNAMESE_AND_PUNCTUATION = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọ"
    "ồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠỜỚỞỠỢỪỨỬỮỰçñüö0123456789 ,.!?-\n\u00a0“”→😀"
)


@given(st.text(alphabet=VIETNAMESE_AND_PUNCTUATION, max_size=60))
def test_scanner_words_are_the_words_of_fold(text: str) -> None:
    # Two implementations of one idea: `fold` for people, bytes for speed.
    for form in (text, unicodedata.normalize("NFD", text)):
        expected = re.findall(r"[a-z0-9]+", fold(form))
        assert prepare(form).folded.decode("ascii").split() == expected
        assert prepare_utf8(form.encode()).folded.decode("ascii").split() == expected


# Vietnamese matching -----------------------------------------------------------

GAMBLING_VI = "<cờ bạc trực tuyến><40>"


@pytest.mark.parametrize(
    ("page", "found"),
    [
        ("Trang cờ bạc trực tuyến uy tín", True),
        ("trang co bac truc tuyen uy tin", True),  # typed without accents
        ("CỜ BẠC TRỰC TUYẾN", True),
        ("Cờ Bạc Trực Tuyến", True),
        (unicodedata.normalize("NFD", "Cờ bạc trực tuyến"), True),
        ("cờ bac trực tuyen", True),  # mixed: each word accented as listed or not at all
        ("cờ-bạc, trực... tuyến", True),  # punctuation between words does not matter
        ("cờ\n   bạc\ttrực  tuyến", True),
        ("có bác trực tuyến", False),  # "uncle is online": folds the same, other words
        ("cờ bạc", False),  # only part of the phrase
        ("cờ bạc trực", False),
        ("bạc trực tuyến cờ", False),  # words out of order
    ],
)
def test_vietnamese_phrase(page: str, found: bool) -> None:
    assert (text_score(page, GAMBLING_VI) == 40) is found


@pytest.mark.parametrize(
    ("page", "found"),
    [
        ("tự tử", True),
        ("TỰ TỬ", True),
        ("tu tu", True),  # unaccented text cannot be told apart: counted
        ("tự tu", True),
        ("cứ từ từ mà làm", False),  # "slowly"
        ("tư tử", False),
        ("từ từ rồi tự tử", True),  # the real one after a look-alike
        ("từ từ " * 300 + "tự tử", True),  # ... after many look-alikes
        ("từ từ " * 300 + "tu tu", True),
    ],
)
def test_accented_phrase_is_not_its_lookalike(page: str, found: bool) -> None:
    assert (text_score(page, "<tự tử><25>", "self_harm") == 25) is found


@pytest.mark.parametrize("page", ["sức khỏe tâm thần", "sức khoẻ tâm thần", "SỨC KHOẺ TÂM THẦN"])
def test_either_tone_placement_matches(page: str) -> None:
    assert text_score(page, "<sức khỏe tâm thần><10>", "self_harm") == 10


@pytest.mark.parametrize(
    ("page", "found"),
    [
        ("mua súng ở đâu", True),
        ("Súng", True),
        ("mua sung o dau", True),  # typed without accents
        ("cần bổ sung thêm tài liệu", False),  # "sung" of "bổ sung", a word of its own
        ("cần bổ sung thêm tài liệu. Cho minh hoi cac ban: mua sung o dau?", True),
        ("the choir sung", True),  # English around it: nothing tells them apart
    ],
)
def test_one_unaccented_syllable_counts_only_in_unaccented_text(page: str, found: bool) -> None:
    assert (text_score(page, "<súng><10>", "weapons") == 10) is found


def test_vietnamese_syllables_are_words() -> None:
    lines = "<bạc><10>"
    assert text_score("bacon and eggs", lines) == 0
    assert text_score("tiền bạc", lines) == 10
    assert text_score("tien bac", lines) == 10


# English whole words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "page", "found"),
    [
        ("class", "a class of ten", True),
        ("class", "Class.", True),
        ("class", "sub-class", True),  # a hyphen separates words
        ("class", "a classic film", False),
        ("class", "subclass", False),
        ("class", "classes", False),  # no stemming: list plurals separately
        ("sex", "SEX", True),
        ("sex", "sex-ed", True),
        ("sex", "Essex county", False),
        ("sex", "a sextant", False),
        ("sex", "unisex", False),
        ("sex", "sex_video", True),  # underscores separate words, as in URLs
        ("porn", "po\u00adrn", True),  # a soft hyphen does not hide a word
        ("porn", "p\u200bo\u200brn", True),  # nor do zero-width spaces
        ("porn", "pórn", True),  # accents on an unaccented phrase do not hide it
        ("hate speech", "hate  speech", True),
        ("hate speech", "hate, speech", True),
        ("hate speech", "hatespeech", False),
        ("hate speech", "hate the speech", False),
        ("self-harm", "self harm", True),
        ("self harm", "Self-Harm", True),
        ("ar-15", "an AR15", False),
        ("ar-15", "an AR 15", True),
    ],
)
def test_english_whole_words(phrase: str, page: str, found: bool) -> None:
    assert (text_score(page, f"<{phrase}><10>") == 10) is found


# Combinations and negative phrases ------------------------------------------------


@pytest.mark.parametrize(
    ("page", "score"),
    [
        ("online casino", 30 + 20),
        ("the casino is online now", 30 + 20),  # parts anywhere on the page
        ("casino", 20),
        ("online shopping", 0),
        ("casino online casino online", 30 + 20),  # each phrase counts once per page
    ],
)
def test_combination_needs_every_part(page: str, score: int) -> None:
    assert text_score(page, "<online>,<casino><30>\n<casino><20>") == score


def test_negative_phrases_lower_the_score() -> None:
    lines = "<sex><15>\n<sex education><-50>"
    assert text_score("sex", lines, "adult") == 15
    assert text_score("sex education", lines, "adult") == 15 - 50


HEALTH_PAGES = {
    "adult": (
        "Giáo dục giới tính cho trẻ em: cha mẹ nên nói về sức khỏe sinh sản, khỏa thân và "
        "quan hệ tình dục an toàn. Sex education in schools covers sexual health and safer sex."
    ),
    "drugs": (
        "Phòng chống ma túy trong trường học. Tác hại của ma túy: heroin, cocaine, cần sa và "
        "thuốc lắc gây nghiện. Drug prevention programs and addiction treatment help."
    ),
    "self_harm": (
        "Phòng chống tự tử: nếu bạn muốn chết hoặc nghĩ đến tự tử, hãy gọi đường dây nóng. "
        "Suicide prevention: talk to someone, call a crisis line. You are not alone."
    ),
    "gambling": (
        "Problem gambling: nghiện cờ bạc là bệnh. Cai nghiện cờ bạc cùng Gamblers Anonymous; "
        "casino và cá cược thể thao lấy tiền của bạn."
    ),
}


@pytest.mark.parametrize("category", sorted(HEALTH_PAGES))
def test_education_pages_stay_under_every_threshold(category: str) -> None:
    result = scan(HEALTH_PAGES[category], "text/plain", load_default_matcher())
    assert result.score(category) < YOUNGEST_THRESHOLD
    assert result.categories_over(YOUNGEST_THRESHOLD) == ()


@pytest.mark.parametrize(
    ("category", "page"),
    [
        ("gambling", "Nhà cái uy tín: kèo nhà cái hôm nay, tỷ lệ kèo, cá độ bóng đá, tài xỉu. "
                     "Nạp tiền nhận thưởng!"),
        ("gambling", "Best online casino: free spins, deposit bonus, roulette and blackjack."),
        ("drugs", "Mua cần sa, ma túy đá, thuốc lắc giao tận nơi. Buy weed, cocaine for sale."),
        ("adult", "Phim sex, phim khiêu dâm miễn phí. Free porn videos, xxx videos."),
        ("self_harm", "Cách tự tử không đau: painless suicide methods."),
    ],
)
def test_pages_about_the_subject_reach_the_teen_threshold(category: str, page: str) -> None:
    result = scan(page, "text/plain", load_default_matcher())
    assert result.score(category) >= TEEN_THRESHOLD
    assert category in result.categories_over(TEEN_THRESHOLD)


INNOCENT_PAGES = [
    "Đội tuyển Việt Nam đánh bại Thái Lan 2-0; có bác sĩ đội tuyển đi cùng, cứ từ từ mà thắng.",
    "Mà tùy vào thời tiết, đi dạo ở Essex hay xem phim classic, sung sướng cả ngày.",
    "Pokémon: a class of creatures; Pikachu uses Thunderbolt. The sextant and the compass.",
    "Bài hát được sung by the choir; tiền bạc và bác sĩ, cô giáo dạy con tự nhiên và tự do.",
    "Súng nước cho bé đi biển, dao kéo nhà bếp an toàn, bóng đá và cờ vua cuối tuần.",
]


@pytest.mark.parametrize("page", INNOCENT_PAGES)
def test_innocent_pages_stay_under_the_youngest_threshold(page: str) -> None:
    result = scan(page, "text/plain", load_default_matcher())
    assert result.categories_over(YOUNGEST_THRESHOLD) == ()


# HTML -----------------------------------------------------------------------------------

CASINO = "<online casino><50>"


@pytest.mark.parametrize(
    ("page", "score"),
    [
        ("<p>online <b>casino</b></p>", 50),
        ("<title>Online Casino</title><body>hello</body>", 50),
        ("<p>online &amp; casino</p>", 50),
        ("<p>online&nbsp;casino</p>", 50),
        ("<p>onl&#105;ne cas&#x69;no</p>", 50),
        ("<p>“online casino” 👍</p>", 50),
        ("<p>online—casino…</p>", 50),
        ('<script>var a = "online casino";</script><p>hi</p>', 0),
        ("<SCRIPT type='text/javascript'>online casino</SCRIPT>", 0),
        ("<style>.online casino { color: red }</style>", 0),
        ("<!-- online casino -->", 0),
        ("<p>hello</p><script>online casino", 0),  # left open by the byte limit
        ('<a href="/online-casino" title="online casino">home</a>', 0),  # attributes are not text
        ('<meta name="description" content="Online casino reviews">', 50),
        ("<meta content='online casino' name='keywords'>", 50),
        ('<META NAME="Description" CONTENT="online casino">', 50),
        ('<meta property="og:title" content="online casino">', 0),
        ("3 < 4 and online casino > 2", 50),  # a bare "<" is not a tag
    ],
)
def test_html_text(page: str, score: int) -> None:
    assert html_score(page, CASINO) == score


def test_html_entities_spell_vietnamese() -> None:
    page = "<p>C&#7901; b&#7841;c tr&#7921;c tuy&#7871;n</p>"
    assert html_score(page, GAMBLING_VI) == 40


def test_markup_is_sniffed_without_a_content_type() -> None:
    page = '  <html><script>var x = "online casino";</script></html>'
    assert html_score(page, CASINO, content_type="") == 0
    assert html_score("online casino", CASINO, content_type="") == 50


def test_plain_text_is_not_stripped() -> None:
    assert html_score("<script>online casino</script>", CASINO, "text/plain") == 50


# Publisher labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        f'<meta name="RATING" content="{RTA_LABEL}">',
        f"<meta content='{RTA_LABEL.lower()}' name='rating'>",
        '<meta name="rating" content="adult">',
        '<meta content="Mature" name="Rating" />',
        "<meta name=rating content=adult>",
        '<meta http-equiv="rating" content="adult">',
        f"<p>{RTA_LABEL}</p>",
        f"<!-- {RTA_LABEL} -->",
    ],
)
def test_adult_labels(page: str) -> None:
    page = f"<html><head>{page}</head><body>hello</body></html>"
    result = scan(page, "text/html", matcher(CASINO))
    assert result.labelled_adult
    assert result.score("adult") >= ADULT_LABEL_SCORE
    assert result.categories_over(1_000) == ("adult",)


@pytest.mark.parametrize(
    "page",
    [
        '<meta name="rating" content="general">',
        '<meta name="rating" content="safe for kids">',
        '<meta name="description" content="adult education classes">',
        "<p>RTA-5042</p>",
    ],
)
def test_not_adult_labels(page: str) -> None:
    assert not scan(page, "text/html", matcher(CASINO)).labelled_adult


@pytest.mark.parametrize(
    "headers",
    [[("Rating", RTA_LABEL)], [("rating", "adult")], [("X-Label", f"label {RTA_LABEL.lower()}")]],
)
def test_adult_label_in_headers(headers: list[tuple[str, str]]) -> None:
    result = scan(b"hello", "text/html", matcher(CASINO), headers=headers)
    assert result.labelled_adult


def test_a_label_outweighs_good_phrases() -> None:
    m = matcher("<sex><10>\n<sex education><-50>", "adult")
    result = scan(f"sex education {RTA_LABEL}", "text/plain", m)
    assert result.score("adult") >= ADULT_LABEL_SCORE


# Character sets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("cờ bạc trực tuyến".encode(), "text/plain; charset=utf-8"),
        ("cờ bạc trực tuyến".encode(), "text/plain"),
        ("cờ bạc trực tuyến".encode("utf-16"), "text/plain; charset=UTF-16"),
        ("cờ bạc trực tuyến".encode("utf-16"), "text/plain"),  # byte-order mark
        (b"\xef\xbb\xbf" + "cờ bạc trực tuyến".encode(), "text/plain"),
        (windows_1258("cờ bạc trực tuyến"), "text/plain; charset=windows-1258"),
        (windows_1258("cờ bạc trực tuyến"), 'text/html; charset="Windows-1258"'),
        (b'<meta charset="windows-1258">' + windows_1258("cờ bạc trực tuyến"), "text/html"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
            + windows_1258("cờ bạc trực tuyến"),
            "text/html",
        ),
    ],
)
def test_charsets(body: bytes, content_type: str) -> None:
    assert scan(body, content_type, matcher(GAMBLING_VI)).score("gambling") == 40


@pytest.mark.parametrize(
    ("content_type", "found"),
    [("text/plain; charset=iso-8859-1", True), ("text/plain; charset=latin-1", True),
     ("text/plain", False)],  # read as UTF-8, "è" is not a letter
)
def test_latin_1(content_type: str, found: bool) -> None:
    body = "Crème brûlée".encode("latin-1")
    result = scan(body, content_type, matcher("<crème brûlée><10>"))
    assert (result.score("gambling") == 10) is found


@pytest.mark.parametrize(
    "content_type", ["text/plain; charset=no-such-charset", "text/html; charset=", "text/plain;;"]
)
def test_unknown_charset_falls_back_to_utf8(content_type: str) -> None:
    body = b"\x80\xff\xc3 broken " + "cờ bạc trực tuyến".encode()
    assert scan(body, content_type, matcher(GAMBLING_VI)).score("gambling") == 40


# The byte limit ---------------------------------------------------------------------------


@pytest.mark.parametrize("as_bytes", [True, False])
def test_only_the_first_bytes_are_scanned(as_bytes: bool) -> None:
    padding = "<p>" + "hello world " * 200 + "</p>"
    page = padding + "<p>online casino</p>"
    body: str | bytes = page.encode() if as_bytes else page
    seen = scan(body, "text/html", matcher(CASINO), limit_bytes=len(page))
    unseen = scan(body, "text/html", matcher(CASINO), limit_bytes=len(padding) + 3)
    assert (seen.score("gambling"), seen.truncated) == (50, False)
    assert (unseen.score("gambling"), unseen.truncated) == (0, True)


def test_the_limit_counts_utf8_bytes_of_text() -> None:
    page = "đ" * 100 + " cờ bạc trực tuyến"
    assert scan(page, "text/plain", matcher(GAMBLING_VI), limit_bytes=150).score("gambling") == 0
    assert scan(page, "text/plain", matcher(GAMBLING_VI), limit_bytes=250).score("gambling") == 40


# Phrase lists -------------------------------------------------------------------------------


def test_bad_lines_are_counted_and_skipped() -> None:
    text = "\n".join([
        "# a comment",
        "<casino><20>",
        "casino 20",  # 3: no brackets
        "<poker><abc>",  # 4: weight not a number
        "<roulette><0>",  # 5: zero
        "<bingo><5000>",  # 6: out of range
        "<!!!><10>",  # 7: no letters
        "<casino><30>",  # 8: repeat
        "category: nonsense",  # 9: unknown category
        "<online>,<online><10>",  # 10: same part twice
        "",
        "<online>,<casino><30>  # a comment after the weight",
        "<casino>,<online><40>",  # 13: the same combination in another order
        "category: drugs",
        "<heroin><25>",
    ])
    phrases, bad = parse_phrases(text, "gambling", source="test.txt")
    assert phrases == [
        Phrase(("casino",), 20, "gambling"),
        Phrase(("online", "casino"), 30, "gambling"),
        Phrase(("heroin",), 25, "drugs"),
    ]
    assert [line.number for line in bad] == [3, 4, 5, 6, 7, 8, 9, 10, 13]
    assert bad[0].text == "casino 20"
    assert "repeats line 2" in bad[5].reason
    assert str(bad[0]).startswith("test.txt:3: ")


@pytest.mark.parametrize("text", ["", "# only a comment\n\n", "casino 20\n<x><0>\n"])
def test_a_list_without_phrases_is_an_error(text: str) -> None:
    with pytest.raises(ListError):
        parse_phrases(text, "gambling")


def test_an_unknown_category_is_an_error() -> None:
    with pytest.raises(ListError):
        parse_phrases("<casino><20>", "casinos")


def test_load_phrase_file(tmp_path: Path) -> None:
    path = tmp_path / "gambling.txt"
    path.write_text("\ufeff<nhà cái><40>\nbroken\n", encoding="utf-8")
    phrases, bad = load_phrase_file(path, "gambling")
    assert phrases == [Phrase(("nhà cái",), 40, "gambling")]
    assert [(line.number, line.text) for line in bad] == [(2, "broken")]
    with pytest.raises(ListError):
        load_phrase_file(tmp_path / "missing.txt", "gambling")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\xfa")
    with pytest.raises(ListError):
        load_phrase_file(tmp_path / "binary.txt", "gambling")


def test_shipped_lists() -> None:
    phrases, bad = load_default_phrases()
    assert bad == []
    for category in SHIPPED_CATEGORIES:
        own = [p for p in phrases if p.category == category]
        assert 20 <= len(own) <= 70, category
        assert any(p.weight < 0 for p in own), f"{category} has no good phrases"
        assert any(not p.text.isascii() for p in own), f"{category} has no Vietnamese"
        assert any(p.text.isascii() for p in own), f"{category} has no English"
    assert {p.category for p in phrases} <= set(CATEGORIES)
    assert len(load_default_matcher()) == len(phrases)
    assert load_default_matcher() is load_default_matcher()


def test_parents_see_which_phrases_matched() -> None:
    page = "nhà cái, tài xỉu, cá độ bóng đá, kèo nhà cái, soi kèo, tỷ lệ kèo, lô đề; casino"
    result = scan(page, "text/plain", load_default_matcher())
    shown = result.matches["gambling"]
    assert len(shown) == 5
    assert shown[0] == Phrase(("cá độ bóng đá",), 60, "gambling")
    assert [p.weight for p in shown] == sorted((p.weight for p in shown), reverse=True)
    assert result.score("gambling") > sum(p.weight for p in shown)


def test_scan_result() -> None:
    result = scan("tài xỉu, heroin", "text/plain", load_default_matcher())
    assert dict(result.scores) == {"gambling": 50, "drugs": 25}
    assert result.categories_over(25) == ("gambling", "drugs")
    assert result.categories_over(26) == ("gambling",)
    assert result.categories_over(50) == ("gambling",)  # reaching the threshold is enough
    assert result.score("adult") == 0
    with pytest.raises(FrozenInstanceError):
        result.labelled_adult = True  # type: ignore[misc]
    assert ScanResult().categories_over(0) == ()


# Property: a listed phrase is always seen --------------------------------------------------

_DEFAULT = load_default_matcher()
_VOCABULARY = {w for p in _DEFAULT.phrases for part in p.parts for w in fold(part).split()}
HARMLESS_TEXT = (
    "the a of and to in is it for on with as at by from hello world school family "
    "weather music river garden book lunch quickly green tomorrow "
    "học sinh trường lớp gia đình mẹ em hôm nay thời tiết nắng mưa ăn cơm sách vở "
    "công viên bạn bè vui chơi buổi sáng chiều tối xe đạp bàn ghế"
)
# Words no phrase uses, so that only the inserted phrase can score.
HARMLESS = [w for w in HARMLESS_TEXT.split() if not set(fold(w).split()) & _VOCABULARY]
SEPARATORS = [" ", ", ", ". ", "\n", " - ", "<br>", " (", ") "]
POSITIVE = [p for p in _DEFAULT.phrases if p.weight > 0]


def _spell(part: str, cases: list[bool], accents: list[bool]) -> str:
    """`part` with some words unaccented and some letters upper case."""
    words = part.split()
    keep = accents + [True] * len(words)
    spelt = " ".join(w if keep[i] else fold(w) for i, w in enumerate(words))
    upper = cases + [False] * len(spelt)
    return "".join(c.upper() if upper[i] else c for i, c in enumerate(spelt))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    phrase=st.sampled_from(POSITIVE),
    before=st.lists(st.sampled_from(HARMLESS), max_size=30),
    after=st.lists(st.sampled_from(HARMLESS), max_size=30),
    separator=st.sampled_from(SEPARATORS),
    cases=st.lists(st.booleans(), max_size=40),
    accents=st.lists(st.booleans(), max_size=8),
    nfd=st.booleans(),
    as_html=st.booleans(),
)
def test_an_inserted_phrase_always_scores_its_weight(
    phrase: Phrase, before: list[str], after: list[str], separator: str,
    cases: list[bool], accents: list[bool], nfd: bool, as_html: bool,
) -> None:
    inserted = [_spell(part, cases, accents) for part in phrase.parts]
    text = separator.join(before + inserted + after)
    if nfd:
        text = unicodedata.normalize("NFD", text)
    body = f"<html><body><p>{text}</p></body></html>".encode() if as_html else text
    result = scan(body, "text/html" if as_html else "text/plain", _DEFAULT)
    assert result.score(phrase.category) >= phrase.weight
    assert phrase in result.matches[phrase.category] or len(
        result.matches[phrase.category]
    ) == 5


@settings(max_examples=200)
@given(
    body=st.one_of(st.binary(max_size=3000), st.text(max_size=1000)),
    content_type=st.sampled_from(
        ["", "text/html", "text/plain", "text/html; charset=utf-16", "text/html; charset=cp1258",
         "application/xhtml+xml; charset=bogus", "application/json"]
    ),
    limit=st.integers(min_value=0, max_value=4000),
)
def test_any_body_scans_without_error(body: str | bytes, content_type: str, limit: int) -> None:
    result = scan(body, content_type, _DEFAULT, limit_bytes=limit)
    assert set(result.scores) <= set(SHIPPED_CATEGORIES)
    size = len(body.encode("utf-8", "replace") if isinstance(body, str) else body)
    assert result.truncated or size <= limit  # (a conversion to UTF-8 may also overflow)
