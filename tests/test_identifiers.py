"""Identifiers: USCC (GB 32100), resident ID (GB 11643), org code (GB 11714). STATUTES.md §4.1–4.3."""

import datetime
import json
import string

import pytest
import time_machine
from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.lib import identifiers
from gongkai.lib.identifiers import (
    USCC_ALPHABET,
    IdCheck,
    check_org_code,
    check_resident_id,
    check_uscc,
    identify,
    mask_resident_id,
    normalize,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)

BUREAU = "1137030300421716XM"  # 张店区发展和改革局, the reference bureau
SEED_USCCS = ["11370303MB2858350L", "11370303004224175E", "11341702486344515H"]
STANDARD_ID = "11010519491231002X"  # GB 11643's own example

# STATUTES.md §4.1, written out independently of the code under test.
SPEC_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
# Characters that are not USCC symbols and do not normalise into one.
OUTSIDE_ALPHABET = ["I", "O", "Z", "S", "V", "i", "o", "*", "#", ".", "/", "中", "Ö", "?"]

uscc_symbol = st.sampled_from(USCC_ALPHABET)
digit = st.sampled_from(string.digits)


def spec_uscc_check(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, SPEC_USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def with_resident_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


@st.composite
def usccs(draw: st.DrawFn) -> str:
    """Any 17 USCC symbols with a numeric region code (positions 3–8), plus the computed check char."""
    head = draw(st.text(uscc_symbol, min_size=2, max_size=2))
    region = draw(st.text(digit, min_size=6, max_size=6))
    body = draw(st.text(uscc_symbol, min_size=9, max_size=9))
    first17 = head + region + body
    return first17 + uscc_check_char(first17)


# --- normalize -------------------------------------------------------------------------------------


def test_normalize_turns_full_width_into_half_width_and_upper_cases():
    assert normalize("１１３７０３０３００４２１７１６ｘｍ") == BUREAU


def test_normalize_removes_spaces_hyphens_and_invisible_characters():
    assert normalize(" 113703 03\t0042-1716\u3000XM\u200b\n") == BUREAU
    assert normalize("00421716－x") == "00421716X"
    assert normalize("00421716‐X") == "00421716X"


# --- USCC ------------------------------------------------------------------------------------------


def test_the_reference_bureaus_uscc_is_valid_and_explained():
    result = check_uscc(BUREAU)

    assert result.valid
    assert result.kind == "uscc"
    assert result.errors == ()
    assert result.warnings == ()
    assert result.details["registration_authority_code"] == "1"
    assert result.details["registration_authority"] == "机构编制"
    assert result.details["category_code"] == "1"
    assert result.details["category"] == "机关"
    assert result.details["region_code"] == "370303"
    assert result.details["region"] == {"province": "山东省", "county": "张店区"}
    assert result.details["org_code"] == "00421716X"


@pytest.mark.parametrize("value", SEED_USCCS)
def test_the_seeds_other_usccs_are_valid(value):
    result = check_uscc(value)
    assert result.valid, result.errors
    assert result.warnings == ()


def test_it_names_the_expected_check_character_when_it_is_wrong():
    result = check_uscc("1137030300421716XN")

    assert not result.valid
    assert result.failed_checks == ("check_char",)
    assert result.errors == (
        '统一社会信用代码 "1137030300421716XN" 校验码错误：应为 M / '
        'USCC "1137030300421716XN": check character is N, expected M',
    )


def test_it_accepts_the_reference_uscc_typed_in_lower_case_with_spaces():
    result = check_uscc(" 1137 0303 0042 1716 xm ")
    assert result.valid
    assert result.normalized == BUREAU
    assert result.value == " 1137 0303 0042 1716 xm "


def test_it_rejects_every_single_character_substitution_of_the_reference_uscc():
    rejected = 0
    for position in range(18):
        for symbol in USCC_ALPHABET:
            if symbol == BUREAU[position]:
                continue
            result = check_uscc(BUREAU[:position] + symbol + BUREAU[position + 1 :])
            assert not result.valid, (position, symbol)
            # Every weight is invertible mod 31, so any change inside the alphabet moves the check value.
            assert "check_char" in result.failed_checks, (position, symbol)
            rejected += 1
        for outsider in OUTSIDE_ALPHABET:
            result = check_uscc(BUREAU[:position] + outsider + BUREAU[position + 1 :])
            assert not result.valid, (position, outsider)
            assert result.failed_checks == ("charset",), (position, outsider)
            assert f"第{position + 1}位" in result.errors[0]
            rejected += 1
    assert rejected == 18 * (30 + len(OUTSIDE_ALPHABET))


@given(position=st.integers(0, 17), replacement=st.characters())
def test_no_substitution_that_changes_the_reference_uscc_is_accepted(position, replacement):
    mutated = BUREAU[:position] + replacement + BUREAU[position + 1 :]
    assume(normalize(mutated) != BUREAU)
    assert not check_uscc(mutated).valid


@given(usccs())
def test_any_uscc_with_a_computed_check_character_is_valid(value):
    result = check_uscc(value)
    assert result.valid, result.errors
    assert result.normalized == value


@given(usccs(), uscc_symbol)
def test_it_rejects_a_uscc_whose_check_character_is_wrong(value, wrong):
    assume(wrong != value[17])
    result = check_uscc(value[:17] + wrong)
    assert not result.valid
    assert result.failed_checks == ("check_char",)
    assert f"应为 {value[17]}" in result.errors[0]


@given(st.text(uscc_symbol, min_size=17, max_size=17))
def test_the_uscc_check_character_follows_the_spec_formula(first17):
    assert uscc_check_char(first17) == spec_uscc_check(first17)


@given(st.text(uscc_symbol, min_size=16, max_size=16))
def test_a_uscc_weighted_sum_divisible_by_31_gives_check_character_0(first16):
    partial = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first16, SPEC_USCC_WEIGHTS, strict=False))
    # Choose the 17th symbol (weight 28; 28 · 10 ≡ 1 mod 31) so that the whole sum is ≡ 0 mod 31.
    last = USCC_ALPHABET[(-partial * 10) % 31]
    assert (partial + USCC_ALPHABET.index(last) * 28) % 31 == 0
    assert uscc_check_char(first16 + last) == "0"


