"""`gongkai.lib.text`: the one normal form that search documents and queries share."""

import sys
import threading
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.lib.text import normalize_aligned, normalize_text, visible_text


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("張店區", "张店区"),
        ("關於印發《淄博市張店區發展規劃》的通知", "关于印发《淄博市张店区发展规划》的通知"),
        ("ＡＢＣ１２３", "abc123"),
        ("ABC Def", "abc def"),
        ("张店区\u3000发改局", "张店区 发改局"),  # the ideographic space is a space
        ("  a \t\n b  ", "a b"),
        ("（２０２６）", "(2026)"),
        ("，；：！？", ",;:!?"),
        ("张\u200b店\u00ad区", "张店区"),  # zero-width space and soft hyphen are invisible
        ("a\x00b\x07c", "abc"),  # control characters are dropped
        ("x\ud800y", "xy"),  # a lone surrogate cannot be encoded: dropped
        ("ÄÖÜ", "ÄÖÜ"),  # only ASCII is lower-cased
        ("①②", "12"),
        ("", ""),
        ("\u3000 \t", ""),
    ],
)
def test_normalize_text(raw, normal):
    assert normalize_text(raw) == normal


def test_normalising_twice_changes_nothing_for_ordinary_text():
    text = "關於張店區ＡＢＣ１２３　项目资金（２０２６）的通知"
    assert normalize_text(normalize_text(text)) == normalize_text(text)


def test_every_invisible_character_of_this_unicode_version_is_dropped():
    invisible = [
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cf", "Cs")
        or (unicodedata.category(chr(cp)) == "Cc" and not chr(cp).isspace())
    ]
    kept = [f"U+{ord(ch):04X}" for ch in invisible if normalize_text(f"a{ch}b") != "ab"]
    assert kept == []


def test_the_converter_is_shared_by_threads():
    results = []

    def work():
        results.append([normalize_text("張店區發展和改革局") for _ in range(200)])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {value for batch in results for value in batch} == {"张店区发展和改革局"}


def test_visible_text_keeps_the_characters_as_written():
    assert visible_text("  關於\u200b張店區\u3000ＡＢＣ\n") == "關於張店區 ＡＢＣ"


def test_normalize_aligned_points_each_character_back_to_its_origin():
    raw = " 張店區\u3000 ＡＢＣ\u200b１２３ x"
    normal, origin = normalize_aligned(raw)
    assert normal == normalize_text(raw) == "张店区 abc123 x"
    assert [raw[i] for i in origin] == list("張店區\u3000ＡＢＣ１２３ x")


def test_normalize_aligned_maps_an_expansion_to_one_origin():
    normal, origin = normalize_aligned("㈱Ａ")
    assert normal == "(株)a"
    assert origin == [0, 0, 0, 1]


@given(st.text(alphabet=st.sampled_from("张店區發展ＡＢcD１2　 ,，。\u200b\t")))
def test_normalize_aligned_agrees_with_normalize_text(raw):
    normal, origin = normalize_aligned(raw)
    assert normal == normalize_text(raw)
    assert len(origin) == len(normal)
    assert origin == sorted(origin)
