"""The screening corpus: invented snippets of government text with what screening must find in each.

Written for this project. Every identifier is computed here (check characters by gongkai.lib.identifiers,
bank card numbers completed by the Luhn rule), so none is a real person's number. ``POSITIVE`` snippets list
the (kind, value) pairs expected, value exactly as written; ``NEGATIVE`` snippets must give no finding.
Screened as of ``TODAY``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from gongkai.lib.identifiers import org_code_check_char, resident_id_check_char, uscc_check_char

TODAY = datetime.date(2026, 11, 26)


@dataclass(frozen=True)
class Case:
    text: str
    expected: tuple[tuple[str, str], ...] = ()


# --- identifiers made for the corpus ---------------------------------------------------------------------


def resident_id(region: str, born: str, sequence: str) -> str:
    body = region + born + sequence
    return body + resident_id_check_char(body)


def wrong_check(number: str) -> str:
    """The same 17 digits with a wrong check character."""
    return number[:17] + ("0" if number[17] != "0" else "1")


def luhn(body: str) -> str:
    """`body` completed with the Luhn check digit."""
    for check in "0123456789":
        digits = body + check
        total = 0
        for position, ch in enumerate(reversed(digits)):
            digit = int(ch) * (2 if position % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return digits
    raise AssertionError(body)


def not_luhn(body: str) -> str:
    right = luhn(body)
    return right[:-1] + str((int(right[-1]) + 1) % 10)


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def fullwidth(value: str) -> str:
    return value.translate(str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ"))


def groups(value: str, sizes: tuple[int, ...], separator: str = " ") -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(value[start : start + size])
        start += size
    return separator.join(parts)


def _all_digit_uscc_passing_luhn() -> str:
    """An enterprise's USCC (91…) of digits only that is also a Luhn-valid 18-digit number."""
    for serial in range(100_000):
        body = f"{serial:08d}"
        check = org_code_check_char(body)
        if check.isdigit():
            code = uscc("91370303" + body + check)
            if code.isdigit() and luhn(code[:17]) == code:
                return code
    raise AssertionError("none found")


def _uscc_that_is_also_a_resident_id() -> str:
    """A 机关 USCC of 延庆区 (11…, region 110119) whose 18 characters also pass the resident-ID rules (born 1985)."""
    for day in range(1, 29):
        for serial in range(100):
            body = f"8501{day:02d}{serial:02d}"
            check = org_code_check_char(body)
            first17 = "11110119" + body + check
            if check.isdigit() and uscc_check_char(first17) == resident_id_check_char(first17):
                return uscc(first17)
    raise AssertionError("none found")


ID_1 = resident_id("370303", "19900101", "123")  # 张店区
ID_2 = resident_id("370302", "19781231", "456")  # 淄川区
ID_3 = resident_id("110105", "20010607", "089")
ID_X = next(
    number for number in (resident_id("370303", "19850315", f"{n:03d}") for n in range(1000)) if number[-1] == "X"
)
ID_1900 = resident_id("370303", "19000101", "011")
ID_TODAY = resident_id("370303", TODAY.strftime("%Y%m%d"), "002")
ID_TOMORROW = resident_id("370303", (TODAY + datetime.timedelta(days=1)).strftime("%Y%m%d"), "002")
ID_1899 = resident_id("370303", "18991231", "011")
ID_FEB_30 = resident_id("370303", "19900230", "123")
ID_NO_PROVINCE = resident_id("200303", "19900101", "123")  # 20 is no province
LEGACY_15 = "370303" + "760412" + "031"  # born 1976-04-12
LEGACY_BAD_DATE = "370303" + "761312" + "031"

CARD_16 = luhn("622202020011223")  # UnionPay 62…
CARD_19 = luhn("622848001234567890")
CARD_VISA = luhn("411111111111111")
CARD_MASTER = luhn("552233445566778")
CARD_OLD = luhn("955880123456789012")  # an older domestic debit card (95588…)
CARD_13 = luhn("622202123456")
CARD_BAD = not_luhn("622202020011223")
SERIAL_LUHN = luhn("202611260000123")  # 16 digits passing Luhn, but a 2… serial number