def test_uscc_check_char_refuses_characters_outside_the_alphabet():
    with pytest.raises(ValueError, match="USCC alphabet"):
        uscc_check_char("1137030300421716I")
    with pytest.raises(ValueError, match="USCC alphabet"):
        uscc_check_char("113703030042171")


@pytest.mark.parametrize("value", ["1137030300421716X", "1137030300421716XMM", ""])
def test_it_rejects_a_uscc_of_the_wrong_length(value):
    result = check_uscc(value)
    assert not result.valid
    assert result.failed_checks == ("length",)
    assert f"实为{len(value)}位" in result.errors[0]
    assert "expected 18" in result.errors[0]


def test_it_rejects_a_uscc_whose_region_code_is_not_numeric():
    first17 = "11A70303004217160"
    result = check_uscc(first17 + uscc_check_char(first17))
    assert not result.valid
    assert result.failed_checks == ("region_code",)
    assert "第3–8位" in result.errors[0]


def test_an_unknown_registration_pair_is_only_a_warning():
    first17 = "B137030300421716X"  # B is not a registration authority
    result = check_uscc(first17 + uscc_check_char(first17))
    assert result.valid
    assert result.details["registration_authority"] is None
    assert any('"B1"' in warning for warning in result.warnings)


def test_a_known_authority_with_an_unknown_category_is_only_a_warning():
    first17 = "9437030300421716X"  # 工商 has categories 1–3 only
    result = check_uscc(first17 + uscc_check_char(first17))
    assert result.valid
    assert result.details["registration_authority"] == "工商"
    assert result.details["category"] is None
    assert len(result.warnings) == 1


def test_an_embedded_org_code_failing_gb_11714_is_only_a_warning():
    first17 = "11370303004217161"  # the bureau's org code with check 1 instead of X
    result = check_uscc(first17 + uscc_check_char(first17))
    assert result.valid
    assert len(result.warnings) == 1
    assert "GB 11714" in result.warnings[0]
    assert "应为 X" in result.warnings[0]


def test_a_region_code_missing_from_the_table_is_only_a_warning():
    first17 = "11379999004217160"
    result = check_uscc(first17 + uscc_check_char(first17))
    assert result.valid
    assert any("379999" in warning for warning in result.warnings)


def test_the_position_tables_are_those_of_the_spec():
    assert identifiers.USCC_REGISTRATION_AUTHORITIES["3"] == "司法行政"
    assert identifiers.USCC_REGISTRATION_AUTHORITIES["4"] == "文化"
    assert identifiers.USCC_CATEGORIES["9"] == {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}
    assert identifiers.USCC_CATEGORIES["Y"] == {"1": "其他"}
    assert sorted(identifiers.USCC_REGISTRATION_AUTHORITIES) == [*"123456789", "A", "N", "Y"]


# --- resident ID -----------------------------------------------------------------------------------


