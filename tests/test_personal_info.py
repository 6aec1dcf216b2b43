"""A child's own details are found in what the browser sends, however they are spelled."""

from __future__ import annotations

import json
import unicodedata
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardian.personal_info import (
    KINDS,
    ChildDetails,
    DetailMatcher,
    compile_details,
    extract_outgoing_text,
    redact,
)

AN = ChildDetails(
    full_name="Nguyễn Văn An",
    phone="0912 345 678",
    address="12 Nguyễn Trãi, Phường 2, Quận 5, TP.HCM",
    school="Trường THCS Lê Quý Đôn, lớp 7A2",
    id_number="079086001234",
)
FORM = "application/x-www-form-urlencoded"


def matcher(details: ChildDetails = AN) -> DetailMatcher:
    compiled = compile_details(details)
    assert compiled is not None
    return compiled


def found(text: str, **details: str) -> tuple[str, ...]:
    """The kinds found in `text` for a child with only `details` recorded (AN by default)."""
    return matcher(ChildDetails(**details) if details else AN).find(text)


def multipart(*parts: tuple[str, bytes], boundary: str = "XyZ") -> bytes:
    """A multipart/form-data body from (headers, content) pairs, as a browser sends it."""
    body = b""
    for headers, content in parts:
        body += f"--{boundary}\r\n{headers}\r\n\r\n".encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


# --- phone numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "(+84) 912-345-678",
        "091 234 5678",
        "0912\u00a0345\u00a0678",  # no-break spaces
        "+84 (0) 912 345 678",
        "0084 912 345 678",
        "912345678",  # a number alone, as a form with a +84 menu or JSON sends it
        "SĐT của em: 0912345678, gọi nhé",
        "sdt0912345678",
        "0987654321 0912345678",  # two phones side by side
        "phones: 0912345678/0987654321",
        "1 0912345678",
    ],
)
def test_every_spelling_of_the_phone_is_found(text: str) -> None:
    assert found(text, phone="0912 345 678") == ("phone",)


@pytest.mark.parametrize(
    "text",
    [
        "0912345679",  # another number
        "0912 345 67",
        "09123456789",  # a longer digit run
        "10912345678",
        "4111091234567800",  # a card number holding the phone's digits
        "4111 0912 3456 7800",
        "+1 912 345 678",  # another country's prefix
        "+85 912 345 678",
        "1912345678",
        "091 234 567 890",
        "",
    ],
)
def test_numbers_that_only_look_like_the_phone_are_not(text: str) -> None:
    assert found(text, phone="0912 345 678") == ()


@pytest.mark.parametrize(
    "recorded", ["0912345678", "+84 912 345 678", "84912345678", "(+84) 912.345.678", "912345678"]
)
def test_the_recorded_phone_may_be_written_any_way(recorded: str) -> None:
    assert found("gọi 0912 345 678 nhé", phone=recorded) == ("phone",)


def test_a_landline_with_an_area_code_is_found() -> None:
    assert found("ĐT nhà: (024) 3826 1234", phone="024 3826 1234") == ("phone",)
    assert found("+84 24 3826 1234", phone="02438261234") == ("phone",)


@given(
    splits=st.lists(st.integers(min_value=1, max_value=9), max_size=4, unique=True),
    separators=st.lists(st.sampled_from([" ", ".", "-", "\u00a0", ") ", " - ", "("]), min_size=4),
    prefix=st.sampled_from(["0", "+84 ", "84", "(+84) ", "+84 (0) "]),
    before=st.sampled_from(["", "sdt ", "số: ", "\n", "tel="]),
    after=st.sampled_from(["", " ạ", ".", ", cảm ơn", "\n"]),
)
def test_any_grouping_of_the_phone_is_found(
    splits: list[int], separators: list[str], prefix: str, before: str, after: str
) -> None:
    digits = "912345678"
    groups, last = [], 0
    for cut in sorted(splits):
        groups.append(digits[last:cut])
        last = cut
    groups.append(digits[last:])
    spelled = groups[0] + "".join(
        sep + group for sep, group in zip(separators, groups[1:], strict=False)
    )
    assert found(before + prefix + spelled + after, phone="0912345678") == ("phone",)


