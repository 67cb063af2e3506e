"""Names: one stored form (normalize_name) and one look-alike key (skeleton)."""

from __future__ import annotations

import pytest

from xiaoan.core.names import CONFUSABLES, normalize_name, skeleton


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("梁子湖高级中学", "梁子湖高级中学"),
        ("  梁子湖\u3000高级中学 \n", "梁子湖 高级中学"),  # ideographic space, edges
        ("梁子湖\u200b高级中学", "梁子湖高级中学"),  # zero-width space
        ("\ufeff梁子湖\u200d高级\u200c中学\u2060", "梁子湖高级中学"),  # BOM, joiners
        ("梁子湖\u202e高级中学", "梁子湖高级中学"),  # right-to-left override
        ("梁子湖\u00ad高级中学", "梁子湖高级中学"),  # soft hyphen
        ("梁子湖\ufe0f高级中学\u3164", "梁子湖高级中学"),  # variation selector, Hangul filler
        ("ｓｃｈｏｏｌ　Ａ１", "school A1"),  # full-width forms
        ("第（一）中学", "第(一)中学"),
        ("\u2f08\u2f00", "人一"),  # Kangxi radicals
        ("a\tb\r\nc", "a b c"),
        ("\u200b\u200b", ""),
    ],
)
def test_it_normalizes_names(raw, stored):
    assert normalize_name(raw) == stored


@pytest.mark.parametrize(
    "one, other",
    [
        ("admin", "аdmin"),  # Cyrillic а
        ("admin", "ADMIN"),
        ("admin", "αdmin"),  # Greek alpha
        ("ΑDMIN", "admin"),  # Greek capital alpha
        ("paypal", "раура1"),  # Cyrillic р а у, digit 1
        ("school", "schoo1"),
        ("school", "sch00l"),
        ("modern", "rnodern"),
        ("wang", "vvang"),
        ("li", "1i"),
        ("liu", "ⅼiu"),  # small roman numeral fifty, NFKC → l
        ("梁子湖高级中学", "梁子湖 高级中学"),
        ("梁子湖高级中学", "梁子湖\u200b高级中学"),
        ("梁子湖高级中学", "梁子湖高级中学\u3000"),
        ("鄂州市第一中学", "鄂州市第一中学"),
        ("东沟镇—中心小学", "东沟镇-中心小学"),
        ("张三・李四", "张三·李四"),
        ("第〇中学", "第0中学"),
        ("José", "Jose"),
    ],
)
def test_it_gives_look_alikes_one_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(
    "one, other",
    [
        ("梁子湖高级中学", "梁子湖初级中学"),
        ("第一中学", "第二中学"),
        ("admin", "admins"),
        ("school_a_officer", "school_b_officer"),
        ("张三", "张山"),
        ("wang1", "wang2"),
    ],
)
def test_it_keeps_different_names_apart(one, other):
    assert skeleton(one) != skeleton(other)


def test_it_maps_only_to_ascii_or_a_dash_or_a_dot():
    # The table folds look-alikes onto one plain form, never onto another look-alike.
    for source, target in CONFUSABLES.items():
        assert target in "abcdefghijklmnopqrstuvwxyz-·", (source, target)


# Awkward inputs: every invisible kind, mixed scripts, combining marks, Hangul, surrogates
# of the astral planes, controls.
AWKWARD = [
    "",
    " ",
    "\u200b \u200b",
    "a\u0301\u0301b",
    "한국 학교",
    "ＡＢＣ１２３\u3000ｘ",
    "\U0001f3eb 学校 \U000e0101",
    "rnrn vvv 1il|",
    "\x00\x07tab\there\x1f",
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    "Ⅻ ⅻ ﬁ ﬀ ㍿ ㈱",
    "𝐚𝐝𝐦𝐢𝐧",  # mathematical bold: NFKC → admin
]


@pytest.mark.parametrize("text", AWKWARD)
def test_it_is_idempotent(text):
    once = normalize_name(text)
    assert normalize_name(once) == once
    assert skeleton(once) == skeleton(text)
    assert skeleton(skeleton(text)) == skeleton(text)


@pytest.mark.parametrize("text", AWKWARD)
def test_it_leaves_no_invisible_or_doubled_space(text):
    stored = normalize_name(text)
    assert stored == stored.strip()
    assert "  " not in stored
    assert not any(c in stored for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e\x00")


def test_it_folds_mathematical_letters_onto_plain_ones():
    assert skeleton("𝐚𝐝𝐦𝐢𝐧") == skeleton("admin")