USCC_BUREAU = "1137030300421716XM"  # 张店区发展和改革局 (STATUTES.md §4.4)
USCC_APPROVAL = "11370303MB2858350L"  # 张店区行政审批服务局
USCC_STREET = "11370303004224175E"  # 体育场街道
USCC_COMPANY = uscc("91370303" + "MA3C5ND3" + org_code_check_char("MA3C5ND3"))  # a company, new-style body
USCC_DIGITS_LUHN = _all_digit_uscc_passing_luhn()
USCC_LIKE_ID = _uscc_that_is_also_a_resident_id()


# --- positive snippets -----------------------------------------------------------------------------------

POSITIVE: tuple[Case, ...] = (
    # Resident IDs, whole and in every written form.
    Case(f"申请人身份证号码{ID_1}，现住张店区。", (("resident_id", ID_1),)),
    Case(f"公民身份号码：{ID_2}", (("resident_id", ID_2),)),
    Case(f"证件号码 {ID_3} 已核验。", (("resident_id", ID_3),)),
    Case(f"当事人身份证号{ID_X}。", (("resident_id", ID_X),)),
    Case(f"当事人身份证号{ID_X.lower()}。", (("resident_id", ID_X.lower()),)),
    Case(f"身份证：{groups(ID_1, (6, 8, 4))}", (("resident_id", groups(ID_1, (6, 8, 4))),)),
    Case(f"身份证：{groups(ID_2, (6, 8, 4), '-')}", (("resident_id", groups(ID_2, (6, 8, 4), "-")),)),
    Case(f"身份证：{groups(ID_3, (6, 4, 4, 4))}", (("resident_id", groups(ID_3, (6, 4, 4, 4))),)),
    Case(f"身份证：{groups(ID_1, (4, 4, 4, 4, 2))}", (("resident_id", groups(ID_1, (4, 4, 4, 4, 2))),)),
    Case(f"身份证：{groups(ID_X, (6, 8, 4), chr(0x3000))}", (("resident_id", groups(ID_X, (6, 8, 4), "\u3000")),)),
    Case(f"身份证号码：{fullwidth(ID_2)}", (("resident_id", fullwidth(ID_2)),)),
    Case(f"身份证号码：{fullwidth(ID_X)}", (("resident_id", fullwidth(ID_X)),)),
    Case(f"身份证号码：{fullwidth(groups(ID_1, (6, 8, 4)))}", (("resident_id", fullwidth(groups(ID_1, (6, 8, 4)))),)),
    Case(f"旧身份证号{LEGACY_15}（15位）", (("resident_id", LEGACY_15),)),
    Case(f"旧身份证号 {groups(LEGACY_15, (6, 6, 3))}", (("resident_id", groups(LEGACY_15, (6, 6, 3))),)),
    Case(f"（{ID_3}）", (("resident_id", ID_3),)),
    Case(f"{ID_1}的申请已受理", (("resident_id", ID_1),)),
    Case(f"出生于1900年：{ID_1900}", (("resident_id", ID_1900),)),
    Case(f"今日出生：{ID_TODAY}", (("resident_id", ID_TODAY),)),
    # Mobiles.
    Case("手机13812345678", (("mobile", "13812345678"),)),
    Case("手机：139 1234 5678。", (("mobile", "139 1234 5678"),)),
    Case("手机：150-1234-5678", (("mobile", "150-1234-5678"),)),
    Case("手机号码１８６１２３４５６７８", (("mobile", "１８６１２３４５６７８"),)),
    Case("手机号码１８６　１２３４　５６７８", (("mobile", "１８６　１２３４　５６７８"),)),
    Case("境外请拨+86 138 1234 5678", (("mobile", "138 1234 5678"),)),
    Case("境外请拨+8613812345678", (("mobile", "13812345678"),)),
    Case("境外请拨＋8613812345678", (("mobile", "13812345678"),)),
    Case("或拨打86-17712345678", (("mobile", "17712345678"),)),
    Case("(+86)19912345678", (("mobile", "19912345678"),)),
    Case("16612345678", (("mobile", "16612345678"),)),
    Case("联系电话：0533-2869859，手机14712345678。", (("mobile", "14712345678"),)),
    Case("手机13812345678、13912345678均可", (("mobile", "13812345678"), ("mobile", "13912345678"))),
    Case("13812345678,13912345678", (("mobile", "13812345678"), ("mobile", "13912345678"))),
    Case("电话 0533 2869859 13812345678", (("mobile", "13812345678"),)),
    Case("张店区 13812345678", (("mobile", "13812345678"),)),
    Case("王村镇13812345678", (("mobile", "13812345678"),)),
    Case("联系方式：13812345678", (("mobile", "13812345678"),)),
    Case("请拨打13812345678咨询", (("mobile", "13812345678"),)),
    # Bank cards.
    Case(f"开户账号{CARD_16}", (("bank_card", CARD_16),)),
    Case(f"银行卡号：{CARD_19}", (("bank_card", CARD_19),)),
    Case(f"卡号 {groups(CARD_16, (4, 4, 4, 4))}", (("bank_card", groups(CARD_16, (4, 4, 4, 4))),)),
    Case(f"卡号 {groups(CARD_19, (4, 4, 4, 4, 3))}", (("bank_card", groups(CARD_19, (4, 4, 4, 4, 3))),)),
    Case(
        f"卡号{groups(CARD_OLD, (4, 4, 4, 4, 3), chr(0x3000))}",
        (("bank_card", groups(CARD_OLD, (4, 4, 4, 4, 3), "\u3000")),),
    ),
    Case(f"信用卡{CARD_VISA}", (("bank_card", CARD_VISA),)),
    Case(f"信用卡{CARD_MASTER}；", (("bank_card", CARD_MASTER),)),
    Case(f"账号{CARD_13}", (("bank_card", CARD_13),)),
    Case(f"账号：{fullwidth(CARD_16)}", (("bank_card", fullwidth(CARD_16)),)),
    # Secrecy markings.
    Case("秘密★1年", (("secret_marking", "秘密★1年"),)),
    Case("机密★\n关于某事项的请示", (("secret_marking", "机密★"),)),
    Case("绝密★长期", (("secret_marking", "绝密★长期"),)),
    Case("秘密 5年", (("secret_marking", "秘密 5年"),)),
    Case("机密☆10年", (("secret_marking", "机密☆10年"),)),
    Case("秘密＊", (("secret_marking", "秘密＊"),)),
    Case("秘密*5年", (("secret_marking", "秘密*5年"),)),
    Case("绝密★ 二十年", (("secret_marking", "绝密★ 二十年"),)),
    Case("本材料为内部资料，请妥善保管", (("secret_marking", "内部资料"),)),
    Case("内部文件 注意保密", (("secret_marking", "内部文件"), ("secret_marking", "注意保密"))),
    Case("（不得外传）", (("secret_marking", "不得外传"),)),
    # Personal e-mail addresses.
    Case("邮箱：zhangsan1990@163.com", (("email", "zhangsan1990@163.com"),)),
    Case("QQ邮箱12345678@qq.com。", (("email", "12345678@qq.com"),)),
    Case("请发送至li.si@126.com或", (("email", "li.si@126.com"),)),
    Case("mailto:wang_wu@gmail.com", (("email", "wang_wu@gmail.com"),)),
    Case("ZHAO.LIU@SINA.COM", (("email", "ZHAO.LIU@SINA.COM"),)),
    Case("13812345678@163.com", (("email", "13812345678@163.com"),)),
    Case("单位邮箱zdfgj@zibo.gov.cn，个人邮箱wangxm@foxmail.com", (("email", "wangxm@foxmail.com"),)),
    # Names beside numbers.
    Case(f"张三 {ID_1}", (("personal_name", "张三"), ("resident_id", ID_1))),
    Case("联系人：王小明，手机13912345678", (("personal_name", "王小明"), ("mobile", "13912345678"))),
    Case(f"李四（身份证号：{ID_2}）", (("personal_name", "李四"), ("resident_id", ID_2))),
    Case("13912345678（赵六）", (("mobile", "13912345678"), ("personal_name", "赵六"))),
    Case("欧阳明 13812345678", (("personal_name", "欧阳明"), ("mobile", "13812345678"))),
    Case("申请人王小明13912345678", (("personal_name", "王小明"), ("mobile", "13912345678"))),
    Case(f"姓名：诸葛文博 身份证号 {ID_3}", (("personal_name", "诸葛文博"), ("resident_id", ID_3))),
    Case(f"孙七\t{ID_1}\t男", (("personal_name", "孙七"), ("resident_id", ID_1))),
    Case("主任李四 13912345678", (("personal_name", "李四"), ("mobile", "13912345678"))),
    Case(
        f"被处罚人周八，身份证号码{ID_2}，手机18612345678",
        (("personal_name", "周八"), ("resident_id", ID_2), ("mobile", "18612345678")),
    ),
    Case(f"刘洋 {ID_1} 13812345678", (("personal_name", "刘洋"), ("resident_id", ID_1), ("mobile", "13812345678"))),
)