# --- ID numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded", "text", "expected"),
    [
        ("079086001234", "079086001234", True),
        ("079086001234", "079 086 001 234", True),
        ("079086001234", "079.086.001.234", True),
        ("079086001234", "079-086-001-234", True),
        ("079086001234", "CCCD:0790 8600 1234.", True),
        ("079 086 001 234", "079086001234", True),
        ("079086001234", "0790860012345", False),  # inside a longer run
        ("079086001234", "1079086001234", False),
        ("079086001234", "07908600123", False),
        ("079086001234", "079086001235", False),
        ("079086001234", "079 086 001 2345", False),
        ("123456789", "CMND 123 456 789", True),  # the older 9-digit card
        ("123456789", "123.456.789", True),
        ("123456789", "1234567890", False),
        ("123456789", "0123 456 789", False),
    ],
)
def test_id_numbers_with_and_without_separators(recorded: str, text: str, expected: bool) -> None:
    assert found(text, id_number=recorded) == (("id_number",) if expected else ())


def test_an_id_with_letters_or_the_wrong_length_is_not_searched() -> None:
    assert matcher(ChildDetails(id_number="C1234567")).kinds == ()
    assert matcher(ChildDetails(id_number="12345")).kinds == ()


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Văn An", True),
        ("nguyen van an", True),
        ("NGUYEN VAN AN", True),
        ("NGUYỄN VĂN AN", True),
        (unicodedata.normalize("NFD", "Nguyễn Văn An"), True),
        ("Nguyen  Van   An", True),
        ("Nguyễn\u00a0Văn\u00a0An", True),
        ("Nguyen\tVan\nAn", True),
        ("nguyễn-văn-an", True),
        ("Nguyen+Van+An", True),  # a "+" the caller did not decode is a separator too
        ("Em tên là Nguyễn Văn An, học lớp 7.", True),
        ("(Nguyễn Văn An)", True),
        ("Nguyễn Văn Anh", False),  # whole words only
        ("Nguyễn Văn Ban", False),
        ("Nguyễn Văn", False),
        ("Văn An", False),
        ("An Nguyễn Văn", False),  # in order
        ("Nguyễn Thị Văn An", False),  # nothing but separators between the words
        ("nguyenvanan", False),
        ("nguyễn văn ant", False),
        ("", False),
    ],
)
def test_the_full_name_regardless_of_accents_case_and_spacing(text: str, expected: bool) -> None:
    assert found(text, full_name="Nguyễn Văn An") == (("full_name",) if expected else ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lê an", True),
        ("Le An.", True),
        ("lê anh", False),
        ("le ban", False),
        ("lelan", False),
        ("Lê Andrew", False),
        ("ale an", False),
    ],
)
def test_a_short_name_matches_whole_words_only(text: str, expected: bool) -> None:
    assert found(text, full_name="Lê An") == (("full_name",) if expected else ())


def test_a_one_word_name_is_not_searched() -> None:
    compiled = matcher(ChildDetails(full_name="An"))
    assert compiled.kinds == ()
    assert compiled.find("An ăn cơm") == ()


def test_the_recorded_name_may_be_typed_without_accents_or_in_nfd() -> None:
    for recorded in (
        "nguyen van an",
        unicodedata.normalize("NFD", "Nguyễn Văn An"),
        "NGUYỄN VĂN AN",
    ):
        assert found("Tên: Nguyễn Văn An", full_name=recorded) == ("full_name",)


SPELLINGS = {
    "a": "aAàáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ",
    "e": "eEèéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ",
    "u": "uUùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ",
    "y": "yYỳýỷỹỵỲÝỶỸỴ",
}