def test_the_standards_example_resident_id_is_valid():
    result = check_resident_id(STANDARD_ID)

    assert result.valid, result.errors
    assert result.kind == "resident_id"
    assert result.details["region_code"] == "110105"
    assert result.details["region"] == {"province": "北京市", "county": "朝阳区"}
    assert result.details["birth_date"] == "1949-12-31"
    assert result.details["sex"] == "female"
    assert "upgraded_from" not in result.details


def test_it_accepts_a_lower_case_x_as_check_character():
    result = check_resident_id("11010519491231002x")
    assert result.valid
    assert result.normalized == STANDARD_ID


def test_it_reads_the_sex_from_the_parity_of_the_sequence_code():
    assert check_resident_id(with_resident_check("11010519491231001")).details["sex"] == "male"


def test_it_rejects_a_resident_id_with_a_wrong_check_digit():
    result = check_resident_id("110105194912310021")
    assert not result.valid
    assert result.failed_checks == ("check_char",)
    assert result.errors == (
        '居民身份证号码 "110105194912310021" 校验码错误：应为 X / '
        'resident ID "110105194912310021": check character is 1, expected X',
    )


def test_it_rejects_february_30_as_birth_date():
    result = check_resident_id(with_resident_check("11010519490230002"))
    assert not result.valid
    assert result.failed_checks == ("birth_date",)
    assert '"19490230" 不是有效日期' in result.errors[0]
    assert "not a real date" in result.errors[0]


def test_it_rejects_a_birth_date_before_1900():
    result = check_resident_id(with_resident_check("11010518991231002"))
    assert result.failed_checks == ("birth_date",)
    assert "1900" in result.errors[0]


@time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=identifiers.SHANGHAI), tick=False)
def test_it_rejects_a_birth_date_in_the_future():
    result = check_resident_id(with_resident_check("11010520250602002"))
    assert not result.valid
    assert result.failed_checks == ("birth_date",)
    assert "2025-06-02 晚于今天（2025-06-01）" in result.errors[0]
    assert "is in the future" in result.errors[0]


# 2025-06-01 17:00 UTC is already 2025-06-02 01:00 in Shanghai.
@time_machine.travel(datetime.datetime(2025, 6, 1, 17, tzinfo=datetime.UTC), tick=False)
def test_today_is_the_date_in_shanghai():
    assert check_resident_id(with_resident_check("11010520250602002")).valid
    assert not check_resident_id(with_resident_check("11010520250603002")).valid


def test_the_day_of_reference_can_be_given():
    born_today = with_resident_check("11010520250602002")
    assert check_resident_id(born_today, today=datetime.date(2025, 6, 2)).valid
    assert not check_resident_id(born_today, today=datetime.date(2025, 6, 1)).valid


def test_it_rejects_an_address_code_outside_any_province():
    result = check_resident_id(with_resident_check("99010519491231002"))
    assert not result.valid
    assert result.failed_checks == ("region_code",)
    assert '"99"' in result.errors[0]


def test_an_unknown_county_is_only_a_warning():
    result = check_resident_id(with_resident_check("11999919491231002"))
    assert result.valid
    assert any("119999" in warning for warning in result.warnings)


def test_it_reports_every_failed_check_at_once():
    result = check_resident_id("990105194902300021")
    assert set(result.failed_checks) == {"region_code", "birth_date", "check_char"}
    assert len(result.errors) == 3


@pytest.mark.parametrize(
    ("value", "check"),
    [
        ("1101051949123100", "length"),
        ("11010519491231002XX", "length"),
        ("1101051949123100X2", "charset"),
        ("11010519491231002A", "charset"),
        ("11010549123100A", "charset"),
    ],
)
def test_it_rejects_a_malformed_resident_id(value, check):
    result = check_resident_id(value)
    assert not result.valid
    assert result.failed_checks == (check,)


def test_it_upgrades_a_legacy_15_digit_number():
    result = check_resident_id("110105491231002")

    assert result.valid
    assert result.normalized == STANDARD_ID
    assert result.details["upgraded_from"] == "110105491231002"
    assert result.details["birth_date"] == "1949-12-31"
    assert len(result.warnings) == 1
    assert "已升级为18位" in result.warnings[0]
    assert STANDARD_ID in result.warnings[0]


def test_it_rejects_a_legacy_number_with_an_impossible_date():
    result = check_resident_id("110105490230002")
    assert not result.valid
    assert result.failed_checks == ("birth_date",)
    assert '"490230"' in result.errors[0]
    assert result.warnings == ()


