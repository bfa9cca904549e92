"""Generated 双公示 penalty files for the credit benchmarks: deterministic, realistic in shape.

Names: 85 % companies (淄博 + two characters from a pool + an industry + a company form), 10 % 个体工商户,
5 % natural persons with valid resident ID numbers; every subject and authority code has a valid check
digit, so that every row passes the checks and the import stores all of them.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator

from stdnum.cn import ric, uscc

from gongkai.credit.standard import PENALTY

AUTHORITY = "1137030300421716XM"  # the demo bureau: authority and source of every row
AUTHORITY_NAME = "张店区发展和改革局"
POOL = "瑞博鑫华泰昌盛隆兴恒达金源宏远新星天成永安富海东方嘉德丰润佳美利民建中亿宝祥和光明鸿运康宁荣信益通联顺"
INDUSTRIES = (
    "建材", "商贸", "餐饮", "机械", "化工", "食品", "医药", "物流", "科技", "纺织", "陶瓷", "印务", "汽车服务",
    "装饰工程", "电子", "农业", "家具", "五金", "服饰", "文化传媒",
)  # fmt: skip
FORMS = ("有限公司", "有限责任公司", "股份有限公司", "商贸中心", "经营部")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
UNTIL = datetime.date(2026, 11, 1)  # the latest decision date
HEADER = [f.label for f in PENALTY.fields]
CODES = [f.code for f in PENALTY.fields]


def _uscc(rng: random.Random) -> str:
    body = "91370303" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _resident_id(rng: random.Random) -> str:
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000))
    body = f"370303{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def penalty_rows(
    count: int, *, seed: int = 20261126, until: datetime.date = UNTIL, first_number: int = 1
) -> Iterator[dict]:
    """``count`` penalty rows (field code → text) with distinct decision numbers, from ``first_number`` on."""
    rng = random.Random(seed)
    first = until - datetime.timedelta(days=730)
    for number in range(first_number, first_number + count):
        kind = rng.random()
        decided = first + datetime.timedelta(days=rng.randrange(730))
        row = dict.fromkeys(CODES, "")
        if kind < 0.05:
            row.update(
                CF_XDR_MC=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                CF_XDR_LB="自然人",
                CF_XDR_ZJLX="身份证",
                CF_XDR_ZJHM=_resident_id(rng),
            )
        elif kind < 0.15:
            row.update(
                CF_XDR_MC=f"张店区{rng.choice(POOL)}{rng.choice(POOL)}{rng.choice(INDUSTRIES)}店",
                CF_XDR_LB="个体工商户",
                CF_XDR_SHXYM=_uscc(rng),
            )
        else:
            row.update(
                CF_XDR_MC=f"淄博{rng.choice(POOL)}{rng.choice(POOL)}{rng.choice(INDUSTRIES)}{rng.choice(FORMS)}",
                CF_XDR_LB="法人及非法人组织",
                CF_XDR_SHXYM=_uscc(rng),
                CF_FRDB=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            )
        fine = f"{rng.randrange(1, 2000) / 100:.2f}"
        row.update(
            CF_WSH=f"张发改罚〔{decided.year}〕{number}号",
            CF_WFXW="价格违法行为",
            CF_SY=f"当事人在经营活动中未按规定明码标价，经查实违法所得{fine}万元，违反了《中华人民共和国价格法》第十三条的规定。",
            CF_YJ="《中华人民共和国价格法》第四十二条",
            CF_CFLB="罚款",
            CF_NR=f"罚款{fine}万元",
            CF_NR_FK=fine,
            CF_JDRQ=decided.isoformat(),
            CF_YXQ=(decided + datetime.timedelta(days=365)).isoformat(),
            CF_CFJG=AUTHORITY_NAME,
            CF_CFJGDM=AUTHORITY,
            CF_SJLY=AUTHORITY_NAME,
            CF_SJLYDM=AUTHORITY,
        )
        yield row


def write_csv(path, count: int, **options) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for row in penalty_rows(count, **options):
            writer.writerow([row[code] for code in CODES])


def write_xlsx(path, count: int, **options) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("行政处罚")
    sheet.append(HEADER)
    for row in penalty_rows(count, **options):
        sheet.append([row[code] for code in CODES])
    workbook.save(path)