@given(
    letters=st.lists(st.integers(min_value=0, max_value=60), min_size=11, max_size=11),
    separators=st.lists(
        st.sampled_from([" ", "  ", "-", "\u00a0", ", ", "\t", "+", "_", " \r\n"]),
        min_size=2,
        max_size=2,
    ),
    before=st.sampled_from(["", "(", "tên: ", "\n", "«"]),
    after=st.sampled_from(["", ".", ")", " ạ", "»"]),
    form=st.sampled_from(["NFC", "NFD"]),
)
def test_any_accent_case_and_separator_spelling_of_the_name_is_found(
    letters: list[int],
    separators: list[str],
    before: str,
    after: str,
    form: Literal["NFC", "NFD"],
) -> None:
    choices = iter(letters)

    def spell(word: str) -> str:
        out = ""
        for char in word:
            options = SPELLINGS.get(char, char + char.upper())
            out += options[next(choices) % len(options)]
        return out

    name = spell("nguyen") + separators[0] + spell("van") + separators[1] + spell("an")
    text = unicodedata.normalize(form, before + name + after)
    assert found(text, full_name="Nguyễn Văn An") == ("full_name",)


def test_western_european_letters_fold_too() -> None:
    assert found("francois muller", full_name="François Müller") == ("full_name",)


# --- addresses ------------------------------------------------------------------------------

ADDRESS = "12 Nguyễn Trãi, Phường 2, Quận 5, TP.HCM"


@pytest.mark.parametrize(
    ("recorded", "text", "expected"),
    [
        (ADDRESS, "12 nguyen trai", True),
        (ADDRESS, "nhà em ở 12 Nguyễn Trãi", True),
        (ADDRESS, "số 12 Nguyễn Trãi", True),
        (ADDRESS, "12 đường Nguyễn Trãi", True),
        (ADDRESS, "12 Đ. Nguyễn Trãi", True),
        (ADDRESS, "12, Nguyễn Trãi", True),
        (ADDRESS, "12 NGUYEN TRAI Street", True),
        (ADDRESS, ADDRESS, True),
        (ADDRESS, "Nguyễn Trãi", False),  # a famous street, and a famous man
        (ADDRESS, "đường Nguyễn Trãi", False),
        (ADDRESS, "112 Nguyễn Trãi", False),
        (ADDRESS, "12A Nguyễn Trãi", False),
        (ADDRESS, "12 Nguyễn", False),
        (ADDRESS, "12 Nguyễn Trãi Anh", True),  # the street line is all there
        (ADDRESS, "Phường 2, Quận 5, TP.HCM", False),
        (ADDRESS, "quận 5", False),
        (ADDRESS, "thơ Nguyễn Trãi lớp 12", False),
        ("Số 12/3 Nguyễn Trãi, P.2, Q.5", "12/3 nguyen trai", True),
        ("Số 12/3 Nguyễn Trãi, P.2, Q.5", "12 nguyen trai", False),
        ("12 Nguyễn Trãi P.2 Q.5 TPHCM", "12 Nguyễn Trãi", True),  # no commas
        ("12 Nguyễn Thị Minh Khai, Quận 1", "12 nguyen thi minh khai", True),
        ("12 Nguyễn Thị Minh Khai, Quận 1", "12 nguyen thi", False),
        ("12 Phố Huế, Hà Nội", "12 Phố Huế", True),
        ("12 Phố Huế, Hà Nội", "12 Huế", True),
        ("Số 5, ngõ 10, phố Huế", "số 5 ngõ 10 phố Huế", True),
        ("Số 5, ngõ 10, phố Huế", "ngõ 10 phố Huế", False),
        ("Thôn Đông, Xã Tân Lập, Huyện Đan Phượng", "thôn Đông, xã Tân Lập", True),
        ("Thôn Đông, Xã Tân Lập, Huyện Đan Phượng", "thon dong xa tan lap", True),
        ("Thôn Đông, Xã Tân Lập, Huyện Đan Phượng", "thôn Đông", False),
        ("Thôn Đông, Xã Tân Lập, Huyện Đan Phượng", "xã Tân Lập", False),
        ("Ngõ 5 Láng Hạ, Đống Đa, Hà Nội", "ngõ 5 Láng Hạ", True),
        ("Ngõ 5 Láng Hạ, Đống Đa, Hà Nội", "Láng Hạ", False),
        ("221B Baker Street, London", "221b baker st", True),
        ("221B Baker Street, London", "221B Baker Street", True),
        ("221B Baker Street, London", "baker street", False),
    ],
)
def test_addresses_match_by_house_number_and_street(
    recorded: str, text: str, expected: bool
) -> None:
    assert found(text, address=recorded) == (("address",) if expected else ())