def test_it_normalises_full_width_and_spaced_resident_ids():
    for typed in [
        "１１０１０５　１９４９１２３１　００２ｘ",
        "110105 1949-1231 002X",
        " 110105-19491231-002x\n",
    ]:
        result = check_resident_id(typed)
        assert result.valid, typed
        assert result.normalized == STANDARD_ID


@given(
    region=st.sampled_from(["110105", "370303", "341702"]),
    born=st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    sequence=st.integers(0, 999),
)
def test_any_resident_id_with_a_computed_check_character_is_valid(region, born, sequence):
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    assert check_resident_id(first17 + resident_id_check_char(first17)).valid


def test_resident_id_check_char_follows_the_spec_formula():
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for first17 in ["11010519491231002", "37030319800101123", "00000000000000000", "99999999999999999"]:
        expected = "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
        assert resident_id_check_char(first17) == expected
    assert resident_id_check_char("11010519491231002") == "X"


def test_resident_id_check_char_refuses_anything_but_17_digits():
    with pytest.raises(ValueError, match="17 digits"):
        resident_id_check_char("1101051949123100A")
    with pytest.raises(ValueError, match="17 digits"):
        resident_id_check_char("1101051949123100")


# --- masking ---------------------------------------------------------------------------------------


def test_it_masks_the_middle_of_an_18_digit_number():
    assert mask_resident_id("370303198001011234") == "370303********1234"


def test_it_masks_a_15_digit_number():
    assert mask_resident_id("370303800101123") == "370303*****1123"


def test_it_normalises_before_masking():
    assert mask_resident_id("１１０１０５ １９４９１２３１ ００２ｘ") == "110105********002X"


def test_masking_takes_head_tail_and_mask_character():
    assert mask_resident_id(STANDARD_ID, head=3, tail=1, mask="●") == "110" + "●" * 14 + "X"
    assert mask_resident_id(STANDARD_ID, head=0, tail=0) == "*" * 18


def test_masking_a_short_value_shows_nothing():
    assert mask_resident_id("12345") == "*****"
    assert mask_resident_id("1234567890") == "**********"


def test_masking_refuses_negative_lengths():
    with pytest.raises(ValueError, match="negative"):
        mask_resident_id(STANDARD_ID, head=-1)


# --- organisation code -----------------------------------------------------------------------------


def test_the_reference_bureaus_org_code_is_valid():
    result = check_org_code("00421716-X")
    assert result.valid
    assert result.kind == "org_code"
    assert result.normalized == "00421716X"
    assert result.details == {"body": "00421716", "check_char": "X", "formatted": "00421716-X"}


def test_it_accepts_an_org_code_without_hyphen_and_in_lower_case():
    assert check_org_code("00421716x").valid


def test_it_rejects_an_org_code_with_a_wrong_check_character():
    result = check_org_code("00421716-1")
    assert not result.valid
    assert result.failed_checks == ("check_char",)
    assert result.errors == (
        '组织机构代码 "004217161" 校验码错误：应为 X / '
        'organisation code "004217161": check character is 1, expected X',
    )


@pytest.mark.parametrize(
    ("value", "check"),
    [("00421716", "length"), ("00421716-XX", "length"), ("0042171*-X", "charset"), ("00421716-A", "charset")],
)
def test_it_rejects_a_malformed_org_code(value, check):
    result = check_org_code(value)
    assert not result.valid
    assert result.failed_checks == (check,)


def test_org_code_check_char_maps_10_to_x_and_11_to_0():
    assert org_code_check_char("00421716") == "X"  # 11 − Σ mod 11 = 10
    assert org_code_check_char("00000000") == "0"  # Σ = 0, 11 − 0 = 11
    assert org_code_check_char("MB285835") == "0"
    assert org_code_check_char("48634451") == "5"


@given(st.text(st.sampled_from(string.digits + string.ascii_uppercase), min_size=8, max_size=8))
def test_org_code_check_char_follows_the_spec_formula(body):
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    values = [int(ch, 36) for ch in body]
    c9 = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    expected = {10: "X", 11: "0"}.get(c9, str(c9))
    assert org_code_check_char(body) == expected
    assert check_org_code(body + expected).valid


# --- identify --------------------------------------------------------------------------------------


def test_it_identifies_a_uscc():
    assert identify(BUREAU).kind == "uscc"
    assert identify("11370303MB2858350L").kind == "uscc"


def test_it_identifies_a_resident_id_even_when_it_starts_like_a_uscc():
    # "11" is also 机构编制/机关, but the number only validates as a resident ID.
    result = identify(STANDARD_ID)
    assert result.kind == "resident_id"
    assert result.valid