# --- negative snippets -----------------------------------------------------------------------------------

NEGATIVE: tuple[Case, ...] = tuple(
    Case(text)
    for text in (
        # Organisations' USCCs and index numbers.
        f"统一社会信用代码：{USCC_BUREAU}",
        f"统一社会信用代码：{USCC_APPROVAL}",
        f"统一社会信用代码：{USCC_STREET}",
        f"统一社会信用代码：{USCC_COMPANY}",
        f"统一社会信用代码：{USCC_DIGITS_LUHN}",
        f"统一社会信用代码 {USCC_LIKE_ID}",
        f"{USCC_LIKE_ID}",
        f"索引号：{USCC_BUREAU}/2018-1374999",
        "索引号：11341702486344515H/202110-00013",
        "索引号：000014349/2017-00110",
        "组织机构代码：00421716-X",
        # Landlines and service numbers.
        "联系电话：0533-2869859",
        "联系电话：(0533)2869859",
        "联系电话：（0533）2869859",
        "联系电话：05332869859",
        "联系电话：0533 2869859",
        "北京：010-12345678",
        "热线 400-800-1234",
        "政务服务热线12345，银行客服95588",
        # 文号, dates, amounts, postcodes, codes.
        "张发改发〔2026〕12号",
        "淄政办字〔2025〕3号",
        "2026-11-26",
        "20261126",
        "2026年11月26日",
        "2026.11.26 和 2026/11/26",
        "总投资1,234,567.89元",
        "合计12345678901元",
        "合计13812345678元",
        "金额13812345678.00",
        "￥13812345678",
        "1234567890123.45",
        "邮编255000",
        "项目代码2020-370303-44-01-012345",
        "ISBN 978-7-5097-1234-5",
        "增长12.5%，达到13.8亿元",
        "2018 2019 2020 2021 2022",
        "12 345 678 901",
        # Numbers that are part of longer ones.
        "138123456789",
        "a13812345678",
        "13812345678a",
        "SF1234567890123",
        "8613812345678",
        "3.13812345678",
        f"1{ID_1}",
        f"{ID_1}5",
        f"{ID_1}A",
        f"编号{groups(ID_1, (6, 8, 4), '-')}-01",
        "http://www.zhangdian.gov.cn/doc_13812345678.html",
        f"{CARD_16}0",
        # Not a resident ID, mobile or bank card.
        f"身份证号{wrong_check(ID_1)}",
        f"身份证号{ID_FEB_30}",
        f"身份证号{ID_TOMORROW}",
        f"身份证号{ID_1899}",
        f"身份证号{ID_NO_PROVINCE}",
        f"营业执照注册号{LEGACY_BAD_DATE}",
        "12345678901",
        "1381234567",
        f"账号{CARD_BAD}",
        f"受理编号{SERIAL_LUHN}",
        f"卡号 {groups(CARD_BAD, (4, 4, 4, 4))}",
        # Secrecy words in running text.
        "依据《中华人民共和国保守国家秘密法》",
        "不得泄露商业秘密和个人隐私",
        "涉及国家秘密的政府信息不予公开",
        "保障信息的机密性、完整性",
        "属于工作秘密",
        "涉及国家秘密5年以上",
        "加强保密工作，机密文件专人管理",
        # Organisation e-mail addresses and other @.
        "邮箱：zdfgj@zibo.gov.cn",
        "xxgk@zhangdian.gov.cn",
        "招生办zsb@sdut.edu.cn",
        "红十字会contact@redcross.org.cn",
        "微博@张店发布",
        "a@b",
        # Names with no number beside them.
        "张三同志任办公室主任",
        "联系人：王小明",
    )
)