@pytest.mark.parametrize(
    "recorded",
    ["Phường 2, Quận 5, TP.HCM", "Nguyễn Trãi", "Hà Nội", "Xã Tân Lập, Huyện Đan Phượng"],
)
def test_an_address_without_a_specific_part_is_not_searched(recorded: str) -> None:
    assert matcher(ChildDetails(address=recorded)).kinds == ()


# --- schools ------------------------------------------------------------------------------

SCHOOL = "Trường THCS Lê Quý Đôn, lớp 7A2"


@pytest.mark.parametrize(
    ("recorded", "text", "expected"),
    [
        (SCHOOL, "THCS Le Quy Don", True),
        (SCHOOL, "trường THCS Lê Quý Đôn", True),
        (SCHOOL, "truong le quy don", True),
        (SCHOOL, "trung học cơ sở Lê Quý Đôn", True),
        (SCHOOL, "THPT chuyên Lê Quý Đôn", True),  # the level is not compared
        (SCHOOL, "Le Quy Don High School", True),
        (SCHOOL, "le quy don school", True),
        (SCHOOL, "lớp 7A2 Lê Quý Đôn", True),
        (SCHOOL, "em học lớp 7A2 trường Lê Quý Đôn", True),
        (SCHOOL, "le quy don", False),  # the scholar, a street, a biography
        (SCHOOL, "đường Lê Quý Đôn", False),
        (SCHOOL, "45 Lê Quý Đôn, Quận 3", False),
        (SCHOOL, "tiểu sử Lê Quý Đôn", False),
        (SCHOOL, "trường Lê Quý", False),
        (SCHOOL, "THCS Le Quy Donn", False),
        (SCHOOL, "7A2", False),  # a class alone is not searched
        (SCHOOL, "lớp 7A2", False),
        (SCHOOL, "trường THCS", False),
        ("Lớp 7A2, Trường THCS Lê Quý Đôn", "THCS Lê Quý Đôn", True),
        ("THCS Lê Quý Đôn - 7A2", "trường Lê Quý Đôn", True),
        ("Le Quy Don High School", "trường Lê Quý Đôn", True),
        ("Lincoln Elementary School", "Lincoln Elementary School", True),
        ("Lincoln Elementary School", "lincoln school", True),
        ("Lincoln Elementary School", "Abraham Lincoln", False),
        ("Trường Tiểu học Kim Đồng", "TH Kim Đồng", True),
        ("Trường Tiểu học Kim Đồng", "tiểu học Kim Đồng", True),
        ("Trường Tiểu học Kim Đồng", "phố Kim Đồng", False),
    ],
)
def test_a_school_matches_only_with_a_school_word(recorded: str, text: str, expected: bool) -> None:
    assert found(text, school=recorded) == (("school",) if expected else ())


@pytest.mark.parametrize("recorded", ["Lớp 7A2", "7A2", "Trường THCS"])
def test_a_class_or_a_school_word_alone_is_not_searched(recorded: str) -> None:
    assert matcher(ChildDetails(school=recorded)).kinds == ()


# --- the matcher as a whole -------------------------------------------------------------------