def test_it_identifies_a_legacy_resident_id_and_an_org_code():
    assert identify("110105491231002").kind == "resident_id"
    assert identify("00421716-X").kind == "org_code"


def test_it_checks_an_invalid_uscc_with_letters_as_a_uscc():
    result = identify("1137030300421716XN")
    assert result.kind == "uscc"
    assert result.failed_checks == ("check_char",)


def test_a_mistyped_digit_only_number_with_a_real_birth_date_is_checked_as_a_resident_id():
    result = identify("110105194912310021")
    assert result.kind == "resident_id"
    assert result.failed_checks == ("check_char",)


def test_a_mistyped_digit_only_number_without_a_real_birth_date_is_checked_as_a_uscc():
    result = identify("113703030042241750")  # 11370303004224175E with a digit for E
    assert result.kind == "uscc"
    assert result.failed_checks == ("check_char",)


def _valid_as_both(first14: str) -> str:
    """The first resident ID starting with ``first14`` that is also a valid USCC."""
    for sequence in range(1000):
        first17 = f"{first14}{sequence:03d}"
        candidate = first17 + resident_id_check_char(first17)
        if check_uscc(candidate).valid:
            return candidate
    raise AssertionError(f"no number starting {first14} is valid as both")


def test_a_number_valid_as_both_is_a_uscc_when_positions_1_2_are_a_known_pair():
    both = _valid_as_both("11010519491231")  # 1/1 = 机构编制/机关
    assert check_resident_id(both).valid
    assert identify(both).kind == "uscc"


def test_a_number_valid_as_both_is_a_resident_id_when_positions_1_2_are_no_known_pair():
    both = _valid_as_both("37030319800101")  # 3/7 is no registration pair
    assert check_resident_id(both).valid
    assert identify(both).kind == "resident_id"


@pytest.mark.parametrize("value", ["", "12345", "1234567890", "1137030300421716", "1137030300421716XM1"])
def test_a_value_of_no_supported_shape_is_reported_as_such(value):
    result = identify(value)
    assert result.kind is None
    assert not result.valid
    assert result.failed_checks == ("shape",)
    assert "不符合任何受支持的证件代码" in result.errors[0]
    assert "does not match any supported identifier" in result.errors[0]


def test_check_with_a_kind_forces_that_kind():
    assert identifiers.check("00421716X", "uscc").failed_checks == ("length",)
    assert identifiers.check(STANDARD_ID, "uscc").kind == "uscc"
    assert identifiers.check(STANDARD_ID).kind == "resident_id"
    with pytest.raises(ValueError, match="unknown identifier kind"):
        identifiers.check(STANDARD_ID, "passport")  # type: ignore[arg-type]


# --- the result ------------------------------------------------------------------------------------


def test_as_json_has_the_documented_keys_and_serialises():
    result = identify("110105491231002")
    data = result.as_json()
    assert set(data) == {"value", "normalized", "kind", "valid", "errors", "warnings", "details"}
    assert data["value"] == "110105491231002"
    assert data["normalized"] == STANDARD_ID
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_a_result_is_immutable():
    result = check_uscc(BUREAU)
    assert isinstance(result, IdCheck)
    with pytest.raises(AttributeError):
        result.valid = False  # type: ignore[misc]


def test_every_error_is_chinese_first_then_english_and_names_the_value():
    results = [
        check_uscc("1137030300421716XN"),
        check_uscc("113703030042171"),
        check_resident_id("990105194902300021"),
        check_org_code("00421716-1"),
        identify("12345"),
    ]
    for result in results:
        for error in result.errors:
            chinese, english = error.split(" / ", 1)
            assert result.normalized in chinese
            assert result.normalized in english
            assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)


# --- the bulk import's fast path -------------------------------------------------------------------


@given(usccs())
def test_the_fast_uscc_test_accepts_every_valid_code(code):
    assert identifiers.uscc_is_valid(code) and check_uscc(code).valid


@given(usccs(), st.integers(min_value=0, max_value=17), st.sampled_from(USCC_ALPHABET + "IOZSV*中a"))
def test_the_fast_uscc_test_agrees_with_the_full_check_on_any_change(code, position, symbol):
    changed = normalize(code[:position] + symbol + code[position + 1 :])
    assert identifiers.uscc_is_valid(changed) == check_uscc(changed).valid


@given(st.text(USCC_ALPHABET + "IO-a中", max_size=20))
def test_the_fast_uscc_test_agrees_with_the_full_check_on_any_text(text):
    code = normalize(text)
    assert identifiers.uscc_is_valid(code) == check_uscc(code).valid