def test_nothing_recorded_compiles_to_none() -> None:
    assert compile_details(ChildDetails()) is None
    assert compile_details(ChildDetails(full_name="  ", phone="\t")) is None


def test_kinds_lists_what_can_be_found() -> None:
    assert matcher().kinds == KINDS
    partial = matcher(ChildDetails(full_name="An", phone="0912345678", school="lớp 7A2"))
    assert partial.kinds == ("phone",)


def test_every_kind_is_reported_once_in_a_fixed_order() -> None:
    text = (
        "Trường THCS Lê Quý Đôn; id 079086001234; 12 Nguyễn Trãi; 0912 345 678; Nguyễn Văn An; "
        "nguyễn văn an"
    )
    assert matcher().find(text) == KINDS


def test_neither_the_result_nor_the_repr_holds_a_detail() -> None:
    compiled = matcher()
    assert set(compiled.find("Nguyễn Văn An 0912345678")) <= set(KINDS)
    text = repr(compiled).lower()
    for word in ("nguyen", "912", "trai", "quy", "079"):
        assert word not in text


def test_a_text_without_details_finds_nothing() -> None:
    text = "Hôm nay em học bài Nguyễn Trãi ở trường, bạn An ngồi cạnh em. Điện thoại 0987 654 321."
    assert matcher().find(text) == ()


# --- redaction --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nguyen van an", "[…]"),
        ("tìm Nguyễn Văn An trên facebook", "tìm […] trên facebook"),
        ("gọi 0912 345 678 nhé", "gọi […] nhé"),
        ("call +84 912 345 678", "call +[…]"),
        ("nhà 12 Nguyễn Trãi, Quận 5", "nhà […], Quận 5"),
        ("THCS Lê Quý Đôn lớp 7A2", "THCS […] lớp 7A2"),
        ("CCCD 079.086.001.234 ok", "CCCD […] ok"),
        ("An và Nguyễn Văn An và nguyen van an", "An và […] và […]"),
        ("bài thơ Nguyễn Trãi", "bài thơ Nguyễn Trãi"),
        ("", ""),
    ],
)
def test_redact_replaces_each_detail_and_keeps_the_rest(text: str, expected: str) -> None:
    assert redact(text, matcher()) == expected


def test_redact_leaves_nothing_findable() -> None:
    compiled = matcher()
    text = (
        "Em là Nguyễn Văn An, SĐT 0912.345.678, ở 12 Nguyễn Trãi, học THCS Lê Quý Đôn, 079086001234"
    )
    assert compiled.find(text) == KINDS
    assert compiled.find(redact(text, compiled)) == ()


def test_redact_of_nfd_text_answers_in_nfc() -> None:
    text = unicodedata.normalize("NFD", "tên: Nguyễn Văn An, lớp 7")
    assert redact(text, matcher()) == "tên: […], lớp 7"


def test_redact_without_a_matcher_changes_nothing() -> None:
    assert redact("Nguyễn Văn An 0912345678", None) == "Nguyễn Văn An 0912345678"


# --- extracting what a request sends -------------------------------------------------------------


def test_the_query_string_is_percent_decoded_with_plus_as_space() -> None:
    text = extract_outgoing_text("", b"", "?q=nguy%E1%BB%85n+v%C4%83n+an&hl=vi")
    assert "nguyễn văn an" in text
    assert matcher().find(text) == ("full_name",)


def test_an_urlencoded_form_is_decoded() -> None:
    body = b"name=Nguy%E1%BB%85n+V%C4%83n+An&phone=0912%20345%20678&note=a%3Db%25"
    text = extract_outgoing_text(FORM, body, "")
    assert "Nguyễn Văn An" in text
    assert "a=b%" in text
    assert matcher().find(text) == ("full_name", "phone")


def test_an_urlencoded_form_in_another_charset() -> None:
    body = b"name=Fran%E7ois+M%FCller"
    text = extract_outgoing_text(f"{FORM}; charset=ISO-8859-1", body, "")
    assert "François Müller" in text


def test_multipart_text_fields_and_filenames_are_read_but_not_binary_files() -> None:
    body = multipart(
        ('Content-Disposition: form-data; name="bio"', "Em là Nguyễn Văn An".encode()),
        (
            'Content-Disposition: form-data; name="photo"; filename="12 Nguyễn Trãi.jpg"\r\n'
            "Content-Type: image/jpeg",
            b"\xff\xd8\xff 0912345678 079086001234 \x00\x01",
        ),
        (
            'Content-Disposition: form-data; name="cv"; filename="cv.txt"\r\n'
            "Content-Type: text/plain; charset=utf-8",
            "trường THCS Lê Quý Đôn".encode(),
        ),
    )
    text = extract_outgoing_text("multipart/form-data; boundary=XyZ", body, "")
    assert "Nguyễn Văn An" in text
    assert "12 Nguyễn Trãi.jpg" in text
    assert "0912345678" not in text
    assert matcher().find(text) == ("full_name", "address", "school")


def test_multipart_filename_star_and_json_parts() -> None:
    body = multipart(
        (
            'Content-Disposition: form-data; name="f"; '
            "filename*=UTF-8''Nguy%E1%BB%85n%20V%C4%83n%20An.png",
            b"\x89PNG",
        ),
        (
            'Content-Disposition: form-data; name="meta"\r\nContent-Type: application/json',
            b'{"tel": "0912 345 678"}',
        ),
        (
            'Content-Disposition: form-data; name="blob"\r\nContent-Type: application/octet-stream',
            b"079086001234",
        ),
    )
    text = extract_outgoing_text('multipart/form-data; boundary="XyZ"', body, "")
    assert matcher().find(text) == ("full_name", "phone")


def test_multipart_without_a_boundary_parameter_uses_the_first_line() -> None:
    body = multipart(('Content-Disposition: form-data; name="a"', b"Nguyen Van An"), boundary="q1")
    assert matcher().find(extract_outgoing_text("multipart/form-data", body, "")) == ("full_name",)


@pytest.mark.parametrize(
    "payload",
    [
        {"user": {"profile": {"contacts": [{"label": "me", "phone": "0912 345 678"}]}}},
        [[["x", ["+84 912 345 678"]]]],
        {"phone": 912345678},  # a number loses its 0
        {"variables": {"input": {"text": "số 0912.345.678"}}, "query": "mutation"},
    ],
)
def test_json_strings_are_read_at_any_depth(payload: object) -> None:
    body = json.dumps(payload).encode()
    assert matcher().find(extract_outgoing_text("application/json", body, "")) == ("phone",)


def test_json_variants_and_broken_json() -> None:
    body = json.dumps({"name": "Nguyễn Văn An"}, ensure_ascii=False).encode()
    assert "Nguyễn Văn An" in extract_outgoing_text("application/vnd.api+json", body, "")
    broken = b'{"a": [1, 2, {"name": "Nguy\\u1ec5n V\\u0103n An", "b": tru'
    assert "Nguyễn Văn An" in extract_outgoing_text("application/json; charset=utf-8", broken, "")
    deep = b"[" * 100_000 + b'"Nguyen Van An"' + b"]" * 100_000
    assert "Nguyen Van An" in extract_outgoing_text("application/json", deep, "")
    nested = json.dumps(json.loads("[" * 200 + '"too deep"' + "]" * 200)).encode()
    assert "too deep" not in extract_outgoing_text("application/json", nested, "")


def windows_1258(text: str) -> bytes:
    """`text` the way windows-1258 stores it: vowels precomposed, tone marks combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    decomposed = unicodedata.normalize("NFD", text)
    chars: list[str] = []
    for char in decomposed:
        if chars and char not in tones and unicodedata.combining(char):
            chars[-1] = unicodedata.normalize("NFC", chars[-1] + char)
        else:
            chars.append(char)
    return "".join(chars).encode("cp1258")


def test_plain_text_in_its_charset() -> None:
    body = windows_1258("Em là Nguyễn Văn An")
    assert b"?" not in body
    text = extract_outgoing_text("text/plain; charset=windows-1258", body, "")
    assert matcher().find(text) == ("full_name",)


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/octet-stream", "text/html", "", "video/mp4"]
)
def test_other_bodies_are_not_read(content_type: str) -> None:
    assert extract_outgoing_text(content_type, b"Nguyen Van An 0912345678", "") == ""


def test_only_the_first_limit_bytes_are_read() -> None:
    body = b"a=" + b"x" * 1000 + b"&name=Nguyen+Van+An"
    assert extract_outgoing_text(FORM, body, "", limit=500) == "a=" + "x" * 498
    assert "Nguyen Van An" in extract_outgoing_text(FORM, body, "", limit=2000)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (FORM, b"%%%zz%4=&&==%e1%bb"),
        (f"{FORM}; charset=no-such-charset", b"name=Nguy%E1%BB%85n+V%C4%83n+An"),
        ("text/plain; charset=base64", b"Nguyen Van An"),
        ("text/plain; charset=idna", b"\xff\xfeNguyen Van An"),
        ("multipart/form-data; boundary=", b"--x\r\nbroken"),
        ("multipart/form-data; boundary=XyZ", b"--XyZ\r\nContent-Disposition: form-data; name="),
        ("multipart/form-data; boundary=XyZ", b"no delimiter at all"),
        ('multipart/form-data; boundary="unterminated', b"--x"),
        ("application/json", b"\xff\xfe{not json"),
        ("application/json", b'"\\ud800 lone surrogate"'),
        ("application/json", b"1" * 5000),
        ("text/plain", b"\x00\x01\xff\xfe\xc3"),
        ("text/plain; charset=utf-8", "Nguyen Van An \udcff".encode("utf-8", "surrogateescape")),
    ],
)
def test_malformed_input_gives_what_can_be_read(content_type: str, body: bytes) -> None:
    text = extract_outgoing_text(content_type, body, "%zz%")
    assert isinstance(text, str)
    matcher().find(text)
    redact(text, matcher())


def test_lone_surrogates_and_control_characters_are_separators() -> None:
    assert matcher().find("Nguyen\ud800Van\x00An") == ("full_name",)
    assert redact("\udfff Nguyen Van An", matcher()) == "\udfff […]"


def test_a_wrong_charset_still_finds_ascii_spellings() -> None:
    body = b"name=Nguyen+Van+An"
    assert matcher().find(extract_outgoing_text(f"{FORM}; charset=bogus", body, "")) == (
        "full_name",
    )


CONTENT_TYPES = st.sampled_from(
    [
        FORM,
        f"{FORM}; charset=utf-16",
        "multipart/form-data; boundary=XyZ",
        "multipart/form-data",
        "application/json",
        "application/ld+json; charset=latin-1",
        "text/plain; charset=windows-1258",
        "text/plain; charset=utf-7",
        "image/png",
        "",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    content_type=st.one_of(CONTENT_TYPES, st.text(max_size=60)),
    body=st.one_of(
        st.binary(max_size=2000),
        st.builds(
            lambda parts: b"--XyZ\r\n" + b"\r\n--XyZ\r\n".join(parts),
            st.lists(st.binary(max_size=200), max_size=5),
        ),
    ),
    query=st.text(max_size=200),
    limit=st.integers(min_value=-5, max_value=3000),
)
def test_extraction_never_raises(content_type: str, body: bytes, query: str, limit: int) -> None:
    text = extract_outgoing_text(content_type, body, query, limit)
    assert isinstance(text, str)
    assert set(matcher().find(text)) <= set(KINDS)


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_find_and_redact_never_raise(text: str) -> None:
    compiled = matcher()
    kinds = compiled.find(text)
    redacted = redact(text, compiled)
    if not kinds:
        assert redacted == text
    else:
        assert "[…]" in redacted
